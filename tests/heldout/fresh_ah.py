"""Held-apart set AH, first half (activations, layers and losses): realistic student bugs, written blind.

Set AH is written blind, in two halves by two helper sessions at the same time; this module is the activations,
layers and losses half (the other half's file was not read by this module's author). Written by a helper session
under a short deadline (about 45 minutes). Its goal is realism: the mistakes real students of a numpy deep-learning
course make in the code they write (CS231n's loops and compact formulas, einsum, boolean masks, np.logaddexp,
Jacobian matrices, Keras and PyTorch habits, formula-sheet derivatives), rather than corner cases; the brief asked to
lean toward the less-covered components and toward what forward saves for backward and how state lives between
calls.

What the author read: reference/activations.py, layers.py, losses.py and base.py, tests/heldout/_edits.py, the
module docstring and first bugs of fresh_ag.py (for the format), the ids, components, descriptions and ``expect``
tags of the catalogue and of ``EVERY`` (dumped and grepped per component, for the tag vocabulary, the copy check and
the sharing count), and of tests/test_feedback_generalisation.py only SETS, FAMILIES and ``_changes``. Not read:
docs/api.md (no time), the diagnosis and grading code (graders/judging, graders/reporting, graders/running,
graders/selfcheck, graders/runner.py), nnlab/ beyond importing it, tests/evidence.py, the feedback audit, the
mistake, crash, diagnosis and feedback tests, benchmarks/, /work/tools/* beyond its own brief, the other half's
file, and any grader feedback or output. None of these bugs was graded.

About 50 ideas were considered, 39 written, 39 kept. Replaced after checking: max pooling's loop backward decoding
the window argmax with divmod(idx, kH) (right only for square kernels; with a non-square kernel it only raised
IndexError at the border, a crash rather than a wrong result) became the same loop assigning the gradient.
Dropped before writing: an Identity with float32 output and a Step through np.heaviside(x, 0.5) (near copies of
earlier bugs), LeakyReLU's kink taken as x < 0 (wrong only at exactly 0; the in-place upstream kept instead), a
Keras-style BCE clip at 1e-7 (no change for ordinary probabilities), a Maxout forward stacked on the wrong axis, a
Linear grad_x with W.T through einsum and a loop Linear with np.outer(x, g) (both only crash for non-square
weights), average pooling's backward by np.repeat (its "undone" version is another method entirely), a cross-entropy
one-hot from np.eye(N) (a crash unless N = C), and a BCE-with-logits applying the stable formula to sigmoid(x).
No edit was a textual copy (same component and ``_changes``) of a catalogue mutant or an earlier held-apart bug.

Rewrites: 34 of the 39 rewrite a whole method or function body (or both methods) in a student's own style: Identity's
backward as an explicit identity Jacobian, the sigmoid through tanh(x/2), tanh through a stable 2 sigmoid(2x) - 1,
tanh's backward as 1 / cosh^2, ReLU clamped in place and with its derivative saved, LeakyReLU's backward scaling in
place, PReLU's backward with boolean masks and a channel loop, ELU and SELU (without the inner ELU) with backward
from the saved output, SiLU with its own sigmoid, Softplus through np.logaddexp, Softmax's backward as a row-by-row
Jacobian, LogSoftmax's backward with a total, Maxout's backward as a piece loop, Linear's backward with einsum,
Conv2d as row-per-position im2col loops (forward and backward), max pooling and average pooling as position loops
(both methods / each method), Flatten through np.moveaxis and with its shape saved once, Dropout's forward twice
(inverted with an evaluation scale, and with an early return), BatchNorm1d's training branch with Keras's moving
average, BatchNorm2d's backward as CS231n's compact formula, MSE forward and backward, BCE's backward from its two
terms and its forward with a 1/N, BCE-with-logits through np.logaddexp, cross-entropy's forward and backward, the
hinge loss's forward and backward in CS231n's svm_loss_vectorized style. The other 5 are edits of one to three
lines (Step from the sign, GELU's density, LogSoftmax's logsumexp, BatchNorm1d normalising in place, MSE's error as
a distance). Each has exactly one mistake (Linear's assignment and Flatten's channels-last order show in two
consistent places: one misconception).

Sharing, honestly: nearly all share an earlier bug's misconception (in new code). By the author's grep of the
earlier ids, descriptions and tags of the same component, about 35 of the 39 do, e.g. Step's 0.5 at 0, tanh's
derivative at the output, ReLU's input modified and its derivative as the sign, LeakyReLU's upstream modified,
PReLU's slope gradient assigned (close to hsaf's channel loop), ELU's and SELU's slope from the output without alpha
or scale, GELU's density exponent, SiLU's output for the input, Softmax's diagonal-only Jacobian, LogSoftmax's shift
not restored and its whole-array sum, Maxout's bias to every piece, Linear's gradients assigned, col2im and max
pooling assigned over overlapping windows, the stride taken as the kernel, average pooling's precedence, Flatten
channels-last and cached at the first call, Dropout's evaluation scale and stale mask, Keras's momentum, BatchNorm1d
modifying its input, BatchNorm2d's batch terms in evaluation, MSE over rows and unsigned, BCE's term sign and
row-wise mean, BCE-with-logits' len, cross-entropy's every-row index and in-place probabilities, the hinge active set
at >= 0 and its saved mask overwritten. About 4 were not found among their component's earlier bugs: Identity's
gradient returned flat from the Jacobian product, the sigmoid's backward missing the 1/2 of tanh(x/2), tanh's
backward missing the 2 of sigmoid(2x), and Softplus's sigmoid written as exp(-logaddexp(0, z)) (sign flipped).

Classes covered: shapes (a flat gradient), state (the caller's input or upstream gradient modified in place: ReLU,
LeakyReLU, BatchNorm1d; saved arrays modified by backward: cross-entropy, hinge; a shape saved at the first call;
a mask kept from training into evaluation; the output saved as the input: tanh, SiLU), derivatives (chain-rule inner
factors in sigmoid and tanh, the sign as a derivative, slopes from the output without alpha or scale, GELU's density,
Softmax's Jacobian, Softplus's sigmoid sign, BCE's term sign, the unsigned error), accumulation (= for += in PReLU,
Linear, col2im, max pooling), reductions and normalisers (a whole-array sum, 1/N for the mean over entries in MSE,
BCE and BCE-with-logits, an every-row fancy index), masks (Maxout's bias without the winners' mask, the hinge's >= 0),
hyper-parameters (ELU's alpha, Keras's momentum convention, the stride as the kernel), precedence (average pooling),
layout (Flatten channels-last), logsumexp (the shift not restored), kink values (Step at 0) and train/eval (Dropout's
evaluation scale and stale mask, BatchNorm2d's batch terms in evaluation).
Components: activations Identity, Step, Sigmoid, Tanh (2), ReLU (2), LeakyReLU, PReLU, ELU, SELU, GELU, SiLU,
Softplus, Softmax, LogSoftmax (2), Maxout (18 bugs); layers Linear, Conv2d, MaxPool2d, AvgPool2d (2), Flatten (2),
Dropout (2), BatchNorm1d (2), BatchNorm2d (12 bugs); losses MSELoss (2), BCELoss (2), BCEWithLogitsLoss,
CrossEntropyLoss (2), HingeLoss (2) (9 bugs).

Checks: every edit applies once and its module imports; ids are new and unique; every ``expect`` tag is in the
existing vocabulary; no textual copy (``_changes``). A script (in /tmp, not in the repo) loaded the reference
package three times per bug (reference, bug, bug with its slip undone) and compared, over two forward/backward steps
(the second with a new input), forward output, the caller's input and upstream arrays after the call, input
gradient, a second backward call, parameter gradients and running buffers, then an evaluation forward and backward;
losses: value, two backward calls, input and target afterwards. Inputs: activations on (4, 5), (2, 3, 4) and
(2, 3, 4, 2) normal inputs (scale 2, every fifth entry 0), LeakyReLU slope 0.01 and 0.2, ELU alpha 1, 0.7 and 1.5,
GELU exact and tanh, Softplus beta 1, 2 and (0.5, threshold 5), Softmax and LogSoftmax with dim -1, 0 and 1, PReLU
shared (init 0.4), 3 channels on (2, 3, 4, 2) and 5 on (4, 5), Maxout (5, 4, 3), (5, 4, 2), (3, 3, 1) on 6 samples;
Linear 5 -> 3 and 5 -> 5 with and without bias; Conv2d on (2, 3, 6, 7): 3x3, (2, 3) with stride (2, 1) and padding
(1, 2), 3x3 stride 2 padding 1, 2x2 stride 2, 3x3 padding 1 without bias; pooling on (2, 3, 6, 7) (and a rounded,
ReLU-clipped input with ties): 2, 3 stride 2, (3, 2) stride (2, 1), 3 stride 1, (2, 3); Flatten on (2, 3, 6, 7),
(1, 3, 2) then (4, 3, 2), (4, 1), (2, 3, 4) then (2, 4, 3); Dropout p = 0.3, 0.5, 0 and 1 with a seeded rng;
BatchNorm1d on (8, 3) and (4, 3, 5), BatchNorm2d on (4, 3, 5, 6) and (2, 3, 2, 2), momentum 0.1 and 0.3, default and
(1.5, 0.5, -0.8) / (0.1, -0.2, 0.3) affine parameters; MSE on (5, 3) and (4,); BCE on soft and hard targets (6, 3)
and on (6,); BCE-with-logits (scale 3) on (6, 3) and (5,); cross-entropy and hinge (margin 1 and 0.7) on (6, 4) and
(3, 5). Every undone slip matched the reference on every configuration; every bug changed a result on at least one
(most on all). Some need the configuration their mistake is about: a second backward before zero_grad (PReLU per
channel, Linear, cross-entropy, hinge's mask), overlapping windows (col2im, max pooling), stride != kernel (average
pooling's origin), a 2-D input with more than one column (MSE and BCE-with-logits over rows, BCE's 1/N), alpha != 1
(ELU), an input of exactly 0 (Step), a second batch of another shape (Flatten's first-call shape; a crash when the
size changes), evaluation after training (Dropout's stale mask, BatchNorm2d), a float64 input (the in-place ones).
The ``expect`` tags and ``phrases`` were chosen from the misconception alone, before any grading, from the existing
vocabulary. Ids start with ``hsah-``.

Blind rate (graded in the sandbox, isolated, before anybody read the feedback; set AG had been taught):
33/39 named (85 %), 39 caught, 8 flagged with another bug class's tag: 4 the right diagnosis under another name
(GELU's density exponent, Maxout's bias summed as a Linear layer's, Dropout's early return in evaluation, BCE with
logits divided by len), 1 right but imprecise (Identity's flat gradient read as squeezed on a batch of 1, ravel named
beside squeeze) and 3 wrong claims (the sigmoid and tanh written through each other, their chain rule's factor 2 read
as a batch size on a batch of 2; BCE's wrong sign trained the network to nan and the nan was read as valid input
refused by the student's own check).
The whole set: 69/76 named (91 %), 76 caught, 9 flagged, 5 the right diagnosis under another tag, 1 imprecise and 3
wrong claims (66/76 named with no wrong claim, 87 %); the second half: 36/37, 37 caught, 1 flagged (right).
Taught afterwards, by three helpers (the classes, not the edits; each with catalogue mutants of its own): the whole
set caught and named, 0 misleading.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hsah-")  # set AH

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
# im2col with one ROW per output position (n, p, q), filled by a loop, as many course notebooks write it.
_ROW_CONV_FORWARD = (
    "        xp = np.pad(x, ((0, 0), (0, 0), (pH, pH), (pW, pW)))\n"
    "        rows = np.empty((N * Ho * Wo, C * kH * kW))\n"
    "        r = 0\n"
    "        for n in range(N):\n"
    "            for p in range(Ho):\n"
    "                for q in range(Wo):\n"
    "                    rows[r] = xp[n, :, p * sH:p * sH + kH, q * sW:q * sW + kW].ravel()\n"
    "                    r += 1\n"
    "        self._rows = rows\n"
    "        self._xp_shape = xp.shape\n"
    "        out = rows @ self.weight.data.reshape(self.out_channels, -1).T  # (N*H'*W', F)\n"
    "        if self.bias is not None:\n"
    "            out += self.bias.data\n"
    "        y = out.reshape(N, Ho, Wo, self.out_channels).transpose(0, 3, 1, 2)\n"
)
_ROW_CONV_BACKWARD = (
    "        sH, sW = self.stride\n"
    "        G = grad_y.transpose(0, 2, 3, 1).reshape(-1, F)  # row (n, p, q), as rows\n"
    "        self.weight.grad += (G.T @ self._rows).reshape(self.weight.shape)\n"
    "        if self.bias is not None:\n"
    "            self.bias.grad += G.sum(axis=0)\n"
    "        drows = G @ self.weight.data.reshape(F, -1)\n"
    "        grad_xp = np.zeros(self._xp_shape)\n"
    "        r = 0\n"
    "        for n in range(N):\n"
    "            for p in range(Ho):\n"
    "                for q in range(Wo):\n"
    "                    patch = drows[r].reshape(self.in_channels, kH, kW)\n"
    "                    grad_xp[n, :, p * sH:p * sH + kH, q * sW:q * sW + kW] = patch\n"
    "                    r += 1\n"
    "        H, W = self._xp_shape[2] - 2 * pH, self._xp_shape[3] - 2 * pW\n"
    "        grad_x = grad_xp[:, :, pH:pH + H, pW:pW + W]\n"
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
_BN_RUNNING = (
    "        if self.training:\n"
    "            mean = x.mean(axis=axes)\n"
    "            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch\n"
    "            m = self.momentum\n"
    "            self.running_mean *= 1.0 - m\n"
    "            self.running_mean += m * mean\n"
    "            self.running_var *= 1.0 - m\n"
    "            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate\n"
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

LAYERS = [
    fresh(
        "hsah-linear-einsum-grads-assigned",
        "layers.Linear",
        "backward written with np.einsum ('nm,nd->md' for the weight, 'nm->m' for the bias, 'nm,md->nd' for "
        "grad_x), but the parameter gradients are assigned (self.weight.grad = ..., self.bias.grad = ...) "
        "instead of accumulated with +=, so a second backward before zero_grad replaces the first",
        (
            "        self.weight.grad += grad_y.T @ self._x\n"
            "        if self.bias is not None:\n"
            "            self.bias.grad += grad_y.sum(axis=0)\n"
            "        grad_x = grad_y @ self.weight.data\n",
            '        self.weight.grad = np.einsum("nm,nd->md", grad_y, self._x)\n'
            "        if self.bias is not None:\n"
            '            self.bias.grad = np.einsum("nm->m", grad_y)\n'
            '        grad_x = np.einsum("nm,md->nd", grad_y, self.weight.data)\n',
        ),
        expect=("assigned-not-accumulated", "grad-overwritten"),
        phrases=("accumulate",),
    ),
    fresh(
        "hsah-conv-row-im2col-col2im-assigned",
        "layers.Conv2d",
        "im2col with one row per output position filled by a loop, and col2im as the same loop writing each "
        "row's patch back with grad_xp[n, :, window] = patch: where windows overlap (stride < kernel) the later "
        "window overwrites the earlier one's gradient instead of adding to it (+=)",
        span("layers", (_CONV_FORWARD, _ROW_CONV_FORWARD), (_CONV_BACKWARD, _ROW_CONV_BACKWARD)),
        expect=("overlap-overwritten", "assigned-not-accumulated"),
        phrases=("overlap",),
    ),
    fresh(
        "hsah-maxpool-loop-argmax-assigned",
        "layers.MaxPool2d",
        "forward as a loop over output positions (window.max over axes 2, 3), saving the input; backward loops "
        "over samples, channels and positions, decodes each window's argmax with divmod(idx, kW) and ASSIGNS "
        "grad_x[n, c, hs + a, ws + b] = grad_y[n, c, p, q]: where windows overlap (stride < kernel) and one entry "
        "is the maximum of two windows, the later window's gradient replaces the earlier one's instead of adding",
        span(
            "layers",
            (
                _MAXPOOL_FORWARD,
                "        N, C = x.shape[:2]\n"
                "        Ho, Wo = self._y_shape[2:]\n"
                "        self._x = x\n"
                "        y = np.empty((N, C, Ho, Wo))\n"
                "        for p in range(Ho):\n"
                "            for q in range(Wo):\n"
                "                y[:, :, p, q] = x[:, :, p * sH:p * sH + kH, q * sW:q * sW + kW].max(axis=(2, 3))\n",
            ),
            (
                _MAXPOOL_BACKWARD,
                "        x = self._x\n"
                "        grad_x = np.zeros_like(x)\n"
                "        for n in range(x.shape[0]):\n"
                "            for c in range(x.shape[1]):\n"
                "                for p in range(Ho):\n"
                "                    for q in range(Wo):\n"
                "                        hs, ws = p * sH, q * sW\n"
                "                        window = x[n, c, hs:hs + kH, ws:ws + kW]\n"
                "                        a, b = divmod(int(np.argmax(window)), kW)\n"
                "                        grad_x[n, c, hs + a, ws + b] = grad_y[n, c, p, q]\n",
            ),
        ),
        expect=("overlap-overwritten", "assigned-not-accumulated"),
        phrases=("overlap",),
    ),
    fresh(
        "hsah-avgpool-loop-window-origin-by-kernel",
        "layers.AvgPool2d",
        "forward as a loop over output positions with the window origin at (p * kH, q * kW): the kernel size "
        "stands for the stride, which is only right for the default stride = kernel; with any other stride the "
        "windows are taken from the wrong places (and cut short at the border)",
        (
            _AVGPOOL_FORWARD,
            "        N, C = x.shape[:2]\n"
            "        Ho, Wo = self._y_shape[2:]\n"
            "        self._x_shape = x.shape\n"
            "        y = np.zeros((N, C, Ho, Wo))\n"
            "        for p in range(Ho):\n"
            "            for q in range(Wo):\n"
            "                hs, ws = p * kH, q * kW\n"
            "                y[:, :, p, q] = x[:, :, hs:hs + kH, ws:ws + kW].mean(axis=(2, 3))\n",
        ),
        expect=("stride-is-kernel", "kernel-stride-confused", "stride-ignored"),
        phrases=("stride",),
    ),
    fresh(
        "hsah-avgpool-loop-divided-then-multiplied",
        "layers.AvgPool2d",
        "backward as a loop over output positions adding grad_y[:, :, p:p+1, q:q+1] / kH * kW to each window: "
        "by precedence that is (g / kH) * kW, not g / (kH * kW), so the share is wrong (for a square kernel it "
        "is not divided at all)",
        (
            _AVGPOOL_BACKWARD,
            "        grad_x = np.zeros(self._x_shape)\n"
            "        for p in range(Ho):\n"
            "            for q in range(Wo):\n"
            "                hs, ws = p * sH, q * sW\n"
            "                grad_x[:, :, hs:hs + kH, ws:ws + kW] += grad_y[:, :, p:p + 1, q:q + 1] / kH * kW\n",
        ),
        expect=("operator-precedence", "avgpool-divisor"),
        phrases=("precedence",),
    ),
    fresh(
        "hsah-flatten-moveaxis-channels-last",
        "layers.Flatten",
        "a Keras habit: forward moves the channel axis to the end (np.moveaxis(x, 1, -1)) before reshaping, and "
        "backward undoes it consistently; the features come out in channels-last order instead of PyTorch's "
        "row-major (C, H, W) order, so the next Linear layer sees them permuted",
        span(
            "layers",
            (
                "        self._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
                "        self._x_shape = x.shape\n"
                "        moved = np.moveaxis(x, 1, -1)  # channels last, as Keras flattens\n"
                "        self._moved_shape = moved.shape\n"
                "        y = moved.reshape(self._y_shape)\n",
            ),
            (
                "        grad_x = grad_y.reshape(self._x_shape)\n",
                "        grad_x = np.moveaxis(grad_y.reshape(self._moved_shape), -1, 1)\n",
            ),
        ),
        expect=("flatten-channels-last", "channels-last-layout"),
        phrases=("channel",),
    ),
    fresh(
        "hsah-flatten-shape-saved-once",
        "layers.Flatten",
        "forward saves the input shape only on the first call (if not hasattr(self, '_x_shape'), 'the shape is "
        "fixed once the network is built'): a later batch of another size or shape is reshaped back to the first "
        "batch's shape in backward",
        (
            "        self._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
            '        if not hasattr(self, "_x_shape"):  # fixed once the network is built\n'
            "            self._x_shape = x.shape\n"
            "        y = x.reshape(x.shape[0], -1)\n",
        ),
        expect=("cached-first-call", "state-kept-between-calls", "saved-state-stale"),
        phrases=("first call",),
    ),
    fresh(
        "hsah-dropout-inverted-and-eval-scaled",
        "layers.Dropout",
        "training is inverted dropout (survivors scaled by 1/(1-p)), but evaluation also multiplies by 1 - p, "
        "the test-time rule of the original, non-inverted dropout: the two conventions are mixed and the "
        "evaluation output is shrunk (it must be x unchanged)",
        (
            "        if self.training:\n"
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n"
            "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n"
            "            self._mask = keep * scale\n"
            "            y = x * self._mask\n"
            "        else:\n"
            "            self._mask = None\n"
            "            y = x\n",
            "        if self.training:\n"
            "            keep = self.rng.random(x.shape) >= self.p\n"
            "            self._mask = keep / (1.0 - self.p) if self.p < 1.0 else np.zeros(x.shape)\n"
            "            y = x * self._mask\n"
            "        else:\n"
            "            self._mask = None\n"
            "            y = x * (1.0 - self.p)  # the expected value at test time\n",
        ),
        expect=("dropout-eval-scaled", "dropout-multiplied-by-keep-probability"),
        phrases=("evaluation",),
    ),
    fresh(
        "hsah-dropout-eval-early-return-keeps-mask",
        "layers.Dropout",
        "forward rewritten with an early return in evaluation, if not self.training: return x, which leaves the "
        "training call's self._mask in place: backward in evaluation still multiplies by the old mask (it must "
        "set self._mask = None, or backward must check the mode)",
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
            "            return x\n"
            "        keep = self.rng.random(x.shape) >= self.p\n"
            "        self._mask = keep / (1.0 - self.p) if self.p < 1.0 else np.zeros(x.shape)\n"
            "        y = x * self._mask\n",
        ),
        # the last tag added after reading output
        expect=("dropout-stale-mask", "saved-state-stale", "train-eval", "saved-none"),
        phrases=("mask",),
    ),
    fresh(
        "hsah-bn1d-keras-momentum-convention",
        "layers.BatchNorm1d",
        "the running statistics written as running = momentum * running + (1 - momentum) * batch: Keras's "
        "convention, where momentum is the weight of the OLD value; PyTorch's momentum (0.1) is the weight of "
        "the new batch, so the buffers barely move towards the batch",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        _BN_RUNNING,
                        "        if self.training:\n"
                        "            mean = x.mean(axis=axes)\n"
                        "            var = ((x - mean.reshape(shape)) ** 2).mean(axis=axes)\n"
                        "            unbiased = var * count / (count - 1)\n"
                        "            # exponential moving average of the batch statistics\n"
                        "            mom = self.momentum\n"
                        "            self.running_mean = mom * self.running_mean + (1.0 - mom) * mean\n"
                        "            self.running_var = mom * self.running_var + (1.0 - mom) * unbiased\n",
                    )
                ]
            },
        ),
        expect=("bn-momentum-convention", "bn-momentum-swapped"),
        phrases=("momentum",),
    ),
    fresh(
        "hsah-bn1d-normalises-input-in-place",
        "layers.BatchNorm1d",
        "forward normalises without a copy, x -= mean; x *= inv_std; self._x_hat = x: x is the caller's array "
        "(as_float_array does not copy float64 input), so the caller's batch is overwritten with x_hat",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        "        self._x_hat = (x - mean.reshape(shape)) * self._inv_std\n",
                        "        x -= mean.reshape(shape)  # centre in place: no copy of the batch\n"
                        "        x *= self._inv_std\n"
                        "        self._x_hat = x\n",
                    )
                ]
            },
        ),
        expect=("modifies-input", "aliasing"),
        phrases=("in place",),
    ),
    fresh(
        "hsah-bn2d-compact-backward-in-eval",
        "layers.BatchNorm2d",
        "backward as the compact CS231n formula (inv_std / m) * (m dx_hat - sum(dx_hat) - x_hat sum(dx_hat x_hat)) "
        "with m = N*H*W, applied whatever the mode: in evaluation the running statistics are constants, so "
        "grad_x is just dx_hat * inv_std, without the batch terms",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        _BN_BACKWARD,
                        "        x_hat, inv_std = self._x_hat, self._inv_std\n"
                        "        m = grad_y.size // self.num_features  # N * H * W values per channel\n"
                        "        self.bias.grad += grad_y.sum(axis=axes)\n"
                        "        self.weight.grad += (grad_y * x_hat).sum(axis=axes)\n"
                        "        dx_hat = grad_y * self.weight.data.reshape(shape)\n"
                        "        # the compact CS231n form\n"
                        "        grad_x = (inv_std / m) * (\n"
                        "            m * dx_hat\n"
                        "            - dx_hat.sum(axis=axes, keepdims=True)\n"
                        "            - x_hat * (dx_hat * x_hat).sum(axis=axes, keepdims=True)\n"
                        "        )\n",
                    )
                ]
            },
        ),
        expect=("bn-eval-backward-batch-terms", "train-eval"),
        phrases=("evaluation",),
    ),
]
ACTIVATIONS = [
    fresh(
        "hsah-identity-jacobian-matrix-flat",
        "activations.Identity",
        "a Jacobian-minded backward: grad_x = J.T @ grad_y with J = np.eye(size) applied to grad_y.ravel(), and the "
        "product returned as it is, a flat (size,) vector instead of reshaped to grad_y's (the input's) shape",
        (
            '        grad_y = as_float_array(grad_y, "grad_y")\n        ### BEGIN SOLUTION\n        return grad_y\n',
            '        grad_y = as_float_array(grad_y, "grad_y")\n        ### BEGIN SOLUTION\n'
            "        # dy/dx is the identity matrix: grad_x = J.T @ grad_y\n"
            "        g = grad_y.ravel()\n"
            "        J = np.eye(g.size)\n"
            "        return J.T @ g\n",
        ),
        expect=("gradient-not-shaped-like-input", "wrong-shape"),
        phrases=("shape",),
    ),
    fresh(
        "hsah-step-from-sign-half-at-zero",
        "activations.Step",
        "the step written from the sign function as (sign(x) + 1) / 2: sign(0) = 0, so an input of exactly 0 gives "
        "0.5 instead of the step's 0 (the step is 1 only for x > 0)",
        (
            "        return (x > 0).astype(np.float64)\n",
            "        return 0.5 * (np.sign(x) + 1.0)\n",
        ),
        expect=("kink-value", "step-at-zero"),
        phrases=("0.5",),
    ),
    fresh(
        "hsah-sigmoid-tanh-form-inner-half-dropped",
        "activations.Sigmoid",
        "the sigmoid written through tanh, y = (1 + tanh(x/2)) / 2 with t = tanh(x/2) saved; the backward "
        "differentiates it as (1 - t^2) / 2 and forgets the chain rule's inner factor 1/2 of x/2: the derivative "
        "is twice the true y (1 - y) = (1 - t^2) / 4",
        span(
            "activations",
            (
                "        z = np.exp(-np.abs(x))\n"
                "        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n"
                "        return self._y\n",
                "        # sigmoid(x) = (1 + tanh(x / 2)) / 2: tanh never overflows\n"
                "        self._t = np.tanh(0.5 * x)\n"
                "        return 0.5 * (1.0 + self._t)\n",
            ),
            (
                "        return grad_y * self._y * (1.0 - self._y)\n",
                "        # d/dx of (1 + tanh(x / 2)) / 2\n        return grad_y * 0.5 * (1.0 - self._t**2)\n",
            ),
        ),
        expect=("chain-rule-inner-derivative", "derivative-wrong-form", "formula-constant"),
        phrases=("1/2",),
    ),
    fresh(
        "hsah-tanh-via-sigmoid-chain-factor-two",
        "activations.Tanh",
        "tanh written as 2 sigmoid(2x) - 1 with a stable sigmoid s = sigmoid(2x) saved; the backward is "
        "2 s (1 - s): the derivative of 2 s(2x) - 1 is 2 * 2 * s (1 - s), the inner 2 of sigmoid(2x) is lost, "
        "so the gradient is half of 1 - y^2",
        span(
            "activations",
            (
                "        self._y = np.tanh(x)\n        return self._y\n",
                "        # tanh(x) = 2 sigmoid(2x) - 1, with the stable sigmoid\n"
                "        z = np.exp(-np.abs(2.0 * x))\n"
                "        self._s = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n"
                "        return 2.0 * self._s - 1.0\n",
            ),
            (
                "        return grad_y * (1.0 - self._y * self._y)\n",
                "        s = self._s\n        return grad_y * 2.0 * s * (1.0 - s)\n",
            ),
        ),
        expect=("chain-rule-inner-derivative", "derivative-wrong-form", "formula-constant"),
        phrases=("chain rule",),
    ),
    fresh(
        "hsah-tanh-cosh-of-rebound-output",
        "activations.Tanh",
        "backward as grad_y / cosh(x)^2 from a saved self._x, but forward rebinds x = np.tanh(x) before saving "
        "it: the saved 'input' is the output, so the derivative is evaluated at tanh(x) instead of x",
        span(
            "activations",
            (
                "        self._y = np.tanh(x)\n        return self._y\n",
                "        x = np.tanh(x)\n        self._x = x\n        return x\n",
            ),
            (
                "        return grad_y * (1.0 - self._y * self._y)\n",
                "        return grad_y / np.cosh(self._x) ** 2\n",
            ),
        ),
        expect=("saved-output-not-input", "derivative-at-output"),
        phrases=("output",),
    ),
    fresh(
        "hsah-relu-clamps-input-in-place",
        "activations.ReLU",
        "forward clamps with out = x; out[out < 0] = 0: out is the caller's array itself, so the negative entries "
        "of the caller's input are overwritten with zeros (and the output aliases the input); it needs x.copy()",
        (
            "        self._mask = x > 0\n        return np.where(self._mask, x, 0.0)\n",
            "        out = x\n        out[out < 0] = 0.0\n        self._mask = out > 0\n        return out\n",
        ),
        expect=("modifies-input", "aliasing"),
        phrases=("in place",),
    ),
    fresh(
        "hsah-relu-derivative-as-sign",
        "activations.ReLU",
        "forward saves the derivative as np.sign(x) and backward multiplies grad_y by it: the sign is -1 for "
        "negative inputs, so they pass -grad_y where ReLU's derivative is 0 (it is 1 for x > 0, 0 otherwise)",
        span(
            "activations",
            (
                "        self._mask = x > 0\n        return np.where(self._mask, x, 0.0)\n",
                "        self._d = np.sign(x)  # relu'(x)\n        return np.maximum(x, 0.0)\n",
            ),
            (
                "        return np.where(self._mask, grad_y, 0.0)\n",
                "        return grad_y * self._d\n",
            ),
        ),
        expect=("derivative-is-sign", "negative-branch-ignored"),
        phrases=("negative",),
    ),
    fresh(
        "hsah-leakyrelu-backward-scales-upstream-in-place",
        "activations.LeakyReLU",
        "backward takes grad_x = grad_y and scales grad_x[x <= 0] *= slope in place: grad_x is the caller's "
        "upstream gradient array, which is modified (calling backward twice scales it twice); it needs a copy",
        (
            "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
            "        grad_x = grad_y\n        grad_x[self._x <= 0] *= self.negative_slope\n        return grad_x\n",
        ),
        expect=("modifies-input", "aliasing", "modifies-grad"),
        phrases=("in place",),
    ),
    fresh(
        "hsah-prelu-channel-loop-grad-assigned",
        "activations.PReLU",
        "backward rewritten with boolean masks and a loop over channels for the per-channel slopes; inside the "
        "loop the slope gradient is assigned, self.weight.grad[c] = ..., instead of accumulated with +=, so a "
        "second backward before zero_grad loses the first one's contribution (the shared slope uses += correctly)",
        (
            "        negative = self._x <= 0\n"
            "        contribution = np.where(negative, grad_y * self._x, 0.0)\n"
            "        if self.num_parameters == 1:\n"
            "            self.weight.grad += contribution.sum()\n"
            "        else:  # sum over every axis but the channel axis\n"
            "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))\n"
            "        return np.where(negative, self._a * grad_y, grad_y)\n",
            "        x, a = self._x, self._a\n"
            "        neg = x <= 0\n"
            "        if self.num_parameters == 1:\n"
            "            self.weight.grad += np.sum(grad_y[neg] * x[neg])\n"
            "        else:\n"
            "            for c in range(self.num_parameters):\n"
            "                xc, gc, nc = x[:, c], grad_y[:, c], neg[:, c]\n"
            "                self.weight.grad[c] = np.sum(gc[nc] * xc[nc])\n"
            "        return np.where(neg, a * grad_y, grad_y)\n",
        ),
        expect=("assigned-not-accumulated", "grad-overwritten"),
        phrases=("accumulate",),
    ),
    fresh(
        "hsah-elu-slope-from-output-plus-one",
        "activations.ELU",
        "forward saves the output y and backward writes the negative branch's slope alpha e^x from it as y + 1: "
        "that is alpha e^x only for alpha = 1; in general it is y + alpha",
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
                "        # negative branch: alpha e^x, written from the saved output\n"
                "        y = self._y\n"
                "        return np.where(y > 0, grad_y, grad_y * (y + 1.0))\n",
            ),
        ),
        expect=("alpha-ignored", "derivative-wrong-form", "hyperparameter-ignored"),
        phrases=("alpha",),
    ),
    fresh(
        "hsah-selu-written-out-slope-offset-unscaled",
        "activations.SELU",
        "SELU written out without the inner ELU, saving the output y = scale * ELU(x); backward writes the "
        "negative slope scale * alpha e^x from it as y + alpha, forgetting that y carries the scale: it must be "
        "y + scale * alpha",
        span(
            "activations",
            (
                "        return self.scale * self._elu.forward(x)\n",
                "        neg = self.alpha * np.expm1(np.minimum(x, 0.0))\n"
                "        self._y = self.scale * np.where(x > 0, x, neg)\n"
                "        return self._y\n",
            ),
            (
                "        return self._elu.backward(self.scale * grad_y)\n",
                "        # x <= 0: dy/dx = scale * alpha * e^x, from the output\n"
                "        y = self._y\n"
                "        return grad_y * np.where(y > 0, self.scale, y + self.alpha)\n",
            ),
        ),
        # added after reading output (tag-vocabulary audit): negative-branch-wrong
        expect=("selu-missing-scale", "derivative-wrong-form", "negative-branch-wrong"),
        phrases=("scale",),
    ),
    fresh(
        "hsah-gelu-density-without-half",
        "activations.GELU",
        "the exact backward writes the normal density as np.exp(-x**2) / sqrt(2 pi): the exponent of the standard "
        "normal density is -x^2 / 2, so phi(x) is wrong for every x != 0",
        (
            "        xc = np.clip(self._x, -40.0, 40.0)\n"
            "        pdf = INV_SQRT_2PI * np.exp(-0.5 * xc * xc)\n"
            "        return grad_y * (self._cdf + xc * pdf)\n",
            "        x = self._x\n"
            "        phi = np.exp(-x**2) / math.sqrt(2.0 * math.pi)  # the normal density\n"
            "        return grad_y * (self._cdf + x * phi)\n",
        ),
        expect=("gelu-pdf-exponent", "formula-constant"),  # the last tag added after reading output
        phrases=("density",),
    ),
    fresh(
        "hsah-silu-own-sigmoid-y-for-x",
        "activations.SiLU",
        "SiLU with its own stable sigmoid s, saving x, s and y = x s; the product rule is written "
        "s (1 + y (1 - s)) with the output y where the input x belongs (s (1 + x (1 - s)))",
        span(
            "activations",
            (
                "        self._x = x\n        self._s = self._sigmoid.forward(x)\n        return x * self._s\n",
                "        s = np.exp(-np.logaddexp(0.0, -x))  # sigmoid, stable\n"
                "        self._x, self._s = x, s\n"
                "        self._y = x * s\n"
                "        return self._y\n",
            ),
            (
                "        s = self._s\n        return grad_y * (s + self._x * s * (1.0 - s))\n",
                "        s, y = self._s, self._y\n        return grad_y * s * (1.0 + y * (1.0 - s))\n",
            ),
        ),
        expect=("saved-output-not-input", "derivative-wrong-form"),
        phrases=("output",),
    ),
    fresh(
        "hsah-softplus-logaddexp-sigmoid-sign",
        "activations.Softplus",
        "softplus through np.logaddexp(0, beta x) / beta, saving z = beta x; backward writes sigmoid(z) as "
        "exp(-logaddexp(0, z)), which is 1 / (1 + e^z) = sigmoid(-z): the sign inside is flipped "
        "(it must be exp(-logaddexp(0, -z)))",
        span(
            "activations",
            (
                "        z = self.beta * x\n"
                "        self._linear = z > self.threshold\n"
                "        self._s = self._sigmoid.forward(z)\n"
                "        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / self.beta\n"
                "        return np.where(self._linear, x, soft)\n",
                "        z = self.beta * x\n"
                "        self._z = z\n"
                "        soft = np.logaddexp(0.0, z) / self.beta\n"
                "        return np.where(z > self.threshold, x, soft)\n",
            ),
            (
                "        return np.where(self._linear, grad_y, grad_y * self._s)\n",
                "        z = self._z\n"
                "        s = np.exp(-np.logaddexp(0.0, z))  # sigmoid(z) = 1 / (1 + e^-z)\n"
                "        return np.where(z > self.threshold, grad_y, grad_y * s)\n",
            ),
        ),
        expect=("sigmoid-exponent-sign", "sign-flipped", "exponent-sign"),  # the last tag added after reading output
        phrases=("sign",),
    ),
    fresh(
        "hsah-softmax-row-jacobian-diagonal-only",
        "activations.Softmax",
        "backward builds the Jacobian row by row (moveaxis to the end, reshape to rows, J @ g per row, moved "
        "back), but J is np.diag(y * (1 - y)): only the diagonal; the off-diagonal -y_i y_j terms of "
        "diag(y) - outer(y, y) are missing",
        (
            "        y = self._y\n        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
            "        y = np.moveaxis(self._y, self.dim, -1)\n"
            "        g = np.moveaxis(grad_y, self.dim, -1)\n"
            "        rows_y = y.reshape(-1, y.shape[-1])\n"
            "        rows_g = g.reshape(-1, g.shape[-1])\n"
            "        out = np.empty_like(rows_g)\n"
            "        for r in range(rows_y.shape[0]):\n"
            "            yr = rows_y[r]\n"
            "            J = np.diag(yr * (1.0 - yr))  # dy_i/dx_i = y_i (1 - y_i)\n"
            "            out[r] = J @ rows_g[r]\n"
            "        return np.moveaxis(out.reshape(g.shape), -1, self.dim)\n",
        ),
        expect=("softmax-diagonal-only", "jacobian-term-wrong"),
        phrases=("off-diagonal",),
    ),
    fresh(
        "hsah-logsoftmax-logsumexp-max-not-added-back",
        "activations.LogSoftmax",
        "forward computes logsumexp as log(sum(exp(x - m))) with the row maximum m and returns x - lse, forgetting "
        "to add m back (logsumexp(x) = m + log sum exp(x - m)): the output is shifted by m, and so is the saved "
        "p = exp(y), which no longer sums to 1",
        (
            "        shifted = x - np.max(x, axis=self.dim, keepdims=True)\n"
            "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
            "        m = np.max(x, axis=self.dim, keepdims=True)\n"
            "        lse = np.log(np.sum(np.exp(x - m), axis=self.dim, keepdims=True))\n"
            "        y = x - lse\n",
        ),
        expect=("logsumexp-shift-not-restored",),
        phrases=("maximum",),
    ),
    fresh(
        "hsah-logsoftmax-backward-total-of-batch",
        "activations.LogSoftmax",
        "backward written as grad_y - p * s with s = np.sum(grad_y), the sum of the whole upstream array instead "
        "of the sum along dim per row (keepdims), so every row is corrected with the total of every row",
        (
            "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
            "        # grad_x_j = grad_y_j - p_j * sum_i grad_y_i\n"
            "        s = np.sum(grad_y)\n"
            "        return grad_y - self._p * s\n",
        ),
        expect=("reduction-over-whole-array",),
        phrases=("axis",),
    ),
    fresh(
        "hsah-maxout-piece-loop-bias-from-every-sample",
        "activations.Maxout",
        "backward as a loop over the pieces with g = grad_y * (argmax == k), the winners' gradient; the weight "
        "gradient and grad_x use g, but the bias gradient of piece k is grad_y.sum(axis=0), so every piece's bias "
        "collects the gradient of samples it did not win",
        (
            "        won = self._argmax[:, None, :] == np.arange(self.pieces)[None, :, None]\n"
            "        grad_z = np.where(won, grad_y[:, None, :], 0.0)  # (N, K, M)\n"
            '        self.weight.grad += np.einsum("nkj,nd->kjd", grad_z, self._x)\n'
            "        self.bias.grad += grad_z.sum(axis=0)\n"
            '        return np.einsum("nkj,kjd->nd", grad_z, self.weight.data)\n',
            "        x, W = self._x, self.weight.data\n"
            "        grad_x = np.zeros_like(x)\n"
            "        for k in range(self.pieces):\n"
            "            g = grad_y * (self._argmax == k)  # (N, M): where piece k won\n"
            "            self.weight.grad[k] += g.T @ x\n"
            "            self.bias.grad[k] += grad_y.sum(axis=0)\n"
            "            grad_x += g @ W[k]\n"
            "        return grad_x\n",
        ),
        expect=(
            "maxout-grad-to-every-piece",
            "maxout-grad-to-losing-piece",
            "gradient-summed-over-wrong-axes",  # the last tag added after reading output
        ),
        phrases=("bias",),
    ),
]
LOSSES = [
    fresh(
        "hsah-mse-backward-over-rows",
        "losses.MSELoss",
        "forward saves x and t and averages over every entry (np.mean), but backward divides 2 (x - t) by "
        "x.shape[0], the number of rows: the gradient is that of the sum over each row averaged over the batch, "
        "not of the mean the forward computed (it must divide by x.size)",
        span(
            "losses",
            (
                "        self._diff = x - t\n        loss = np.mean(self._diff**2)\n",
                "        self._x, self._t = x, t\n        loss = np.mean(np.square(x - t))\n",
            ),
            (
                "        return 2.0 * self._diff / self._diff.size\n",
                "        N = self._x.shape[0]\n        return 2.0 * (self._x - self._t) / N\n",
            ),
        ),
        expect=("mse-grad-divided-by-batch", "divided-by-batch-size", "forward-backward-mismatch"),
        phrases=("size",),
    ),
    fresh(
        "hsah-mse-error-as-distance",
        "losses.MSELoss",
        "the error is saved as a distance, self._diff = np.abs(x - t), before squaring: the loss is unchanged, but "
        "backward's 2 * diff / M loses the sign, so a prediction below its target is pushed further down",
        (
            "        self._diff = x - t\n",
            "        self._diff = np.abs(x - t)  # the error, as a distance\n",
        ),
        expect=("sign-lost", "error-unsigned"),
        phrases=("sign",),
    ),
    fresh(
        "hsah-bce-quotient-rule-second-term-sign",
        "losses.BCELoss",
        "backward written from the two terms, dL/dp = (-t / p + (1 - t) / (1 - p)) / M, with the second term's "
        "sign flipped: the derivative of -(1 - t) log(1 - p) is +(1 - t) / (1 - p)",
        (
            "        p, t = self._p, self._t\n"
            "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
            "        p, t = self._p, self._t\n        return (-t / p - (1.0 - t) / (1.0 - p)) / p.size\n",
        ),
        expect=("bce-term-sign", "sign-flipped"),
        phrases=("sign",),
    ),
    fresh(
        "hsah-bce-forward-sum-over-rows",
        "losses.BCELoss",
        "forward rewritten with the clamped logs and the total divided by p.shape[0], the number of rows (the "
        "textbook 1/N): the loss is the sum over each row averaged over the batch, not the mean over every "
        "entry that the backward differentiates",
        (
            '        with np.errstate(divide="ignore"):  # log(0) = -inf, which the clamp turns into -100\n'
            "            log_p = np.maximum(np.log(p), LOG_CLAMP)\n"
            "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n"
            "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
            '        with np.errstate(divide="ignore"):\n'
            "            lp = np.maximum(np.log(p), LOG_CLAMP)\n"
            "            lq = np.maximum(np.log(1.0 - p), LOG_CLAMP)\n"
            "        ll = t * lp + (1.0 - t) * lq\n"
            "        loss = -np.sum(ll) / p.shape[0]\n",
        ),
        expect=("mean-over-batch-only", "divided-by-batch-size", "loss-denominator"),
        phrases=("mean",),
    ),
    fresh(
        "hsah-bcelogits-logaddexp-len-for-size",
        "losses.BCEWithLogitsLoss",
        "forward through np.logaddexp (loss mean(logaddexp(0, x) - x t), sigmoid as exp(-logaddexp(0, -x))); "
        "backward divides s - t by len(self._s), the length of the first axis, instead of the number of entries "
        "the forward averaged over",
        span(
            "losses",
            (
                "        z = np.exp(-np.abs(x))  # in (0, 1]: never overflows\n"
                "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n"
                "        self._s = np.where(x >= 0, 1.0, z) / (1.0 + z)\n"
                "        self._t = t\n",
                "        self._t = t\n"
                "        self._s = np.exp(-np.logaddexp(0.0, -x))  # sigmoid(x), stable\n"
                "        loss = np.mean(np.logaddexp(0.0, x) - x * t)\n",
            ),
            (
                "        return (self._s - self._t) / self._s.size\n",
                "        return (self._s - self._t) / len(self._s)\n",
            ),
        ),
        # the last tag added after reading output
        expect=("len-for-size", "divided-by-batch-size", "grad-divided-by-batch"),
        phrases=("size",),
    ),
    fresh(
        "hsah-ce-true-logprob-fancy-index-every-row",
        "losses.CrossEntropyLoss",
        "forward rewritten with the shifted log-softmax, but the true classes' log-probabilities are taken as "
        "log_probs[:, labels], an (N, N) block of every row's log-probability at every label, whose mean is "
        "not the loss; it must pair row n with label n, log_probs[np.arange(N), labels]",
        (
            "        N = x.shape[0]\n"
            "        # x - max is <= 0; it can overflow only to -inf (a logit 1e308 below the max),\n"
            "        # whose softmax weight is exactly 0 anyway.\n"
            '        with np.errstate(over="ignore"):\n'
            "            shifted = x - x.max(axis=1, keepdims=True)\n"
            "        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n"
            "        self._probs = np.exp(log_probs)\n"
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        z = x - x.max(axis=1, keepdims=True)\n"
            "        log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))\n"
            "        self._probs = np.exp(log_probs)\n"
            "        loss = -log_probs[:, self._labels].mean()\n",
        ),
        expect=("ce-fancy-index-all-rows", "fancy-index-every-row"),
        phrases=("row",),
    ),
    fresh(
        "hsah-ce-backward-subtracts-in-saved-probs",
        "losses.CrossEntropyLoss",
        "backward takes probs = self._probs without a copy and subtracts 1 at the true classes in place: the "
        "saved probabilities are changed, so a second backward (or anything reading them) subtracts again",
        (
            "        N = self._probs.shape[0]\n"
            "        grad = self._probs.copy()\n"
            "        grad[np.arange(N), self._labels] -= 1.0\n"
            "        return grad / N\n",
            "        probs = self._probs\n"
            "        N = len(probs)\n"
            "        probs[np.arange(N), self._labels] -= 1.0  # p - onehot\n"
            "        return probs / N\n",
        ),
        expect=("backward-mutates-saved-state", "aliasing"),
        phrases=("copy",),
    ),
    fresh(
        "hsah-hinge-cs231n-active-inclusive",
        "losses.HingeLoss",
        "forward in CS231n's svm_loss_vectorized style (margins = maximum(0, x - correct + margin), the true class "
        "zeroed), with the active set taken as margins >= 0: after the clamp every entry is >= 0, so every class, "
        "the true class included, counts as active in the gradient (it must be margins > 0)",
        (
            "        rows = np.arange(x.shape[0])\n"
            "        slack = x - x[rows, self._labels][:, None] + self.margin\n"
            "        slack[rows, self._labels] = 0.0  # the true class is not compared with itself\n"
            "        self._active = (slack > 0).astype(np.float64)\n"
            "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n",
            "        N = x.shape[0]\n"
            "        rows = np.arange(N)\n"
            "        correct = x[rows, self._labels][:, None]\n"
            "        margins = np.maximum(0.0, x - correct + self.margin)\n"
            "        margins[rows, self._labels] = 0.0\n"
            "        self._active = (margins >= 0).astype(np.float64)\n"
            "        loss = margins.sum() / N\n",
        ),
        expect=("hinge-margin-inclusive", "hinge-counts-true-class"),
        phrases=("active",),
    ),
    fresh(
        "hsah-hinge-backward-writes-into-saved-mask",
        "losses.HingeLoss",
        "backward in CS231n's style, dx = self._active; dx[rows, labels] = -dx.sum(axis=1): dx is the saved "
        "0/1 array itself, so its true-class entries are overwritten; the first call is right, but a second "
        "backward sums the negative counts in and gives the true class 0",
        (
            "        N = self._active.shape[0]\n"
            "        grad = self._active.copy()\n"
            "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n"
            "        return grad / N\n",
            "        dx = self._active\n"
            "        N = dx.shape[0]\n"
            "        dx[np.arange(N), self._labels] = -dx.sum(axis=1)\n"
            "        return dx / N\n",
        ),
        expect=("backward-mutates-saved-state", "saved-state-overwritten"),
        phrases=("copy",),
    ),
]

FRESH_AH: list[Mutant] = [*ACTIVATIONS, *LAYERS, *LOSSES]
