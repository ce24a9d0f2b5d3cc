"""Held-apart set AK, first half (activations, layers and losses): realistic student bugs, written blind.

Set AK is written blind, in two halves by two helper sessions at the same time; this module is the activations,
layers and losses half (the other half's file was not read by this module's author). Written by a helper session
under a short deadline (about 50 minutes). Its goal is realism: the mistakes students of a numpy deep-learning course
make in code they write themselves (CS231n's naive loops, svm_loss_naive / svm_loss_vectorized, the naive
max_pool_backward mask, spatial batch norm through a (N*H*W, C) reshape, the compact and staged batch-norm forms,
einsum, np.outer, np.eye one-hots, boolean masks, np.logaddexp, per-sample flatten, paper and formula-sheet
derivatives, MATLAB's column-major habit, hyper-parameters written in as constants), leaning toward the
less-covered activations and toward the code around a component (what forward saves for backward, in-place edits of
saved or caller-owned arrays).

What the author read: /work/tools/brief_common.md and brief_half1.md; reference/activations.py, layers.py,
losses.py and base.py (as_float_array, check_ndim, Module and Loss); tests/heldout/_edits.py; the module docstring of
fresh_aj.py up to its "Blind rate" paragraph and its first bug (for the format); the ids, components, descriptions,
``expect`` and ``phrases`` of the catalogue and of every held-apart and drill set (dumped to a scratch file and
grepped per component, for the tag vocabulary, the copy check and the sharing count); of
tests/test_feedback_generalisation.py the imports, SETS, FAMILIES, EVERY and ``_changes``; nnlab.graders.mutants
(Mutant, apply, catalogue); the OBSERVATIONS table of graders/results.py. One slip to report honestly: a ``sed``
meant to stop at the "Blind rate" line of fresh_aj.py printed that paragraph's first five lines (set AJ's blind
count and the first few of its bugs flagged under another tag); no bug here was written or changed because of them,
and nothing further of that paragraph or of any grader output was read. Not read: docs/api.md (the reference
docstrings were the specification), graders/judging, graders/reporting, graders/running, graders/selfcheck,
graders/runner.py, nnlab/ beyond importing it, tests/evidence.py, tests/feedback_audit.py, the mistake, crash,
diagnosis and feedback tests, benchmarks/, the other half's file, and any grader feedback. The grader was never run;
none of these bugs was graded.

About 62 ideas were considered, 44 written, 42 kept. Replaced after the copy check (same component and ``_changes``
as an earlier bug): BatchNorm1d's 1 / (sqrt(var) + eps) (equal to the catalogue's bn1d-eps-outside-sqrt; replaced by
a staged forward with a biased running variance) and MSE's backward self._diff *= 2 / M (equal to the catalogue's
mse-backward-in-place-on-diff; now an alias named grad scaled in two steps). Dropped before writing, because an
earlier bug of the same component already had that code (the grep of the dump): Step through np.heaviside(x, 0.5),
Flatten's backward assigning grad_y.shape, max pooling's fancy-indexed += and its divmod by kH, average pooling's
repeat/kron upsampling, the flipped-kernel convolution forward, the hinge loop's break for continue, BCE's Keras
epsilon inside the log, BatchNorm1d normalising with ddof=1, SiLU's grad_y * s + sigmoid.backward(grad_y), Maxout's
running maximum from zeros and ReLU zeroing grad_y in place. Dropped because they only crash or only differ at absurd
inputs: a Linear weight gradient x.T @ grad_y (a crash unless D = M), Maxout with the bias or argmax on the wrong axis
and LogSoftmax's sum without keepdims (crashes unless two sizes agree), tanh through (e^2x - 1) / (e^2x + 1), the
cross-entropy as log of softmax probabilities and Softmax shifted by the global maximum (only at logit gaps near
1000), Maxout's running maximum with >= (exact ties only), Softplus's threshold tested on x (a difference below 1e-8
unless beta < 1) and a BCE backward with p clipped (differs only at p of exactly 0 or 1, where it is the true
derivative).

Rewrites: 40 of the 42 rewrite a whole method or function body (or both methods of a class, or the whole branch of
a body that is one branch) in a student's own style: Identity keeping its output, the Sigmoid through boolean masks
and with its derivative written into the saved output, tanh with the textbook formula on the saved output and
factored, ReLU's backward through zeros_like, LeakyReLU's derivative array, PReLU's channel loop, ELU through boolean
masks (both methods), SELU without the inner ELU (both), GELU's tanh branch with sech^2 and du/dx, SiLU through the
Sigmoid module's backward, Softplus through logaddexp (both), Softmax's Jacobian-vector product, LogSoftmax's staged
forward, Maxout's one-hot backward, Linear as a per-sample np.outer loop and in einsum form, CS231n's naive
convolution backward, max pooling's forward window loop and CS231n's naive backward mask, average pooling's forward
and backward window loops, Flatten per sample (both methods), Dropout per feature and with an early return,
BatchNorm1d's compact backward and staged forward, BatchNorm2d as spatial batch norm and its channel-loop backward,
MSE over len (both methods) and its aliased backward, BCE's forward by np.where and its per-entry backward,
BCE-with-logits' forward and its backward through logaddexp, cross-entropy as CS231n's vectorised forward and naive
backward, the hinge loss as svm_loss_naive and svm_loss_vectorized. The other 2 change one line (Step's (sign + 1) / 2
and the convolution's output reshape). Each has exactly one mistake (MSE's len shows in both methods consistently,
Flatten's Fortran order in both: one misconception each).

Sharing, honestly: 39 of the 42 share an earlier bug's misconception (in new code), judged by the author's grep of
the earlier ids, descriptions and tags of the same component; their ``expect`` tags are taken from those earlier
bugs. Not found among the same component's earlier bugs: Identity's backward multiplying by its saved output (the
tag derivative-is-output is other activations'), ReLU's gradient built in np.zeros_like of the boolean mask (a
boolean result; an integer buffer was set before) and BatchNorm1d's backward scaling the caller's grad_y in place
before the bias gradient (modifies-grad is other components'). Mechanisms new in code though not in misconception:
Step from the sign function (the value 0.5 at 0 was set before through heaviside), the Sigmoid's negative branch as
1 / (1 + e^x) under boolean masks, tanh'(x) evaluated as 1 - tanh(y)^2, the copied factor (1 - y)(1 - y), PReLU's
[..., c] in a channel loop, Maxout's weight gradient from the one-hot mask, the convolution's forward reshape to
(N, F, H', W'), max pooling's forward windows without the stride, Flatten's per-sample order 'F', Dropout drawn per
feature, BatchNorm2d's spatial reshape back without the transpose, and the hinge loop's j == i.

Classes covered: derivatives (tanh at the output and factored wrong, GELU's inner slope without the 3, SiLU's product
rule without x, Softmax's sum without y, Softplus's extra beta, the Sigmoid's negative branch, BCE-with-logits'
sigmoid sign), the upstream factor (ELU's assigned slope, Maxout's weight gradient, Identity times its output),
kinks (LeakyReLU at 0, Step at 0), dtypes (ReLU's boolean gradient), hyper-parameters and constants (SELU's scale on
one branch, the hinge's delta = 1, Softplus's beta), stable forms (BCE-with-logits without the abs), state and
aliasing (the Sigmoid's saved output, MSE's saved difference, Dropout's input, BatchNorm1d's upstream gradient,
LogSoftmax's unnormalised saved softmax), loops (Linear's range(N - 1), average pooling's assigned windows, the
hinge's j == i), layout and axes (PReLU's channel as last axis, Flatten's Fortran order, the convolution's reshape
without transpose, BatchNorm2d's reshape back, cross-entropy's softmax over the batch axis, Dropout's mask per
feature), windows and strides (max pooling's unstrided windows, average pooling's kH for kW, the convolution's
pH:-pH unpadding), ties (max pooling's mask of every maximum), counts and normalisers (Linear's bias mean, MSE's
len, BCE's and cross-entropy's gradients without 1/M and 1/N, BatchNorm2d's count from the batch, BatchNorm1d's
biased running variance), labels (BCE's hard-label selection).
Components: activations Identity, Step, Sigmoid (2), Tanh (2), ReLU, LeakyReLU, PReLU, ELU, SELU, GELU, SiLU,
Softplus, Softmax, LogSoftmax, Maxout (17 bugs); layers Linear (2), Conv2d (2), MaxPool2d (2), AvgPool2d (2),
Flatten, Dropout (2), BatchNorm1d (2), BatchNorm2d (2) (15 bugs); losses MSELoss (2), BCELoss (2),
BCEWithLogitsLoss (2), CrossEntropyLoss (2), HingeLoss (2) (10 bugs).

Checks: every edit applies (nnlab.graders.mutants.apply) and its module imports; every ``old`` occurs once in its
reference module; ids are new and unique; every ``expect`` tag is in the existing vocabulary and every bug has a
non-observation tag; no textual copy (``_changes``) of a catalogue mutant or an earlier held-apart or drill bug of
the same component; ruff check and ruff format --check. A script in /tmp built three copies of the reference
package per bug (reference, bug, and bug with its slip undone by a text replacement in ``new``) and compared
(rtol 1e-9, atol 1e-12, shapes and dtypes, exceptions by type) forward outputs, two backward calls, the caller's
input and upstream arrays afterwards, the output the caller holds after backward, parameters with their accumulated
gradients and the running buffers. Activations on (4, 5), (2, 3, 4, 2), (2, 3, 4, 5), (2, 3, 4) normal inputs
(scale 2, every fifth entry 0) and a (2, 6) row of extremes from -1000 to 1000, in turn on one module; LeakyReLU
slope 0.01, 0.2, 1.5; ELU alpha 1, 0.7, 1.5; GELU exact and tanh; Softplus beta 1, 2 and (0.5, threshold 5);
Softmax and LogSoftmax dim -1, 0, 1; PReLU shared (init 0.4) and 3 channels on (2, 3, 4, 2), (4, 3), (2, 3, 4, 5);
Maxout (D, M, K) = (5, 4, 3), (5, 4, 2), (3, 3, 1) on 6 then 3 samples. Linear 5 -> 3, 5 -> 5 with bias and
4 -> 2 without, on 6 then 3 samples; Conv2d 3 -> 4 on (2, 3, 6, 7) then (1, 3, 5, 5): 3x3; (2, 3) stride (2, 1)
padding (1, 2); 3x3 stride 2 padding 1; 2x2 stride 2; 3x3 padding 1 without bias; pooling on (2, 3, 6, 7) then a
rounded ReLU-clipped copy with ties: 2; 3 stride 2; (3, 2) stride (2, 1); 3 stride 1; (2, 3); Flatten on
(2, 3, 6, 7), (1, 3, 2), (4, 3, 2), (4, 1), (2, 3, 4) in turn; Dropout p = 0.3, 0.5, 0, 1 with a seeded rng, two
training then two evaluation rounds (the last of another shape); BatchNorm1d on (8, 3) and (4, 3, 5), BatchNorm2d on
(4, 3, 5, 6) and (2, 3, 2, 2), momentum 0.1 and 0.3, default and (1.5, 0.5, -0.8) / (0.1, -0.2, 0.3) affine
parameters, two training then two evaluation rounds. MSE on (5, 3) and (4,); BCE on soft and hard (6, 3) targets,
on (6,), on probabilities 0, 1, 0.5, 1e-20 with hard targets and 0, 1, 0.5 with target 0.3; BCE-with-logits
(scale 3) on soft and hard (6, 3), on (5,) and on logits -800, -40, 40, 800, 0; cross-entropy and hinge (margin 1
and 0.7) on (6, 4), (3, 5) and logits 1000 apart. Every undone slip matched the reference on every configuration;
every bug changed a result on at least one. Some need the configuration their mistake is about: an input of exactly
0 (Step, LeakyReLU), a second backward (the Sigmoid, MSE's alias), beta other than 1 (Softplus), the tanh
approximation (GELU), channel inputs of more than two axes (PReLU), padding 0 (the convolution's unpadding), a
stride other than 1 (max pooling's windows), overlapping windows (average pooling's assignment), ties (max pooling's
mask), a non-square window (average pooling's width), p strictly between 0 and 1 (Dropout per feature), a float64
caller array (Dropout's input), affine parameters other than the default (BatchNorm1d's in-place upstream), a
margin other than 1 (the vectorised hinge) and soft targets (BCE's hard-label selection). The ``expect`` tags were
chosen from the misconception alone, before any grading, from the existing vocabulary. Ids start with ``hsak-``.

Blind rate (graded in the sandbox, isolated, before anybody read the feedback; set AJ had been taught):
34/42 named (81 %), 42 caught, 7 flagged with another bug class's tag: 6 the right diagnosis under another name
(the Sigmoid's negative branch 1 / (1 + e^x) read as the positive branch's formula copied, SELU's missing scale as a
formula constant, BatchNorm1d's grad_y scaled in place as an argument modified, BatchNorm2d's count from the batch
size as means over the batch, MSE divided by len() as the gradient divided by the batch, BCE's gradient not averaged
as a mean over the entries missing) and 1 imprecise (ReLU's boolean gradient: its dtype row said "float64 wanted"
under the float32 tag, beside the right boolean-result diagnosis). No wrong claim. Unnamed: Identity's backward
times its saved output, PReLU's channel loop on the last axis, average pooling's window width from kH, and the naive
hinge loop skipping class i for the true class.
The whole set (90 bugs): 76/90 named (84 %), 90 caught, 7 flagged (6 right under another tag, 1 imprecise, no wrong
claim). Three more of the other half carry their right diagnosis under tags no mutant expected then (see
fresh_ak2.py), which the rule of the time could count neither as naming nor as misleading.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import batchnorm_own, held_apart_bug, span

fresh = partial(held_apart_bug, "hsak-")  # set AK

ACTIVATIONS = [
    fresh(
        "hsak-identity-backward-times-saved-output",
        "activations.Identity",
        "forward keeps its output y (= x) for backward, as the Sigmoid and Tanh do, and backward returns "
        "grad_y * y: the derivative of the identity is 1, not the output, so grad_x = grad_y",
        (
            """\
        ### BEGIN SOLUTION
        return x
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        return grad_y
        ### END SOLUTION
