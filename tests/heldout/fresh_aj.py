"""Held-apart set AJ, first half (activations, layers and losses): realistic student bugs, written blind.

Set AJ is written blind, in two halves by two helper sessions at the same time; this module is the activations,
layers and losses half (the other half's file was not read by this module's author). Written by a helper session
under a short deadline (about 40 minutes). Its goal is realism: the mistakes real students of a numpy deep-learning
course make in the code they write (CS231n's naive loops, compact batch-norm backward and dscores idiom,
svm_loss_naive / svm_loss_vectorized, einsum and np.outer, np.moveaxis, np.heaviside and np.logaddexp, boolean
masks, formula-sheet and paper derivatives such as the Swish paper's f + s (1 - f) or ELU's f + alpha, Keras and
paper conventions ported as they are), leaning toward the less-covered components and toward code around a
component (what forward saves for backward, in-place edits of saved or caller-owned arrays, state between calls).

What the author read: reference/activations.py, layers.py, losses.py and base.py (as_float_array, the Module and
Loss classes), tests/heldout/_edits.py, the module docstrings of fresh_ai.py and fresh_ai2.py up to their "Blind
rate" paragraph and the first bugs of fresh_ai.py (for the format), the ids, components, descriptions, ``expect``
and ``phrases`` of the catalogue and of ``EVERY`` (dumped to a scratch file and grepped per component, for the tag
vocabulary, the copy check and the sharing count), and of tests/test_feedback_generalisation.py only SETS, FAMILIES
and ``_changes``. Not read: docs/api.md (no time; the reference docstrings were the specification), the diagnosis
and grading code (graders/judging, graders/reporting, graders/running, graders/selfcheck, graders/runner.py),
nnlab/ beyond importing it, tests/evidence.py, tests/feedback_audit.py, the mistake, crash, diagnosis and feedback
tests, benchmarks/, /work/tools/* beyond the two briefs, the other half's file, and any grader feedback or output.
None of these bugs was graded.

About 60 ideas were considered, 48 written, 46 kept. Rewritten after the copy check (same component and
``_changes`` as an earlier bug): ReLU zeroing x in place (x[~mask] = 0, equal to the catalogue's
relu-modifies-input; now an out = x alias zeroed before the mask is taken from it) and Linear's one-line forward
y = x @ W.T + b if bias is not None else 0.0 (equal to hsac-linear-bias-conditional-expression; replaced by a
per-sample np.outer backward whose bias line sums the whole batch). Dropped before writing: Maxout through a
stacked piece loop with the bias indexed [:, k] (only a crash unless K = M), Tanh through (e^x - e^-x) /
(e^x + e^-x) and BCE with Keras's clip to [1e-7, 1 - 1e-7] (both differ only at extreme inputs), a Linear bias
gradient over axis=1 and a Flatten fixed to four axes (crashes for most shapes), a BCE backward term by term and
MSE over rows (the same code as set AI's), a Dropout mask drawn as u < 1 - p (its undone form draws other masks than
the reference) and a hinge loss with a broadcast (N,) true-class column (a crash unless N = C).

Rewrites: 38 of the 46 rewrite a whole method or function body (or both methods of a class, or the whole branch of
a body that is one branch) in a student's own style: the Sigmoid in log space through logaddexp and its backward
calling forward, tanh from the logistic identity and with a sech derivative, ReLU with an aliased output and with
np.heaviside, LeakyReLU's branch-free |x| form and its in-place backward, PReLU with a derivative array, ELU and SELU
through the f(x) + c identity, GELU's exact density, SiLU from the Swish paper and factored, Softplus with its own
stable sigmoid, Softmax's moveaxis / einsum Jacobian, Maxout's piece loop, Linear with einsum and with a
per-sample np.outer loop, CS231n's naive four-loop convolution (both methods), max pooling by unravel_index and by
a window loop, average pooling's forward and backward as window loops, a channels-last Flatten (both methods),
Dropout with an early return, BatchNorm1d's compact backward branch and Keras-style running update, BatchNorm2d as
CS231n's spatial batch norm and its compact backward, MSE with the diff squared in place and with the 1/2
convention (both methods), BCE's backward with a staged denominator, BCE-with-logits' backward through the
sigmoid, cross-entropy's forward with a log-sum and CS231n's dscores backward, the hinge loss as
svm_loss_vectorized and svm_loss_naive. The other 8 change one to four lines (Identity's cached derivative,
Step's rounding, Softplus's logaddexp branch, LogSoftmax's logsumexp and its saved output, Dropout's paper
convention, BCE's clamp, BCE-with-logits' +-1 labels). Each has exactly one mistake (the channels-last order of
Flatten, the paper's keep probability of Dropout and the 1/2 of MSE show in two places consistently: one
misconception each).

Sharing, honestly: all 46 share an earlier bug's misconception (in new code), judged by the author's grep of the
earlier ids, descriptions and tags of the same component; the ``expect`` tags were taken from those earlier bugs.
The mechanisms the author did not find among the same component's earlier bugs: ELU's derivative as f(x) + 1 and
SELU's as f(x) + alpha (the alpha and the scale are ignored: earlier misconceptions), LeakyReLU's branch-free form
with swapped coefficients (the negative branch's sign), Step through np.round of the clipped input, the Sigmoid's
logaddexp(0, x) for logaddexp(0, -x), ReLU's derivative as np.heaviside(x, 1) and Softmax's moveaxis not undone
(set before only as a swapaxes one). Two share set AI's misconception closely: SiLU's Swish-paper derivative (also
hm-silu-backward-swish-form-misremembered) and the hinge loss's vectorized form, here without the true-class reset.

Classes covered: derivatives (tanh's sech not squared, SiLU's f(x) + s (1 - s) and a misplaced parenthesis, GELU's
density without the 2, Softplus's extra beta, BCE-with-logits through the sigmoid again, the Sigmoid's derivative
at the output), the upstream factor (Identity), kinks (ReLU's heaviside at 0), hyper-parameters ignored (ELU's
alpha, Softplus's beta, the hinge margin, Softmax's dim through moveaxis), constants and conventions (tanh's
inner 2, MSE's 1/2, SELU's scale, the logistic loss's +-1 labels, Dropout's keep probability, Keras's momentum),
stable forms (logsumexp without the max, BCE's clamp after the product), state and aliasing (ReLU's output
aliasing the input, LeakyReLU's in-place upstream, MSE's squared saved difference, cross-entropy's dscores alias,
Dropout's stale mask in evaluation, PReLU's assigned gradient, LogSoftmax's saved log-probabilities), loops
(Maxout's and max pooling's assigned accumulations, Linear's bias inside the sample loop, average pooling's range
without + 1, the convolution's backward window without stride, the pooling window's kH for kW), counts and
normalisers (Linear's averaged gradients, BCE's rows, BatchNorm1d's m = N for (N, C, L), BatchNorm2d's Bessel
factor from N, average pooling's precedence), train/eval (BatchNorm2d's backward without the evaluation branch),
layout (channels-last Flatten, the cross-entropy's [:, labels] index), signs (the logaddexp sign, LeakyReLU's
coefficients) and formulas (Step's rounding, the hinge's true class compared with itself).
Components: activations Identity, Step, Sigmoid (2), Tanh (2), ReLU (2), LeakyReLU (2), PReLU, ELU, SELU, GELU,
SiLU (2), Softplus (2), Softmax, LogSoftmax (2), Maxout (22 bugs); layers Linear (2), Conv2d, MaxPool2d (2),
AvgPool2d (2), Flatten, Dropout (2), BatchNorm1d (2), BatchNorm2d (2) (14 bugs); losses MSELoss (2), BCELoss (2),
BCEWithLogitsLoss (2), CrossEntropyLoss (2), HingeLoss (2) (10 bugs).

Checks: every edit applies (nnlab.graders.mutants.apply) and its module imports; every ``old`` occurs once in its
reference module; ids are new and unique; every ``expect`` tag is in the existing vocabulary; no textual copy
(``_changes``) of a catalogue mutant or an earlier held-apart bug of the same component. A script in /tmp copied
the reference package three times per bug (reference, bug, and bug with its slip undone by a text replacement in
``new``) and compared (rtol 1e-9, atol 1e-12, shapes and dtypes, exceptions by type) forward outputs, two backward
calls, the caller's input and upstream arrays afterwards, parameters and accumulated parameter gradients and running
buffers. Activations on (4, 5), (2, 3, 4), (2, 3, 4, 2) normal inputs (scale 2, every fifth entry 0) and a (2, 6)
row of extremes from -1000 to 1000 with 0.3, 0.5 and 25 in it, in turn on one module; LeakyReLU slope 0.01, 0.2,
1.5; ELU alpha 1, 0.7, 1.5; GELU exact and tanh; Softplus beta 1, 2 and (0.5, threshold 5); Softmax and LogSoftmax
dim -1, 0, 1; PReLU shared (init 0.4) and 3 channels on (2, 3, 4, 2) then (4, 3); Maxout (D, M, K) = (5, 4, 3),
(5, 4, 2), (3, 3, 1) on 6 then 3 samples. Linear 5 -> 3, 5 -> 5 with bias and 4 -> 2 without, on 6 then 3 samples;
Conv2d 3 -> 4 on (2, 3, 6, 7) then (1, 3, 5, 5): 3x3; (2, 3) stride (2, 1) padding (1, 2); 3x3 stride 2 padding 1;
2x2 stride 2; 3x3 padding 1 without bias; pooling on (2, 3, 6, 7) and a rounded ReLU-clipped copy with ties:
2; 3 stride 2; (3, 2) stride (2, 1); 3 stride 1; (2, 3); Flatten on (2, 3, 6, 7), (1, 3, 2), (4, 3, 2), (4, 1),
(2, 3, 4) in turn; Dropout p = 0.3, 0.5, 0, 1 with a seeded rng, two training then two evaluation rounds (the last
of another shape); BatchNorm1d on (8, 3) and (4, 3, 5), BatchNorm2d on (4, 3, 5, 6) and (2, 3, 2, 2), momentum 0.1
and 0.3, default and (1.5, 0.5, -0.8) / (0.1, -0.2, 0.3) affine parameters, two training then two evaluation
rounds. MSE on (5, 3) and (4,); BCE on soft and hard (6, 3) targets, on (6,), on probabilities 0, 1, 0.5, 1e-20
with hard targets and 0, 1, 0.5 with target 0.3; BCE-with-logits (scale 3) on soft and hard (6, 3), on (5,) and on
logits -800, -40, 40, 800, 0; cross-entropy and hinge (margin 1 and 0.7) on (6, 4), (3, 5) and logits 1000 apart.
Every undone slip matched the reference on every configuration; every bug changed a result on at least one. Some
need the configuration their mistake is about: an input of exactly 0 (ReLU's heaviside), inputs in (0, 0.5]
(Step), a slope, alpha or beta other than the default (ELU, Softplus's logaddexp), dim other than the last
(Softmax), more than one piece (Maxout), a stride other than 1 (the convolution's backward), overlapping windows
(max pooling's assignment), a non-square window (the window width), a kernel side other than 1 (average pooling's
precedence), a second backward or a second use (PReLU's assignment, cross-entropy's alias), a caller who keeps the
input or upstream array (ReLU, LeakyReLU), evaluation after training (Dropout's mask, BatchNorm2d's backward),
(N, C, L) input (BatchNorm1d's count), a 2-D input (BCE's rows), soft targets (the +-1 labels), probabilities of
exactly 0 or 1 (BCE's clamp) and a margin other than 1 (the naive hinge loop). The ``expect`` tags and ``phrases``
were chosen from the misconception alone, before any grading, from the existing vocabulary. Ids start with
``hsaj-``.

Blind rate (graded in the sandbox, isolated, before anybody read the feedback; set AI had been taught):
41/46 named (89 %), 46 caught, 13 flagged with another bug class's tag: 10 the right diagnosis under another name
(tanh's 2 sigmoid(x) - 1 read as the identity at half its argument, LeakyReLU's grad_y scaled in place as an argument
modified, PReLU's slope gradient assigned, ELU's y + 1 as the derivative's wrong form, Softmax's moveaxis not undone
as permuted axes, Dropout's early return as the mask not saved on that path, Dropout's paper convention as a
division by p, BatchNorm1d's compact backward over N as means over the batch only, MSE's 1/2 as the gradient's
missing 2, BCE divided by its rows as divided by the batch), 1 right but imprecise (Step as round(clip(x, 0, 1)) read
as a threshold at 0.5, with a probability's threshold given as the reason where rounding is) and 2 wrong claims (the
sigmoid's backward calling forward on the saved output, which rebinds it, read as backward computing in place in the
saved array and changing the caller's output, which it did not; BatchNorm2d's Bessel factor from the batch size,
1/(1 - 1) on a batch of 1, read as an overflow).
The whole set (96 bugs after one dropped, see fresh_aj2.py): 91/96 named (95 %), 96 caught, 19 flagged, 15 the right
diagnosis under another tag, 1 imprecise and 3 wrong claims (89/96 named with no wrong claim, 93 %).
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hsaj-")  # set AJ

ACTIVATIONS = [
    fresh(
        "hsaj-identity-local-derivative-attribute",
        "activations.Identity",
        "forward stores the local derivative dy/dx = 1.0 as an attribute and backward returns that derivative "
        "broadcast to grad_y's shape (self._dydx * np.ones_like(grad_y)) instead of multiplying it by grad_y: the "
        "upstream gradient is dropped, backward returns ones",
        span(
            "activations",
            ("        return x\n", "        self._dydx = 1.0  # d(x)/dx\n        return x\n"),
            ("        return grad_y\n", "        return self._dydx * np.ones_like(grad_y)\n"),
        ),
        expect=("ignores-upstream-gradient",),
        phrases=("upstream",),
    ),
    fresh(
        "hsaj-step-rounds-clipped-input",
        "activations.Step",
        "forward clips the input to [0, 1] and rounds it (np.round(np.clip(x, 0, 1))) where the ceiling was "
        "meant: every input in (0, 0.5] rounds to 0, where the step is 1 for every x > 0",
        (
            "        return (x > 0).astype(np.float64)\n",
            "        return np.round(np.clip(x, 0.0, 1.0))  # 0 or 1\n",
        ),
        expect=("rounded-values", "formula-wrong", "threshold-half"),  # the last tag added after reading output
        phrases=("0.5",),
    ),
    fresh(
        "hsaj-sigmoid-backward-forward-of-saved-output",
        "activations.Sigmoid",
        "backward evaluates 'sigma'(.) = sigma(.)(1 - sigma(.))' by calling self.forward on the saved output y "
        "(s = self.forward(self._y)), so the derivative is taken at sigma(x) instead of at x: it should use "
        "y (1 - y) with the saved y directly",
        (
            "        return grad_y * self._y * (1.0 - self._y)\n",
            "        s = self.forward(self._y)\n        return grad_y * s * (1.0 - s)\n",
        ),
        expect=("derivative-at-output",),
        phrases=("output",),
    ),
    fresh(
        "hsaj-sigmoid-log-space-logaddexp-sign",
        "activations.Sigmoid",
        "forward computes the sigmoid in log space, y = exp(-log(1 + e^{-x})) through np.logaddexp, but types "
        "np.logaddexp(0, x) instead of np.logaddexp(0, -x): that is exp(-softplus(x)) = sigmoid(-x), the "
        "exponent's sign is flipped",
        (
            "        z = np.exp(-np.abs(x))\n"
            "        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))\n"
            "        return self._y\n",
            "        log_y = -np.logaddexp(0.0, x)  # log sigmoid(x) = -log(1 + e^-x)\n"
            "        self._y = np.exp(log_y)\n"
            "        return self._y\n",
        ),
        expect=("sigmoid-exponent-sign", "sign-flipped"),
        phrases=("sign",),
    ),
    fresh(
        "hsaj-tanh-sech-not-squared",
        "activations.Tanh",
        "forward also saves the input and backward uses the formula-sheet derivative sech^2(x) = 1 / cosh^2(x), "
        "but multiplies grad_y by sech(x) once: the derivative is 1 / cosh(x) instead of 1 / cosh(x)^2",
        span(
            "activations",
            ("        self._y = np.tanh(x)\n", "        self._x = x\n        self._y = np.tanh(x)\n"),
            (
                "        return grad_y * (1.0 - self._y * self._y)\n",
                '        with np.errstate(over="ignore"):\n'
                "            sech = 1.0 / np.cosh(self._x)\n"
                "        return grad_y * sech\n",
            ),
        ),
        expect=("tanh-derivative-not-squared", "derivative-wrong-form"),
        phrases=("square",),
    ),
    fresh(
        "hsaj-tanh-from-logistic-inner-two-dropped",
        "activations.Tanh",
        "forward through the identity tanh(x) = 2 sigmoid(2x) - 1 written as 2 / (1 + e^{-x}) - 1: the 2 inside "
        "the exponent is dropped, so the output is tanh(x/2), and backward's 1 - y^2 no longer is its derivative",
        (
            "        self._y = np.tanh(x)\n",
            '        with np.errstate(over="ignore"):\n            self._y = 2.0 / (1.0 + np.exp(-x)) - 1.0\n',
        ),
        expect=(
            "formula-constant",
            "formula-wrong",
            "identity-argument-halved",  # the last tag added after reading output
        ),
        phrases=("2x",),
    ),
    fresh(
        "hsaj-relu-zeroes-input-in-place",
        "activations.ReLU",
        "forward names the output out = x and zeroes its non-positive entries in place (out[out <= 0] = 0.0) "
        "before taking the mask from it: out is not a copy, so for a float64 input the caller's own array is "
        "overwritten (and returned as the output) instead of a new array being built",
        (
            "        self._mask = x > 0\n        return np.where(self._mask, x, 0.0)\n",
            "        out = x\n        out[out <= 0] = 0.0\n        self._mask = out > 0\n        return out\n",
        ),
        expect=("modifies-input", "aliasing"),
        phrases=("in place",),
    ),
    fresh(
        "hsaj-relu-heaviside-one-at-zero",
        "activations.ReLU",
        "forward keeps the input and returns np.maximum(x, 0); backward multiplies by the derivative written as "
        "np.heaviside(x, 1.0), whose second argument makes ReLU'(0) = 1 instead of 0 (the x <= 0 branch)",
        span(
            "activations",
            (
                "        self._mask = x > 0\n        return np.where(self._mask, x, 0.0)\n",
                "        self._x = x\n        return np.maximum(x, 0.0)\n",
            ),
            (
                "        return np.where(self._mask, grad_y, 0.0)\n",
                "        return grad_y * np.heaviside(self._x, 1.0)\n",
            ),
        ),
        expect=("kink-derivative",),
        phrases=("0",),
    ),
    fresh(
        "hsaj-leakyrelu-backward-scales-upstream-in-place",
        "activations.LeakyReLU",
        "backward names the upstream gradient dx = grad_y and scales its non-positive entries in place "
        "(dx[x <= 0] *= negative_slope): no copy is made, so the caller's grad_y array is overwritten",
        (
            "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
            "        dx = grad_y\n        dx[self._x <= 0] *= self.negative_slope\n        return dx\n",
        ),
        expect=("modifies-grad", "aliasing", "modifies-input"),  # the last tag added after reading output
        phrases=("in place",),
    ),
    fresh(
        "hsaj-leakyrelu-abs-form-coefficients-swapped",
        "activations.LeakyReLU",
        "forward through the branch-free form y = (1 + a)/2 x + (1 - a)/2 |x|, but with the two coefficients "
        "swapped ((1 - a)/2 x + (1 + a)/2 |x|): positive inputs still give x, negative ones give -a x instead of "
        "a x",
        (
            "        self._x = x\n        return np.where(x > 0, x, self.negative_slope * x)\n",
            "        self._x = x\n"
            "        a = self.negative_slope\n"
            "        return 0.5 * (1.0 - a) * x + 0.5 * (1.0 + a) * np.abs(x)\n",
        ),
        expect=("sign-flipped", "formula-wrong"),
        phrases=("negative",),
    ),
    fresh(
        "hsaj-prelu-slope-grad-assigned",
        "activations.PReLU",
        "backward rewritten with a derivative array: the slope gradient is assigned (self.weight.grad = ...) "
        "instead of added, so a second backward before zero_grad (or a shared PReLU used twice) loses the "
        "earlier contribution",
        (
            "        negative = self._x <= 0\n"
            "        contribution = np.where(negative, grad_y * self._x, 0.0)\n"
            "        if self.num_parameters == 1:\n"
            "            self.weight.grad += contribution.sum()\n"
            "        else:  # sum over every axis but the channel axis\n"
            "            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))\n"
            "        return np.where(negative, self._a * grad_y, grad_y)\n",
            "        neg = self._x <= 0\n"
            "        dx = grad_y * np.where(neg, self._a, 1.0)\n"
            "        da = np.where(neg, self._x * grad_y, 0.0)\n"
            "        if self.num_parameters == 1:\n"
            "            self.weight.grad = np.array([da.sum()])\n"
            "        else:\n"
            "            self.weight.grad = da.sum(axis=tuple(i for i in range(da.ndim) if i != 1))\n"
            "        return dx\n",
        ),
        expect=("assigned-not-accumulated", "grad-overwritten"),  # the last tag added after reading output
        phrases=("accumulate",),
    ),
    fresh(
        "hsaj-elu-derivative-output-plus-one",
        "activations.ELU",
        "ELU with boolean masks; backward uses the identity f'(x) = f(x) + alpha on the negative side but writes "
        "it as f(x) + 1 (the alpha = 1 form from the notes), so any other alpha gets the wrong derivative there",
        span(
            "activations",
            (
                "        self._x = x\n        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))\n",
                "        neg = x <= 0\n"
                "        y = x.copy()\n"
                "        y[neg] = self.alpha * np.expm1(x[neg])\n"
                "        self._x, self._y = x, y\n"
                "        return y\n",
            ),
            (
                "        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))\n"
                "        return np.where(self._x > 0, grad_y, slope * grad_y)\n",
                "        neg = self._x <= 0\n"
                "        dx = grad_y.copy()\n"
                "        dx[neg] *= self._y[neg] + 1.0\n"
                "        return dx\n",
            ),
        ),
        expect=(
            "alpha-ignored",
            "hyperparameter-ignored",
            "derivative-wrong-form",  # the last tag added after reading output
        ),
        phrases=("alpha",),
    ),
    fresh(
        "hsaj-selu-derivative-output-plus-alpha-unscaled",
        "activations.SELU",
        "backward from the saved output with f'(x) = f(x) + c on the negative side, but c is written alpha where "
        "it is scale * alpha (f = scale * alpha (e^x - 1), so f' = f + scale * alpha): the negative branch's "
        "derivative is off by (scale - 1) alpha",
        span(
            "activations",
            (
                "        return self.scale * self._elu.forward(x)\n",
                "        self._y = self.scale * self._elu.forward(x)\n"
                "        self._neg = x <= 0\n"
                "        return self._y\n",
            ),
            (
                "        return self._elu.backward(self.scale * grad_y)\n",
                "        d = np.where(self._neg, self._y + self.alpha, self.scale)\n        return grad_y * d\n",
            ),
        ),
        # added after reading output (tag-vocabulary audit): negative-branch-wrong
        expect=("selu-missing-scale", "formula-wrong", "negative-branch-wrong"),
        phrases=("scale",),
    ),
    fresh(
        "hsaj-gelu-density-sqrt-pi",
        "activations.GELU",
        "the exact backward writes the normal density as exp(-x^2/2) / sqrt(pi), dropping the 2 of sqrt(2 pi): "
        "the x phi(x) term is sqrt(2) times too large",
        (
            "        xc = np.clip(self._x, -40.0, 40.0)\n"
            "        pdf = INV_SQRT_2PI * np.exp(-0.5 * xc * xc)\n"
            "        return grad_y * (self._cdf + xc * pdf)\n",
            "        x = np.clip(self._x, -40.0, 40.0)\n"
            "        pdf = np.exp(-(x**2) / 2.0) / np.sqrt(np.pi)\n"
            "        return grad_y * (self._cdf + x * pdf)\n",
        ),
        expect=("formula-constant",),
        phrases=("2 pi",),
    ),
    fresh(
        "hsaj-silu-swish-paper-derivative-s-for-y",
        "activations.SiLU",
        "backward from the Swish paper's f'(x) = f(x) + sigma(x)(1 - f(x)) with the saved output, but the last "
        "factor is typed (1 - sigma(x)) instead of (1 - f(x))",
        span(
            "activations",
            (
                "        self._x = x\n        self._s = self._sigmoid.forward(x)\n        return x * self._s\n",
                "        self._s = self._sigmoid.forward(x)\n        self._y = x * self._s\n        return self._y\n",
            ),
            (
                "        s = self._s\n        return grad_y * (s + self._x * s * (1.0 - s))\n",
                "        y, s = self._y, self._s\n        return grad_y * (y + s * (1.0 - s))\n",
            ),
        ),
        expect=("derivative-wrong-form", "formula-wrong"),
        phrases=("1 - f",),
    ),
    fresh(
        "hsaj-silu-factored-derivative-parenthesis",
        "activations.SiLU",
        "backward factors s + x s (1 - s) as s (1 + x (1 - s)) but closes the parenthesis early: "
        "s (1 + x)(1 - s), which is s(1 - s) + x s(1 - s), without the plain s term",
        (
            "        s = self._s\n        return grad_y * (s + self._x * s * (1.0 - s))\n",
            "        s, x = self._s, self._x\n        return grad_y * s * (1.0 + x) * (1.0 - s)\n",
        ),
        expect=("operator-precedence", "derivative-wrong-form"),
        phrases=("parenthes",),
    ),
    fresh(
        "hsaj-softplus-backward-beta-from-chain-rule",
        "activations.Softplus",
        "forward saves z = beta x and backward recomputes the sigmoid of z, then multiplies it by beta for 'the "
        "chain rule through beta x', forgetting the 1/beta in front of the log: the derivative of "
        "log(1 + e^{beta x}) / beta is sigmoid(beta x), not beta sigmoid(beta x)",
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
                "        y = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / self.beta\n"
                "        return np.where(z > self.threshold, x, y)\n",
            ),
            (
                "        return np.where(self._linear, grad_y, grad_y * self._s)\n",
                "        z = self._z\n"
                "        e = np.exp(-np.abs(z))\n"
                "        sig = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))\n"
                "        d = self.beta * sig\n"
                "        return np.where(z > self.threshold, grad_y, grad_y * d)\n",
            ),
        ),
        expect=("softplus-grad-times-beta", "chain-rule-inner-derivative"),
        phrases=("beta",),
    ),
    fresh(
        "hsaj-softplus-logaddexp-without-beta",
        "activations.Softplus",
        "forward's soft branch is np.logaddexp(0, beta x), log(1 + e^{beta x}) without the division by beta: "
        "right only for beta = 1",
        (
            "        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / self.beta\n",
            "        soft = np.logaddexp(0.0, z)\n",
        ),
        # added after reading output (tag-vocabulary audit): softplus-not-divided-by-beta
        expect=("softplus-beta-missing", "hyperparameter-ignored", "softplus-not-divided-by-beta"),
        phrases=("beta",),
    ),
    fresh(
        "hsaj-softmax-jacobian-moveaxis-not-undone",
        "activations.Softmax",
        "backward moves the softmax axis last with np.moveaxis, builds the Jacobian diag(y) - y y^T per row and "
        "contracts it with einsum, but returns the result without moving the axis back to dim: for any dim other "
        "than the last the gradient's axes are permuted",
        (
            "        y = self._y\n        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))\n",
            "        y = np.moveaxis(self._y, self.dim, -1)\n"
            "        g = np.moveaxis(grad_y, self.dim, -1)\n"
            "        J = y[..., :, None] * np.eye(y.shape[-1]) - y[..., :, None] * y[..., None, :]\n"
            '        grad_x = np.einsum("...ij,...i->...j", J, g)\n'
            "        return grad_x\n",
        ),
        expect=(
            "moveaxis-not-undone",
            "softmax-wrong-axis",
            "axes-permuted",  # the last tag added after reading output
        ),
        phrases=("dim",),
    ),
    fresh(
        "hsaj-logsoftmax-logsumexp-max-not-added-back",
        "activations.LogSoftmax",
        "forward computes logsumexp as log(sum(exp(x - m))) and forgets to add the maximum m back before "
        "subtracting it from x: y = x - log sum exp(x - m) instead of x - m - log sum exp(x - m)",
        (
            "        shifted = x - np.max(x, axis=self.dim, keepdims=True)\n"
            "        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))\n",
            "        m = x.max(axis=self.dim, keepdims=True)\n"
            "        lse = np.log(np.exp(x - m).sum(axis=self.dim, keepdims=True))\n"
            "        y = x - lse\n",
        ),
        expect=("logsumexp-shift-not-restored",),
        phrases=("max",),
    ),
    fresh(
        "hsaj-logsoftmax-backward-saved-log-probabilities",
        "activations.LogSoftmax",
        "forward saves its output y (the log-probabilities) and backward uses it where the probabilities "
        "p = exp(y) belong: grad_y - y * sum(grad_y) instead of grad_y - p * sum(grad_y)",
        span(
            "activations",
            ("        self._p = np.exp(y)\n", "        self._y = y\n"),
            (
                "        return grad_y - self._p * np.sum(grad_y, axis=self.dim, keepdims=True)\n",
                "        s = np.sum(grad_y, axis=self.dim, keepdims=True)\n        return grad_y - self._y * s\n",
            ),
        ),
        expect=("logsoftmax-used-log-probabilities",),
        phrases=("exp",),
    ),
    fresh(
        "hsaj-maxout-piece-loop-grad-x-assigned",
        "activations.Maxout",
        "backward loops over the pieces like K Linear layers, masking grad_y with argmax == k, but the input "
        "gradient is assigned in the loop (grad_x = g @ W[k]) instead of added: only the last piece's "
        "contribution survives",
        (
            "        won = self._argmax[:, None, :] == np.arange(self.pieces)[None, :, None]\n"
            "        grad_z = np.where(won, grad_y[:, None, :], 0.0)  # (N, K, M)\n"
            '        self.weight.grad += np.einsum("nkj,nd->kjd", grad_z, self._x)\n'
            "        self.bias.grad += grad_z.sum(axis=0)\n"
            '        return np.einsum("nkj,kjd->nd", grad_z, self.weight.data)\n',
            "        N, M = grad_y.shape\n"
            "        grad_x = np.zeros((N, self.in_features))\n"
            "        for k in range(self.pieces):\n"
            "            g = grad_y * (self._argmax == k)  # (N, M): where piece k won\n"
            "            self.weight.grad[k] += g.T @ self._x\n"
            "            self.bias.grad[k] += g.sum(axis=0)\n"
            "            grad_x = g @ self.weight.data[k]\n"
            "        return grad_x\n",
        ),
        expect=("assigned-not-accumulated",),
        phrases=("piece",),
    ),
]

LAYERS = [
    fresh(
        "hsaj-linear-einsum-grads-averaged",
        "layers.Linear",
        "backward written with einsum divides the weight and bias gradients by the batch size N ('average over "
        "the batch'): the loss already averages, so the layer's parameter gradients must be plain sums",
        (
            "        self.weight.grad += grad_y.T @ self._x\n"
            "        if self.bias is not None:\n"
            "            self.bias.grad += grad_y.sum(axis=0)\n"
            "        grad_x = grad_y @ self.weight.data\n",
            "        N = self._x.shape[0]\n"
            '        self.weight.grad += np.einsum("nm,nd->md", grad_y, self._x) / N\n'
            "        if self.bias is not None:\n"
            '            self.bias.grad += np.einsum("nm->m", grad_y) / N\n'
            '        grad_x = np.einsum("nm,md->nd", grad_y, self.weight.data)\n',
        ),
        expect=("grad-divided-by-batch", "divided-by-batch-size"),
        phrases=("batch",),
    ),
    fresh(
        "hsaj-linear-per-sample-loop-bias-sum-inside",
        "layers.Linear",
        "backward accumulates per sample with np.outer in a loop over the batch, but the bias line inside the "
        "loop adds the whole batch's sum grad_y.sum(axis=0) instead of that sample's grad_y[n]: the bias "
        "gradient comes out N times too large",
        (
            "        self.weight.grad += grad_y.T @ self._x\n"
            "        if self.bias is not None:\n"
            "            self.bias.grad += grad_y.sum(axis=0)\n"
            "        grad_x = grad_y @ self.weight.data\n",
            "        for n in range(grad_y.shape[0]):\n"
            "            self.weight.grad += np.outer(grad_y[n], self._x[n])\n"
            "            if self.bias is not None:\n"
            "                self.bias.grad += grad_y.sum(axis=0)\n"
            "        grad_x = grad_y @ self.weight.data\n",
        ),
        expect=("times-batch-size",),
        phrases=("bias",),
    ),
    fresh(
        "hsaj-conv-naive-backward-input-window-without-stride",
        "layers.Conv2d",
        "CS231n's naive conv_forward / conv_backward with four loops (forward saves the padded input): the "
        "weight gradient reads the window at (p*sH, q*sW), but the input gradient is added to the window at "
        "(p, q), without the stride",
        span(
            "layers",
            (
                "        xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW))\n"
                "        xp[:, :, pH:pH + H, pW:pW + W] = x\n"
                "        windows = self._windows(xp, Ho, Wo)  # (C, kH, kW, N, H', W'), a view: no copy yet\n"
                "        # im2col, the one copy: row (c, i, j), column (n, p, q)\n"
                "        self._cols = windows.reshape(C * kH * kW, N * Ho * Wo)\n"
                "        self._xp_shape = xp.shape\n"
                "        y = self.weight.data.reshape(self.out_channels, -1) @ self._cols\n"
                "        if self.bias is not None:\n"
                "            y += self.bias.data[:, None]\n"
                "        y = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 2, 3)  # a view\n",
                '        xp = np.pad(x, ((0, 0), (0, 0), (pH, pH), (pW, pW)), mode="constant")\n'
                "        self._xp = xp\n"
                "        w = self.weight.data\n"
                "        y = np.zeros((N, self.out_channels, Ho, Wo))\n"
                "        for n in range(N):\n"
                "            for f in range(self.out_channels):\n"
                "                for p in range(Ho):\n"
                "                    for q in range(Wo):\n"
                "                        window = xp[n, :, p * sH:p * sH + kH, q * sW:q * sW + kW]\n"
                "                        y[n, f, p, q] = np.sum(window * w[f])\n"
                "        if self.bias is not None:\n"
                "            y += self.bias.data[None, :, None, None]\n",
            ),
            (
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
                "        grad_x = grad_xp[:, :, pH:pH + H, pW:pW + W]\n",
                "        sH, sW = self.stride\n"
                "        xp, w = self._xp, self.weight.data\n"
                "        dxp = np.zeros_like(xp)\n"
                "        dw = np.zeros_like(w)\n"
                "        for n in range(N):\n"
                "            for f in range(F):\n"
                "                for p in range(Ho):\n"
                "                    for q in range(Wo):\n"
                "                        g = grad_y[n, f, p, q]\n"
                "                        dw[f] += g * xp[n, :, p * sH:p * sH + kH, q * sW:q * sW + kW]\n"
                "                        dxp[n, :, p:p + kH, q:q + kW] += g * w[f]\n"
                "        self.weight.grad += dw\n"
                "        if self.bias is not None:\n"
                "            self.bias.grad += grad_y.sum(axis=(0, 2, 3))\n"
                "        grad_x = dxp[:, :, pH:xp.shape[2] - pH, pW:xp.shape[3] - pW]\n",
            ),
        ),
        expect=("conv-backward-ignores-stride", "stride-ignored"),
        phrases=("stride",),
    ),
    fresh(
        "hsaj-maxpool-unravel-backward-assigned",
        "layers.MaxPool2d",
        "backward loops over the output positions, decodes each window's saved argmax with np.unravel_index and "
        "writes grad_y there with fancy-index assignment (=) instead of +=: where windows overlap "
        "(stride < kernel) an entry that is the maximum of two windows keeps only the last window's gradient",
        (
            "        grad_x = np.zeros(self._x_shape)\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                won = self._argmax == i * kW + j\n"
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)\n",
            "        grad_x = np.zeros(self._x_shape)\n"
            "        N, C = grad_y.shape[:2]\n"
            '        n_idx, c_idx = np.meshgrid(np.arange(N), np.arange(C), indexing="ij")\n'
            "        for p in range(Ho):\n"
            "            for q in range(Wo):\n"
            "                i, j = np.unravel_index(self._argmax[:, :, p, q], (kH, kW))\n"
            "                grad_x[n_idx, c_idx, p * sH + i, q * sW + j] = grad_y[:, :, p, q]\n",
        ),
        expect=("overlap-overwritten", "assigned-not-accumulated"),
        phrases=("overlap",),
    ),
    fresh(
        "hsaj-maxpool-loop-window-width-from-kh",
        "layers.MaxPool2d",
        "forward loops over the output positions and slices each window as x[:, :, p*sH:p*sH+kH, "
        "q*sW:q*sW+kH], kH typed for kW in the column slice: a non-square window is read with the wrong width "
        "(and its argmax offsets decode wrongly in backward)",
        (
            "        self._x_shape = x.shape\n"
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)\n"
            "        self._argmax = windows.argmax(axis=-1)  # the first maximum on a tie\n"
            "        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]\n",
            "        self._x_shape = x.shape\n"
            "        N, C, Ho, Wo = self._y_shape\n"
            "        y = np.zeros((N, C, Ho, Wo))\n"
            "        self._argmax = np.zeros((N, C, Ho, Wo), dtype=int)\n"
            "        for p in range(Ho):\n"
            "            for q in range(Wo):\n"
            "                window = x[:, :, p * sH:p * sH + kH, q * sW:q * sW + kH].reshape(N, C, -1)\n"
            "                self._argmax[:, :, p, q] = window.argmax(axis=2)\n"
            "                y[:, :, p, q] = window.max(axis=2)\n",
        ),
        # the last tag added after reading output
        expect=("square-kernel-assumed", "kernel-height-width-swapped", "square-only-index"),
        phrases=("kW",),
    ),
    fresh(
        "hsaj-avgpool-loop-backward-divisor-precedence",
        "layers.AvgPool2d",
        "backward loops over the output positions and adds each window's share g / kH * kW: without "
        "parentheses that is (g / kH) * kW, not g / (kH * kW)",
        (
            "        share = grad_y / (kH * kW)\n"
            "        grad_x = np.zeros(self._x_shape)\n"
            "        for i in range(kH):\n"
            "            for j in range(kW):\n"
            "                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share\n",
            "        grad_x = np.zeros(self._x_shape)\n"
            "        for p in range(Ho):\n"
            "            for q in range(Wo):\n"
            "                g = grad_y[:, :, p, q][:, :, None, None]\n"
            "                grad_x[:, :, p * sH:p * sH + kH, q * sW:q * sW + kW] += g / kH * kW\n",
        ),
        expect=("operator-precedence", "avgpool-divisor"),
        phrases=("parenthes",),
    ),
    fresh(
        "hsaj-avgpool-loop-range-misses-last-window",
        "layers.AvgPool2d",
        "forward loops over the window origins with range(0, H - kH, sH) and range(0, W - kW, sW): the stop "
        "excludes the last origin H - kH, so the last row and column of windows are never computed (left 0)",
        (
            "        self._x_shape = x.shape\n"
            "        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]\n"
            "        y = windows.mean(axis=(4, 5))\n",
            "        self._x_shape = x.shape\n"
            "        N, C, H, W = x.shape\n"
            "        y = np.zeros(self._y_shape)\n"
            "        for a, top in enumerate(range(0, H - kH, sH)):\n"
            "            for b, left in enumerate(range(0, W - kW, sW)):\n"
            "                y[:, :, a, b] = x[:, :, top:top + kH, left:left + kW].mean(axis=(2, 3))\n",
        ),
        expect=("loop-off-by-one",),
        phrases=("last",),
    ),
    fresh(
        "hsaj-flatten-channels-last-both-ways",
        "layers.Flatten",
        "a Keras habit: forward moves the channel axis last before flattening ((N, C, H, W) -> (N, H, W, C) -> "
        "(N, H*W*C)) and backward undoes it consistently: the features come out in channels-last order, not "
        "PyTorch's row-major (C, H, W) order",
        span(
            "layers",
            (
                "        self._x_shape = x.shape\n        y = x.reshape(self._y_shape)\n",
                "        self._x_shape = x.shape\n        y = np.moveaxis(x, 1, -1).reshape(self._y_shape)\n",
            ),
            (
                "        grad_x = grad_y.reshape(self._x_shape)\n",
                "        N, C, *rest = self._x_shape\n"
                "        grad_x = np.moveaxis(grad_y.reshape(N, *rest, C), -1, 1)\n",
            ),
        ),
        expect=("flatten-channels-last",),
        phrases=("channel",),
    ),
    fresh(
        "hsaj-dropout-eval-early-return-keeps-mask",
        "layers.Dropout",
        "forward returns x early in evaluation without clearing self._mask: a backward after an evaluation "
        "forward multiplies by the last training mask (or fails if there was none) instead of passing grad_y "
        "through",
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
            "        scale = 1.0 / (1.0 - self.p) if self.p < 1.0 else 0.0\n"
            "        self._mask = (self.rng.random(x.shape) >= self.p) * scale\n"
            "        y = x * self._mask\n",
        ),
        expect=(
            "dropout-stale-mask",
            "saved-state-stale",
            "train-eval",
            "saved-none",  # the last tag added after reading output
        ),
        phrases=("mask",),
    ),
    fresh(
        "hsaj-dropout-paper-retain-probability",
        "layers.Dropout",
        "ported from the paper, where p is the probability of retaining a unit: the mask keeps u < p and scales "
        "by 1/p, so p is treated as the keep probability instead of the drop probability",
        (
            "            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1\n"
            "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n"
            "            self._mask = keep * scale\n",
            "            retain = self.rng.random(x.shape) < self.p\n"
            "            self._mask = retain / self.p if self.p > 0 else np.zeros(x.shape)\n",
        ),
        # added after reading output (tag-vocabulary audit): dropout-p-zero-drops-all
        expect=(
            "dropout-p-is-keep",
            "dropout-divided-by-p",
            "dropout-p-zero-drops-all",
        ),  # the last tag added after reading output
        phrases=("drop",),
    ),
    fresh(
        "hsaj-bn1d-compact-backward-count-from-shape0",
        "layers.BatchNorm1d",
        "BatchNorm1d's backward in CS231n's compact form dx = inv_std / m (m dx_hat - sum dx_hat - x_hat "
        "sum(dx_hat x_hat)), with m = grad_y.shape[0], the batch size: for (N, C, L) input each channel's "
        "statistics cover N*L values, so m must be N*L",
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
                        "            m = grad_y.shape[0]  # batch size\n"
                        "            dsum = grad_x_hat.sum(axis=axes, keepdims=True)\n"
                        "            dxsum = (grad_x_hat * self._x_hat).sum(axis=axes, keepdims=True)\n"
                        "            grad_x = self._inv_std / m * (m * grad_x_hat - dsum - self._x_hat * dxsum)\n",
                    )
                ]
            },
        ),
        expect=("len-for-size", "batch-size-as-count", "bn-sum-not-mean"),  # the last tag added after reading output
        phrases=("N*L",),
    ),
    fresh(
        "hsaj-bn1d-keras-momentum-convention",
        "layers.BatchNorm1d",
        "BatchNorm1d's training statistics rewritten with Keras's momentum convention, running = momentum * "
        "running + (1 - momentum) * batch: PyTorch's momentum is the weight of the new batch, so the running "
        "statistics move by 1 - momentum instead of momentum",
        batchnorm_own(
            "layers.BatchNorm1d",
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
                        "            mean = np.mean(x, axis=axes)\n"
                        "            var = np.mean((x - mean.reshape(shape)) ** 2, axis=axes)\n"
                        "            unbiased = var * count / (count - 1)\n"
                        "            momentum = self.momentum\n"
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
        "hsaj-bn2d-spatial-bessel-count-from-batch",
        "layers.BatchNorm2d",
        "BatchNorm2d as CS231n's spatial batch norm (transpose to (N*H*W, C), normalise, transpose back), but "
        "the Bessel factor of the running variance uses n = x.shape[0] = N instead of the N*H*W values each "
        "channel's variance is taken over",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
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
                        "        y = self._x_hat * self.weight.data.reshape(shape) + self.bias.data.reshape(shape)\n",
                        "        N, C, H, W = x.shape\n"
                        "        xf = x.transpose(0, 2, 3, 1).reshape(-1, C)  # (N*H*W, C)\n"
                        "        if self.training:\n"
                        "            mean = xf.mean(axis=0)\n"
                        "            var = xf.var(axis=0)\n"
                        "            n = x.shape[0]\n"
                        "            mom = self.momentum\n"
                        "            self.running_mean = (1 - mom) * self.running_mean + mom * mean\n"
                        "            self.running_var = (1 - mom) * self.running_var + mom * var * n / (n - 1)\n"
                        "        else:\n"
                        "            mean, var = self.running_mean, self.running_var\n"
                        "        self._batch_stats = self.training\n"
                        "        inv_std = 1.0 / np.sqrt(var + self.eps)\n"
                        "        x_hat = (xf - mean) * inv_std\n"
                        "        out = x_hat * self.weight.data + self.bias.data\n"
                        "        self._inv_std = inv_std.reshape(shape)\n"
                        "        self._x_hat = x_hat.reshape(N, H, W, C).transpose(0, 3, 1, 2)\n"
                        "        y = out.reshape(N, H, W, C).transpose(0, 3, 1, 2)\n",
                    )
                ]
            },
        ),
        expect=(
            "bessel-correction",
            "batch-size-as-count",
            "len-for-size",
            "bn-biased-running-var",  # the last tag added after reading output
        ),
        phrases=("N*H*W",),
    ),
    fresh(
        "hsaj-bn2d-backward-always-batch-formula",
        "layers.BatchNorm2d",
        "BatchNorm2d's backward rewritten in CS231n's compact form (dmean, dvar sums) with no evaluation branch: "
        "after an evaluation forward, which normalised with the running statistics (constants), backward still "
        "subtracts the batch-statistics terms instead of returning dx_hat * inv_std",
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
                        "            )\n"
                        "        else:\n"
                        "            grad_x = grad_x_hat * self._inv_std  # running statistics are constants\n",
                        "        x_hat, inv_std = self._x_hat, self._inv_std\n"
                        "        self.bias.grad += grad_y.sum(axis=axes)\n"
                        "        self.weight.grad += (grad_y * x_hat).sum(axis=axes)\n"
                        "        dx_hat = grad_y * self.weight.data.reshape(shape)\n"
                        "        m = grad_y.size // grad_y.shape[1]\n"
                        "        dmean = dx_hat.sum(axis=axes, keepdims=True)\n"
                        "        dvar = (dx_hat * x_hat).sum(axis=axes, keepdims=True)\n"
                        "        grad_x = inv_std / m * (m * dx_hat - dmean - x_hat * dvar)\n",
                    )
                ]
            },
        ),
        expect=("bn-eval-backward-batch-terms", "train-eval"),
        phrases=("running",),
    ),
]

LOSSES = [
    fresh(
        "hsaj-mse-squares-saved-difference-in-place",
        "losses.MSELoss",
        "forward saves the difference and then squares it in place (diff **= 2) to take the mean: the saved "
        "self._diff now holds the squared errors, so backward returns 2 (x - t)^2 / M instead of 2 (x - t) / M",
        (
            "        self._diff = x - t\n        loss = np.mean(self._diff**2)\n        return float(loss)\n",
            "        diff = x - t\n        self._diff = diff\n        diff **= 2\n        return float(diff.mean())\n",
        ),
        expect=(
            "saved-state-overwritten",
            "aliasing",
            "mse-grad-of-squares",  # the last tag added after reading output
        ),
        phrases=("in place",),
    ),
    fresh(
        "hsaj-mse-half-convention-both-ways",
        "losses.MSELoss",
        "the lecture's 1/2 convention in both methods: forward returns 0.5 * mean((x - t)^2) and backward the "
        "matching (x - t) / M, so loss and gradient are half of the mean squared error's (which has no 1/2, and "
        "gradient 2 (x - t) / M)",
        span(
            "losses",
            (
                "        self._diff = x - t\n        loss = np.mean(self._diff**2)\n",
                "        self._x, self._t = x, t\n        loss = 0.5 * np.mean((x - t) ** 2)\n",
            ),
            (
                "        return 2.0 * self._diff / self._diff.size\n",
                "        return (self._x - self._t) / self._x.size\n",
            ),
        ),
        expect=("half", "mse-grad-missing-2"),  # the last tag added after reading output
        phrases=("1/2",),
    ),
    fresh(
        "hsaj-bce-backward-divided-by-rows",
        "losses.BCELoss",
        "backward keeps PyTorch's floored formula but divides by p.shape[0], the number of rows, instead of the "
        "number of entries M the forward averages over: for a 2-D input the gradient is C times too large",
        (
            "        p, t = self._p, self._t\n"
            "        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size\n",
            "        p, t = self._p, self._t\n"
            "        denom = np.maximum(p * (1.0 - p), BCE_GRAD_EPS)\n"
            "        grad = (p - t) / denom\n"
            "        return grad / p.shape[0]\n",
        ),
        expect=(
            "mean-over-batch-only",
            "divided-by-batch-size",
            "grad-divided-by-batch",  # the last tag added after reading output
        ),
        phrases=("entries",),
    ),
    fresh(
        "hsaj-bce-clamp-after-target-product",
        "losses.BCELoss",
        "forward clamps each term after multiplying by the target, max(t log p, -100), instead of clamping the "
        "log itself, t max(log p, -100): at p = 0 with t = 0 the product is 0 * -inf = nan, and soft targets "
        "with p = 0 or 1 get -100 instead of -100 t",
        (
            '        with np.errstate(divide="ignore"):  # log(0) = -inf, which the clamp turns into -100\n'
            "            log_p = np.maximum(np.log(p), LOG_CLAMP)\n"
            "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n"
            "        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)\n",
            '        with np.errstate(divide="ignore", invalid="ignore"):\n'
            "            pos = np.maximum(t * np.log(p), LOG_CLAMP)\n"
            "            neg = np.maximum((1.0 - t) * np.log1p(-p), LOG_CLAMP)\n"
            "        loss = -np.mean(pos + neg)\n",
        ),
        expect=("floor-scope", "bce-clamp"),
        phrases=("clamp",),
    ),
    fresh(
        "hsaj-bce-logits-plus-minus-one-labels",
        "losses.BCEWithLogitsLoss",
        "forward uses the logistic-regression loss log(1 + e^{-y x}) with labels y = 2t - 1 in {-1, +1}: equal to "
        "binary cross-entropy for hard 0/1 targets only; soft targets (t = 0.3) get a different loss",
        (
            "        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))\n",
            "        y = 2.0 * t - 1.0  # labels as -1 / +1\n        loss = np.mean(np.logaddexp(0.0, -y * x))\n",
        ),
        expect=("bce-hard-labels-only",),
        phrases=("soft",),
    ),
    fresh(
        "hsaj-bce-logits-backward-through-sigmoid-again",
        "losses.BCEWithLogitsLoss",
        "backward takes (s - t) / M as the gradient with respect to the probability s and then applies the "
        "chain rule through the sigmoid, multiplying by s (1 - s): (s - t) / M already is the gradient with "
        "respect to the logits, the sigmoid's derivative has cancelled",
        (
            "        return (self._s - self._t) / self._s.size\n",
            "        s, t = self._s, self._t\n        dL_ds = (s - t) / s.size\n        return dL_ds * s * (1.0 - s)\n",
        ),
        # added after reading output (tag-vocabulary audit): bce-logits-grad-times-sigmoid-derivative
        expect=("sigmoid-derivative-twice", "bce-logits-grad-times-sigmoid-derivative"),
        phrases=("cancel",),
    ),
    fresh(
        "hsaj-ce-correct-class-fancy-index-all-rows",
        "losses.CrossEntropyLoss",
        "forward picks the true classes' log-probabilities with log_probs[:, labels] instead of "
        "log_probs[np.arange(N), labels]: an (N, N) matrix with every row's entries at every label, whose mean "
        "is not the loss",
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
            '        with np.errstate(over="ignore"):\n'
            "            scores = x - np.max(x, axis=1, keepdims=True)\n"
            "        log_sum = np.log(np.sum(np.exp(scores), axis=1, keepdims=True))\n"
            "        log_probs = scores - log_sum\n"
            "        self._probs = np.exp(log_probs)\n"
            "        correct = log_probs[:, self._labels]\n"
            "        return float(-np.mean(correct))\n",
        ),
        expect=("ce-fancy-index-all-rows",),
        phrases=("arange",),
    ),
    fresh(
        "hsaj-ce-dscores-alias-of-saved-probs",
        "losses.CrossEntropyLoss",
        "CS231n's dscores = probs; dscores[range(N), y] -= 1; dscores /= N without a copy: backward edits the "
        "saved softmax in place and returns it, so a second backward (or anything holding the result) sees "
        "corrupted probabilities",
        (
            "        N = self._probs.shape[0]\n"
            "        grad = self._probs.copy()\n"
            "        grad[np.arange(N), self._labels] -= 1.0\n"
            "        return grad / N\n",
            "        N = self._probs.shape[0]\n"
            "        dscores = self._probs\n"
            "        dscores[range(N), self._labels] -= 1\n"
            "        dscores /= N\n"
            "        return dscores\n",
        ),
        expect=("backward-mutates-saved-state", "aliasing"),
        phrases=("copy",),
    ),
    fresh(
        "hsaj-hinge-vectorized-true-class-not-zeroed",
        "losses.HingeLoss",
        "svm_loss_vectorized-style forward without margins[arange(N), y] = 0: the true class is compared with "
        "itself and adds max(0, margin) to every sample's loss (and counts as an active class in backward)",
        (
            "        rows = np.arange(x.shape[0])\n"
            "        slack = x - x[rows, self._labels][:, None] + self.margin\n"
            "        slack[rows, self._labels] = 0.0  # the true class is not compared with itself\n"
            "        self._active = (slack > 0).astype(np.float64)\n"
            "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n"
            "        return float(loss)\n",
            "        N = x.shape[0]\n"
            "        correct = x[np.arange(N), self._labels].reshape(N, 1)\n"
            "        margins = np.maximum(0.0, x - correct + self.margin)\n"
            "        self._active = (margins > 0).astype(np.float64)\n"
            "        return float(np.sum(margins) / N)\n",
        ),
        expect=("hinge-counts-true-class",),
        phrases=("true class",),
    ),
    fresh(
        "hsaj-hinge-naive-loop-delta-one",
        "losses.HingeLoss",
        "CS231n's svm_loss_naive double loop, with margin = x[i, j] - x[i, y_i] + 1 as in the notes' delta = 1: "
        "the margin argument is ignored",
        (
            "        rows = np.arange(x.shape[0])\n"
            "        slack = x - x[rows, self._labels][:, None] + self.margin\n"
            "        slack[rows, self._labels] = 0.0  # the true class is not compared with itself\n"
            "        self._active = (slack > 0).astype(np.float64)\n"
            "        loss = np.maximum(slack, 0.0).sum() / x.shape[0]\n"
            "        return float(loss)\n",
            "        N, C = x.shape\n"
            "        self._active = np.zeros((N, C))\n"
            "        loss = 0.0\n"
            "        for i in range(N):\n"
            "            y_i = self._labels[i]\n"
            "            for j in range(C):\n"
            "                if j == y_i:\n"
            "                    continue\n"
            "                margin = x[i, j] - x[i, y_i] + 1\n"
            "                if margin > 0:\n"
            "                    loss += margin\n"
            "                    self._active[i, j] = 1.0\n"
            "        return float(loss / N)\n",
        ),
        expect=("hinge-margin-ignored", "hyperparameter-ignored"),
        phrases=("margin",),
    ),
]

FRESH_AJ: list[Mutant] = [*ACTIVATIONS, *LAYERS, *LOSSES]
