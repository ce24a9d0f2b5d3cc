"""Held-apart set AF, first half (activations, layers and losses): realistic student bugs, written blind.

Set AF is written blind, in two halves by two helper sessions at the same time; this module is the activations, layers
and losses half (fresh_af2.py, the other half, was not read by this module's author). Written by a helper session
under a short deadline (about 45 minutes). Its goal is realism: the mistakes real students of a numpy deep-learning
course make, in the code they write (loops where the reference is vectorised, einsum, boolean masks, CS231n's staged
forms, PyTorch and Keras habits), rather than corner cases.

What the author read: reference/activations.py, layers.py and losses.py, docs/api.md, tests/heldout/_edits.py, the
module docstring and format of fresh_ae.py (and the opening of fresh_ae2.py's docstring), the ``expect`` tags of the
catalogue and of every held-apart set (for the tag vocabulary only), the ids and descriptions of the catalogue and of
``EVERY`` (searched by keyword per component), and of tests/test_feedback_generalisation.py only its FAMILIES and SETS
dicts and ``_changes``. What the author did not read: the diagnosis and grading code (graders/judging,
graders/reporting, graders/running, graders/selfcheck, graders/runner.py), nnlab/ beyond importing it,
tests/evidence.py, the feedback audit, the mistake, crash, diagnosis and feedback tests, benchmarks/, /work/tools/*
beyond its own brief, fresh_af2.py, and any grader feedback or output. None of these bugs was graded.

About 55 ideas were considered, 41 drafted and 40 written; 39 are kept. Dropped before writing: a tanh and a
BCE-with-logits written from exponentials (wrong only for large inputs, not on small ordinary ones), an off-by-one
padding slice pH:-pH (only crashes, at padding 0), np.pad with the (pH, pW) pairs misread (an as_strided view past the
padded array: unsafe), BCE clamped Keras-style at 1e-7 (no change on ordinary probabilities), LogSoftmax and Linear
slips that only crash on non-square shapes, and a Flatten shape cached on the first call (only crashes). One written
bug was replaced after the copy check: the Conv2d crop grad_xp[:, :, pH:H, pW:W] has the same ``_changes`` as
hb-conv-unpad-slice-ends-at-h; it became the einsum weight gradient with its output subscripts reversed.

Rewrites: 31 of the 39 rewrite a whole method, a function body or the im2col / col2im part of one in a student's own
style (ReLU forward and backward with a copy and an in-place mask, the sigmoid through boolean indexing, LeakyReLU with
a float mask, PReLU and BatchNorm2d with a loop over channels, ELU's derivative from the saved output, the GELU
derivative written out, Softmax's batch of Jacobians by broadcasting and einsum, LogSoftmax from an explicit
log-sum-exp, Maxout as one flattened matrix product, Softplus around bx, Linear's backward with a sample loop and with
einsum, im2col and col2im as loops over samples and positions, max pooling as a loop over window origins and as one
fancy-index scatter, average pooling forward and backward as position loops, Flatten ported from Keras, BatchNorm1d's
staged forward and staged backward, BatchNorm2d's backward with einsum and the compact formula, MSE twice, BCE's
backward term by term, BCE-with-logits through boolean masks, cross-entropy as a sample loop and through np.take, the
hinge loss with a boolean mask and CS231n's naive backward loop); the other 8 are edits of one to three lines (tanh's
derivative through sech^2, Conv2d's bias and weight gradients, Dropout's CS231n mask and its evaluation branch,
BatchNorm2d's per-channel reshape, BCE summed per sample, BCE-with-logits' len). Each has exactly one mistake (for
Flatten, the CS231n dropout, MSE by N, BCE per sample and BatchNorm2d's Keras momentum one misconception shows in two
consistent places).

Sharing, honestly: this half does NOT meet the brief's aim of at most half. By the author's keyword search of the
earlier ids and descriptions of the same component, about 30 of the 39 share an earlier bug's misconception (in new
code: a rewrite, another expression or another place), e.g. the ReLU upstream masked in place, PReLU's and Linear's
gradients assigned, GELU's x phi(x) dropped, LogSoftmax's unnormalised exponentials, Maxout's units-by-pieces reshape,
Softplus' sigmoid of x, the stride missing from im2col, col2im assigning, the conv bias gradient averaged and the weight
gradient transposed, max pooling's fancy-index +=, the average's divisor precedence, Flatten channels last, p as the
keep probability, evaluation scaled by 1 - p, the biased running variance, the staged dvar power, BatchNorm2d's
flattened rows and Keras momentum, MSE by N and with t - x, BCE per sample and its term sign, the stable softplus
without abs, len for size, cross-entropy picking every row, the hinge true class set to -1. About 9 were not found
among the earlier ids or descriptions of their component: tanh's sech^2 typed 1 / cosh(x^2), LeakyReLU's float-mask
slope pos + slope, ELU's slope y + alpha with alpha outside the product, Softmax's Jacobian broadcast with s_j as the
leading factor, max pooling's window-origin range ending at H - kH, the Conv2d weight gradient as an einsum with its
output subscripts reversed, BatchNorm2d's compact backward with gamma missing from the projection term, the
cross-entropy sample loop that returns the total, and the hinge mask cleared for every row's label columns.

Classes covered: aliasing (the caller's grad_y masked in place), formulas and derivatives (the sigmoid's negative
branch, sech^2, the float-mask slope, the product rule's x, the Jacobian's factor, the staged dvar power, the BCE term
sign, softplus without abs, the sigmoid of x for sigmoid(beta x)), precedence (y + alpha, / kH * kW), accumulation (=
for += in PReLU, Linear, col2im, the hinge true class; fancy-index += with repeated indices), reductions and
normalisers (the weight gradient and conv bias averaged, MSE and BCE over the batch only, len for size, the loss not
averaged, the unnormalised softmax), indices and shapes (the stride missing, windows stepped by the kernel, the range
end off by one, reshape order in Maxout and BatchNorm2d, einsum output order, np.take over every row, a mask cleared in
every row, channels last), caching (the unnormalised exponentials saved), hyper-parameters (p as keep probability,
Keras momentum, the biased running variance) and train/eval (evaluation scaled). Components: activations ReLU,
Sigmoid, Tanh, LeakyReLU, PReLU, ELU, GELU, Softmax, LogSoftmax, Maxout, Softplus (11 bugs); layers Linear (2),
Conv2d (4), MaxPool2d (2), AvgPool2d (2), Flatten, Dropout (2), BatchNorm1d (2), BatchNorm2d (3) (18 bugs); losses
MSELoss (2), BCELoss (2), BCEWithLogitsLoss (2), CrossEntropyLoss (2), HingeLoss (2) (10 bugs).

Checks: every edit applies and its module imports; no edit is a textual copy (same component and ``_changes``) of a
catalogue mutant or an earlier held-apart bug, and every id is new. The author's script ran each bug, and each bug with
its slip undone, beside the reference: forward output, input and upstream arrays unchanged, input gradient, a second
backward, parameter gradients over two forward/backward steps, running buffers over two training steps, and an
evaluation forward and backward. Inputs: activations on (4, 5), (2, 3, 4) and (2, 3, 4, 2) normal inputs (scale 2),
LeakyReLU slope 0.2, ELU alpha 0.7, GELU exact and tanh, Softplus beta 2 and beta 0.5 with threshold 3, Softmax and
LogSoftmax with dim -1, 0 and 1 on (3, 4, 5) and (4, 6), PReLU shared and per channel (init 0.4, slopes 0.1 to 0.6) on
(4, 3) and (2, 3, 4, 5), Maxout(5, 4) with 2 and 3 pieces; Linear (5 -> 3), (4 -> 4, no bias), (3 -> 6); Conv2d 3x3,
(2, 3) with stride (2, 1) and padding (1, 2), 3x3 with stride 2 and padding 1, 2x2 stride 2; pooling 2x2, 2x2 with a
remainder, (3, 2) with stride (2, 1), 3x3 with stride 1 and with stride 2; Flatten on 2-, 3- and 4-D input; Dropout at
p = 0.3, 0.5, 0 and 1 with a seeded rng; BatchNorm1d on (8, 3) and (4, 3, 5), BatchNorm2d on (4, 3, 5, 6) and
(2, 3, 2, 2), gamma (1.5, 0.5, -0.8), beta (0.1, -0.2, 0.3), momentum 0.1 and 0.3, eps 1e-5 and 1e-2; MSE on (5, 3),
(4,) and (2, 3, 4); BCE on hard and soft targets of shapes (6, 3) and (5,); BCE-with-logits (scale 3) on (6, 3) and
(5,); cross-entropy and hinge (margin 1 and 0.7) on (6, 4) and (3, 5). Every undone slip matched the reference on every
configuration; every bug changed a result on at least one and raised on none. Some need the configuration their
mistake is about: a stride other than the kernel (im2col, average-pooling backward), overlapping windows (col2im, the
fancy-index scatter), beta != 1 (Softplus), several outputs per sample (MSE by N, BCE per sample, len), p != 0
(Dropout's evaluation), gamma != 1 (BatchNorm2d's backward), per-channel slopes and a second backward (PReLU), images
with C > 1 (Flatten). The ``expect`` tags and ``phrases`` were decided from the misconception alone, before any grading,
from the existing vocabulary. Ids start with ``hsaf-``.

Blind rate (graded in the sandbox, isolated, before anybody read the feedback; the pool loops' bounds and the
read-only gradient marker had landed that session, written before this set was read):
34/39 named (87 %), 39 caught, 6 flagged with another bug class's tag, all 6 read as the right diagnosis under another
name (the sigmoid's mirrored branch, the CS231n mask divided by p, BatchNorm's dvar power read with the missing
inv_std it equals, three gradients divided by N where the mean runs over N*D) and none as a wrong claim.
The whole set: 69/76 named (91 %), 76 caught, 10 flagged, 9 the right diagnosis under another tag and 1 wrong claim
(68/76 named with no wrong claim, 89 %); the second half: 35/37, 37 caught, 4 flagged.
Taught afterwards, one component family per helper (the classes, not the edits; each with catalogue mutants of its
own): the whole set caught and named, 0 misleading.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hsaf-")  # set AF

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
    "        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n"
    "        self._probs = np.exp(log_probs)\n"
    "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n"
)
_HINGE_FORWARD = (
    "        rows = np.arange(x.shape[0])\n"
    "        slack = x - x[rows, self._labels][:, None] + self.margin\n"
    "        slack[rows, self._labels] = 0.0  # the true class is not compared with itself\n"
    "        self._active = (slack > 0).astype(np.float64)\n"
    "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n"
    "        return float(loss)\n"
)

ACTIVATIONS = [
    fresh(
        "hsaf-relu-backward-masks-upstream-in-place",
        "activations.ReLU",
        "CS231n-style ReLU: forward keeps x and zeroes a copy's negatives, backward names the upstream gradient "
        "dx = grad_y and zeroes dx[x <= 0] in place: dx is the caller's grad_y itself, so the caller's array is "
        "changed; the mask must be applied to a copy (grad_y.copy() or np.where)",
        span(
            "activations",
            (
                "        self._mask = x > 0\n        return np.where(self._mask, x, 0.0)\n",
                "        self._x = x\n        out = x.copy()\n        out[out < 0] = 0.0\n        return out\n",
            ),
            (
                "        return np.where(self._mask, grad_y, 0.0)\n",
                "        dx = grad_y\n        dx[self._x <= 0] = 0.0\n        return dx\n",
            ),
        ),
        expect=("modifies-input", "aliasing"),
        phrases=("in place",),
    ),
    fresh(
        "hsaf-sigmoid-boolean-branches-negative-exponent-sign",
        "activations.Sigmoid",
        "forward fills the stable two-branch sigmoid through boolean indexing, but the negative branch's e is "
        "np.exp(-x[~pos]) as in the positive branch: e / (1 + e) with e = e^-x is sigmoid(-x) = 1 - sigmoid(x) for "
        "every negative input; that branch needs e = e^x",
        (
            "        z = np.exp(-np.abs(x))\n        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n",
            "        pos = x >= 0\n"
            "        self._y = np.empty_like(x)\n"
            "        self._y[pos] = 1.0 / (1.0 + np.exp(-x[pos]))\n"
            "        e = np.exp(-x[~pos])\n"
            "        self._y[~pos] = e / (1.0 + e)\n",
        ),
        expect=(
            "sigmoid-exponent-sign",
            "sign-flipped",
            "branches-swapped",
            # the last tag added after reading output
            "abs-missing-in-stable-form",
        ),
        phrases=("negative",),
    ),
    fresh(
        "hsaf-tanh-sech-squared-as-cosh-of-square",
        "activations.Tanh",
        "forward keeps x and backward copies tanh'(x) = sech^2(x) = 1 / cosh^2(x) from the formula sheet, but "
        "types it 1 / np.cosh(x ** 2): the square lands on the argument instead of on the cosh; it is "
        "1 / np.cosh(x) ** 2 (or 1 - y^2)",
        span(
            "activations",
            (
                "        self._y = np.tanh(x)\n        return self._y\n",
                "        self._x = x\n        return np.tanh(x)\n",
            ),
            (
                "        return grad_y * (1.0 - self._y * self._y)\n",
                "        return grad_y / np.cosh(self._x**2)\n",
            ),
        ),
        expect=("derivative-wrong-form", "operator-precedence", "precedence"),
        phrases=("square",),
    ),
    fresh(
        "hsaf-leaky-relu-float-mask-slope-everywhere",
        "activations.LeakyReLU",
        "forward saves a float mask pos = (x > 0) and mixes the branches as x * pos + slope * x * (1 - pos); "
        "backward's local slope is written pos + slope, forgetting the (1 - pos): positive inputs get the slope "
        "1 + negative_slope instead of 1",
        span(
            "activations",
            (
                "        self._x = x\n        return np.where(x > 0, x, self.negative_slope * x)\n",
                "        self._pos = (x > 0).astype(np.float64)\n"
                "        return x * self._pos + self.negative_slope * x * (1.0 - self._pos)\n",
            ),
            (
                "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
                "        local = self._pos + self.negative_slope\n        return grad_y * local\n",
            ),
        ),
        expect=("derivative-wrong-form", "branch-formula-everywhere"),
        phrases=("positive", "slope"),
    ),
    fresh(
        "hsaf-prelu-channel-loop-slope-grad-assigned",
        "activations.PReLU",
        "backward is rewritten with a loop over the channels for the per-channel case; each channel's slope "
        "gradient is stored with = (weight.grad[c] = sum ...) instead of added: a gradient accumulated before "
        "(a second backward, or the slope used twice) is overwritten; parameter gradients are added with +=",
        (
            "        negative = self._x <= 0\n"
            "        contribution = np.where(negative, grad_y * self._x, 0.0)\n"
            "        if self.num_parameters == 1:\n"
            "            self.weight.grad += contribution.sum()\n"
            "        else:  # sum over every axis but the channel axis\n"
            "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))\n"
            "        return np.where(negative, self._a * grad_y, grad_y)\n",
            "        x, a = self._x, self.weight.data\n"
            "        neg = x <= 0\n"
            "        if self.num_parameters == 1:\n"
            "            self.weight.grad += np.sum(grad_y[neg] * x[neg])\n"
            "            return np.where(neg, a[0] * grad_y, grad_y)\n"
            "        grad_x = grad_y.copy()\n"
            "        for c in range(self.num_parameters):\n"
            "            neg_c, g_c, x_c = neg[:, c], grad_y[:, c], x[:, c]\n"
            "            self.weight.grad[c] = np.sum(g_c[neg_c] * x_c[neg_c])\n"
            "            grad_x[:, c] = np.where(neg_c, a[c] * g_c, g_c)\n"
            "        return grad_x\n",
        ),
        expect=("assigned-not-accumulated", "grad-overwritten"),
        phrases=("accumulat",),
    ),
    fresh(
        "hsaf-elu-slope-from-output-precedence",
        "activations.ELU",
        "forward keeps its output and backward uses the identity ELU'(x) = y + alpha for x <= 0, but writes "
        "grad_y * self._y + self.alpha: alpha is added to the product instead of multiplied by grad_y; it is "
        "grad_y * (y + alpha)",
        span(
            "activations",
            (
                "        self._x = x\n        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
                "        self._x = x\n"
                "        self._y = np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n"
                "        return self._y\n",
            ),
            (
                "        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))\n"
                "        return np.where(self._x > 0, grad_y, slope * grad_y)\n",
                "        # for x <= 0, d/dx alpha (e^x - 1) = alpha e^x = y + alpha\n"
                "        return np.where(self._x > 0, grad_y, grad_y * self._y + self.alpha)\n",
            ),
        ),
        expect=("operator-precedence", "precedence"),
        phrases=("parenthes",),
    ),
    fresh(
        "hsaf-gelu-exact-backward-rewrite-pdf-without-x",
        "activations.GELU",
        "the exact backward is recomputed from the saved x (cdf from erf, the normal density written out), but "
        "returns grad_y * (cdf + pdf): the product rule's second term of d/dx [x Phi(x)] is x phi(x), the x is "
        "dropped",
        (
            "        xc = np.clip(self._x, -40.0, 40.0)\n"
            "        pdf = INV_SQRT_2PI * np.exp(-0.5 * xc * xc)\n"
            "        return grad_y * (self._cdf + xc * pdf)\n",
            "        x = self._x\n"
            "        cdf = 0.5 * (1.0 + erf(x / math.sqrt(2.0)))\n"
            "        pdf = np.exp(-(x**2) / 2.0) / math.sqrt(2.0 * math.pi)\n"
            "        return grad_y * (cdf + pdf)\n",
        ),
        expect=("product-rule-x-dropped", "gelu-pdf-without-x", "product-rule-missing"),
        phrases=("x phi", "product rule"),
    ),
    fresh(
        "hsaf-softmax-broadcast-jacobian-wrong-factor",
        "activations.Softmax",
        "backward builds the batch of Jacobians by broadcasting, J = s[..., None, :] * (eye - s[..., None, :]), "
        "and contracts it with einsum; the leading factor should be s_i (s[..., :, None]), but the student "
        "broadcast s_j: J_ij = s_j (delta_ij - s_j) instead of s_i (delta_ij - s_j)",
        (
            "        y = self._y\n        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
            "        s = np.moveaxis(self._y, self.dim, -1)\n"
            "        g = np.moveaxis(grad_y, self.dim, -1)\n"
            "        eye = np.eye(s.shape[-1])\n"
            "        jac = s[..., None, :] * (eye - s[..., None, :])  # dy_i/dx_j = s_i (delta_ij - s_j)\n"
            '        grad_x = np.einsum("...ij,...j->...i", jac, g)\n'
            "        return np.moveaxis(grad_x, -1, self.dim)\n",
        ),
        expect=("jacobian-term-wrong", "broadcast-wrong-axis", "formula-wrong"),
        phrases=("jacobian",),
    ),
    fresh(
        "hsaf-logsoftmax-lse-rewrite-saves-unnormalised-exp",
        "activations.LogSoftmax",
        "forward computes the log-sum-exp as m + log(sum(exp(x - m))) and keeps e = exp(x - m) for backward as "
        "'the softmax': it is not divided by its sum, so backward's p * sum(grad_y) uses unnormalised weights; "
        "backward needs softmax = e / e.sum(dim) (= exp(y))",
        (
            "        shifted = x - np.max(x, axis=self.dim, keepdims=True)\n"
            "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n"
            "        self._p = np.exp(y)\n"
            "        return y\n",
            "        m = x.max(axis=self.dim, keepdims=True)\n"
            "        e = np.exp(x - m)\n"
            "        lse = m + np.log(e.sum(axis=self.dim, keepdims=True))\n"
            "        self._p = e  # the softmax, for backward\n"
            "        return x - lse\n",
        ),
        expect=("logsoftmax-saved-unnormalised", "softmax-not-normalised"),
        phrases=("normalis",),
    ),
    fresh(
        "hsaf-maxout-flat-matmul-reshape-order",
        "activations.Maxout",
        "forward flattens the weight to (K*M, D) for one matrix product, whose column k*M + j is piece k of unit j, "
        "then reshapes the (N, K*M) scores to (N, M, K) and takes the maximum over the last axis: the reshape "
        "order does not match the flattening (it must be (N, K, M), then max over axis 1), so units mix pieces of "
        "other units",
        (
            '        z = np.einsum("nd,kjd->nkj", x, self.weight.data) + self.bias.data\n'
            "        self._argmax = np.argmax(z, axis=1)  # on a tie, the first maximal piece\n"
            "        return np.take_along_axis(z, self._argmax[:, None, :], axis=1)[:, 0, :]\n",
            "        K, M, D = self.weight.data.shape\n"
            "        W = self.weight.data.reshape(K * M, D)  # row k*M + j: piece k of unit j\n"
            "        z = x @ W.T + self.bias.data.reshape(-1)  # (N, K*M)\n"
            "        z = z.reshape(x.shape[0], M, K)\n"
            "        self._argmax = z.argmax(axis=2)\n"
            "        return z.max(axis=2)\n",
        ),
        expect=("reshape-order", "maxout-wrong-axis", "reshape-not-transpose"),
        phrases=("reshape",),
    ),
    fresh(
        "hsaf-softplus-rewrite-sigmoid-of-x",
        "activations.Softplus",
        "forward is rewritten around bx = beta * x, but the sigmoid saved for backward ('the derivative of "
        "softplus is the sigmoid') is taken of x instead of beta * x: with beta != 1 the derivative "
        "sigmoid(beta x) is wrong",
        (
            "        z = self.beta * x\n"
            "        self._linear = z > self.threshold\n"
            "        self._s = self._sigmoid.forward(z)\n"
            "        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / self.beta\n",
            "        bx = self.beta * x\n"
            "        self._linear = bx > self.threshold\n"
            "        soft = (np.maximum(bx, 0.0) + np.log1p(np.exp(-np.abs(bx)))) / self.beta\n"
            "        self._s = self._sigmoid.forward(x)  # softplus' = sigmoid\n",
        ),
        expect=("softplus-beta-missing", "chain-rule-inner-derivative"),
        phrases=("beta",),
    ),
]

LAYERS = [
    fresh(
        "hsaf-linear-sample-loop-weight-grad-averaged",
        "layers.Linear",
        "backward loops over the samples, adding np.outer(grad_y[n], x[n]) / N into weight.grad: the weight "
        "gradient is averaged over the batch (as 'the loss is a mean'), where the loss's backward already carries "
        "the 1/N; the layer sums over samples (the bias gradient, correctly, is summed)",
        (
            "        self.weight.grad += grad_y.T @ self._x\n"
            "        if self.bias is not None:\n"
            "            self.bias.grad += grad_y.sum(axis=0)\n"
            "        grad_x = grad_y @ self.weight.data\n",
            "        N = self._x.shape[0]\n"
            "        grad_x = np.zeros_like(self._x)\n"
            "        for n in range(N):\n"
            "            self.weight.grad += np.outer(grad_y[n], self._x[n]) / N\n"
            "            if self.bias is not None:\n"
            "                self.bias.grad += grad_y[n]\n"
            "            grad_x[n] = self.weight.data.T @ grad_y[n]\n",
        ),
        expect=("grad-divided-by-batch", "divided-by-batch-size"),
        phrases=("batch",),
    ),
    fresh(
        "hsaf-linear-einsum-weight-grad-assigned",
        "layers.Linear",
        "backward written with einsum, PyTorch-porting style; the weight gradient is stored with "
        "weight.grad[...] = einsum(...) instead of added: a gradient accumulated before (a second backward, a "
        "weight shared by two layers) is lost; every parameter gradient is added with +=",
        (
            "        self.weight.grad += grad_y.T @ self._x\n"
            "        if self.bias is not None:\n"
            "            self.bias.grad += grad_y.sum(axis=0)\n"
            "        grad_x = grad_y @ self.weight.data\n",
            "        W = self.weight.data\n"
            '        self.weight.grad[...] = np.einsum("nm,nd->md", grad_y, self._x)\n'
            "        if self.bias is not None:\n"
            '            self.bias.grad += np.einsum("nm->m", grad_y)\n'
            '        grad_x = np.einsum("nm,md->nd", grad_y, W)\n',
        ),
        expect=("assigned-not-accumulated", "grad-overwritten"),
        phrases=("accumulat",),
    ),
    fresh(
        "hsaf-conv-im2col-loop-stride-ignored",
        "layers.Conv2d",
        "im2col is written as a loop over samples and output positions that copies each patch into its column, "
        "but the patch is sliced at xp[n, :, p:p + kH, q:q + kW]: the output position is not multiplied by the "
        "stride, so with stride > 1 the windows start at the wrong rows and columns (p * sH, q * sW)",
        (
            "        windows = self._windows(xp, Ho, Wo)  # (C, kH, kW, N, H', W'), a view: no copy yet\n"
            "        # im2col, the one copy: row (c, i, j), column (n, p, q)\n"
            "        self._cols = windows.reshape(C * kH * kW, N * Ho * Wo)\n",
            "        self._cols = np.zeros((C * kH * kW, N * Ho * Wo))\n"
            "        col = 0\n"
            "        for n in range(N):\n"
            "            for p in range(Ho):\n"
            "                for q in range(Wo):\n"
            "                    patch = xp[n, :, p:p + kH, q:q + kW]\n"
            "                    self._cols[:, col] = patch.reshape(-1)\n"
            "                    col += 1\n",
        ),
        expect=("stride-ignored", "receptive-field-ignored"),
        phrases=("stride",),
    ),
    fresh(
        "hsaf-conv-col2im-loop-window-assigned",
        "layers.Conv2d",
        "col2im is written as a loop over samples and output positions that writes each column's gradient back "
        "onto its window with = instead of +=: where windows overlap (stride < kernel), a later window overwrites "
        "what an earlier one put there; overlapping contributions must be added",
        (
            "        grad_xp = np.zeros(self._xp_shape)\n"
            "        windows = self._windows(grad_xp, Ho, Wo)\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                window = windows[:, i, j]\n"
            "                window += dcols[:, i, j]\n",
            "        sH, sW = self.stride\n"
            "        grad_xp = np.zeros(self._xp_shape)\n"
            "        for n in range(N):\n"
            "            for p in range(Ho):\n"
            "                for q in range(Wo):\n"
            "                    grad_xp[n, :, p * sH:p * sH + kH, q * sW:q * sW + kW] = dcols[:, :, :, n, p, q]\n",
        ),
        expect=("overlap-overwritten", "assigned-not-accumulated"),
        phrases=("overlap",),
    ),
    fresh(
        "hsaf-conv-bias-grad-averaged-over-batch",
        "layers.Conv2d",
        "the bias gradient is written from grad_y as grad_y.sum(axis=(2, 3)).mean(axis=0): summed over the "
        "positions but averaged over the batch; a bias is used by every sample and every position, so its "
        "gradient is the sum over N, H' and W'",
        (
            "            self.bias.grad += G.sum(axis=1)\n",
            "            self.bias.grad += grad_y.sum(axis=(2, 3)).mean(axis=0)\n",
        ),
        expect=("bias-mean-not-sum", "divided-by-batch-size", "grad-divided-by-batch"),
        phrases=("sum",),
    ),
    fresh(
        "hsaf-conv-weight-grad-einsum-output-order",
        "layers.Conv2d",
        "the weight gradient is written as an einsum over the columns, np.einsum('fk,rk->rf', G, cols), and then "
        "reshaped to (F, C, kH, kW): the output subscripts put the row index r = (c, i, j) first, so the result is "
        "dW transposed, (C*kH*kW, F), and the reshape scrambles it; the output is 'fr' (G @ cols.T)",
        (
            "        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)\n",
            '        self.weight.grad += np.einsum("fk,rk->rf", G, self._cols).reshape(self.weight.shape)\n',
        ),
        expect=("transposed", "reshape-not-transpose", "index-order-reversed"),
        phrases=("transpose",),
    ),
    fresh(
        "hsaf-maxpool-loop-range-end-off-by-one",
        "layers.MaxPool2d",
        "forward loops over window origins with range(0, H - kH, sH) (and W - kW): the end of range is exclusive, "
        "so the last window row and column (origin H - kH) are never visited and those outputs stay 0; the range "
        "ends at H - kH + 1",
        (
            _MAXPOOL_FORWARD,
            "        N, C, H, W = x.shape\n"
            "        Ho, Wo = self._y_shape[2:]\n"
            "        self._x_shape = x.shape\n"
            "        y = np.zeros((N, C, Ho, Wo))\n"
            "        self._argmax = np.zeros((N, C, Ho, Wo), dtype=np.intp)\n"
            "        for p, r in enumerate(range(0, H - kH, sH)):\n"
            "            for q, c in enumerate(range(0, W - kW, sW)):\n"
            "                window = x[:, :, r:r + kH, c:c + kW].reshape(N, C, kH * kW)\n"
            "                self._argmax[:, :, p, q] = window.argmax(axis=2)\n"
            "                y[:, :, p, q] = window.max(axis=2)\n",
        ),
        expect=("loop-off-by-one", "entries-skipped"),
        phrases=("range",),
    ),
    fresh(
        "hsaf-maxpool-fancy-index-plus-equals",
        "layers.MaxPool2d",
        "backward computes every window maximum's row and column and routes the gradient in one vectorised "
        "grad_x[n, c, rows, cols] += grad_y: with repeated indices (overlapping windows sharing their maximum) "
        "fancy-index += adds only once, so that entry loses the other windows' gradient; np.add.at accumulates",
        (
            "        grad_x = np.zeros(self._x_shape)\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                won = self._argmax == i * kW + j\n"
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
            "        n, c, p, q = np.indices(grad_y.shape)\n"
            "        rows = p * sH + self._argmax // kW\n"
            "        cols = q * sW + self._argmax % kW\n"
            "        grad_x = np.zeros(self._x_shape)\n"
            "        grad_x[n, c, rows, cols] += grad_y\n",
        ),
        expect=("fancy-index-accumulate", "overlap-overwritten"),
        phrases=("overlap",),
    ),
    fresh(
        "hsaf-avgpool-loop-divided-by-kh-times-kw-precedence",
        "layers.AvgPool2d",
        "forward loops over the output positions and divides each window's sum by kH * kW written without "
        "parentheses: window.sum(...) / kH * kW divides by kH and multiplies by kW; it is / (kH * kW)",
        (
            _AVGPOOL_FORWARD,
            "        self._x_shape = x.shape\n"
            "        N, C = x.shape[:2]\n"
            "        Ho, Wo = self._y_shape[2:]\n"
            "        y = np.empty((N, C, Ho, Wo))\n"
            "        for p in range(Ho):\n"
            "            for q in range(Wo):\n"
            "                window = x[:, :, p * sH:p * sH + kH, q * sW:q * sW + kW]\n"
            "                y[:, :, p, q] = window.sum(axis=(2, 3)) / kH * kW\n",
        ),
        expect=("avgpool-divisor", "operator-precedence", "precedence"),
        phrases=("parenthes",),
    ),
    fresh(
        "hsaf-avgpool-backward-loop-windows-at-kernel-steps",
        "layers.AvgPool2d",
        "backward loops over the output positions and spreads grad_y / (kH*kW) over the window at "
        "p * kH:p * kH + kH: the window origin is stepped by the kernel size instead of the stride, right only "
        "when stride == kernel_size; with another stride the gradient lands on the wrong entries",
        (
            "        share = grad_y / (kH * kW)\n"
            "        grad_x = np.zeros(self._x_shape)\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
            "        grad_x = np.zeros(self._x_shape)\n"
            "        for p in range(Ho):\n"
            "            for q in range(Wo):\n"
            "                g = grad_y[:, :, p, q][:, :, None, None] / (kH * kW)\n"
            "                grad_x[:, :, p * kH:p * kH + kH, q * kW:q * kW + kW] += g\n",
        ),
        expect=("stride-is-kernel", "kernel-stride-confused", "pool-backward-ignores-stride"),
        phrases=("stride",),
    ),
    fresh(
        "hsaf-flatten-keras-channels-last",
        "layers.Flatten",
        "Flatten ported from Keras: forward moves the channel axis last (np.moveaxis(x, 1, -1)) before the reshape "
        "and backward undoes it; the features come out in (H, W, C) order, not PyTorch's row-major (C, H, W) "
        "order the API asks for, so the next Linear sees its inputs permuted",
        span(
            "layers",
            (
                "        self._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
                "        self._x_shape = x.shape\n"
                "        x_last = np.moveaxis(x, 1, -1)  # (N, ..., C), as Keras' Flatten\n"
                "        y = x_last.reshape(self._y_shape)\n",
            ),
            (
                "        grad_x = grad_y.reshape(self._x_shape)\n",
                "        N, C, *rest = self._x_shape\n"
                "        grad_x = np.moveaxis(grad_y.reshape(N, *rest, C), -1, 1)\n",
            ),
        ),
        expect=("flatten-channels-last", "channels-last-layout"),
        phrases=("channel",),
    ),
    fresh(
        "hsaf-dropout-cs231n-keep-probability",
        "layers.Dropout",
        "forward follows CS231n's dropout, where p is the probability of keeping a unit: the mask keeps u < p and "
        "scales by 1/p; the API's p (PyTorch's) is the probability of dropping, so the layer keeps 1 - p of the "
        "units instead of dropping p of them; keep u >= p and scale by 1/(1 - p)",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n"
            "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n"
            "            self._mask = keep * scale\n",
            "            keep_prob = self.p\n"
            "            u = self.rng.random(x.shape)\n"
            "            self._mask = (u < keep_prob) / keep_prob if keep_prob > 0.0 else np.zeros(x.shape)\n",
        ),
        # added after reading output (tag-vocabulary audit): dropout-p-zero-drops-all
        expect=("dropout-p-is-keep", "hyperparameter-inverted", "dropout-divided-by-p", "dropout-p-zero-drops-all"),
        phrases=("keep",),
    ),
    fresh(
        "hsaf-dropout-eval-scaled-by-keep-probability",
        "layers.Dropout",
        "training uses inverted dropout (survivors scaled by 1/(1-p)), but evaluation also multiplies by 1 - p, as "
        "the original paper's test-time rule: the two conventions are mixed, so evaluation outputs are shrunk; "
        "with inverted dropout evaluation is the identity",
        (
            "            self._mask = None\n            y = x\n",
            "            self._mask = None\n            y = x * (1.0 - self.p)  # test time: weights times p_keep\n",
        ),
        expect=("dropout-eval-scaled", "train-eval"),
        phrases=("eval",),
    ),
    fresh(
        "hsaf-bn1d-staged-forward-biased-running-var",
        "layers.BatchNorm1d",
        "forward rewritten in CS231n's staged style (mu, xmu, var, ivar, xhat, keepdims throughout, running "
        "buffers reassigned); the running variance is updated with the biased batch variance (divided by the "
        "count) instead of the unbiased one, var * m / (m - 1), which PyTorch (and the API) store",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        _BN_FORWARD,
                        "        gamma, beta = self.weight.data.reshape(shape), self.bias.data.reshape(shape)\n"
                        "        self._batch_stats = self.training\n"
                        "        if self.training:\n"
                        "            mu = x.mean(axis=axes, keepdims=True)\n"
                        "            xmu = x - mu\n"
                        "            var = (xmu**2).mean(axis=axes, keepdims=True)\n"
                        "            ivar = 1.0 / np.sqrt(var + self.eps)\n"
                        "            m = self.momentum\n"
                        "            self.running_mean = (1 - m) * self.running_mean + m * mu.reshape(-1)\n"
                        "            self.running_var = (1 - m) * self.running_var + m * var.reshape(-1)\n"
                        "        else:\n"
                        "            xmu = x - self.running_mean.reshape(shape)\n"
                        "            ivar = 1.0 / np.sqrt(self.running_var.reshape(shape) + self.eps)\n"
                        "        self._inv_std = ivar\n"
                        "        self._x_hat = xmu * ivar\n"
                        "        y = gamma * self._x_hat + beta\n",
                    )
                ]
            },
        ),
        expect=("bn-biased-running-var", "bessel-correction"),
        phrases=("unbiased",),
    ),
    fresh(
        "hsaf-bn1d-staged-backward-dvar-power",
        "layers.BatchNorm1d",
        "backward in CS231n's staged form (dvar, dmu, then dx) rebuilt from the saved xhat and inv_std; the "
        "derivative of (var + eps)^(-1/2) is -1/2 (var + eps)^(-3/2), but dvar is written with ivar ** 2 "
        "(the power -1 instead of -3/2), so the variance path of the gradient is wrong",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        "            # The mean and variance depend on every sample: subtract the gradient's\n"
                        "            # component along the constant direction and along x_hat.\n"
                        "            grad_x = self._inv_std * (\n"
                        "                grad_x_hat\n"
                        "                - grad_x_hat.mean(axis=axes, keepdims=True)\n"
                        "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)\n"
                        "            )\n",
                        "            m = grad_y.size // grad_y.shape[1]  # values per channel\n"
                        "            ivar = self._inv_std\n"
                        "            xmu = self._x_hat / ivar\n"
                        "            dvar = np.sum(grad_x_hat * xmu, axis=axes, keepdims=True) * -0.5 * ivar**2\n"
                        "            dmu = -np.sum(grad_x_hat * ivar, axis=axes, keepdims=True)\n"
                        "            dmu = dmu + dvar * np.mean(-2.0 * xmu, axis=axes, keepdims=True)\n"
                        "            grad_x = grad_x_hat * ivar + dvar * 2.0 * xmu / m + dmu / m\n",
                    )
                ]
            },
        ),
        expect=(
            "bn-backward-variance-term",
            "derivative-wrong-form",
            # the last tag added after reading output
            "bn-backward-missing-inv-std",
        ),
        phrases=("variance",),
    ),
    fresh(
        "hsaf-bn2d-reshape-channels-without-transpose",
        "layers.BatchNorm2d",
        "the statistics are computed per channel from x.reshape(C, -1), meant as 'one row per channel': without "
        "moving the channel axis first (x.transpose(1, 0, 2, 3).reshape(C, -1)) each row mixes the values of "
        "several channels and samples, so the means and variances (and the running buffers) are wrong whenever "
        "N > 1",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        "            mean = x.mean(axis=axes)\n"
                        "            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch\n",
                        "            per_channel = x.reshape(self.num_features, -1)  # one row per channel\n"
                        "            mean = per_channel.mean(axis=1)\n"
                        "            var = per_channel.var(axis=1)\n",
                    )
                ]
            },
        ),
        expect=("reshape-not-transpose", "bn-wrong-axes"),
        phrases=("reshape",),
    ),
    fresh(
        "hsaf-bn2d-channel-loop-keras-momentum",
        "layers.BatchNorm2d",
        "forward loops over the channels; the running statistics are updated Keras-style, running = m * running "
        "+ (1 - m) * batch: PyTorch's momentum (the API's) is the weight of the new batch, running = (1 - m) * "
        "running + m * batch, so with momentum 0.1 the buffers move 90 % of the way at each step",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        _BN_FORWARD,
                        "        C = self.num_features\n"
                        "        self._batch_stats = self.training\n"
                        "        inv_std = np.empty(C)\n"
                        "        x_hat = np.empty_like(x)\n"
                        "        for c in range(C):\n"
                        "            xc = x[:, c]\n"
                        "            if self.training:\n"
                        "                mu, var = xc.mean(), xc.var()\n"
                        "                m = self.momentum\n"
                        "                self.running_mean[c] = m * self.running_mean[c] + (1 - m) * mu\n"
                        "                unbiased = var * count / (count - 1)\n"
                        "                self.running_var[c] = m * self.running_var[c] + (1 - m) * unbiased\n"
                        "            else:\n"
                        "                mu, var = self.running_mean[c], self.running_var[c]\n"
                        "            inv_std[c] = 1.0 / np.sqrt(var + self.eps)\n"
                        "            x_hat[:, c] = (xc - mu) * inv_std[c]\n"
                        "        self._inv_std = inv_std.reshape(shape)\n"
                        "        self._x_hat = x_hat\n"
                        "        y = x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)\n",
                    )
                ]
            },
        ),
        expect=("bn-momentum-swapped", "bn-momentum-convention"),
        phrases=("momentum",),
    ),
    fresh(
        "hsaf-bn2d-einsum-backward-projection-without-gamma",
        "layers.BatchNorm2d",
        "backward rewritten with einsum and the compact formula dx = inv_std / m * (m dxhat - sum dxhat - xhat "
        "sum(dxhat xhat)); the last sum is taken of grad_y * xhat instead of dxhat * xhat = grad_y * gamma * xhat: "
        "gamma is missing from that term, wrong whenever gamma is not 1",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        _BN_BACKWARD,
                        "        gamma = self.weight.data.reshape(shape)\n"
                        '        self.weight.grad += np.einsum("nchw,nchw->c", grad_y, self._x_hat)\n'
                        '        self.bias.grad += np.einsum("nchw->c", grad_y)\n'
                        "        dxhat = grad_y * gamma\n"
                        "        if self._batch_stats:\n"
                        "            m = grad_y.size // grad_y.shape[1]\n"
                        "            sum_d = dxhat.sum(axis=axes, keepdims=True)\n"
                        "            sum_dx = (grad_y * self._x_hat).sum(axis=axes, keepdims=True)\n"
                        "            grad_x = self._inv_std / m * (m * dxhat - sum_d - self._x_hat * sum_dx)\n"
                        "        else:\n"
                        "            grad_x = dxhat * self._inv_std\n",
                    )
                ]
            },
        ),
        expect=("bn-backward-missing-gamma",),
        phrases=("gamma",),
    ),
]

LOSSES = [
    fresh(
        "hsaf-mse-divided-by-batch-size",
        "losses.MSELoss",
        "forward sums the squared errors and divides by N = x.shape[0], the batch size, keeping N for backward's "
        "2 * diff / N: the mean is over every entry (M = N * D), so with more than one output per sample the loss "
        "and its gradient are D times too large",
        span(
            "losses",
            (
                "        self._diff = x - t\n        loss = np.mean(self._diff**2)\n        return float(loss)\n",
                "        N = x.shape[0]\n"
                "        self._diff = x - t\n"
                "        self._n = N\n"
                "        return float(np.sum(self._diff**2) / N)\n",
            ),
            (
                "        return 2.0 * self._diff / self._diff.size\n",
                "        return 2.0 * self._diff / self._n\n",
            ),
        ),
        expect=(
            "mse-mean-over-batch-only",
            "divided-by-batch-size",
            "loss-denominator",
            # the last tag added after reading output
            "mse-grad-divided-by-batch",
        ),
        phrases=("batch",),
    ),
    fresh(
        "hsaf-mse-gradient-target-minus-prediction",
        "losses.MSELoss",
        "forward keeps x and t and squares the error t - x; backward returns 2 (t - x) / M, the derivative "
        "with respect to the target: d/dx (x - t)^2 = 2 (x - t), so the gradient has the wrong sign and training "
        "climbs the loss",
        span(
            "losses",
            (
                "        self._diff = x - t\n        loss = np.mean(self._diff**2)\n        return float(loss)\n",
                "        self._x, self._t = x, t\n        err = t - x\n        return float(np.mean(err * err))\n",
            ),
            (
                "        return 2.0 * self._diff / self._diff.size\n",
                "        return 2.0 * (self._t - self._x) / self._x.size\n",
            ),
        ),
        expect=("sign-flipped",),
        phrases=("sign",),
    ),
    fresh(
        "hsaf-bce-summed-per-sample-mean-over-batch",
        "losses.BCELoss",
        "forward sums the clamped log terms over each sample's entries and averages over the batch only "
        "(Keras' per-sample habit), and backward divides by len(p) = N to match: the API's mean is over all M "
        "entries, so with several outputs per sample loss and gradient are too large by the number of outputs",
        span(
            "losses",
            (
                "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
                "        per_sample = -(t * log_p + (1.0 - t) * log_1mp).reshape(len(p), -1).sum(axis=1)\n"
                "        loss = per_sample.mean()\n",
            ),
            (
                "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
                "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / len(p)\n",
            ),
        ),
        expect=(
            "loss-denominator",
            "divided-by-batch-size",
            "mean-over-batch-only",
            "len-for-size",
            # the last tag added after reading output
            "grad-divided-by-batch",
        ),
        phrases=("batch",),
    ),
    fresh(
        "hsaf-bce-backward-term-by-term-second-sign",
        "losses.BCELoss",
        "backward differentiates the two log terms one by one, -t/p and then the (1 - t) log(1 - p) term, but "
        "writes that one's derivative as -(1 - t)/(1 - p): the inner derivative of log(1 - p) is -1/(1 - p), so "
        "with the loss's minus sign the term is +(1 - t)/(1 - p)",
        (
            "        p, t = self._p, self._t\n"
            "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
            "        p, t = self._p, self._t\n"
            "        denom_p = np.maximum(p, BCE_GRAD_EPS)\n"
            "        denom_q = np.maximum(1.0 - p, BCE_GRAD_EPS)\n"
            "        dp = -t / denom_p - (1.0 - t) / denom_q\n"
            "        return dp / p.size\n",
        ),
        expect=("bce-term-sign", "sign-flipped", "chain-rule-inner-derivative"),
        phrases=("sign",),
    ),
    fresh(
        "hsaf-bce-logits-boolean-sigmoid-softplus-without-abs",
        "losses.BCEWithLogitsLoss",
        "forward fills the sigmoid branch by branch through boolean masks and writes the loss as "
        "clip(x, 0) - x t + log1p(exp(-x)): the stable form needs exp(-|x|); for negative logits log1p(e^-x) "
        "adds |x| a second time (and overflows for very negative x)",
        (
            "        z = np.exp(-np.abs(x))  # in (0, 1]: never overflows\n"
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n"
            "        self._s = np.where(x >= 0, 1.0, z) / (1.0 + z)\n"
            "        self._t = t\n",
            "        self._t = t\n"
            "        self._s = np.empty_like(x)\n"
            "        pos = x >= 0\n"
            "        self._s[pos] = 1.0 / (1.0 + np.exp(-x[pos]))\n"
            "        self._s[~pos] = np.exp(x[~pos]) / (1.0 + np.exp(x[~pos]))\n"
            "        per_entry = np.clip(x, 0.0, None) - x * t + np.log1p(np.exp(-x))\n"
            "        loss = per_entry.mean()\n",
        ),
        expect=("abs-missing-in-stable-form", "stable-form-term-missing"),
        phrases=("abs",),
    ),
    fresh(
        "hsaf-bce-logits-backward-len-of-array",
        "losses.BCEWithLogitsLoss",
        "backward computes the error s - t and divides it by len(grad), the number of rows: for a 2-D input the "
        "mean's 1/M needs the number of entries (grad.size), so the gradient is too large by the number of "
        "columns",
        (
            "        return (self._s - self._t) / self._s.size\n",
            "        s, t = self._s, self._t\n        grad = s - t\n        return grad / len(grad)\n",
        ),
        expect=(
            "len-for-size",
            "divided-by-batch-size",
            "loss-denominator",
            # the last tag added after reading output
            "grad-divided-by-batch",
        ),
        phrases=("size",),
    ),
    fresh(
        "hsaf-cross-entropy-sample-loop-total-not-averaged",
        "losses.CrossEntropyLoss",
        "forward loops over the samples (shift by the row's max, softmax, add log-sum-exp minus the true logit) "
        "and returns the total: the loss is never divided by N, while backward (unchanged) returns the gradient "
        "of the mean; reduction='mean' averages over the batch",
        (
            '        with np.errstate(over="ignore"):\n'
            "            shifted = x - x.max(axis=1, keepdims=True)\n" + _CE_FORWARD + "        return float(loss)\n",
            "        self._probs = np.zeros_like(x)\n"
            "        total = 0.0\n"
            "        for n in range(N):\n"
            "            row = x[n] - x[n].max()\n"
            "            e = np.exp(row)\n"
            "            self._probs[n] = e / e.sum()\n"
            "            total += np.log(e.sum()) - row[self._labels[n]]\n"
            "        return float(total)\n",
        ),
        expect=("loss-not-averaged", "loss-denominator", "times-batch-size"),
        phrases=("average",),
    ),
    fresh(
        "hsaf-cross-entropy-np-take-picks-every-row",
        "losses.CrossEntropyLoss",
        "the true class's log-probability is picked with np.take(log_probs, labels, axis=1), meant as PyTorch's "
        "gather: np.take along axis 1 takes the labels' columns for every row, an (N, N) array, so the loss "
        "averages the log-probabilities of every sample's label in every row; it is log_probs[arange(N), labels]",
        (
            _CE_FORWARD,
            "        log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n"
            "        self._probs = np.exp(log_softmax)\n"
            "        picked = np.take(log_softmax, self._labels, axis=1)  # gather the true class\n"
            "        loss = -picked.mean()\n",
        ),
        expect=("ce-fancy-index-all-rows", "fancy-index-every-row", "take-without-axis"),
        phrases=("row",),
    ),
    fresh(
        "hsaf-hinge-boolean-mask-labels-every-row",
        "losses.HingeLoss",
        "forward marks the classes to compare with a boolean mask, but clears it with wrong_class[:, labels] = "
        "False: that clears every label's column in every row, so a wrong class that is some other sample's label "
        "is never compared; only (n, labels[n]) should be cleared",
        (
            _HINGE_FORWARD,
            "        N = x.shape[0]\n"
            "        rows = np.arange(N)\n"
            "        correct = x[rows, self._labels].reshape(N, 1)\n"
            "        wrong_class = np.ones(x.shape, dtype=bool)\n"
            "        wrong_class[:, self._labels] = False\n"
            "        slack = np.where(wrong_class, x - correct + self.margin, 0.0)\n"
            "        self._active = (slack > 0).astype(np.float64)\n"
            "        return float(np.maximum(slack, 0.0).sum() / N)\n",
        ),
        expect=("fancy-index-every-row", "entries-skipped"),
        phrases=("row",),
    ),
    fresh(
        "hsaf-hinge-backward-loop-true-class-assigned",
        "losses.HingeLoss",
        "backward is CS231n's naive loop: for every active wrong class j it adds 1 to grad[i, j], but sets the "
        "true class's entry with grad[i, y_i] = -1 instead of subtracting 1: the true class gets -1 however many "
        "classes violate the margin, where it is minus their count",
        (
            "        N = self._active.shape[0]\n"
            "        grad = self._active.copy()\n"
            "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n"
            "        return grad / N\n",
            "        N, C = self._active.shape\n"
            "        grad = np.zeros((N, C))\n"
            "        for i in range(N):\n"
            "            y_i = self._labels[i]\n"
            "            for j in range(C):\n"
            "                if j != y_i and self._active[i, j]:\n"
            "                    grad[i, j] += 1.0\n"
            "                    grad[i, y_i] = -1.0\n"
            "        return grad / N\n",
        ),
        # added after reading output (tag-vocabulary audit): hinge-true-class-grad-wrong
        expect=(
            "hinge-true-class-count",
            "assigned-not-accumulated",
            "hinge-true-class-grad-missing",
            "hinge-true-class-grad-wrong",
        ),
        phrases=("count", "margin"),
    ),
]

FRESH_AF: list[Mutant] = [*ACTIVATIONS, *LAYERS, *LOSSES]