""",
            """\
        ### BEGIN SOLUTION
        self._y = x
        return self._y
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        return grad_y * self._y
        ### END SOLUTION
""",
        ),
        expect=("derivative-is-output",),
    ),
    fresh(
        "hsak-step-from-sign-half-at-zero",
        "activations.Step",
        "forward maps the perceptron's sign output to {0, 1} with (np.sign(x) + 1) / 2: np.sign(0) is 0, so the step "
        "is 0.5 at x = 0, where the Heaviside step of the API is 0 (1.0 only where x > 0)",
        (
            "        return (x > 0).astype(np.float64)\n",
            "        return (np.sign(x) + 1.0) / 2.0  # -1 -> 0, +1 -> 1\n",
        ),
        expect=("step-at-zero", "kink-value"),
    ),
    fresh(
        "hsak-sigmoid-mask-branches-negative-reciprocal",
        "activations.Sigmoid",
        "forward fills the stable two-branch sigmoid through boolean masks; for x < 0 it computes e = e^x (no "
        "overflow) but writes 1 / (1 + e) instead of e / (1 + e): 1 / (1 + e^x) is sigmoid(-x), the exponent's sign "
        "flipped on the negative branch",
        (
            """\
        z = np.exp(-np.abs(x))
        self._y = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
        return self._y
