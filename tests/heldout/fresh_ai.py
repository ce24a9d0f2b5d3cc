"""Held-apart set AI, first half (activations, layers and losses): realistic student bugs, written blind.

Set AI is written blind, in two halves by two helper sessions at the same time; this module is the activations,
layers and losses half (the other half's file was not read by this module's author). Written by a helper session
under a short deadline (about 45 minutes). Its goal is realism: the mistakes real students of a numpy deep-learning
course make in the code they write (CS231n's naive loops, staged backward passes and vectorised losses, boolean
masks, one-hot matrices, np.dot and einsum, Keras and MATLAB habits, formula-sheet derivatives), leaning toward the
less-covered components and toward what forward saves for backward and how state lives between calls.

What the author read: reference/activations.py, layers.py, losses.py and base.py, tests/heldout/_edits.py, the module
docstrings of fresh_ah.py and fresh_ah2.py up to their "Blind rate" paragraph and the first bugs of fresh_ah.py (for
the format), the ids, components, descriptions and ``expect`` tags of the catalogue and of ``EVERY`` (dumped to a file
and grepped per component, for the tag vocabulary, the copy check and the sharing count), and of
tests/test_feedback_generalisation.py only SETS, FAMILIES and ``_changes``. Not read: docs/api.md (no time), the
diagnosis and grading code (graders/judging, graders/reporting, graders/running, graders/selfcheck,
graders/runner.py), nnlab/ beyond importing it, tests/evidence.py, the feedback audit, the mistake, crash, diagnosis
and feedback tests, benchmarks/, /work/tools/* beyond its own brief, the other half's file, and any grader feedback
or output. None of these bugs was graded.

About 60 ideas were considered, 46 written, 45 kept. Replaced after checking: a Softplus forward through
np.log(1 + exp(min(z, threshold))) instead of log1p (it differed from the reference only by absolute amounts below
1e-13, in the far left tail) became the logaddexp forward that tests x > threshold. Rewritten after the copy check
(same component and ``_changes`` as an earlier bug): BCE's term-by-term unfloored backward (was one return line,
equal to ho-bce-backward-unguarded; now a staged dp with its unpacking) and BCE-with-logits' exponent without abs
(was one loss line, equal to hg-bce-logits-log-term-without-abs; now a softplus variable). Dropped before writing: a
Maxout piece loop assigning grad_x (already twice among earlier bugs), a ReLU saving a float mask multiplied into x
(-0.0 only), BatchNorm1d with statistics over axis 0 only (only a crash for (N, C, L)), a Dropout mask from
rng.binomial (its undone form draws other masks than the reference), average pooling through np.kron (a crash
unless the stride is the kernel), a Linear backward with dW = x.T @ grad_y (a crash unless square), a Flatten to
x.flatten() (a crash in backward), a hinge loss with >= 0 (ties only), a Softmax backward without keepdims (a crash
for dim=-1) and a Sigmoid through tanh(x) (close to earlier ones). No edit is a textual copy of a catalogue mutant
or an earlier held-apart bug.

Rewrites: 37 of the 45 rewrite a whole method or function body (or both methods of a class, or the whole branch of
a body that is one branch) in a student's own style: Identity with a cached local derivative, Step from a zeros
buffer, Sigmoid through boolean masks, tanh's derivative factored, CS231n's ReLU, LeakyReLU by in-place scaling of a
copy and by a derivative array, PReLU's backward with saved output and computed axes, ELU's and SELU's backward with
boolean masks (SELU's forward too), SiLU through the inner Sigmoid's backward, Softplus's backward as a local
derivative, LogSoftmax as log(softmax) and with a total, Maxout's backward with an np.eye one-hot and a piece loop,
Linear's backward with np.dot and in CS231n's staged dW/db, CS231n's naive four-loop convolution (both methods),
naive max pooling (both methods) and a per-entry unravel_index backward, average pooling's forward and backward as
position loops, Flatten through np.squeeze, BatchNorm1d's forward in CS231n's batchnorm_forward style and its staged
backward (dx_hat, dvar, dmu), BatchNorm2d as CS231n's spatial batch norm and with the running update before the mode
test, MSE's forward and backward three times (over rows, with input and target saved, with the residual t - x),
BCE's textbook forward and term-by-term backward, BCE-with-logits through its sigmoid, cross-entropy with a one-hot
matrix and as softmax_loss_vectorized, the hinge loss as svm_loss_vectorized and as CS231n's naive double loop. The
other 8 change one to four lines of a body (tanh's stable exp form, GELU's density, Softplus's threshold with
logaddexp, Softmax's shift, Flatten's per-sample Fortran order, Dropout's training branch twice, BCE-with-logits'
softplus term). Each has exactly one mistake (Flatten's column-major order shows in forward and backward
consistently: one misconception).

Sharing, honestly: 44 of the 45 share an earlier bug's misconception (in new code), by the author's grep of the earlier
ids, descriptions and tags of the same component: e.g. Identity's upstream factor dropped, Step's 1 at 0, the
sigmoid's copied branch, tanh's (1 - y)^2, ReLU's and LeakyReLU's kink, LeakyReLU's literal slope, PReLU's saved
output, ELU's missing upstream, SELU's scale on one branch, GELU's density constant, SiLU's product rule without x,
Softplus's beta times the sigmoid and threshold on x, Softmax's shift axis, LogSoftmax's log of softmax and its
backward axis, Maxout's one-hot not transposed (hd-maxout-one-hot-not-transposed), Linear's bias mean and whole-array
sum, the convolution's 0:-0 unpad slice, max pooling's ties and swapped window sides, average pooling's stride and
divisor, Flatten's squeeze and column-major order, Dropout at p = 1 and from the global generator, the biased running
variance, the staged backward's undivided mean term, spatial batch norm's reshape without transpose, running
statistics updated in evaluation, MSE over rows, without its 2 and with the residual's sign, BCE unclamped and
unfloored, BCE-with-logits through probabilities and without abs, cross-entropy over classes and as log of a
probability, the hinge's literal delta and the true class's missing gradient. One was not found among its
component's earlier bugs: tanh's "stable" sign(x) (1 - e^{-2x}) / (1 + e^{-2x}) without the absolute value (the
same slip is known for the sigmoid, Softplus and BCE-with-logits).

Classes covered: derivatives (the factored tanh derivative, the product rule without x, the chain rule's inner beta,
the density's constant, the staged backward's 1/m), the upstream factor (Identity, ELU), kinks (Step at 0, ReLU and
LeakyReLU's derivative at 0), hyper-parameters ignored (LeakyReLU's slope, the hinge margin, Softplus's beta in the
threshold, Softmax's and LogSoftmax's dim), stable forms (tanh and BCE-with-logits without abs, BCE unclamped and
unfloored, log of softmax in LogSoftmax and cross-entropy, BCE-with-logits through probabilities), state (a local
derivative cached in forward, PReLU's and the hinge loop's saved arrays, running statistics in evaluation, the
biased running variance), reductions and normalisers (a bias mean, a whole-array bias sum, MSE over rows, the
cross-entropy mean over classes, average pooling divided by the whole slice), layout (one-hot and spatial batch
norm reshaped without transpose, a column-major Flatten, a squeezed output, a swapped unravel shape), windows (stride
ignored, ties to every maximum, an empty unpad slice), randomness (the global generator, 0/0 at p = 1), signs and
branches (the sigmoid's copied branch, the residual t - x, SELU's scale on one branch).
Components: activations Identity, Step, Sigmoid, Tanh (2), ReLU, LeakyReLU (2), PReLU, ELU, SELU, GELU, SiLU,
Softplus (2), Softmax, LogSoftmax (2), Maxout (19 bugs); layers Linear (2), Conv2d, MaxPool2d (2), AvgPool2d (2),
Flatten (2), Dropout (2), BatchNorm1d (2), BatchNorm2d (2) (15 bugs); losses MSELoss (3), BCELoss (2),
BCEWithLogitsLoss (2), CrossEntropyLoss (2), HingeLoss (2) (11 bugs).

Checks: every edit applies once and its module imports; ids are new and unique; every ``expect`` tag is in the
existing vocabulary; no textual copy (``_changes``). A script (in /tmp, not in the repo) loaded the reference package
three times per bug (reference, bug, and bug with its slip undone by a text replacement) and compared (rtol 1e-9,
atol 1e-13, shapes and dtypes, exceptions by type) forward outputs, the caller's input and upstream arrays after the
call, input gradients, a second backward call, parameter gradients (accumulated over two forward/backward rounds
with inputs of two shapes) and running buffers, then evaluation forward and backward; losses: value, two backward
calls, input and target afterwards. Inputs: activations on (4, 5), (2, 3, 4) and (2, 3, 4, 2) normal inputs (scale 2,
every fifth entry 0) and a (2, 6) row of extremes from -1000 to 1000; LeakyReLU slope 0.01, 0.2 and 1.5, ELU alpha 1,
0.7 and 1.5, GELU exact and tanh, Softplus beta 1, 2 and (0.5, threshold 5); Softmax and LogSoftmax with dim -1, 0
and 1, also on logits 800 apart; PReLU shared (init 0.4), 3 channels on (2, 3, 4, 2) then (4, 3), and 5 on (4, 5);
Maxout (D, M, K) = (5, 4, 3), (5, 4, 2), (3, 3, 1), (5, 1, 3) on 6 then 3 samples; Linear 5 -> 3 and 5 -> 5 with bias,
4 -> 2 without; Conv2d 3 -> 4 on (2, 3, 6, 7) then (1, 3, 5, 5): 3x3; (2, 3) stride (2, 1) padding (1, 2); 3x3 stride 2
padding 1; 2x2 stride 2; 3x3 padding 1 without bias; pooling on (2, 3, 6, 7) and a rounded, ReLU-clipped copy with
ties: 2, 3 stride 2, (3, 2) stride (2, 1), 3 stride 1, (2, 3); Flatten on (2, 3, 6, 7), (1, 3, 2), (4, 3, 2), (4, 1),
(2, 3, 4) in turn; Dropout p = 0.3, 0.5, 0 and 1 with a seeded rng (and a seeded global generator), then evaluation;
BatchNorm1d on (8, 3) and (4, 3, 5), BatchNorm2d on (4, 3, 5, 6) and (2, 3, 2, 2), momentum 0.1 and 0.3, default and
(1.5, 0.5, -0.8) / (0.1, -0.2, 0.3) affine parameters, two training rounds then two evaluation rounds; MSE on (5, 3)
and (4,); BCE on soft and hard targets (6, 3), on (6,) and on probabilities 0, 1, 0.5 and 1e-20; BCE-with-logits
(scale 3) on (6, 3), (5,) and logits of -800, -40, 40, 800, 0; cross-entropy and hinge (margin 1 and 0.7) on (6, 4),
(3, 5) and logits 1000 apart. Every undone slip matched the reference on every configuration; every bug changed a
result on at least one. Some need the configuration their mistake is about: an input of exactly 0 (Step, ReLU's and
LeakyReLU's kinks), slope or beta or alpha other than the default (LeakyReLU's literal, Softplus's threshold),
dim other than the last (Softmax, LogSoftmax's backward), more than one piece and unit (Maxout), padding 0 (the unpad
slice), ties (max pooling's mask), a non-square window (unravel_index; at the border it raises IndexError), a stride
other than 1 (average pooling's origin), a batch of one or one feature (Flatten's squeeze, a ValueError in backward),
p = 1 (Dropout's 0/0), evaluation after training (BatchNorm2d's update), more than one column (MSE over rows),
probabilities of exactly 0 or 1 (BCE), logits beyond about 37 or far apart (BCE-with-logits through probabilities,
LogSoftmax and cross-entropy through log of a probability), a margin other than 1 (hinge). The ``expect`` tags and
``phrases`` were chosen from the misconception alone, before any grading, from the existing vocabulary. Ids start with
``hsai-``.

Blind rate (graded in the sandbox, isolated, before anybody read the feedback; set AH had been taught):
39/45 named (87 %), 45 caught, 5 flagged with another bug class's tag: 3 the right diagnosis under another name
(SELU's scale missing on the positive branch, MSE divided by the rows only, BCE's backward without its floor) and 2
wrong claims (the sigmoid's negative branch copied from the positive one blamed on a missing abs in the exponent,
which the student had right; LogSoftmax's log of an underflowed probability read as an overflow, with advice about
large exponents that did not apply).
The whole set: 78/86 named (91 %), 86 caught, 8 flagged, 6 the right diagnosis under another tag and 2 wrong claims
(77/86 named with no wrong claim, 90 %); the second half: 39/41, 41 caught, 3 flagged (all right).
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hsai-")  # set AI

ACTIVATIONS = [
    fresh(
        "hsai-identity-cached-local-derivative-returned",
        "activations.Identity",
        "forward caches the local derivative self._local = np.ones_like(x) and backward returns that local "
        "derivative instead of multiplying it by the upstream gradient (grad_y * self._local): the chain rule's "
        "upstream factor is dropped",
        span(
            "activations",
            ("        return x\n", "        self._local = np.ones_like(x)  # dy/dx\n        return x\n"),
            ("        return grad_y\n", "        return self._local\n"),
        ),
        expect=("ignores-upstream-gradient",),
        phrases=("upstream",),
    ),
    fresh(
        "hsai-step-mask-assignment-one-at-zero",
        "activations.Step",
        "forward builds the output from zeros and sets the entries where x >= 0 to one (y[x >= 0] = 1.0), so an "
        "input of exactly 0 gives 1 instead of 0 (the step is 1 only for x > 0)",
        (
            "        return (x > 0).astype(np.float64)\n",
            "        y = np.zeros_like(x)\n        y[x >= 0] = 1.0\n        return y\n",
        ),
        expect=("step-at-zero", "kink-value"),
        phrases=("0",),
    ),
    fresh(
        "hsai-sigmoid-masked-branches-negative-copied",
        "activations.Sigmoid",
        "forward fills the output through boolean masks, 1 / (1 + exp(-x)) where x >= 0 and, for the negative "
        "entries, the exponential exp(x) computed safely, but the negative branch copies the positive branch's "
        "1 / (1 + e) instead of e / (1 + e), which is sigmoid(-x) = 1 - sigmoid(x)",
        (
            "        z = np.exp(-np.abs(x))\n"
            "        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n"
            "        return self._y\n",
            "        pos = x >= 0\n"
            "        y = np.empty_like(x)\n"
            "        y[pos] = 1.0 / (1.0 + np.exp(-x[pos]))\n"
            "        e = np.exp(x[~pos])  # x < 0: no overflow\n"
            "        y[~pos] = 1.0 / (1.0 + e)\n"
            "        self._y = y\n"
            "        return y\n",
        ),
        expect=("sigmoid-exponent-sign", "copy-paste", "formula-wrong"),
        phrases=("negative",),
    ),
    fresh(
        "hsai-tanh-factored-derivative-sign",
        "activations.Tanh",
        "backward writes 1 - y^2 factored as (1 - y)(1 + y) but types the second factor as (1 - y), so the "
        "derivative is (1 - y)^2 instead of 1 - y^2",
        (
            "        return grad_y * (1.0 - self._y * self._y)\n",
            "        y = self._y\n        return grad_y * (1.0 - y) * (1.0 - y)\n",
        ),
        expect=("derivative-wrong-form", "formula-wrong"),
        phrases=("1 - y",),
    ),
    fresh(
        "hsai-tanh-stable-exp-form-without-abs",
        "activations.Tanh",
        "forward through the 'stable' form tanh(x) = sign(x) (1 - e^{-2|x|}) / (1 + e^{-2|x|}), but the "
        "exponent is written e^{-2x} without the absolute value: every negative input gets the sign twice "
        "(tanh(-1) comes out +0.76) and e^{-2x} overflows for x < -355",
        (
            "        self._y = np.tanh(x)\n",
            "        e2 = np.exp(-2.0 * x)\n        self._y = np.sign(x) * (1.0 - e2) / (1.0 + e2)\n",
        ),
        expect=("abs-missing-in-stable-form", "sign-flipped", "overflow"),
        phrases=("abs",),
    ),
    fresh(
        "hsai-relu-cs231n-zeroes-strictly-negative",
        "activations.ReLU",
        "CS231n-style ReLU: forward saves the input, backward copies the upstream gradient and zeroes it where "
        "x < 0, so at x == 0 the gradient passes through (ReLU'(0) must be 0: the x <= 0 branch)",
        span(
            "activations",
            (
                "        self._mask = x > 0\n        return np.where(self._mask, x, 0.0)\n",
                "        self._x = x\n        return np.maximum(0.0, x)\n",
            ),
            (
                "        return np.where(self._mask, grad_y, 0.0)\n",
                "        dx = np.array(grad_y, copy=True)\n        dx[self._x < 0] = 0.0\n        return dx\n",
            ),
        ),
        expect=("kink-derivative",),
        phrases=("0",),
    ),
    fresh(
        "hsai-leakyrelu-copy-scales-by-literal-slope",
        "activations.LeakyReLU",
        "forward copies the input and scales the non-positive entries in place by the literal 0.01 "
        "(y[x <= 0] *= 0.01) instead of self.negative_slope: any other slope is ignored in forward while "
        "backward uses it",
        (
            "        self._x = x\n        return np.where(x > 0, x, self.negative_slope * x)\n",
            "        self._x = x\n        y = x.copy()\n        y[x <= 0] *= 0.01\n        return y\n",
        ),
        expect=("hyperparameter-ignored", "forward-backward-mismatch"),
        phrases=("negative_slope",),
    ),
    fresh(
        "hsai-leakyrelu-derivative-array-strict-negative",
        "activations.LeakyReLU",
        "backward builds the local derivative as ones and sets it to the slope where x < 0, so at x == 0 the "
        "derivative is 1 instead of the slope (the x <= 0 branch)",
        (
            "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
            "        d = np.ones_like(self._x)\n"
            "        d[self._x < 0] = self.negative_slope\n"
            "        return grad_y * d\n",
        ),
        expect=("kink-derivative",),
        phrases=("0",),
    ),
    fresh(
        "hsai-prelu-slope-grad-from-saved-output",
        "activations.PReLU",
        "forward also saves its output self._y and backward computes the slope gradient from grad_y * y on the "
        "negative entries instead of grad_y * x: on those entries y = a x, so dL/da comes out multiplied by a",
        span(
            "activations",
            (
                "        return np.where(x > 0, x, self._a * x)\n",
                "        self._y = np.where(x > 0, x, self._a * x)\n        return self._y\n",
            ),
            (
                "        negative = self._x <= 0\n"
                "        contribution = np.where(negative, grad_y * self._x, 0.0)\n"
                "        if self.num_parameters == 1:\n"
                "            self.weight.grad += contribution.sum()\n"
                "        else:  # sum over every axis but the channel axis\n"
                "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))\n"
                "        return np.where(negative, self._a * grad_y, grad_y)\n",
                "        neg = self._x <= 0\n"
                "        dx = np.where(neg, self._a * grad_y, grad_y)\n"
                "        da = grad_y * self._y * neg\n"
                "        if self.num_parameters == 1:\n"
                "            axes = tuple(range(da.ndim))\n"
                "        else:\n"
                "            axes = tuple(i for i in range(da.ndim) if i != 1)\n"
                "        self.weight.grad += da.sum(axis=axes)\n"
                "        return dx\n",
            ),
        ),
        # added after reading output (tag-vocabulary audit): prelu-grad-used-output
        expect=("saved-output-not-input", "derivative-is-output", "prelu-grad-used-output"),
        phrases=("input",),
    ),
    fresh(
        "hsai-elu-masked-negative-branch-without-upstream",
        "activations.ELU",
        "backward copies the upstream gradient and overwrites the entries with x <= 0 by the local slope "
        "alpha * exp(x) alone, forgetting to multiply it by grad_y there",
        (
            "        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))\n"
            "        return np.where(self._x > 0, grad_y, slope * grad_y)\n",
            "        dx = grad_y.copy()\n"
            "        neg = self._x <= 0\n"
            "        dx[neg] = self.alpha * np.exp(self._x[neg])\n"
            "        return dx\n",
        ),
        expect=("ignores-upstream-gradient",),
        phrases=("upstream",),
    ),
    fresh(
        "hsai-selu-masked-rewrite-scale-on-negative-only",
        "activations.SELU",
        "SELU written out with boolean masks instead of the inner ELU; forward is right, but backward scales only "
        "the negative entries (scale * alpha * exp(x) * grad_y) and passes grad_y unscaled where x > 0 (the "
        "derivative there is scale, not 1)",
        span(
            "activations",
            (
                "        return self.scale * self._elu.forward(x)\n",
                "        self._x = x\n"
                "        y = self.scale * x\n"
                "        neg = x <= 0\n"
                "        y[neg] = self.scale * self.alpha * np.expm1(x[neg])\n"
                "        return y\n",
            ),
            (
                "        return self._elu.backward(self.scale * grad_y)\n",
                "        dx = grad_y.copy()\n"
                "        neg = self._x <= 0\n"
                "        dx[neg] = self.scale * self.alpha * np.exp(self._x[neg]) * grad_y[neg]\n"
                "        return dx\n",
            ),
        ),
        expect=(
            "selu-missing-scale",
            "derivative-wrong-form",
            "formula-constant",  # the last tag added after reading output
        ),
        phrases=("scale",),
    ),
    fresh(
        "hsai-gelu-density-over-sqrt-pi",
        "activations.GELU",
        "the exact backward writes the standard normal density as exp(-x^2 / 2) / sqrt(pi) instead of "
        "/ sqrt(2 pi), so the x phi(x) term is sqrt(2) too large",
        (
            "        xc = np.clip(self._x, -40.0, 40.0)\n        pdf = INV_SQRT_2PI * np.exp(-0.5 * xc * xc)\n",
            "        xc = np.clip(self._x, -40.0, 40.0)\n        pdf = np.exp(-xc**2 / 2.0) / np.sqrt(np.pi)\n",
        ),
        expect=("formula-constant", "derivative-wrong-form"),
        phrases=("2 pi",),
    ),
    fresh(
        "hsai-silu-composed-backward-x-dropped",
        "activations.SiLU",
        "backward reuses the inner Sigmoid's backward for the product rule, grad_y * s + sigmoid.backward(grad_y), "
        "but forgets to multiply the second term by x: the derivative of x s(x) is s + x s (1 - s)",
        (
            "        s = self._s\n        return grad_y * (s + self._x * s * (1.0 - s))\n",
            "        return grad_y * self._s + self._sigmoid.backward(grad_y)\n",
        ),
        expect=("product-rule-x-dropped", "derivative-wrong-form"),
        phrases=("x",),
    ),
    fresh(
        "hsai-softplus-backward-chain-rule-beta",
        "activations.Softplus",
        "backward differentiates log(1 + e^{beta x}) / beta as beta sigmoid(beta x), keeping the chain rule's "
        "inner beta and forgetting that the 1 / beta in front cancels it (the derivative is sigmoid(beta x))",
        (
            "        return np.where(self._linear, grad_y, grad_y * self._s)\n",
            "        local = np.where(self._linear, 1.0, self.beta * self._s)\n        return grad_y * local\n",
        ),
        expect=("softplus-grad-times-beta", "chain-rule-inner-derivative"),
        phrases=("beta",),
    ),
    fresh(
        "hsai-softplus-logaddexp-threshold-on-x",
        "activations.Softplus",
        "forward through np.logaddexp(0, beta x) / beta, but the switch to the identity tests x > threshold "
        "instead of beta * x > threshold (PyTorch compares beta * input): for beta != 1 the wrong entries are "
        "taken as linear",
        (
            "        z = self.beta * x\n"
            "        self._linear = z > self.threshold\n"
            "        self._s = self._sigmoid.forward(z)\n"
            "        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / self.beta\n",
            "        self._linear = x > self.threshold\n"
            "        z = self.beta * x\n"
            "        self._s = self._sigmoid.forward(z)\n"
            "        soft = np.logaddexp(0.0, z) / self.beta\n",
        ),
        expect=("softplus-threshold-on-x", "softplus-beta-missing"),
        phrases=("beta",),
    ),
    fresh(
        "hsai-softmax-max-along-last-axis",
        "activations.Softmax",
        "forward subtracts the maximum along the last axis (CS231n's axis=-1) but normalises along self.dim: for "
        "dim other than the last axis the shift is not constant along the normalised axis and the result is "
        "not the softmax",
        (
            "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n"
            "        self._y = e / np.sum(e, axis=self.dim, keepdims=True)\n",
            "        shifted = x - x.max(axis=-1, keepdims=True)\n"
            "        exps = np.exp(shifted)\n"
            "        self._y = exps / exps.sum(axis=self.dim, keepdims=True)\n",
        ),
        expect=("softmax-wrong-axis", "hyperparameter-ignored"),
        phrases=("axis",),
    ),
    fresh(
        "hsai-logsoftmax-log-of-stable-softmax",
        "activations.LogSoftmax",
        "forward computes the stable softmax first (shifted by the maximum) and returns np.log of it: a "
        "probability that underflows to 0 gives -inf instead of the finite log-probability x - logsumexp(x)",
        (
            "        shifted = x - np.max(x, axis=self.dim, keepdims=True)\n"
            "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n"
            "        self._p = np.exp(y)\n"
            "        return y\n",
            "        e = np.exp(x - np.max(x, axis=self.dim, keepdims=True))\n"
            "        p = e / np.sum(e, axis=self.dim, keepdims=True)\n"
            "        self._p = p\n"
            "        return np.log(p)\n",
        ),
        expect=("log-of-softmax-underflow", "underflow"),
        phrases=("logsumexp",),
    ),
    fresh(
        "hsai-logsoftmax-backward-total-along-last-axis",
        "activations.LogSoftmax",
        "backward sums the upstream gradient along the last axis (axis=-1, hard-coded) instead of self.dim: for "
        "dim other than the last axis the Jacobian product uses the wrong totals",
        (
            "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
            "        total = grad_y.sum(axis=-1, keepdims=True)\n        return grad_y - self._p * total\n",
        ),
        expect=("softmax-backward-wrong-axis", "hyperparameter-ignored"),
        phrases=("axis",),
    ),
    fresh(
        "hsai-maxout-onehot-reshaped-not-transposed",
        "activations.Maxout",
        "backward builds the winners' one-hot with np.eye(K)[argmax], shape (N, M, K), and brings it to (N, K, M) "
        "with reshape instead of transpose: the gradient is routed to the wrong pieces and units whenever "
        "K > 1 and M > 1",
        (
            "        won = self._argmax[:, None, :] == np.arange(self.pieces)[None, :, None]\n"
            "        grad_z = np.where(won, grad_y[:, None, :], 0.0)  # (N, K, M)\n"
            '        self.weight.grad += np.einsum("nkj,nd->kjd", grad_z, self._x)\n'
            "        self.bias.grad += grad_z.sum(axis=0)\n"
            '        return np.einsum("nkj,kjd->nd", grad_z, self.weight.data)\n',
            "        N = grad_y.shape[0]\n"
            "        onehot = np.eye(self.pieces)[self._argmax]  # (N, M, K)\n"
            "        won = onehot.reshape(N, self.pieces, self.out_features)\n"
            "        grad_z = won * grad_y[:, None, :]\n"
            "        grad_x = np.zeros_like(self._x)\n"
            "        for k in range(self.pieces):\n"
            "            self.weight.grad[k] += grad_z[:, k].T @ self._x\n"
            "            self.bias.grad[k] += grad_z[:, k].sum(axis=0)\n"
            "            grad_x += grad_z[:, k] @ self.weight.data[k]\n"
            "        return grad_x\n",
        ),
        expect=("reshape-not-transpose", "axes-permuted", "maxout-grad-to-wrong-piece"),
        phrases=("transpose",),
    ),
]

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
    "        grad_x_hat = grad_y * self.weight.data.reshape(shape)\n"
    "        if self._batch_stats:\n"
    "            # The mean and variance depend on every sample: subtract the gradient's\n"
    "            # component along the constant direction and along x_hat.\n"
    "            grad_x = self._inv_std * (\n"
    "                grad_x_hat\n"
    "                - grad_x_hat.mean(axis=axes, keepdims=True)\n"
    "                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)\n"
    "            )\n"
)
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
# CS231n's conv_forward_naive / conv_backward_naive, four nested loops.
_NAIVE_CONV_FORWARD = (
    '        xp = np.pad(x, ((0, 0), (0, 0), (pH, pH), (pW, pW)), mode="constant")\n'
    "        self._xp = xp\n"
    "        F = self.out_channels\n"
    "        y = np.zeros((N, F, Ho, Wo))\n"
    "        for n in range(N):\n"
    "            for f in range(F):\n"
    "                for i in range(Ho):\n"
    "                    for j in range(Wo):\n"
    "                        window = xp[n, :, i * sH:i * sH + kH, j * sW:j * sW + kW]\n"
    "                        y[n, f, i, j] = np.sum(window * self.weight.data[f])\n"
    "        if self.bias is not None:\n"
    "            y += self.bias.data[None, :, None, None]\n"
)
_NAIVE_CONV_BACKWARD = (
    "        sH, sW = self.stride\n"
    "        xp = self._xp\n"
    "        w = self.weight.data\n"
    "        dxp = np.zeros_like(xp)\n"
    "        for n in range(N):\n"
    "            for f in range(F):\n"
    "                for i in range(Ho):\n"
    "                    for j in range(Wo):\n"
    "                        g = grad_y[n, f, i, j]\n"
    "                        window = xp[n, :, i * sH:i * sH + kH, j * sW:j * sW + kW]\n"
    "                        self.weight.grad[f] += g * window\n"
    "                        dxp[n, :, i * sH:i * sH + kH, j * sW:j * sW + kW] += g * w[f]\n"
    "        if self.bias is not None:\n"
    "            self.bias.grad += grad_y.sum(axis=(0, 2, 3))\n"
    "        grad_x = dxp[:, :, pH:-pH, pW:-pW]\n"
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
_DROPOUT_FORWARD = (
    "        if self.training:\n"
    "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n"
    "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n"
    "            self._mask = keep * scale\n"
    "            y = x * self._mask\n"
)

LAYERS = [
    fresh(
        "hsai-linear-np-dot-bias-grad-mean",
        "layers.Linear",
        "backward written with np.dot; the bias gradient is the mean of grad_y over the batch "
        "(np.mean(grad_y, axis=0)) instead of its sum, so it is N times too small",
        (
            "        self.weight.grad += grad_y.T @ self._x\n"
            "        if self.bias is not None:\n"
            "            self.bias.grad += grad_y.sum(axis=0)\n"
            "        grad_x = grad_y @ self.weight.data\n",
            "        x = self._x\n"
            "        self.weight.grad += np.dot(grad_y.T, x)\n"
            "        if self.bias is not None:\n"
            "            self.bias.grad += np.mean(grad_y, axis=0)\n"
            "        grad_x = np.dot(grad_y, self.weight.data)\n",
        ),
        expect=("bias-mean-not-sum", "divided-by-batch-size"),
        phrases=("sum",),
    ),
    fresh(
        "hsai-linear-staged-db-summed-without-axis",
        "layers.Linear",
        "backward in CS231n's staged style (dW, db, then accumulate), but db = np.sum(grad_y) has no axis: the "
        "bias gradient of every unit is the total over the batch and all units",
        (
            "        self.weight.grad += grad_y.T @ self._x\n"
            "        if self.bias is not None:\n"
            "            self.bias.grad += grad_y.sum(axis=0)\n"
            "        grad_x = grad_y @ self.weight.data\n",
            "        dW = grad_y.T.dot(self._x)\n"
            "        db = np.sum(grad_y)\n"
            "        grad_x = grad_y.dot(self.weight.data)\n"
            "        self.weight.grad += dW\n"
            "        if self.bias is not None:\n"
            "            self.bias.grad += db\n",
        ),
        expect=("reduction-over-whole-array", "gradient-summed-over-wrong-axes"),
        phrases=("axis",),
    ),
    fresh(
        "hsai-conv-naive-loops-unpad-negative-slice",
        "layers.Conv2d",
        "CS231n's naive four-loop convolution, forward and backward, right except that backward removes the "
        "padding with dxp[:, :, pH:-pH, pW:-pW]: with padding 0 the slice 0:-0 is empty, so the input gradient "
        "has no rows or columns",
        span("layers", (_CONV_FORWARD, _NAIVE_CONV_FORWARD), (_CONV_BACKWARD, _NAIVE_CONV_BACKWARD)),
        expect=("unpad-negative-slice", "padding-slice-bounds"),
        phrases=("padding",),
    ),
    fresh(
        "hsai-maxpool-naive-mask-equals-window-max",
        "layers.MaxPool2d",
        "CS231n's naive max pooling: forward and backward loop over output positions and backward routes each "
        "window's gradient through the mask window == window.max(), so on a tie every maximal entry receives "
        "the whole gradient instead of one",
        span(
            "layers",
            (
                _MAXPOOL_FORWARD,
                "        Ho, Wo = self._y_shape[2:]\n"
                "        self._x = x\n"
                "        y = np.zeros(self._y_shape)\n"
                "        for i in range(Ho):\n"
                "            for j in range(Wo):\n"
                "                window = x[:, :, i * sH:i * sH + kH, j * sW:j * sW + kW]\n"
                "                y[:, :, i, j] = window.max(axis=(2, 3))\n",
            ),
            (
                _MAXPOOL_BACKWARD,
                "        x = self._x\n"
                "        grad_x = np.zeros_like(x)\n"
                "        for i in range(Ho):\n"
                "            for j in range(Wo):\n"
                "                window = x[:, :, i * sH:i * sH + kH, j * sW:j * sW + kW]\n"
                "                mask = window == window.max(axis=(2, 3), keepdims=True)\n"
                "                g = grad_y[:, :, i, j][:, :, None, None]\n"
                "                grad_x[:, :, i * sH:i * sH + kH, j * sW:j * sW + kW] += mask * g\n",
            ),
        ),
        expect=("maxpool-grad-to-every-max",),
        phrases=("tie",),
    ),
    fresh(
        "hsai-maxpool-unravel-index-shape-swapped",
        "layers.MaxPool2d",
        "backward loops over every output entry and decodes the saved flat argmax with "
        "np.unravel_index(idx, (kW, kH)) instead of (kH, kW): for a non-square window the row and column "
        "offsets of the maximum are wrong",
        (
            _MAXPOOL_BACKWARD,
            "        grad_x = np.zeros(self._x_shape)\n"
            "        N, C = grad_y.shape[:2]\n"
            "        for n in range(N):\n"
            "            for c in range(C):\n"
            "                for p in range(Ho):\n"
            "                    for q in range(Wo):\n"
            "                        di, dj = np.unravel_index(self._argmax[n, c, p, q], (kW, kH))\n"
            "                        grad_x[n, c, p * sH + di, q * sW + dj] += grad_y[n, c, p, q]\n",
        ),
        expect=("offset-decoded-with-wrong-side", "kernel-height-width-swapped"),
        phrases=("kernel",),
    ),
    fresh(
        "hsai-avgpool-loop-window-origin-without-stride",
        "layers.AvgPool2d",
        "forward loops over output positions and averages x[:, :, p:p + kH, q:q + kW]: the window origin is the "
        "output index itself instead of p * sH, q * sW, so the stride is ignored (the windows slide by one)",
        (
            _AVGPOOL_FORWARD,
            "        Ho, Wo = self._y_shape[2:]\n"
            "        self._x_shape = x.shape\n"
            "        y = np.empty(self._y_shape)\n"
            "        for p in range(Ho):\n"
            "            for q in range(Wo):\n"
            "                y[:, :, p, q] = x[:, :, p:p + kH, q:q + kW].mean(axis=(2, 3))\n",
        ),
        expect=("stride-ignored", "window-offset-ignored"),
        phrases=("stride",),
    ),
    fresh(
        "hsai-avgpool-loop-divided-by-region-size",
        "layers.AvgPool2d",
        "backward loops over output positions and spreads each window's gradient as grad_y / region.size, where "
        "region is the slice over every sample and channel: it divides by N * C * kH * kW instead of kH * kW",
        (
            _AVGPOOL_BACKWARD,
            "        grad_x = np.zeros(self._x_shape)\n"
            "        for p in range(Ho):\n"
            "            for q in range(Wo):\n"
            "                region = grad_x[:, :, p * sH:p * sH + kH, q * sW:q * sW + kW]\n"
            "                region += grad_y[:, :, p, q][:, :, None, None] / region.size\n",
        ),
        expect=("avgpool-divisor", "divided-by-batch-size"),
        phrases=("kH * kW",),
    ),
    fresh(
        "hsai-flatten-squeezed",
        "layers.Flatten",
        "forward flattens with x.reshape(len(x), -1) and then np.squeeze, which also drops the batch axis of a "
        "single sample (or the feature axis of a one-feature input): the output is not always (N, D)",
        (
            "        self._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
            "        self._x_shape = x.shape\n        y = np.squeeze(x.reshape(len(x), -1))\n",
        ),
        expect=("squeezed-output", "length-one-axis"),
        phrases=("squeeze",),
    ),
    fresh(
        "hsai-flatten-per-sample-fortran-order",
        "layers.Flatten",
        "flattens sample by sample with sample.flatten(order='F') (MATLAB's column-major order), and backward "
        "reshapes back with the same order: consistent with itself, but the features are not in PyTorch's "
        "row-major order, so the next Linear layer's weights meet other features",
        span(
            "layers",
            (
                "        y = x.reshape(self._y_shape)\n",
                '        y = np.stack([sample.flatten(order="F") for sample in x])\n',
            ),
            (
                "        grad_x = grad_y.reshape(self._x_shape)\n",
                '        grad_x = np.stack([g.reshape(self._x_shape[1:], order="F") for g in grad_y])\n',
            ),
        ),
        expect=("flatten-column-major", "reshape-order"),
        phrases=("order",),
    ),
    fresh(
        "hsai-dropout-scaled-mask-divides-by-zero-at-p-one",
        "layers.Dropout",
        "forward builds the inverted mask in one line, (u >= p) / (1 - p), without PyTorch's special case: at "
        "p = 1 it computes 0 / 0 and the output is nan instead of zeros",
        (
            _DROPOUT_FORWARD,
            "        if self.training:\n"
            "            u = self.rng.random(x.shape)\n"
            "            self._mask = (u >= self.p) / (1.0 - self.p)\n"
            "            y = x * self._mask\n",
        ),
        expect=("dropout-divides-by-zero-at-p-one",),
        phrases=("p = 1",),
    ),
    fresh(
        "hsai-dropout-mask-from-np-random-rand",
        "layers.Dropout",
        "forward draws the mask with np.random.rand(*x.shape) (CS231n's habit) instead of the layer's own "
        "generator self.rng: the masks ignore the rng argument and manual_seed, so they are not reproducible",
        (
            _DROPOUT_FORWARD,
            "        if self.training:\n"
            "            q = 1.0 - self.p\n"
            "            keep = np.random.rand(*x.shape) >= self.p\n"
            "            self._mask = keep / q if q > 0 else np.zeros(x.shape)\n"
            "            y = x * self._mask\n",
        ),
        expect=("rng-ignored",),
        phrases=("rng",),
    ),
    fresh(
        "hsai-bn1d-cs231n-forward-biased-running-var",
        "layers.BatchNorm1d",
        "forward in CS231n's batchnorm_forward style (mu, xmu, var, std, x_hat, then the running averages "
        "reassigned), but the running variance averages the biased batch variance: PyTorch stores the unbiased "
        "var * m / (m - 1)",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        _BN_FORWARD,
                        "        if self.training:\n"
                        "            mu = x.mean(axis=axes, keepdims=True)\n"
                        "            xmu = x - mu\n"
                        "            var = (xmu**2).mean(axis=axes, keepdims=True)\n"
                        "            std = np.sqrt(var + self.eps)\n"
                        "            self._x_hat = xmu / std\n"
                        "            mom = self.momentum\n"
                        "            self.running_mean = (1 - mom) * self.running_mean + mom * mu.reshape(-1)\n"
                        "            self.running_var = (1 - mom) * self.running_var + mom * var.reshape(-1)\n"
                        "        else:\n"
                        "            std = np.sqrt(self.running_var.reshape(shape) + self.eps)\n"
                        "            self._x_hat = (x - self.running_mean.reshape(shape)) / std\n"
                        "        self._batch_stats = self.training\n"
                        "        self._inv_std = 1.0 / std\n"
                        "        y = self.weight.data.reshape(shape) * self._x_hat + self.bias.data.reshape(shape)\n",
                    )
                ]
            },
        ),
        expect=("bn-biased-running-var", "bessel-correction"),
        phrases=("unbiased",),
    ),
    fresh(
        "hsai-bn1d-staged-backward-dmu-not-divided",
        "layers.BatchNorm1d",
        "training backward through CS231n's staged graph (dx_hat, dvar, dmu, then dx), but the last line adds "
        "dmu instead of dmu / m: the mean's gradient reaches each of the m values undivided",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        _BN_BACKWARD,
                        "        dx_hat = grad_y * self.weight.data.reshape(shape)\n"
                        "        if self._batch_stats:\n"
                        "            m = grad_y.size // grad_y.shape[1]\n"
                        "            ivar = self._inv_std\n"
                        "            xmu = self._x_hat / ivar\n"
                        "            dvar = np.sum(dx_hat * xmu, axis=axes, keepdims=True) * -0.5 * ivar**3\n"
                        "            dmu = np.sum(-dx_hat * ivar, axis=axes, keepdims=True)\n"
                        "            dmu += dvar * np.mean(-2.0 * xmu, axis=axes, keepdims=True)\n"
                        "            grad_x = dx_hat * ivar + dvar * 2.0 * xmu / m + dmu\n",
                    ),
                    ("            grad_x = grad_x_hat * self._inv_std", "            grad_x = dx_hat * self._inv_std"),
                ]
            },
        ),
        expect=("bn-backward-sum-not-mean", "bn-sum-not-mean"),
        phrases=("mean",),
    ),
    fresh(
        "hsai-bn2d-spatial-reshape-back-without-transpose",
        "layers.BatchNorm2d",
        "spatial batch norm as in CS231n: the input is moved channels-last and reshaped to (N*H*W, C) for the "
        "per-channel statistics, but x_hat is brought back with reshape(N, C, H, W) instead of "
        "reshape(N, H, W, C).transpose(0, 3, 1, 2), so the normalised values land in the wrong places",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        _BN_FORWARD,
                        "        N, C, H, W = x.shape\n"
                        "        x2 = x.transpose(0, 2, 3, 1).reshape(-1, C)\n"
                        "        if self.training:\n"
                        "            mean = x2.mean(axis=0)\n"
                        "            var = x2.var(axis=0)\n"
                        "            m = self.momentum\n"
                        "            self.running_mean *= 1.0 - m\n"
                        "            self.running_mean += m * mean\n"
                        "            self.running_var *= 1.0 - m\n"
                        "            self.running_var += m * var * (count / (count - 1))\n"
                        "        else:\n"
                        "            mean, var = self.running_mean, self.running_var\n"
                        "        self._batch_stats = self.training\n"
                        "        inv_std = 1.0 / np.sqrt(var + self.eps)\n"
                        "        x_hat2 = (x2 - mean) * inv_std\n"
                        "        self._inv_std = inv_std.reshape(shape)\n"
                        "        self._x_hat = x_hat2.reshape(N, C, H, W)\n"
                        "        y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)\n",
                    )
                ]
            },
        ),
        expect=("reshape-not-transpose", "channels-last-layout"),
        phrases=("transpose",),
    ),
    fresh(
        "hsai-bn2d-running-update-before-mode-check",
        "layers.BatchNorm2d",
        "forward always computes the batch statistics and updates the running averages, and only then checks "
        "self.training to pick the running buffers in evaluation: every evaluation batch moves the buffers (and "
        "is normalised with buffers it has just moved)",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        _BN_FORWARD,
                        "        mean = x.mean(axis=axes)\n"
                        "        var = x.var(axis=axes)\n"
                        "        m = self.momentum\n"
                        "        self.running_mean = (1.0 - m) * self.running_mean + m * mean\n"
                        "        self.running_var = (1.0 - m) * self.running_var + m * var * count / (count - 1)\n"
                        "        if not self.training:\n"
                        "            mean, var = self.running_mean, self.running_var\n"
                        "        self._batch_stats = self.training\n"
                        "        inv_std = 1.0 / np.sqrt(var + self.eps)\n"
                        "        self._inv_std = inv_std.reshape(shape)\n"
                        "        self._x_hat = (x - mean.reshape(shape)) * self._inv_std\n"
                        "        y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)\n",
                    )
                ]
            },
        ),
        expect=("bn-updates-in-eval", "train-eval"),
        phrases=("evaluation",),
    ),
]

LOSSES = [
    fresh(
        "hsai-mse-sum-over-rows",
        "losses.MSELoss",
        "forward sums the squared errors and divides by the number of rows x.shape[0], and backward divides "
        "2 (x - t) by the same: for input with more than one column the mean over all M entries is N times "
        "too large (the loss is averaged over the batch only)",
        span(
            "losses",
            (
                "        self._diff = x - t\n        loss = np.mean(self._diff**2)\n",
                "        self._diff = x - t\n        loss = np.sum(self._diff**2) / x.shape[0]\n",
            ),
            (
                "        return 2.0 * self._diff / self._diff.size\n",
                "        n = self._diff.shape[0]\n        return 2.0 * self._diff / n\n",
            ),
        ),
        # the last tag added after reading output
        expect=("mse-mean-over-batch-only", "mean-over-batch-only", "loss-denominator", "mse-grad-divided-by-batch"),
        phrases=("entries",),
    ),
    fresh(
        "hsai-mse-saves-pair-grad-without-two",
        "losses.MSELoss",
        "forward saves input and target and backward returns (x - t) / M, the derivative of the half squared "
        "error used in many textbooks: the factor 2 of d(x - t)^2 / dx is missing",
        span(
            "losses",
            (
                "        self._diff = x - t\n        loss = np.mean(self._diff**2)\n",
                "        self._x, self._t = x, t\n        loss = ((x - t) ** 2).mean()\n",
            ),
            (
                "        return 2.0 * self._diff / self._diff.size\n",
                "        n = self._x.size\n        return (self._x - self._t) / n\n",
            ),
        ),
        expect=("mse-grad-missing-2", "half"),
        phrases=("2",),
    ),
    fresh(
        "hsai-mse-error-saved-as-target-minus-input",
        "losses.MSELoss",
        "forward saves the error as t - x (the 'target minus prediction' residual) and backward returns "
        "2 * error / M: the loss is the same but the gradient has the wrong sign",
        span(
            "losses",
            (
                "        self._diff = x - t\n        loss = np.mean(self._diff**2)\n",
                "        self._err = t - x\n        loss = np.mean(np.square(self._err))\n",
            ),
            (
                "        return 2.0 * self._diff / self._diff.size\n",
                "        return 2.0 * self._err / self._err.size\n",
            ),
        ),
        expect=("error-sign-flipped", "sign-flipped"),
        phrases=("sign",),
    ),
    fresh(
        "hsai-bce-textbook-formula-unclamped",
        "losses.BCELoss",
        "forward is the textbook -(t log p + (1 - t) log(1 - p)) averaged, without PyTorch's clamp of each log at "
        "-100: a probability of exactly 0 or 1 gives inf, or nan where 0 * log 0 appears",
        (
            '        with np.errstate(divide="ignore"):  # log(0) = -inf, which the clamp turns into -100\n'
            "            log_p = np.maximum(np.log(p), LOG_CLAMP)\n"
            "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n"
            "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
            "        per_entry = -(t * np.log(p) + (1 - t) * np.log(1 - p))\n        loss = per_entry.mean()\n",
        ),
        expect=("bce-not-clamped", "overflow"),
        phrases=("-100",),
    ),
    fresh(
        "hsai-bce-backward-term-by-term-unfloored",
        "losses.BCELoss",
        "backward is the derivative term by term, (-t / p + (1 - t) / (1 - p)) / M, with no floor on the "
        "denominators: at p = 0 or p = 1 it divides by zero (inf or nan) where PyTorch's formula stays finite",
        (
            "        p, t = self._p, self._t\n"
            "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
            "        p, t = self._p, self._t\n"
            "        dp = -t / p + (1.0 - t) / (1.0 - p)  # d/dp of -(t log p + (1 - t) log(1 - p))\n"
            "        return dp / p.size\n",
        ),
        expect=("bce-denominator-floored", "no-floor", "bce-not-clamped"),  # the last tag added after reading output
        phrases=("1e-12",),
    ),
    fresh(
        "hsai-bcelogits-through-sigmoid-probabilities",
        "losses.BCEWithLogitsLoss",
        "forward applies the sigmoid first and then the probability formula -(t log s + (1 - t) log(1 - s)): "
        "for logits beyond about 37 the sigmoid rounds to 1 and log(1 - s) is -inf (and the loss loses its "
        "digits long before), which the fused stable formula avoids",
        (
            "        z = np.exp(-np.abs(x))  # in (0, 1]: never overflows\n"
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n"
            "        self._s = np.where(x >= 0, 1.0, z) / (1.0 + z)\n",
            "        z = np.exp(-np.abs(x))\n"
            "        s = np.where(x >= 0, 1.0, z) / (1.0 + z)\n"
            "        self._s = s\n"
            "        loss = -np.mean(t * np.log(s) + (1.0 - t) * np.log(1.0 - s))\n",
        ),
        expect=("overflow", "stable-form-term-missing"),
        phrases=("stable",),
    ),
    fresh(
        "hsai-bcelogits-softplus-term-without-abs",
        "losses.BCEWithLogitsLoss",
        "forward writes the fused loss as max(x, 0) - x t + log(1 + exp(-x)) with the exponent -x instead of "
        "-|x|: for every negative logit the log term is wrong (log(1 + e^{|x|}) instead of log(1 + e^{-|x|})), "
        "and it overflows for x < -709",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        softplus = np.maximum(x, 0.0) + np.log1p(np.exp(-x))  # log(1 + e^x)\n"
            "        loss = np.mean(softplus - x * t)\n",
        ),
        expect=("abs-missing-in-stable-form",),
        phrases=("abs",),
    ),
    fresh(
        "hsai-ce-onehot-mean-over-classes",
        "losses.CrossEntropyLoss",
        "forward builds a one-hot target and takes -np.mean(onehot * log_probs), which averages over all N * C "
        "entries instead of summing over classes and averaging over the N samples: the loss is C times too "
        "small (backward, (p - onehot) / N, is right)",
        span(
            "losses",
            (
                "        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n"
                "        self._probs = np.exp(log_probs)\n"
                "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
                "        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n"
                "        onehot = np.zeros_like(x)\n"
                "        onehot[np.arange(N), self._labels] = 1.0\n"
                "        self._onehot = onehot\n"
                "        self._probs = np.exp(log_probs)\n"
                "        loss = -np.mean(onehot * log_probs)\n",
            ),
            (
                "        N = self._probs.shape[0]\n"
                "        grad = self._probs.copy()\n"
                "        grad[np.arange(N), self._labels] -= 1.0\n"
                "        return grad / N\n",
                "        N = self._probs.shape[0]\n        return (self._probs - self._onehot) / N\n",
            ),
        ),
        expect=("ce-mean-over-classes", "loss-denominator"),
        phrases=("classes",),
    ),
    fresh(
        "hsai-ce-cs231n-log-of-correct-probability",
        "losses.CrossEntropyLoss",
        "forward as in CS231n's softmax_loss_vectorized: the stable softmax probabilities, then "
        "-mean(log(probs[range(N), y])): a true-class probability that underflows to 0 gives log 0 = inf instead "
        "of the finite log-softmax value",
        (
            "        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n"
            "        self._probs = np.exp(log_probs)\n"
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        exp_scores = np.exp(shifted)\n"
            "        probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)\n"
            "        self._probs = probs\n"
            "        loss = -np.mean(np.log(probs[np.arange(N), self._labels]))\n",
        ),
        expect=("log-of-softmax-underflow", "underflow"),
        phrases=("log-softmax",),
    ),
    fresh(
        "hsai-hinge-vectorised-delta-one",
        "losses.HingeLoss",
        "forward in CS231n's svm_loss_vectorized style with the margin written as the literal delta = 1.0 "
        "instead of self.margin: any other margin is ignored",
        (
            "        rows = np.arange(x.shape[0])\n"
            "        slack = x - x[rows, self._labels][:, None] + self.margin\n"
            "        slack[rows, self._labels] = 0.0  # the true class is not compared with itself\n"
            "        self._active = (slack > 0).astype(np.float64)\n"
            "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n",
            "        N = x.shape[0]\n"
            "        correct = x[np.arange(N), self._labels].reshape(-1, 1)\n"
            "        margins = np.maximum(0, x - correct + 1.0)\n"
            "        margins[np.arange(N), self._labels] = 0\n"
            "        self._active = (margins > 0).astype(float)\n"
            "        loss = np.sum(margins) / N\n",
        ),
        expect=("hinge-margin-ignored", "hyperparameter-ignored"),
        phrases=("margin",),
    ),
    fresh(
        "hsai-hinge-naive-loop-true-class-grad-missing",
        "losses.HingeLoss",
        "CS231n's naive svm_loss: loops over samples and classes, adds each positive margin to the loss and 1 to "
        "dx[i, j], but never subtracts 1 from dx[i, y_i] for that violation, so the true class's score gets "
        "no gradient",
        span(
            "losses",
            (
                "        rows = np.arange(x.shape[0])\n"
                "        slack = x - x[rows, self._labels][:, None] + self.margin\n"
                "        slack[rows, self._labels] = 0.0  # the true class is not compared with itself\n"
                "        self._active = (slack > 0).astype(np.float64)\n"
                "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n",
                "        N, C = x.shape\n"
                "        loss = 0.0\n"
                "        self._dx = np.zeros_like(x)\n"
                "        for i in range(N):\n"
                "            yi = self._labels[i]\n"
                "            for j in range(C):\n"
                "                if j == yi:\n"
                "                    continue\n"
                "                margin = x[i, j] - x[i, yi] + self.margin\n"
                "                if margin > 0:\n"
                "                    loss += margin\n"
                "                    self._dx[i, j] += 1.0\n"
                "        loss /= N\n",
            ),
            (
                "        N = self._active.shape[0]\n"
                "        grad = self._active.copy()\n"
                "        grad[np.arange(N), self._labels] = -self._active.sum(axis=1)\n"
                "        return grad / N\n",
                "        return self._dx / self._dx.shape[0]\n",
            ),
        ),
        expect=("hinge-true-class-grad-missing",),
        phrases=("true class",),
    ),
]

FRESH_AI: list[Mutant] = [*ACTIVATIONS, *LAYERS, *LOSSES]