""",
            """\
        out = np.empty_like(x)
        pos = x >= 0
        out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
        e = np.exp(x[~pos])  # x < 0 here, so e^x cannot overflow
        out[~pos] = 1.0 / (1.0 + e)
        self._y = out
        return out
""",
        ),
        # the last tag added after reading output
        expect=("sigmoid-exponent-sign", "copy-paste"),
    ),
    fresh(
        "hsak-sigmoid-backward-derivative-into-saved-output",
        "activations.Sigmoid",
        "backward turns the saved output into the local derivative in place, self._y *= 1 - self._y, to save an "
        "array: the first backward is right, but the saved y (and the output the caller holds, the same array) is "
        "now y (1 - y), so a second backward gets another derivative",
        (
            "        return grad_y * self._y * (1.0 - self._y)\n",
            """\
        self._y *= 1.0 - self._y  # now the local derivative y (1 - y)
        return grad_y * self._y
""",
        ),
        expect=("backward-mutates-saved-state",),
    ),
    fresh(
        "hsak-tanh-derivative-tanh-of-saved-output",
        "activations.Tanh",
        "forward saves the output y = tanh(x); backward writes the textbook 1 - tanh(x)^2 with the saved y in "
        "place of x, 1 - tanh(y)^2: y is already tanh(x), the derivative is 1 - y^2",
        (
            """\
        self._y = np.tanh(x)
        return self._y
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        return grad_y * (1.0 - self._y * self._y)
""",
            """\
        y = np.tanh(x)
        self._y = y
        return y
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        local = 1.0 - np.tanh(self._y) ** 2  # tanh'(x) = 1 - tanh(x)^2
        return grad_y * local
""",
        ),
        expect=("derivative-at-output", "tanh-derivative-of-input"),
    ),
    fresh(
        "hsak-tanh-backward-factored-sign-copied",
        "activations.Tanh",
        "backward factors the derivative 1 - y^2 as (1 - y)(1 + y) but copies the first factor: (1 - y)(1 - y) = "
        "(1 - y)^2, which is 1 - 2y + y^2, not 1 - y^2",
        (
            "        return grad_y * (1.0 - self._y * self._y)\n",
            """\
        y = self._y
        return grad_y * (1.0 - y) * (1.0 - y)  # 1 - y^2 factored
""",
        ),
        expect=("derivative-wrong-form",),
    ),
    fresh(
        "hsak-relu-backward-zeros-like-boolean-mask",
        "activations.ReLU",
        "backward builds the gradient as dx = np.zeros_like(self._mask) and copies grad_y into it where the mask "
        "is true: zeros_like of a boolean mask is a boolean array, so the gradient comes back as True/False "
        "instead of float64 values",
        (
            "        return np.where(self._mask, grad_y, 0.0)\n",
            """\
        dx = np.zeros_like(self._mask)
        dx[self._mask] = grad_y[self._mask]
        return dx
""",
        ),
        expect=("boolean-result", "integer-dtype"),
    ),
    fresh(
        "hsak-leakyrelu-backward-ones-then-strict-negatives",
        "activations.LeakyReLU",
        "backward builds the local derivative as ones and sets the slope where x < 0: at x = 0 the derivative "
        "stays 1, where the API (PyTorch) takes the x <= 0 branch, the slope",
        (
            "        return np.where(self._x > 0, grad_y, self.negative_slope * grad_y)\n",
            """\
        dx = np.ones_like(self._x)
        dx[self._x < 0] = self.negative_slope
        return grad_y * dx
""",
        ),
        expect=("kink-derivative",),
    ),
    fresh(
        "hsak-prelu-channel-loop-indexes-last-axis",
        "activations.PReLU",
        "backward loops over the channels to collect each slope's gradient, but indexes the channel with "
        "[..., c], the last axis (a channels-last habit): for (N, C) input that is axis 1, for (N, C, H, W) it "
        "sums the wrong entries (or fails when C > W)",
        (
            """\
        negative = self._x <= 0
        contribution = np.where(negative, grad_y * self._x, 0.0)
        if self.num_parameters == 1:
            self.weight.grad += contribution.sum()
        else:  # sum over every axis but the channel axis
            self.weight.grad += contribution.sum(axis=(0, *range(2, contribution.ndim)))
        return np.where(negative, self._a * grad_y, grad_y)
""",
            """\
        x, a = self._x, self._a
        neg = x <= 0
        dslope = grad_y * x * neg  # dy/da = x on the negative side
        if self.num_parameters == 1:
            self.weight.grad += dslope.sum()
        else:
            for c in range(self.num_parameters):
                self.weight.grad[c] += dslope[..., c].sum()
        return np.where(neg, a * grad_y, grad_y)
""",
        ),
        expect=("channels-last-layout", "prelu-grad-wrong-axes"),
    ),
    fresh(
        "hsak-elu-mask-backward-assigns-local-slope",
        "activations.ELU",
        "ELU through boolean masks: backward copies grad_y and, on the negative entries, assigns the local slope "
        "alpha e^x (dx[neg] = ...) instead of multiplying by it (dx[neg] *= ...): the negative branch drops the "
        "upstream gradient",
        (
            """\
        self._x = x
        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0.0)))
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))
        return np.where(self._x > 0, grad_y, slope * grad_y)
""",
            """\
        self._x = x
        out = x.copy()
        neg = x <= 0
        out[neg] = self.alpha * np.expm1(x[neg])
        return out
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        dx = grad_y.copy()
        neg = self._x <= 0
        dx[neg] = self.alpha * np.exp(self._x[neg])
        return dx
""",
        ),
        expect=("ignores-upstream-gradient",),
        phrases=("upstream",),
    ),
    fresh(
        "hsak-selu-own-formula-scale-on-positive-branch-only",
        "activations.SELU",
        "SELU written out without the inner ELU: forward is scale * where(x > 0, x, alpha (e^x - 1)), right; "
        "backward puts scale on the positive branch only, where(x > 0, scale * grad_y, alpha e^x grad_y): the "
        "negative branch's derivative is scale * alpha * e^x",
        (
            """\
        return self.scale * self._elu.forward(x)
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        return self._elu.backward(self.scale * grad_y)
""",
            """\
        self._x = x
        neg = self.alpha * np.expm1(np.minimum(x, 0.0))
        return self.scale * np.where(x > 0, x, neg)
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        slope = self.alpha * np.exp(np.minimum(self._x, 0.0))
        return np.where(self._x > 0, self.scale * grad_y, slope * grad_y)
""",
        ),
        # the last tag added after reading output
        expect=("selu-missing-scale", "formula-constant"),
    ),
    fresh(
        "hsak-gelu-tanh-inner-derivative-cubic-as-square",
        "activations.GELU",
        "the tanh approximation's backward is rewritten with sech^2 = 1 - t^2 and du/dx, but the derivative of "
        "u = sqrt(2/pi) (x + 0.044715 x^3) is taken as sqrt(2/pi) (1 + 0.044715 x^2): the power rule's factor 3 "
        "is lost",
        (
            """\
            xc, t = np.clip(self._x, -10.0, 10.0), self._t
            inner_slope = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_KAPPA * xc * xc)
            return grad_y * (0.5 * (1.0 + t) + 0.5 * xc * (1.0 - t * t) * inner_slope)
""",
            """\
            x = np.clip(self._x, -10.0, 10.0)
            sech2 = 1.0 - self._t**2
            du_dx = SQRT_2_OVER_PI * (1.0 + GELU_KAPPA * x**2)
            return grad_y * (0.5 * (1.0 + self._t) + 0.5 * x * sech2 * du_dx)
""",
        ),
        expect=("gelu-tanh-inner-slope", "chain-rule-inner-derivative"),
    ),
    fresh(
        "hsak-silu-backward-sigmoid-module-slope-without-x",
        "activations.SiLU",
        "backward asks the Sigmoid module for s'(x) with a ones upstream and returns grad_y * (s + s'): the "
        "product rule for x s(x) is s + x s', the second term misses its factor x",
        (
            """\
        s = self._s
        return grad_y * (s + self._x * s * (1.0 - s))
""",
            """\
        s = self._s
        ds = self._sigmoid.backward(np.ones_like(grad_y))  # s'(x) = s (1 - s)
        return grad_y * (s + ds)
""",
        ),
        expect=("product-rule-x-dropped",),
    ),
    fresh(
        "hsak-softplus-logaddexp-backward-times-beta",
        "activations.Softplus",
        "softplus through np.logaddexp(0, beta x) / beta and its sigmoid through exp(-logaddexp(0, -z)), both "
        "right; backward multiplies the sigmoid by beta 'for the chain rule through z = beta x', but the 1/beta "
        "of the forward cancels it: dy/dx = sigmoid(beta x)",
        (
            """\
        z = self.beta * x
        self._linear = z > self.threshold
        self._s = self._sigmoid.forward(z)
        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / self.beta
        return np.where(self._linear, x, soft)
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        return np.where(self._linear, grad_y, grad_y * self._s)
""",
            """\
        z = self.beta * x
        self._z = z
        soft = np.logaddexp(0.0, z) / self.beta
        return np.where(z > self.threshold, x, soft)
        ### END SOLUTION

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = as_float_array(grad_y, "grad_y")
        ### BEGIN SOLUTION
        z = self._z
        sig = np.exp(-np.logaddexp(0.0, -z))  # sigmoid(z), stable
        # chain rule through z = beta x
        return np.where(z > self.threshold, grad_y, grad_y * sig * self.beta)
""",
        ),
        expect=("softplus-grad-times-beta",),
    ),
    fresh(
        "hsak-softmax-backward-dot-without-output",
        "activations.Softmax",
        "backward writes the Jacobian-vector product as y * g - y * total but takes total = sum(g) along dim "
        "(log-softmax's sum) instead of sum(g * y): the product with the Jacobian's y_i y_j term needs the "
        "upstream gradient weighted by y",
        (
            """\
        y = self._y
        return y * (grad_y - np.sum(grad_y * y, axis=self.dim, keepdims=True))
""",
            """\
        y = self._y
        # Jacobian-vector product: diag(y) g - y (y . g)
        total = np.sum(grad_y, axis=self.dim, keepdims=True)
        return y * grad_y - y * total
""",
        ),
        expect=("softmax-sum-missing-y",),
    ),
    fresh(
        "hsak-logsoftmax-saves-unnormalised-exponentials",
        "activations.LogSoftmax",
        "forward computes m, e = exp(x - m) and the sum, returns x - m - log(sum) (right), but saves e as 'the "
        "softmax' for backward: e is not divided by the sum, so backward's p * sum(grad_y) uses unnormalised "
        "exponentials",
        (
            """\
        shifted = x - np.max(x, axis=self.dim, keepdims=True)
        y = shifted - np.log(np.sum(np.exp(shifted), axis=self.dim, keepdims=True))
        self._p = np.exp(y)
        return y
""",
            """\
        m = np.max(x, axis=self.dim, keepdims=True)
        e = np.exp(x - m)
        total = np.sum(e, axis=self.dim, keepdims=True)
        self._p = e  # the softmax, for backward
        return x - m - np.log(total)
""",
        ),
        expect=("logsoftmax-saved-unnormalised",),
    ),
    fresh(
        "hsak-maxout-onehot-backward-weight-grad-from-mask",
        "activations.Maxout",
        "backward selects the winning pieces with a one-hot np.eye(K)[argmax] and masks the upstream gradient "
        "with it, but the weight gradient is contracted from the one-hot mask instead of the masked gradient: "
        "dL/dweight ignores grad_y (bias and input gradients are right)",
        (
            """\
        won = self._argmax[:, None, :] == np.arange(self.pieces)[None, :, None]
        grad_z = np.where(won, grad_y[:, None, :], 0.0)  # (N, K, M)
        self.weight.grad += np.einsum("nkj,nd->kjd", grad_z, self._x)
        self.bias.grad += grad_z.sum(axis=0)
        return np.einsum("nkj,kjd->nd", grad_z, self.weight.data)
""",
            """\
        onehot = np.eye(self.pieces)[self._argmax]  # (N, M, K): 1 for the winning piece
        grad_z = onehot * grad_y[:, :, None]
        self.weight.grad += np.einsum("njk,nd->kjd", onehot, self._x)
        self.bias.grad += grad_z.sum(axis=0).T
        return np.einsum("njk,kjd->nd", grad_z, self.weight.data)
""",
        ),
        expect=("ignores-upstream-gradient",),
        phrases=("upstream",),
    ),
]

LAYERS = [
    fresh(
        "hsak-linear-sample-loop-skips-last",
        "layers.Linear",
        "backward loops over the samples with np.outer for each weight gradient, but the loop runs over "
        "range(N - 1): the last sample's contributions to the weight, bias and input gradients are left out",
        (
            """\
        self.weight.grad += grad_y.T @ self._x
        if self.bias is not None:
            self.bias.grad += grad_y.sum(axis=0)
        grad_x = grad_y @ self.weight.data
""",
            """\
        N = self._x.shape[0]
        grad_x = np.zeros_like(self._x)
        for n in range(N - 1):
            self.weight.grad += np.outer(grad_y[n], self._x[n])
            if self.bias is not None:
                self.bias.grad += grad_y[n]
            grad_x[n] = grad_y[n] @ self.weight.data
""",
        ),
        expect=("loop-off-by-one", "entries-skipped"),
    ),
    fresh(
        "hsak-linear-einsum-bias-grad-mean",
        "layers.Linear",
        "backward in einsum form, with the bias gradient np.mean(grad_y, axis=0): the bias is added to every "
        "sample, so its gradient is the sum of grad_y over the batch, not the mean",
        (
            """\
        self.weight.grad += grad_y.T @ self._x
        if self.bias is not None:
            self.bias.grad += grad_y.sum(axis=0)
        grad_x = grad_y @ self.weight.data
""",
            """\
        self.weight.grad += np.einsum("nm,nd->md", grad_y, self._x)
        if self.bias is not None:
            self.bias.grad += np.mean(grad_y, axis=0)
        grad_x = np.einsum("nm,md->nd", grad_y, self.weight.data)
""",
        ),
        expect=("bias-mean-not-sum",),
    ),
    fresh(
        "hsak-conv-naive-backward-unpad-negative-slice",
        "layers.Conv2d",
        "backward as CS231n's naive four loops over the padded input forward kept; the padding is cut off with "
        "grad_xp[:, :, pH:-pH, pW:-pW]: with padding 0 the slice 0:-0 is empty, so the input gradient has no rows "
        "or columns",
        span(
            "layers",
            ("        self._xp_shape = xp.shape\n", "        self._xp_shape = xp.shape\n        self._xp = xp\n"),
            (
                """\
        G = grad_y.transpose(1, 0, 2, 3).reshape(F, N * Ho * Wo)  # column (n, p, q), as cols
        self.weight.grad += (G @ self._cols.T).reshape(self.weight.shape)
        if self.bias is not None:
            self.bias.grad += G.sum(axis=1)
        dcols = self.weight.data.reshape(F, -1).T @ G
        dcols = dcols.reshape(self.in_channels, kH, kW, N, Ho, Wo)
        # col2im: the windows of forward, now a view of grad_xp. For one kernel offset
        # (i, j) they are disjoint; over all offsets they overlap and the sums accumulate.
        grad_xp = np.zeros(self._xp_shape)
        windows = self._windows(grad_xp, Ho, Wo)
        for i in range(kH):
            for j in range(kW):
                window = windows[:, i, j]
                window += dcols[:, i, j]
        H, W = self._xp_shape[2] - 2 * pH, self._xp_shape[3] - 2 * pW
        grad_x = grad_xp[:, :, pH:pH + H, pW:pW + W]
""",
                """\
        sH, sW = self.stride
        w = self.weight.data
        grad_xp = np.zeros(self._xp_shape)
        for n in range(N):
            for f in range(F):
                for p in range(Ho):
                    for q in range(Wo):
                        r, c = p * sH, q * sW
                        g = grad_y[n, f, p, q]
                        self.weight.grad[f] += g * self._xp[n, :, r:r + kH, c:c + kW]
                        grad_xp[n, :, r:r + kH, c:c + kW] += g * w[f]
        if self.bias is not None:
            self.bias.grad += grad_y.sum(axis=(0, 2, 3))
        grad_x = grad_xp[:, :, pH:-pH, pW:-pW]
""",
            ),
        ),
        expect=("unpad-negative-slice", "padding-slice-bounds"),
    ),
    fresh(
        "hsak-conv-forward-output-reshaped-not-transposed",
        "layers.Conv2d",
        "forward's product w @ cols is (F, N*H'*W') with the filters first; it is reshaped straight to "
        "(N, F, H', W'): the reshape reads the filter-major numbers as sample-major, scrambling samples and "
        "filters; it must be reshaped to (F, N, H', W') and transposed",
        (
            "        y = y.reshape(self.out_channels, N, Ho, Wo).transpose(1, 0, 2, 3)  # a view\n",
            "        y = y.reshape(N, self.out_channels, Ho, Wo)  # (F, N*H'*W') -> (N, F, H', W')\n",
        ),
        expect=("reshape-not-transpose", "axes-permuted"),
    ),
    fresh(
        "hsak-maxpool-loop-forward-window-not-strided",
        "layers.MaxPool2d",
        "forward loops over the output positions and takes window (p, q) at x[:, :, p:p + kH, q:q + kW], the "
        "output index used as the input offset: with a stride other than 1 the window starts at p * sH, q * sW",
        (
            """\
        self._x_shape = x.shape
        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]
        windows = windows.reshape(*windows.shape[:4], kH * kW)  # (N, C, H', W', kH*kW)
        self._argmax = windows.argmax(axis=-1)  # the first maximum on a tie
        y = np.take_along_axis(windows, self._argmax[..., None], axis=-1)[..., 0]
""",
            """\
        self._x_shape = x.shape
        N, C, Ho, Wo = self._y_shape
        y = np.zeros((N, C, Ho, Wo))
        self._argmax = np.zeros((N, C, Ho, Wo), dtype=int)
        for p in range(Ho):
            for q in range(Wo):
                window = x[:, :, p:p + kH, q:q + kW].reshape(N, C, kH * kW)
                self._argmax[:, :, p, q] = window.argmax(axis=-1)
                y[:, :, p, q] = window.max(axis=-1)
""",
        ),
        expect=("stride-ignored", "window-offset-ignored"),
    ),
    fresh(
        "hsak-maxpool-naive-backward-mask-every-maximum",
        "layers.MaxPool2d",
        "backward as CS231n's naive loop: for each window, mask = (window == window.max()) and "
        "grad_x[window] += mask * grad_y: on a tie every maximal entry gets the whole gradient, where the max "
        "moved with one entry only (the first, whose offset forward saved)",
        span(
            "layers",
            (
                "        self._argmax = windows.argmax(axis=-1)  # the first maximum on a tie\n",
                "        self._argmax = windows.argmax(axis=-1)  # the first maximum on a tie\n        self._x = x\n",
            ),
            (
                """\
        grad_x = np.zeros(self._x_shape)
        for i in range(kH):
            for j in range(kW):
                won = self._argmax == i * kW + j
                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += np.where(won, grad_y, 0.0)
""",
                """\
        grad_x = np.zeros(self._x_shape)
        N, C = grad_y.shape[:2]
        for n in range(N):
            for c in range(C):
                for p in range(Ho):
                    for q in range(Wo):
                        r, s = p * sH, q * sW
                        window = self._x[n, c, r:r + kH, s:s + kW]
                        mask = window == window.max()
                        grad_x[n, c, r:r + kH, s:s + kW] += mask * grad_y[n, c, p, q]
""",
            ),
        ),
        expect=("maxpool-grad-to-every-max",),
    ),
    fresh(
        "hsak-avgpool-loop-forward-width-from-kh",
        "layers.AvgPool2d",
        "forward loops over the output positions and averages x[:, :, r:r + kH, c:c + kH]: the window's width "
        "is taken from kH, so a non-square window averages the wrong columns",
        (
            """\
        self._x_shape = x.shape
        windows = sliding_window_view(x, (kH, kW), axis=(2, 3))[:, :, ::sH, ::sW]
        y = windows.mean(axis=(4, 5))
""",
            """\
        self._x_shape = x.shape
        N, C, Ho, Wo = self._y_shape
        y = np.zeros((N, C, Ho, Wo))
        for p in range(Ho):
            for q in range(Wo):
                r, c = p * sH, q * sW
                y[:, :, p, q] = x[:, :, r:r + kH, c:c + kH].mean(axis=(2, 3))
""",
        ),
        # the last tag added after reading output
        expect=("kernel-height-width-swapped", "square-kernel-assumed", "square-only-index"),
    ),
    fresh(
        "hsak-avgpool-loop-backward-window-assigned",
        "layers.AvgPool2d",
        "backward loops over the output positions and writes each window's share with = instead of +=: where "
        "windows overlap (stride < kernel) an entry keeps only the last window's share instead of the sum",
        (
            """\
        share = grad_y / (kH * kW)
        grad_x = np.zeros(self._x_shape)
        for i in range(kH):
            for j in range(kW):
                grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share
""",
            """\
        grad_x = np.zeros(self._x_shape)
        for p in range(Ho):
            for q in range(Wo):
                r, c = p * sH, q * sW
                grad_x[:, :, r:r + kH, c:c + kW] = grad_y[:, :, p:p + 1, q:q + 1] / (kH * kW)
""",
        ),
        expect=("overlap-overwritten", "assigned-not-accumulated"),
    ),
    fresh(
        "hsak-flatten-per-sample-fortran-order",
        "layers.Flatten",
        "forward flattens sample by sample with xi.flatten('F') (MATLAB's column-major order) and backward "
        "reshapes back with order='F' consistently: the features come out in another order than PyTorch's "
        "row-major (C-order) Flatten",
        (
            """\
        self._x_shape = x.shape
        y = x.reshape(self._y_shape)
        ### END SOLUTION
        return y

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = _grad_array(grad_y, self._y_shape, "Flatten")
        ### BEGIN SOLUTION
        grad_x = grad_y.reshape(self._x_shape)
""",
            """\
        self._x_shape = x.shape
        y = np.stack([xi.flatten("F") for xi in x])
        ### END SOLUTION
        return y

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        grad_y = _grad_array(grad_y, self._y_shape, "Flatten")
        ### BEGIN SOLUTION
        grad_x = np.stack([g.reshape(self._x_shape[1:], order="F") for g in grad_y])
""",
        ),
        expect=("flatten-column-major", "reshape-order"),
    ),
    fresh(
        "hsak-dropout-one-mask-per-feature",
        "layers.Dropout",
        "forward draws the keep/drop decisions with rng.random(x.shape[1:]), one per unit, 'dropping a unit': "
        "the same units are dropped for every sample of the batch; each entry needs its own draw",
        (
            """\
        if self.training:
            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1
            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf
            self._mask = keep * scale
            y = x * self._mask
        else:
            self._mask = None
            y = x
""",
            """\
        self._mask = None
        y = x
        if self.training:
            # one keep/drop decision per unit (feature)
            keep = self.rng.random(x.shape[1:]) >= self.p
            self._mask = keep / (1.0 - self.p) if self.p < 1.0 else np.zeros(x.shape[1:])
            y = x * self._mask
""",
        ),
        expect=("dropout-mask-shared-across-batch", "dropout-mask-shape"),
    ),
    fresh(
        "hsak-dropout-mask-applied-into-input",
        "layers.Dropout",
        "forward returns early in evaluation and, in training, applies the mask with x *= mask and returns x: "
        "as_float_array does not copy a float64 input, so the caller's array is overwritten with the dropped "
        "and rescaled values",
        (
            """\
        if self.training:
            keep = self.rng.random(x.shape) >= self.p  # never true for p = 1
            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf
            self._mask = keep * scale
            y = x * self._mask
        else:
            self._mask = None
            y = x
""",
            """\
        if not self.training:
            self._mask = None
            return x
        u = self.rng.random(x.shape)
        self._mask = np.where(u >= self.p, 1.0 / (1.0 - self.p) if self.p < 1.0 else 0.0, 0.0)
        x *= self._mask
        return x
""",
        ),
        expect=("modifies-input",),
    ),
    fresh(
        "hsak-bn1d-compact-backward-scales-grad-in-place-before-beta",
        "layers.BatchNorm1d",
        "the compact CS231n backward computes dgamma, then turns grad_y into dL/dx_hat in place "
        "(grad_y *= gamma) before dbeta = sum(grad_y): dbeta comes out multiplied by gamma, and the caller's "
        "upstream gradient array is overwritten",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "backward": [
                    (
                        """\
        self.weight.grad += (grad_y * self._x_hat).sum(axis=axes)
        self.bias.grad += grad_y.sum(axis=axes)
        grad_x_hat = grad_y * self.weight.data.reshape(shape)
        if self._batch_stats:
            # The mean and variance depend on every sample: subtract the gradient's
            # component along the constant direction and along x_hat.
            grad_x = self._inv_std * (
                grad_x_hat
                - grad_x_hat.mean(axis=axes, keepdims=True)
                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)
            )
        else:
            grad_x = grad_x_hat * self._inv_std  # running statistics are constants
""",
                        """\
        gamma = self.weight.data.reshape(shape)
        x_hat, inv_std = self._x_hat, self._inv_std
        self.weight.grad += np.sum(grad_y * x_hat, axis=axes)
        grad_y *= gamma  # dL/dx_hat, in place
        self.bias.grad += np.sum(grad_y, axis=axes)
        if self._batch_stats:
            m = grad_y.size // grad_y.shape[1]
            grad_x = inv_std / m * (
                m * grad_y
                - np.sum(grad_y, axis=axes, keepdims=True)
                - x_hat * np.sum(grad_y * x_hat, axis=axes, keepdims=True)
            )
        else:
            grad_x = grad_y * inv_std
""",
                    )
                ]
            },
        ),
        # the last tag added after reading output
        expect=("bn-bias-grad-times-gamma", "modifies-grad", "modifies-input"),
    ),
    fresh(
        "hsak-bn1d-staged-forward-running-var-biased",
        "layers.BatchNorm1d",
        "forward in CS231n's staged style (mu, xmu = x - mu, var = mean(xmu^2), inv_std) feeds the running "
        "variance with the batch's biased variance: PyTorch (the API) normalises with the biased variance but "
        "stores the unbiased estimate var * m / (m - 1) in running_var",
        batchnorm_own(
            "layers.BatchNorm1d",
            {
                "forward": [
                    (
                        """\
        if self.training:
            mean = x.mean(axis=axes)
            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch
            m = self.momentum
            self.running_mean *= 1.0 - m
            self.running_mean += m * mean
            self.running_var *= 1.0 - m
            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate
        else:
            mean, var = self.running_mean, self.running_var
        self._batch_stats = self.training
        self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(shape)
        self._x_hat = (x - mean.reshape(shape)) * self._inv_std
""",
                        """\
        if self.training:
            mu = np.mean(x, axis=axes)
            xmu = x - mu.reshape(shape)
            var = np.mean(xmu**2, axis=axes)
            self.running_mean *= 1.0 - self.momentum
            self.running_mean += self.momentum * mu
            self.running_var *= 1.0 - self.momentum
            self.running_var += self.momentum * var
            inv_std = 1.0 / np.sqrt(var + self.eps)
            self._x_hat = xmu * inv_std.reshape(shape)
        else:
            inv_std = 1.0 / np.sqrt(self.running_var + self.eps)
            self._x_hat = (x - self.running_mean.reshape(shape)) * inv_std.reshape(shape)
        self._batch_stats = self.training
        self._inv_std = inv_std.reshape(shape)
""",
                    )
                ]
            },
        ),
        expect=("bn-biased-running-var", "bessel-correction"),
    ),
    fresh(
        "hsak-bn2d-spatial-via-2d-reshaped-back-without-transpose",
        "layers.BatchNorm2d",
        "CS231n's spatial batch norm: x is moved to (N*H*W, C) with transpose(0, 2, 3, 1).reshape(-1, C) and "
        "normalised per column (right), but x_hat is brought back with reshape(N, C, H, W) instead of "
        "reshape(N, H, W, C).transpose(0, 3, 1, 2): the values land on the wrong channels and positions",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "forward": [
                    (
                        """\
        if self.training:
            mean = x.mean(axis=axes)
            var = x.var(axis=axes)  # biased (divides by count): what normalises this batch
            m = self.momentum
            self.running_mean *= 1.0 - m
            self.running_mean += m * mean
            self.running_var *= 1.0 - m
            self.running_var += m * var * (count / (count - 1))  # the unbiased estimate
        else:
            mean, var = self.running_mean, self.running_var
        self._batch_stats = self.training
        self._inv_std = (1.0 / np.sqrt(var + self.eps)).reshape(shape)
        self._x_hat = (x - mean.reshape(shape)) * self._inv_std
""",
                        """\
        N, C, H, W = x.shape
        flat = x.transpose(0, 2, 3, 1).reshape(-1, C)  # (N*H*W, C): one row per position
        if self.training:
            mean = flat.mean(axis=0)
            var = flat.var(axis=0)
            m = self.momentum
            self.running_mean *= 1.0 - m
            self.running_mean += m * mean
            self.running_var *= 1.0 - m
            self.running_var += m * var * (count / (count - 1))
        else:
            mean, var = self.running_mean, self.running_var
        self._batch_stats = self.training
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_hat = (flat - mean) * inv_std
        self._inv_std = inv_std.reshape(shape)
        self._x_hat = x_hat.reshape(N, C, H, W)
""",
                    )
                ]
            },
        ),
        expect=("reshape-not-transpose",),
    ),
    fresh(
        "hsak-bn2d-channel-loop-backward-count-from-batch",
        "layers.BatchNorm2d",
        "backward loops over the channels with the compact formula, taking the number of values per channel "
        "as m = g.shape[0], the batch size: a channel of (N, C, H, W) has N*H*W values, so the mean terms are "
        "scaled wrong",
        batchnorm_own(
            "layers.BatchNorm2d",
            {
                "backward": [
                    (
                        """\
        self.weight.grad += (grad_y * self._x_hat).sum(axis=axes)
        self.bias.grad += grad_y.sum(axis=axes)
        grad_x_hat = grad_y * self.weight.data.reshape(shape)
        if self._batch_stats:
            # The mean and variance depend on every sample: subtract the gradient's
            # component along the constant direction and along x_hat.
            grad_x = self._inv_std * (
                grad_x_hat
                - grad_x_hat.mean(axis=axes, keepdims=True)
                - self._x_hat * (grad_x_hat * self._x_hat).mean(axis=axes, keepdims=True)
            )
        else:
            grad_x = grad_x_hat * self._inv_std  # running statistics are constants
""",
                        """\
        gamma = self.weight.data
        inv_stds = self._inv_std.ravel()
        grad_x = np.empty_like(grad_y)
        for c in range(self.num_features):
            g, xh = grad_y[:, c], self._x_hat[:, c]
            self.weight.grad[c] += np.sum(g * xh)
            self.bias.grad[c] += np.sum(g)
            dxh = g * gamma[c]
            if self._batch_stats:
                m = g.shape[0]  # values per channel
                grad_x[:, c] = inv_stds[c] / m * (m * dxh - dxh.sum() - xh * np.sum(dxh * xh))
            else:
                grad_x[:, c] = dxh * inv_stds[c]
""",
                    )
                ]
            },
        ),
        # the last tag added after reading output
        expect=("batch-size-as-count", "bn-sum-not-mean"),
    ),
]

LOSSES = [
    fresh(
        "hsak-mse-divided-by-len",
        "losses.MSELoss",
        "forward sums the squared errors and divides by len(diff), the number of samples, and backward divides "
        "2 (x - t) by len too: the mean is over all M entries, so for (N, D) input both are D times too large",
        span(
            "losses",
            (
                """\
        self._diff = x - t
        loss = np.mean(self._diff**2)
        return float(loss)
""",
                """\
        diff = x - t
        self._diff = diff
        n = len(diff)  # number of samples
        return float(np.sum(diff * diff) / n)
""",
            ),
            (
                "        return 2.0 * self._diff / self._diff.size\n",
                "        return 2.0 * self._diff / len(self._diff)\n",
            ),
        ),
        # the last tag added after reading output
        expect=("mse-mean-over-batch-only", "len-for-size", "mse-grad-divided-by-batch"),
    ),
    fresh(
        "hsak-mse-backward-scales-saved-diff-in-place",
        "losses.MSELoss",
        "backward names the saved difference grad = self._diff and scales it in place (grad *= 2; grad /= M): "
        "grad is not a copy, so the saved x - t is overwritten; a second backward scales it again, and the "
        "returned gradient is the loss's own saved state",
        (
            "        return 2.0 * self._diff / self._diff.size\n",
            """\
        grad = self._diff
        grad *= 2.0
        grad /= grad.size  # the mean's 1/M
        return grad
""",
        ),
        expect=("backward-mutates-saved-state",),
    ),
    fresh(
        "hsak-bce-log-likelihood-selected-by-hard-label",
        "losses.BCELoss",
        "forward picks each entry's log-likelihood with np.where(t == 1, log p, log(1 - p)): right for 0/1 "
        "labels, but a soft target such as 0.3 is treated as 0; the loss is t log p + (1 - t) log(1 - p)",
        (
            """\
        self._p, self._t = p, t
        with np.errstate(divide="ignore"):  # log(0) = -inf, which the clamp turns into -100
            log_p = np.maximum(np.log(p), LOG_CLAMP)
            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)
        loss = -np.mean(t * log_p + (1.0 - t) * log_1mp)
        return float(loss)
""",
            """\
        self._p, self._t = p, t
        with np.errstate(divide="ignore"):
            # the log-probability the model gave the true label
            log_lik = np.where(t == 1, np.log(p), np.log1p(-p))
        return float(-np.mean(np.maximum(log_lik, LOG_CLAMP)))
""",
        ),
        expect=("bce-hard-labels-only",),
    ),
    fresh(
        "hsak-bce-backward-per-entry-not-averaged",
        "losses.BCELoss",
        "backward returns the per-entry derivative (p - t) / max(p (1 - p), 1e-12) without the 1/M of the "
        "mean: forward averages over the M entries, so the gradient must be divided by M too",
        (
            """\
        p, t = self._p, self._t
        return (p - t) / np.maximum(p * (1.0 - p), BCE_GRAD_EPS) / p.size
""",
            """\
        p, t = self._p, self._t
        denom = np.maximum(p * (1.0 - p), BCE_GRAD_EPS)
        return (p - t) / denom  # dL/dp = -t/p + (1 - t)/(1 - p)
""",
        ),
        # the last tag added after reading output
        # the last tag added after reading output (a claim read right after set AK's grading)
        expect=("ce-grad-not-divided", "times-size", "grad-not-averaged"),
    ),
    fresh(
        "hsak-bcelogits-stable-form-exp-without-abs",
        "losses.BCEWithLogitsLoss",
        "forward writes the stable form max(x, 0) - x t + log1p(exp(-x)) without the absolute value: the "
        "identity is log(1 + e^x) = max(x, 0) + log(1 + e^-|x|); for negative logits the loss is wrong (and "
        "exp(-x) overflows for large ones)",
        (
            """\
        z = np.exp(-np.abs(x))  # in (0, 1]: never overflows
        loss = np.mean(np.maximum(x, 0.0) - x * t + np.log1p(z))
        self._s = np.where(x >= 0, 1.0, z) / (1.0 + z)
        self._t = t
        return float(loss)
""",
            """\
        self._t = t
        e = np.exp(-np.abs(x))
        self._s = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        # log(1 + e^x) = max(x, 0) + log(1 + e^-x), which never overflows
        per_entry = np.maximum(x, 0.0) - x * t + np.log1p(np.exp(-x))
        return float(np.mean(per_entry))
""",
        ),
        expect=("abs-missing-in-stable-form",),
    ),
    fresh(
        "hsak-bcelogits-backward-sigmoid-logaddexp-sign",
        "losses.BCEWithLogitsLoss",
        "forward also keeps the logits and backward recomputes the sigmoid as exp(-logaddexp(0, x)): that is "
        "1 / (1 + e^x) = sigmoid(-x); the sigmoid is exp(-logaddexp(0, -x)), so the gradient is "
        "(1 - sigmoid(x) - t) / M",
        span(
            "losses",
            (
                "        self._t = t\n        return float(loss)\n",
                "        self._t = t\n        self._x = x\n        return float(loss)\n",
            ),
            (
                "        return (self._s - self._t) / self._s.size\n",
                """\
        s = np.exp(-np.logaddexp(0.0, self._x))  # sigmoid(x) = 1 / (1 + e^-x), stable
        return (s - self._t) / s.size
""",
            ),
        ),
        expect=("sigmoid-exponent-sign",),
    ),
    fresh(
        "hsak-ce-softmax-normalised-over-batch-axis",
        "losses.CrossEntropyLoss",
        "forward as CS231n's vectorised softmax loss, shifting each row by its maximum, but normalising with "
        "np.sum(exp_scores, axis=0): the sum runs over the samples (columns of a (D, N) layout) instead of the "
        "classes of each row",
        (
            """\
        N = x.shape[0]
        # x - max is <= 0; it can overflow only to -inf (a logit 1e308 below the max),
        # whose softmax weight is exactly 0 anyway.
        with np.errstate(over="ignore"):
            shifted = x - x.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self._probs = np.exp(log_probs)
        loss = -np.mean(log_probs[np.arange(N), self._labels])
        return float(loss)
""",
            """\
        N = x.shape[0]
        scores = x - np.max(x, axis=1, keepdims=True)
        exp_scores = np.exp(scores)
        log_probs = scores - np.log(np.sum(exp_scores, axis=0, keepdims=True))
        self._probs = np.exp(log_probs)
        return float(-np.sum(log_probs[np.arange(N), self._labels]) / N)
""",
        ),
        expect=("softmax-wrong-axis",),
    ),
    fresh(
        "hsak-ce-naive-backward-not-averaged",
        "losses.CrossEntropyLoss",
        "backward as CS231n's naive double loop, grad[i, j] = p[i, j] - (j == y_i), returned without the 1/N: "
        "forward averages the loss over the batch, so the gradient must be divided by N too",
        (
            """\
        N = self._probs.shape[0]
        grad = self._probs.copy()
        grad[np.arange(N), self._labels] -= 1.0
        return grad / N
""",
            """\
        N, C = self._probs.shape
        grad = np.zeros((N, C))
        for i in range(N):
            for j in range(C):
                grad[i, j] = self._probs[i, j] - (j == self._labels[i])
        return grad
""",
        ),
        expect=("ce-grad-not-divided",),
    ),
    fresh(
        "hsak-hinge-naive-loop-skips-sample-index",
        "losses.HingeLoss",
        "forward as svm_loss_naive, but the true class is skipped with `if j == i: continue`, the sample index "
        "where the label y_i belongs: the true class is compared with itself (adding the margin) and class i is "
        "left out",
        (
            """\
        rows = np.arange(x.shape[0])
        slack = x - x[rows, self._labels][:, None] + self.margin
        slack[rows, self._labels] = 0.0  # the true class is not compared with itself
        self._active = (slack > 0).astype(np.float64)
        loss = np.maximum(slack, 0.0).sum() / x.shape[0]
        return float(loss)
""",
            """\
        N, C = x.shape
        loss = 0.0
        self._active = np.zeros((N, C))
        for i in range(N):
            correct = x[i, self._labels[i]]
            for j in range(C):
                if j == i:
                    continue
                margin = x[i, j] - correct + self.margin
                if margin > 0:
                    loss += margin
                    self._active[i, j] = 1.0
        return float(loss / N)
""",
        ),
        expect=("batch-classes-confused", "hinge-counts-true-class"),
    ),
    fresh(
        "hsak-hinge-vectorised-delta-one",
        "losses.HingeLoss",
        "forward as svm_loss_vectorized with CS231n's delta = 1.0 written in: the margins use + 1.0 instead of "
        "self.margin, so HingeLoss(margin=0.5) (or any other margin) behaves as margin 1",
        (
            """\
        rows = np.arange(x.shape[0])
        slack = x - x[rows, self._labels][:, None] + self.margin
        slack[rows, self._labels] = 0.0  # the true class is not compared with itself
        self._active = (slack > 0).astype(np.float64)
        loss = np.maximum(slack, 0.0).sum() / x.shape[0]
        return float(loss)
""",
            """\
        N = x.shape[0]
        correct = x[np.arange(N), self._labels][:, None]
        margins = np.maximum(0.0, x - correct + 1.0)  # delta = 1
        margins[np.arange(N), self._labels] = 0.0
        self._active = (margins > 0).astype(np.float64)
        return float(margins.sum() / N)
""",
        ),
        expect=("hinge-margin-ignored", "hyperparameter-ignored"),
    ),
]

FRESH_AK: list[Mutant] = [*ACTIVATIONS, *LAYERS, *LOSSES]
