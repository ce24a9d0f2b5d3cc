"""Held-apart set AF, second half: student bugs in optimizers, init, training, models, gradcheck and early
stopping, written blind by a helper session, aimed at realism (the mistakes real students make, in their code).

Written blind by a helper session: its author read the reference (reference/*.py), docs/api.md,
tests/heldout/_edits.py, the docstring and first constants and bugs of fresh_ae2.py (for the format), the ids,
components, descriptions and ``expect`` tags of the catalogue and of every earlier held-apart set (``EVERY``, for the
tag vocabulary and the copy rule), and of tests/test_feedback_generalisation.py only its FAMILIES and SETS dicts and
``_changes``. The author never read the diagnosis (graders/judging, graders/reporting, graders/running,
graders/selfcheck, graders/runner.py), nnlab/ beyond importing it, tests/evidence.py, the feedback audit, the mistake,
crash, diagnosis and feedback tests, benchmarks/, /work/tools/* (but its two briefs), the grader's feedback or output,
nor fresh_af.py (the other half of set AF, written at the same time), and graded none of these bugs. Written under a
short deadline (about 45 minutes).

About 60 ideas were considered against the roughly 1640 earlier bugs of these eighteen components. Most were dropped
before being written, because an earlier id already named them in code a student would write the same way, or because
they are no mistake: a CS231n-style Nesterov step (1 + mu) * v - mu * v_prev with a real copy of the previous
velocity, an Adadelta whose step accumulator lags one step (it equals the reference's ``u``), Adam's paper form with
m_hat and v_hat (equal to round-off), a per-parameter step count that every parameter increments once. One more was
dropped because its effect is too small to count on ordinary inputs (AdamW's decay applied after the Adam
update differs by lr^2 * weight_decay); kaiming_uniform's gain without its slope a is kept although with the default
a = 0 it changes the gain by 5e-5 only, because any a > 0 (0.2 here) shows it plainly. 37 are
kept. Every kept edit was run beside the reference with a script of the author's own on small ordinary inputs: four
steps of each optimizer on two parameters of shapes (3, 4) and (5,), with default and non-default hyper-parameters
(momentum 0.9, dampening 0.3, Nesterov, centered, weight_decay 0.1 or 0.5, lr_decay 0.1, initial_accumulator_value 0.5,
amsgrad, betas (0.5, 0.9), lr 0.5 and rho 0.5 for Adadelta); init on (5, 3), (4, 3, 3, 2) and (2, 6, 3) with gain 1.7,
a = 0.2, both modes, tanh and leaky_relu; minibatches of 7 samples with batch sizes None, 1, 2, 3 and 7, shuffled and
not; fit (SGD with momentum) and early stopping on a Linear-Tanh-Linear Sequential with batches of 3 (with Dropout for
the evaluation-mode bug, and a scripted validation curve that dips and rises for the patience bug); a Perceptron with
lr 1 and 0.1 on a small separable set; Sequential forward, backward and parameters on Linear-ReLU-Linear-ReLU;
numerical gradients of a quadratic-plus-sine and of a closure over a weight; relative errors of small arrays, tiny
entries and empty arrays. Every kept edit changed a result, none crashed, each ran in a few hundredths of a second.
Every rewrite (and every other edit) was also run with its one mistake undone and gave the reference's results to
round-off on the same inputs, including the gradients and the caller's arrays left unchanged.
No kept bug has the same component and ``_changes`` as a catalogue mutant or an earlier held-apart bug.

Whole-method rewrites (loops, other names, another order, PyTorch ports, a textbook's notation, with exactly one
mistake): 33 of 37, five of them the short bodies of an initialiser (three or four lines); the other four are one- to
three-line edits (AdamW's _decay twice, the fans, Sequential's backward slice). Bugs sharing an earlier misconception
in new code: 32 of 37, marked "(shared idea, new code)". That is far over the brief's aim of half: with about 1640
earlier bugs on these components the author found only five realistic ideas that no earlier id or description names:
a CS231n Nesterov step whose "previous velocity" is an alias of the buffer then updated in place, a PyTorch ``lerp_``
ported with the difference reversed, a perceptron with the bias folded into an augmented weight vector but unpacked
from the wrong end, a hand-written maximum loop in relative_error that keeps the last ratio, and
Sequential.parameters() assigning each layer's list instead of extending it. (The amsgrad maximum started as an alias
of the second moment is new code but has the effect of an earlier bug, the maximum of v with itself, so it is counted
as shared.)

Classes covered: aliasing and in-place updates (velocity, square average, amsgrad maximum), formulas misremembered
(Ng's averaged momentum, lerp sign, averaged variances in Xavier, Linear's default bound, np.where without a floor),
hyper-parameters misread or ignored (dampening, lr_decay counted from t, initial_accumulator_value, Adadelta's lr,
kaiming's a, mode), order of operations (decay after the square average, zero_grad between backward and step, Nesterov
with the raw gradient, momentum before scaling), control flow (if/elif dropping momentum, patience never reset, batch
count floored, slice stopping before the first layer, ``=`` for ``+=``), state (m_hat written back, amsgrad maximum of
v_hat), unpaired shuffles, unweighted epoch means, train/eval confusion in validation, gradcheck formulas (over h,
reversed difference). Ids start with ``hsaf-``. The ``expect`` tags and ``phrases`` were decided from the misconception
alone, before any grading, from the existing vocabulary.

Blind rate (graded in the sandbox, isolated, before anybody read the feedback):
35/37 named (95 %), 37 caught, 4 flagged with another bug class's tag, of which 3 were read as the right diagnosis under
another name (Adadelta's squares taken before the decay, Xavier's bound without parentheses named as precedence, the
parameters assigned per layer named as every other layer's left out) and 1 as a wrong claim (relative_error's loop
keeping the last ratio, read as max() hiding a nan).
The whole set: 69/76 named (91 %), 76 caught, 10 flagged, 9 the right diagnosis under another tag and 1 wrong claim
(68/76 named with no wrong claim, 89 %); the first half: 34/39, 39 caught, 6 flagged.
Taught afterwards, one component family per helper (the classes, not the edits; each with catalogue mutants of its
own): the whole set caught and named, 0 misleading.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant, reference_folder

from ._edits import held_apart_bug

fresh = partial(held_apart_bug, "hsaf-")  # set AF


def _solution(module: str, *anchors: str) -> str:
    """The reference's solution block (between the BEGIN and END SOLUTION markers) that follows ``anchors``, found
    one after the other in reference/<module>.py (e.g. the class line, then the method line)."""
    text = (reference_folder() / f"{module}.py").read_text(encoding="utf-8")
    at = 0
    for anchor in anchors:
        at = text.index(anchor, at)
    begin = text.index("### BEGIN SOLUTION\n", at) + len("### BEGIN SOLUTION\n")
    end = text.rindex("\n", 0, text.index("### END SOLUTION", begin)) + 1
    return text[begin:end]


_SGD = _solution("optimizers", "class SGD(", "def step(self")
_ADAGRAD = _solution("optimizers", "class Adagrad(", "def step(self")
_RMSPROP = _solution("optimizers", "class RMSprop(", "def step(self")
_ADADELTA = _solution("optimizers", "class Adadelta(", "def step(self")
_ADAM = _solution("optimizers", "class Adam(", "def step(self")
_ADAMW_DECAY = _solution("optimizers", "class AdamW(", "def _decay(self")
_FANS = _solution("init", "def fan_in_and_fan_out(")
_XAVIER_UNIFORM = _solution("init", "def xavier_uniform(")
_XAVIER_NORMAL = _solution("init", "def xavier_normal(")
_KAIMING_UNIFORM = _solution("init", "def kaiming_uniform(")
_KAIMING_NORMAL = _solution("init", "def kaiming_normal(")
_MINIBATCHES = _solution("training", "def minibatches(")
_FIT = _solution("training", "def fit(")
_NUMGRAD = _solution("gradcheck", "def numerical_gradient(")
_RELERR = _solution("gradcheck", "def relative_error(")
_EARLY_STOPPING = _solution("early_stopping", "def fit_early_stopping(")
_SEQUENTIAL_BACKWARD = _solution("models", "class Sequential(", "def backward(self")
_PERCEPTRON_UPDATE = _solution("models", "class Perceptron", "def update(self")
_PERCEPTRON_FIT = _solution("models", "class Perceptron", "def fit(self")
_SEQUENTIAL_PARAMETERS = (
    "        return [p for layer in self.layers for p in layer.parameters()]\n"  # not an exercise block
)


SGD = [
    fresh(
        "hsaf-sgd-cs231n-nesterov-previous-velocity-aliased",
        "optimizers.SGD",
        "a rewrite writes Nesterov in the CS231n form step = (1 + momentum) * v - momentum * v_prev (equal to "
        "g + momentum * v_new), but takes v_prev = v without a copy and then updates v in place (v *= momentum; "
        "v += g): v_prev is the same array, so the step collapses to v and Nesterov behaves like plain momentum after "
        "the first step; the previous velocity must be a copy (v_prev = v.copy()) or a new array",
        (
            _SGD,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            "            if self.momentum == 0:\n"
            "                p.data -= self.lr * g\n"
            "                continue\n"
            '            v = state["momentum_buffer"]\n'
            "            if v is None:\n"
            "                v_prev = np.zeros_like(g)\n"
            "                v = g.copy()\n"
            "            else:\n"
            "                v_prev = v\n"
            "                v *= self.momentum\n"
            "                v += (1.0 - self.dampening) * g\n"
            '            state["momentum_buffer"] = v\n'
            "            if self.nesterov:\n"
            "                # look-ahead as in the CS231n notes: x += -mu * v_prev + (1 + mu) * v\n"
            "                step = (1.0 + self.momentum) * v - self.momentum * v_prev\n"
            "            else:\n"
            "                step = v\n"
            "            p.data -= self.lr * step\n",
        ),
        expect=("nesterov-ignored", "aliasing"),
        phrases=("nesterov", "copy", "alias"),
    ),
    fresh(
        "hsaf-sgd-ng-notation-velocity-averaged-with-momentum",
        "optimizers.SGD",
        "(shared idea, new code) a rewrite in Andrew Ng's notation (v_dW = beta * v_dW + (1 - beta) * dW) weights the "
        "new gradient by 1 - momentum, an exponential average, where the API weights it by 1 - dampening (1 when "
        "dampening is 0): with momentum 0.9 every later step is ten times too small; b <- momentum * b + "
        "(1 - dampening) * g",
        (
            _SGD,
            "        beta = self.momentum\n"
            "        for i, param in enumerate(self.params):\n"
            "            dW = _grad(param)\n"
            "            if self.weight_decay != 0:\n"
            "                dW = dW + self.weight_decay * param.data\n"
            "            if beta == 0:\n"
            "                param.data -= self.lr * dW\n"
            "                continue\n"
            '            v_dW = self.state[i]["momentum_buffer"]\n'
            "            if v_dW is None:\n"
            "                v_dW = dW.copy()\n"
            "            else:\n"
            "                v_dW = beta * v_dW + (1.0 - beta) * dW\n"
            '            self.state[i]["momentum_buffer"] = v_dW\n'
            "            if self.nesterov:\n"
            "                param.data -= self.lr * (dW + beta * v_dW)\n"
            "            else:\n"
            "                param.data -= self.lr * v_dW\n",
        ),
        expect=("momentum-as-average",),
        phrases=("1 - momentum", "dampening", "average"),
    ),
    fresh(
        "hsaf-sgd-torch-names-nesterov-from-raw-gradient",
        "optimizers.SGD",
        "(shared idea, new code) a rewrite with PyTorch's names keeps the raw gradient in grad and the decayed one "
        "in d_p, then writes the Nesterov step as grad + momentum * buf: the look-ahead's gradient term misses the "
        "weight decay (only visible with weight_decay > 0); the step is d_p + momentum * buf with the decayed d_p",
        (
            _SGD,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            grad = _grad(p)\n"
            "            d_p = grad + self.weight_decay * p.data if self.weight_decay != 0 else grad\n"
            "            if self.momentum != 0:\n"
            '                buf = state["momentum_buffer"]\n'
            "                if buf is None:\n"
            "                    buf = d_p.copy()\n"
            "                else:\n"
            "                    buf = self.momentum * buf + (1.0 - self.dampening) * d_p\n"
            '                state["momentum_buffer"] = buf\n'
            "                if self.nesterov:\n"
            "                    d_p = grad + self.momentum * buf\n"
            "                else:\n"
            "                    d_p = buf\n"
            "            p.data -= self.lr * d_p\n",
        ),
        expect=("nesterov-without-decay",),
        phrases=("weight decay", "nesterov"),
    ),
]

ADAGRAD = [
    fresh(
        "hsaf-adagrad-cs231n-cache-lr-decay-from-t",
        "optimizers.Adagrad",
        "(shared idea, new code) a CS231n-style rewrite (cache += dx**2; x += -lr * dx / (sqrt(cache) + eps)) decays "
        "the rate with lr / (1 + t * lr_decay) after t was incremented, so the first step is already decayed; the API "
        "counts (t - 1): lr_t = lr / (1 + (t - 1) * lr_decay)",
        (
            _ADAGRAD,
            "        self.t += 1\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            dx = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                dx = dx + self.weight_decay * p.data\n"
            '            cache = state["sum"] + dx**2\n'
            '            state["sum"] = cache\n'
            "            learning_rate = self.lr / (1.0 + self.t * self.lr_decay)\n"
            "            p.data += -learning_rate * dx / (np.sqrt(cache) + self.eps)\n",
        ),
        expect=("lr-decay-off-by-one",),
        phrases=("t - 1", "lr_decay", "first step"),
    ),
    fresh(
        "hsaf-adagrad-lazy-accumulator-starts-at-zeros",
        "optimizers.Adagrad",
        "(shared idea, new code) a rewrite keeps its own accumulator under the key 'G', created lazily at the first "
        "step with np.zeros_like(g): initial_accumulator_value is never used (the state prepared in __init__ is "
        "ignored), so with a non-zero initial value the first steps are far too large; the sum starts at "
        "initial_accumulator_value",
        (
            _ADAGRAD,
            "        self.t += 1\n"
            "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            '            if "G" not in state:\n'
            '                state["G"] = np.zeros_like(g)\n'
            '            state["G"] = state["G"] + g * g\n'
            '            p.data -= clr * (g / (np.sqrt(state["G"]) + self.eps))\n',
        ),
        # added after reading output (tag-vocabulary audit): initial-accumulator-ignored
        expect=("hyperparameter-ignored", "initial-accumulator-ignored"),
        phrases=("initial_accumulator_value", "initial accumulator"),
    ),
]

RMSPROP = [
    fresh(
        "hsaf-rmsprop-if-elif-centered-drops-momentum",
        "optimizers.RMSprop",
        "(shared idea, new code) a rewrite chains the variants as if centered: ... elif momentum > 0: ... else: ..., "
        "each branch with its own update: with centered=True and momentum > 0 the momentum buffer is never used "
        "and the step is the plain centered one; the two options combine (the centered denominator, then the "
        "momentum buffer)",
        (
            _RMSPROP,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            '            v = self.alpha * state["square_avg"] + (1.0 - self.alpha) * g * g\n'
            '            state["square_avg"] = v\n'
            "            if self.centered:\n"
            '                m = self.alpha * state["grad_avg"] + (1.0 - self.alpha) * g\n'
            '                state["grad_avg"] = m\n'
            "                p.data -= self.lr * (g / (np.sqrt(np.maximum(v - m * m, 0.0)) + self.eps))\n"
            "            elif self.momentum > 0:\n"
            '                buf = self.momentum * state["momentum_buffer"] + g / (np.sqrt(v) + self.eps)\n'
            '                state["momentum_buffer"] = buf\n'
            "                p.data -= self.lr * buf\n"
            "            else:\n"
            "                p.data -= self.lr * (g / (np.sqrt(v) + self.eps))\n",
        ),
        expect=("momentum-ignored",),
        phrases=("momentum", "centered"),
    ),
    fresh(
        "hsaf-rmsprop-torch-port-sqrt-written-into-square-avg",
        "optimizers.RMSprop",
        "(shared idea, new code) a port of PyTorch's in-place style (square_avg.mul_(alpha).addcmul_(...)) takes the "
        "root with np.sqrt(square_avg, out=square_avg) and then adds eps in place: the running average itself is "
        "replaced by sqrt(v) + eps, so the next step averages roots instead of squares; the root goes into a new "
        "array, avg = np.sqrt(square_avg) + eps",
        (
            _RMSPROP,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            grad = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                grad = grad + self.weight_decay * p.data\n"
            '            square_avg = state["square_avg"]\n'
            "            square_avg *= self.alpha\n"
            "            square_avg += (1.0 - self.alpha) * grad * grad\n"
            "            if self.centered:\n"
            '                grad_avg = state["grad_avg"]\n'
            "                grad_avg *= self.alpha\n"
            "                grad_avg += (1.0 - self.alpha) * grad\n"
            "                avg = np.sqrt(np.maximum(square_avg - grad_avg * grad_avg, 0.0))\n"
            "            else:\n"
            "                avg = np.sqrt(square_avg, out=square_avg)  # torch: square_avg.sqrt()\n"
            "            avg += self.eps\n"
            "            if self.momentum > 0:\n"
            '                buf = state["momentum_buffer"]\n'
            "                buf *= self.momentum\n"
            "                buf += grad / avg\n"
            "                p.data -= self.lr * buf\n"
            "            else:\n"
            "                p.data -= self.lr * (grad / avg)\n",
        ),
        expect=("saved-state-overwritten", "aliasing"),
        phrases=("square_avg", "in place", "out="),
    ),
    fresh(
        "hsaf-rmsprop-momentum-buffer-of-raw-gradient",
        "optimizers.RMSprop",
        "(shared idea, new code) a rewrite with a per-parameter dict s accumulates the raw gradient in the momentum "
        "buffer (buf = momentum * buf + g) and divides by the current denominator only at the update: earlier "
        "gradients are rescaled by today's average instead of their own; the buffer accumulates g / avg",
        (
            _RMSPROP,
            "        for i, p in enumerate(self.params):\n"
            "            s = self.state[i]\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            '            s["square_avg"] = self.alpha * s["square_avg"] + (1.0 - self.alpha) * g * g\n'
            "            if self.centered:\n"
            '                s["grad_avg"] = self.alpha * s["grad_avg"] + (1.0 - self.alpha) * g\n'
            '                denom = np.sqrt(np.maximum(s["square_avg"] - s["grad_avg"] ** 2, 0.0)) + self.eps\n'
            "            else:\n"
            '                denom = np.sqrt(s["square_avg"]) + self.eps\n'
            "            if self.momentum > 0:\n"
            '                s["momentum_buffer"] = self.momentum * s["momentum_buffer"] + g\n'
            '                p.data -= self.lr * s["momentum_buffer"] / denom\n'
            "            else:\n"
            "                p.data -= self.lr * (g / denom)\n",
        ),
        expect=("momentum-before-scaling",),
        phrases=("momentum", "g / avg", "buffer"),
    ),
]

ADADELTA = [
    fresh(
        "hsaf-adadelta-zeiler-algorithm-without-lr",
        "optimizers.Adadelta",
        "(shared idea, new code) a rewrite copies Zeiler's Algorithm 1 literally (E_g2, RMS_dx / RMS_g, x += dx), "
        "which has no learning rate: lr is never used, so any lr other than 1 is ignored; PyTorch's rule scales the "
        "step, p <- p - lr * delta",
        (
            _ADADELTA,
            "        rho, eps = self.rho, self.eps\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            "            # Zeiler (2012), Algorithm 1\n"
            '            E_g2 = rho * state["square_avg"] + (1.0 - rho) * g * g\n'
            '            rms_dx = np.sqrt(state["acc_delta"] + eps)\n'
            "            rms_g = np.sqrt(E_g2 + eps)\n"
            "            dx = -(rms_dx / rms_g) * g\n"
            '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * dx * dx\n'
            '            state["square_avg"] = E_g2\n'
            "            p.data += dx\n",
        ),
        expect=("adadelta-lr-ignored", "hyperparameter-ignored"),
        phrases=("lr", "learning rate"),
    ),
    fresh(
        "hsaf-adadelta-square-average-before-weight-decay",
        "optimizers.Adadelta",
        "(shared idea, new code) a rewrite that unpacks the two averages into v and u updates v from the raw gradient "
        "and adds the weight-decay term only afterwards: the square average never sees the L2 term while the step "
        "does; g = grad + weight_decay * p is formed first and used everywhere",
        (
            _ADADELTA,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            grad = _grad(p)\n"
            '            v, u = state["square_avg"], state["acc_delta"]\n'
            "            v = self.rho * v + (1.0 - self.rho) * grad * grad\n"
            "            if self.weight_decay != 0:\n"
            "                grad = grad + self.weight_decay * p.data\n"
            "            delta = np.sqrt(u + self.eps) / np.sqrt(v + self.eps) * grad\n"
            "            u = self.rho * u + (1.0 - self.rho) * delta * delta\n"
            '            state["square_avg"], state["acc_delta"] = v, u\n'
            "            p.data -= self.lr * delta\n",
        ),
        expect=(
            "order-changed",
            # the last tag added after reading output
            "squares-without-decay",
        ),
        phrases=("weight decay", "square"),
    ),
]

ADAM = [
    fresh(
        "hsaf-adam-paper-form-amsgrad-max-of-v-hat",
        "optimizers.Adam",
        "(shared idea, new code) a rewrite in the paper's form (m_hat, v_hat) takes the amsgrad maximum of the "
        "bias-corrected v_hat: corrections of different steps are mixed, so the maximum differs from the API's, "
        "which keeps the maximum of the raw v and corrects it afterwards",
        (
            _ADAM,
            "        b1, b2 = self.betas\n"
            "        self.t += 1\n"
            "        t = self.t\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = self._decay(p, g)\n"
            '            m = b1 * state["exp_avg"] + (1.0 - b1) * g\n'
            '            v = b2 * state["exp_avg_sq"] + (1.0 - b2) * g * g\n'
            '            state["exp_avg"], state["exp_avg_sq"] = m, v\n'
            "            m_hat = m / (1.0 - b1**t)\n"
            "            v_hat = v / (1.0 - b2**t)\n"
            "            if self.amsgrad:\n"
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v_hat)\n'
            '                v_hat = state["max_exp_avg_sq"]\n'
            "            p.data -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)\n",
        ),
        # added after reading output (tag-vocabulary audit): amsgrad-max-of-corrected
        expect=("amsgrad-wrong-operand", "amsgrad-max-of-corrected"),
        phrases=("amsgrad", "maximum", "bias"),
    ),
    fresh(
        "hsaf-adam-m-hat-written-into-exp-avg",
        "optimizers.Adam",
        "(shared idea, new code) a rewrite divides the first moment by 1 - beta1^t and stores the result back in "
        "exp_avg: the next step averages the corrected value and corrects it again, so the first moment grows "
        "step after step; the corrected m_hat belongs in a local",
        (
            _ADAM,
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = self._decay(p, g)\n"
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n'
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g**2\n'
            '            state["exp_avg"] = state["exp_avg"] / (1.0 - beta1**self.t)\n'
            '            v = state["exp_avg_sq"]\n'
            "            if self.amsgrad:\n"
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n'
            '                v = state["max_exp_avg_sq"]\n'
            "            v_hat = v / (1.0 - beta2**self.t)\n"
            '            p.data -= self.lr * state["exp_avg"] / (np.sqrt(v_hat) + self.eps)\n',
        ),
        # added after reading output (tag-vocabulary audit): corrected-moment-stored
        expect=("saved-state-overwritten", "bias-correction-twice", "corrected-moment-stored"),
        phrases=("exp_avg", "corrected", "m_hat"),
    ),
    fresh(
        "hsaf-adam-torch-lerp-ported-reversed",
        "optimizers.Adam",
        "a port of PyTorch's exp_avg.lerp_(grad, 1 - beta1) writes exp_avg += (1 - beta1) * (exp_avg - grad), the "
        "difference reversed: the first moment moves away from the gradient (m <- (2 - beta1) m - (1 - beta1) g), "
        "so the first step goes uphill and the average then grows without bound; lerp is m + w * (grad - m)",
        (
            _ADAM,
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        bias_correction1 = 1.0 - beta1**self.t\n"
            "        bias_correction2_sqrt = (1.0 - beta2**self.t) ** 0.5\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            grad = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                grad = self._decay(p, grad)\n"
            '            exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]\n'
            "            # torch: exp_avg.lerp_(grad, 1 - beta1)\n"
            "            exp_avg += (1.0 - beta1) * (exp_avg - grad)\n"
            "            # torch: exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)\n"
            "            exp_avg_sq *= beta2\n"
            "            exp_avg_sq += (1.0 - beta2) * grad * grad\n"
            "            if self.amsgrad:\n"
            '                np.maximum(state["max_exp_avg_sq"], exp_avg_sq, out=state["max_exp_avg_sq"])\n'
            '                exp_avg_sq = state["max_exp_avg_sq"]\n'
            "            denom = np.sqrt(exp_avg_sq) / bias_correction2_sqrt + self.eps\n"
            "            p.data -= (self.lr / bias_correction1) * (exp_avg / denom)\n",
        ),
        expect=("sign-flipped",),
        phrases=("lerp", "grad - exp_avg", "sign"),
    ),
    fresh(
        "hsaf-adam-amsgrad-max-starts-as-alias-of-v",
        "optimizers.Adam",
        "(shared idea, new code) a rewrite that updates the moments in place (v *= beta2; v += ...) starts the "
        "amsgrad maximum at the first "
        "step with state['max_exp_avg_sq'] = v, an alias of the second moment, and then keeps it with "
        "np.maximum(v_max, v, out=v_max): v_max is v itself, so the maximum follows v down and amsgrad has no "
        "effect; the maximum needs its own array (v.copy())",
        (
            _ADAM,
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        step_size = self.lr / (1.0 - beta1**self.t)\n"
            "        bc2_sqrt = (1.0 - beta2**self.t) ** 0.5\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = self._decay(p, g)\n"
            '            m, v = state["exp_avg"], state["exp_avg_sq"]\n'
            "            m *= beta1\n"
            "            m += (1.0 - beta1) * g\n"
            "            v *= beta2\n"
            "            v += (1.0 - beta2) * g * g\n"
            "            if self.amsgrad:\n"
            "                if self.t == 1:\n"
            '                    state["max_exp_avg_sq"] = v  # the first maximum is v itself\n'
            '                v_max = state["max_exp_avg_sq"]\n'
            "                np.maximum(v_max, v, out=v_max)\n"
            "                v = v_max\n"
            "            p.data -= step_size * (m / (np.sqrt(v) / bc2_sqrt + self.eps))\n",
        ),
        expect=("aliasing", "amsgrad-ignored"),
        phrases=("amsgrad", "copy", "same array"),
    ),
]

ADAMW = [
    fresh(
        "hsaf-adamw-step-override-decay-with-corrected-step-size",
        "optimizers.AdamW",
        "(shared idea, new code) AdamW overrides step with its own loop and shrinks the weights by "
        "1 - step_size * weight_decay, reusing Adam's bias-corrected step_size = lr / (1 - beta1^t): the first "
        "decays are up to ten times too strong; the decoupled decay is p <- p * (1 - lr * weight_decay)",
        (
            _ADAMW_DECAY,
            "        return g\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def step(self) -> None:\n"
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        step_size = self.lr / (1.0 - beta1**self.t)\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            p.data *= 1.0 - step_size * self.weight_decay\n"
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n'
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n'
            '            v = state["exp_avg_sq"]\n'
            "            if self.amsgrad:\n"
            '                v = state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n'
            "            denom = np.sqrt(v) / (1.0 - beta2**self.t) ** 0.5 + self.eps\n"
            '            p.data -= step_size * (state["exp_avg"] / denom)\n',
        ),
        # added after reading output (tag-vocabulary audit): adamw-decay-with-step-size
        expect=("bias-correction-added", "adamw-decay-with-step-size"),
        phrases=("lr * weight_decay", "bias", "step size"),
    ),
    fresh(
        "hsaf-adamw-decay-calls-super-then-shrinks",
        "optimizers.AdamW",
        "(shared idea, new code) AdamW's _decay starts with g = super()._decay(p, g) 'to keep Adam's behaviour' and "
        "then shrinks p: the gradient also gets Adam's L2 term weight_decay * p, so the weights are decayed twice "
        "(coupled and decoupled); AdamW returns the gradient unchanged",
        (
            _ADAMW_DECAY,
            "        g = super()._decay(p, g)\n        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
        ),
        expect=("adamw-decay-and-l2",),
        phrases=("l2", "gradient unchanged", "twice"),
    ),
    fresh(
        "hsaf-adamw-no-decay-for-vectors",
        "optimizers.AdamW",
        "(shared idea, new code) following the Hugging Face habit of a no_decay list, _decay shrinks only parameters "
        "with more than one dimension: biases (and BatchNorm's gamma and beta) are never decayed, where AdamW decays "
        "every parameter it was given",
        (
            _ADAMW_DECAY,
            "        if p.data.ndim > 1:  # no decay for biases\n"
            "            p.data *= 1.0 - self.lr * self.weight_decay\n"
            "        return g\n",
        ),
        expect=("decay-skips-biases",),
        phrases=("bias", "every parameter"),
    ),
]

INIT = [
    fresh(
        "hsaf-fans-fan-out-times-last-axis",
        "init.fan_in_and_fan_out",
        "(shared idea, new code) a numpy rewrite computes fan_in = prod(shape[1:]) right but fan_out = shape[0] * "
        "shape[-1], as if the last axis were the whole receptive field: for a Linear weight (out, in) fan_out becomes "
        "out * in, and for a conv kernel only kW counts; fan_out = shape[0] * prod(shape[2:])",
        (
            _FANS,
            "    fan_in = int(np.prod(shape[1:]))\n    fan_out = shape[0] * shape[-1]\n",
        ),
        expect=("fan-out-wrong-axis",),
        phrases=("fan_out", "receptive field"),
    ),
    fresh(
        "hsaf-xavier-uniform-bound-precedence",
        "init.xavier_uniform",
        "(shared idea, new code) a one-line rewrite writes the bound as gain * math.sqrt(6.0 / fan_in + fan_out): "
        "without parentheses only fan_in divides 6 and fan_out is added under the root, so the bound is far too "
        "large; b = gain * sqrt(6 / (fan_in + fan_out))",
        (
            _XAVIER_UNIFORM,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    limit = gain * math.sqrt(6.0 / fan_in + fan_out)\n"
            "    weight = rng.uniform(low=-limit, high=limit, size=shape)\n",
        ),
        expect=(
            "uniform-bound",
            # the last tag added after reading output
            "precedence",
        ),
        phrases=("parenthes", "fan_in + fan_out", "precedence"),
    ),
    fresh(
        "hsaf-xavier-normal-averages-the-two-variances",
        "init.xavier_normal",
        "(shared idea, new code) the student remembers Glorot as 'the average of the forward and backward "
        "conditions' and averages the variances, std = gain * sqrt((1/fan_in + 1/fan_out) / 2), instead of using the "
        "average fan, std = gain * sqrt(2 / (fan_in + fan_out)): wrong whenever fan_in != fan_out",
        (
            _XAVIER_NORMAL,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    var = gain**2 * (1.0 / fan_in + 1.0 / fan_out) / 2.0\n"
            "    weight = rng.normal(0.0, math.sqrt(var), size=shape)\n",
        ),
        expect=("variances-averaged-not-fans",),
        phrases=("fan_in + fan_out", "average"),
    ),
    fresh(
        "hsaf-kaiming-uniform-gain-without-a",
        "init.kaiming_uniform",
        "(shared idea, new code) a rewrite calls calculate_gain(nonlinearity) without the slope a: for leaky_relu the "
        "gain is always that of slope 0.01, so a = 0 (ReLU, the default) and a = 0.2 are both ignored; the gain is "
        "calculate_gain(nonlinearity, a)",
        (
            _KAIMING_UNIFORM,
            '    fan = fan_in_and_fan_out(shape)[0 if mode == "fan_in" else 1]\n'
            "    std = calculate_gain(nonlinearity) / math.sqrt(fan)\n"
            "    weight = rng.uniform(-math.sqrt(3.0) * std, math.sqrt(3.0) * std, size=shape)\n",
        ),
        expect=("a-ignored", "gain-arguments"),
        phrases=("negative slope", "negative_slope", "calculate_gain"),
    ),
    fresh(
        "hsaf-kaiming-uniform-linear-default-bound",
        "init.kaiming_uniform",
        "(shared idea, new code) the student copies the bound of PyTorch's default Linear init, 1 / sqrt(fan_in), "
        "read in the docs as 'kaiming_uniform': the gain and the sqrt(3) are gone (the bound is gain * sqrt(3) / "
        "sqrt(fan)), so ReLU layers start sqrt(6) times too small",
        (
            _KAIMING_UNIFORM,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            '    fan = fan_in if mode == "fan_in" else fan_out\n'
            "    bound = 1.0 / math.sqrt(fan)  # as in nn.Linear.reset_parameters\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
        ),
        expect=("gain-missing", "uniform-bound"),
        phrases=("gain", "sqrt(3)"),
    ),
    fresh(
        "hsaf-kaiming-normal-mode-table-inverted",
        "init.kaiming_normal",
        "(shared idea, new code) a rewrite looks the fan up in a dict {'fan_in': fan_out, 'fan_out': fan_in}, "
        "thinking fan_in mode 'protects the backward pass': the modes are swapped, so the default mode uses fan_out; "
        "fan_in keeps the forward variance and uses fan_in",
        (
            _KAIMING_NORMAL,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            '    fan = {"fan_in": fan_out, "fan_out": fan_in}[mode]\n'
            "    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)\n"
            "    weight = std * rng.standard_normal(size=shape)\n",
        ),
        expect=("mode-ignored", "fans-swapped"),
        phrases=("mode", "fan_in"),
    ),
]

TRAINING = [
    fresh(
        "hsaf-minibatches-index-batches-count-floored",
        "training.minibatches",
        "(shared idea, new code) a rewrite over an index array counts the batches with n // size: when size does not "
        "divide N the smaller last batch is never produced and its samples are never trained on; the count is "
        "ceil(n / size)",
        (
            _MINIBATCHES,
            "    n = len(X)\n"
            "    idx = rng.permutation(n) if shuffle else np.arange(n)\n"
            "    size = n if batch_size is None else batch_size\n"
            "    n_batches = n // size\n"
            "    for b in range(n_batches):\n"
            "        take = idx[b * size : (b + 1) * size]\n"
            "        batches.append((X[take], y[take]))\n",
        ),
        expect=("drops-last-batch", "remainder-batch"),
        phrases=("last batch", "remainder"),
    ),
    fresh(
        "hsaf-minibatches-permutes-x-and-y-separately",
        "training.minibatches",
        "(shared idea, new code) the student shuffles with X = rng.permutation(X) and y = rng.permutation(y): two "
        "independent permutations, so the pairs (x_i, y_i) are broken and the model learns noise; one permutation of "
        "the indices must index both",
        (
            _MINIBATCHES,
            "    if shuffle:\n"
            "        X = rng.permutation(X)\n"
            "        y = rng.permutation(y)\n"
            "    size = len(X) if batch_size is None else batch_size\n"
            "    for start in range(0, len(X), size):\n"
            "        batches.append((X[start : start + size], y[start : start + size]))\n",
        ),
        expect=("unpaired-shuffle",),
        phrases=("paired", "same permutation", "pairs"),
    ),
    fresh(
        "hsaf-fit-epoch-loss-sum-over-count",
        "training.fit",
        "(shared idea, new code) a rewrite collects the batch losses in a list and returns sum(batch_losses) / "
        "len(batch_losses): a small last batch weighs as much as a full one; the epoch loss weights each batch loss "
        "by its number of samples",
        (
            _FIT,
            "    for epoch in range(epochs):\n"
            "        batch_losses = []\n"
            "        for xb, yb in minibatches(X, y, batch_size=batch_size, shuffle=shuffle, rng=rng):\n"
            "            optimizer.zero_grad()\n"
            "            loss = loss_fn.forward(model.forward(xb), yb)\n"
            "            model.backward(loss_fn.backward())\n"
            "            optimizer.step()\n"
            "            batch_losses.append(float(loss))\n"
            "        history.append(sum(batch_losses) / len(batch_losses))\n",
        ),
        expect=("unweighted-mean",),
        phrases=("weight", "batch size", "last batch"),
    ),
    fresh(
        "hsaf-fit-zero-grad-between-backward-and-step",
        "training.fit",
        "(shared idea, new code) a rewrite orders the calls forward, loss, backward, zero_grad, step ('clear the "
        "gradients, then step'): zero_grad wipes the gradients backward just computed, so every step sees zeros and "
        "nothing learns; zero_grad comes before the forward pass (or after the step)",
        (
            _FIT,
            "    for _ in range(epochs):\n"
            "        running = 0.0\n"
            "        for inputs, targets in minibatches(X, y, batch_size, shuffle, rng):\n"
            "            outputs = model.forward(inputs)\n"
            "            loss = float(loss_fn.forward(outputs, targets))\n"
            "            model.backward(loss_fn.backward())\n"
            "            optimizer.zero_grad()\n"
            "            optimizer.step()\n"
            "            running += loss * len(inputs)\n"
            "        history.append(running / len(X))\n",
        ),
        expect=("call-order",),
        phrases=("zero_grad", "order"),
    ),
]

MODELS = [
    fresh(
        "hsaf-perceptron-augmented-weights-bias-read-from-end",
        "models.Perceptron",
        "update folds the bias into an augmented vector w = [bias, weight] with x = [1, x] (the textbook trick), "
        "applies the rule to w, and unpacks it as weight, bias = w[:-1], w[-1]: the bias was put first, so after "
        "every mistake the weights shift by one place and the last weight becomes the bias; unpack w[1:], w[0]",
        (
            _PERCEPTRON_UPDATE,
            "        x_aug = np.concatenate(([1.0], x))\n"
            "        w_aug = np.concatenate(([self.bias], self.weight))\n"
            "        prediction = 1.0 if float(w_aug @ x_aug) > 0 else 0.0\n"
            "        error = float(target) - prediction\n"
            "        w_aug = w_aug + self.lr * error * x_aug\n"
            "        self.weight, self.bias = w_aug[:-1], float(w_aug[-1])\n",
        ),
        expect=("index-order-reversed",),
        phrases=("bias", "w[0]", "first"),
    ),
    fresh(
        "hsaf-perceptron-fit-predictions-frozen-per-epoch",
        "models.Perceptron",
        "(shared idea, new code) a vectorised fit computes predict(X) once at the start of each epoch and then "
        "corrects the weights sample by sample with those stale predictions: after the first mistake of an epoch "
        "the later samples are judged by old weights (a batch perceptron); the rule predicts each sample with the "
        "current weights (update)",
        (
            _PERCEPTRON_FIT,
            "        for _ in range(max_epochs):\n"
            "            predictions = self.predict(X)\n"
            "            mistakes = 0\n"
            "            for i in range(len(X)):\n"
            "                error = y[i] - predictions[i]\n"
            "                if error != 0.0:\n"
            "                    self.weight = self.weight + self.lr * error * X[i]\n"
            "                    self.bias = self.bias + self.lr * float(error)\n"
            "                    mistakes += 1\n"
            "            if mistakes == 0:\n"
            "                return True\n",
        ),
        expect=("batch-perceptron",),
        phrases=("current weights", "stale", "each sample"),
    ),
    fresh(
        "hsaf-sequential-backward-slice-stops-before-first",
        "models.Sequential",
        "(shared idea, new code) backward walks the layers with self.layers[-1:0:-1], the reversed slice whose stop "
        "0 is exclusive: the first layer never gets its backward, so its parameter gradients stay 0 and the returned "
        "gradient is the one for its output; self.layers[::-1] (or reversed) includes it",
        (
            _SEQUENTIAL_BACKWARD,
            "        for layer in self.layers[-1:0:-1]:\n            grad_y = layer.backward(grad_y)\n",
        ),
        expect=("backward-skips-layer", "slice-off-by-one"),
        phrases=("first layer", "slice"),
    ),
    fresh(
        "hsaf-sequential-parameters-assigned-per-layer",
        "models.Sequential",
        "parameters() is rewritten as a loop that writes params = layer.parameters() for each layer, = where += was "
        "meant: only the last layer's parameters are returned (none when the network ends with an activation), so "
        "the optimizer never updates the others; the lists are concatenated",
        (
            _SEQUENTIAL_PARAMETERS,
            "        params = []\n        for layer in self.layers:\n            params = layer.parameters()\n"
            "        return params\n",
        ),
        expect=(
            "assigned-not-accumulated",
            # the last tag added after reading output
            "entries-skipped",
        ),
        phrases=("+=", "last layer", "concatenat"),
    ),
]

GRADCHECK = [
    fresh(
        "hsaf-numgrad-unravel-loop-over-h",
        "gradcheck.numerical_gradient",
        "(shared idea, new code) a rewrite loops over flat positions with np.unravel_index and divides the central "
        "difference f(x + h) - f(x - h) by h: the two probes are 2h apart, so every derivative is twice too large",
        (
            _NUMGRAD,
            "    for flat in range(x.size):\n"
            "        idx = np.unravel_index(flat, x.shape)\n"
            "        keep = x[idx]\n"
            "        x[idx] = keep + h\n"
            "        up = float(f(x))\n"
            "        x[idx] = keep - h\n"
            "        down = float(f(x))\n"
            "        x[idx] = keep\n"
            "        grad[idx] = (up - down) / h\n",
        ),
        expect=("central-over-h", "times-two"),
        phrases=("2h", "2 * h", "twice"),
    ),
    fresh(
        "hsaf-numgrad-nditer-difference-reversed",
        "gradcheck.numerical_gradient",
        "(shared idea, new code) the CS231n nditer loop stores (f(x - h) - f(x + h)) / 2h, the difference taken the "
        "wrong way round: every derivative has the wrong sign; it is (f(x + h) - f(x - h)) / 2h",
        (
            _NUMGRAD,
            '    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])\n'
            "    while not it.finished:\n"
            "        ix = it.multi_index\n"
            "        oldval = x[ix]\n"
            "        x[ix] = oldval + h\n"
            "        fxph = float(f(x))\n"
            "        x[ix] = oldval - h\n"
            "        fxmh = float(f(x))\n"
            "        x[ix] = oldval\n"
            "        grad[ix] = (fxmh - fxph) / (2 * h)\n"
            "        it.iternext()\n",
        ),
        expect=("sign-flipped",),
        phrases=("sign", "f(x + h) - f(x - h)"),
    ),
    fresh(
        "hsaf-relerr-where-instead-of-floor",
        "gradcheck.relative_error",
        "(shared idea, new code) the student avoids the division by zero with np.where(den > 0, num / den, 0.0) "
        "instead of the floor max(1e-8, |a| + |b|): two tiny gradients such as 1e-12 and 0 give a relative error of "
        "1 and fail a correct gradient check; the denominator is floored at 1e-8",
        (
            _RELERR,
            "    a = np.asarray(a, dtype=np.float64)\n"
            "    b = np.asarray(b, dtype=np.float64)\n"
            "    if a.size == 0 and b.size == 0:\n"
            "        return 0.0\n"
            "    num = np.abs(a - b)\n"
            "    den = np.abs(a) + np.abs(b)\n"
            '    with np.errstate(divide="ignore", invalid="ignore"):\n'
            "        rel = np.where(den > 0, num / den, 0.0)\n"
            "    return float(rel.max())\n",
        ),
        expect=("no-floor",),
        phrases=("1e-8", "floor"),
    ),
    fresh(
        "hsaf-relerr-loop-keeps-last-ratio",
        "gradcheck.relative_error",
        "a loop over the paired entries computes each ratio |a_i - b_i| / max(1e-8, |a_i| + |b_i|) and writes "
        "worst = r, = where worst = max(worst, r) was meant: the result is the last entry's ratio, not the largest, "
        "so a bad entry anywhere but last passes the check",
        (
            _RELERR,
            "    a = np.asarray(a, dtype=np.float64).ravel()\n"
            "    b = np.asarray(b, dtype=np.float64).ravel()\n"
            "    worst = 0.0\n"
            "    for ai, bi in zip(a, b):\n"
            "        r = abs(ai - bi) / max(1e-8, abs(ai) + abs(bi))\n"
            "        worst = r\n"
            "    return float(worst)\n",
        ),
        expect=("assigned-not-accumulated",),
        phrases=("largest", "max", "last"),
    ),
]

EARLY_STOPPING = [
    fresh(
        "hsaf-early-stopping-bad-epochs-never-reset",
        "early_stopping.fit_early_stopping",
        "(shared idea, new code) a rewrite counts bad epochs but forgets bad = 0 when an epoch improves: the count "
        "adds up every non-improving epoch of the whole run, so a validation curve that dips now and then stops too "
        "early; patience counts consecutive epochs without improvement",
        (
            _EARLY_STOPPING,
            "    best = np.inf\n"
            "    snapshot = None\n"
            "    bad = 0\n"
            "    for epoch in range(1, max_epochs + 1):\n"
            "        losses = fit(model, loss_fn, optimizer, X, y, epochs=1, batch_size=batch_size, shuffle=shuffle,"
            " rng=rng)\n"
            "        val_loss = evaluate_loss(model, loss_fn, X_val, y_val)\n"
            "        history.train_losses.append(losses[-1])\n"
            "        history.val_losses.append(val_loss)\n"
            "        if val_loss < best - min_delta:\n"
            "            best = val_loss\n"
            "            history.best_epoch = epoch\n"
            "            if restore_best:\n"
            "                snapshot = copy_state(model)\n"
            "        else:\n"
            "            bad += 1\n"
            "        if bad >= patience:\n"
            "            history.stopped_epoch = epoch\n"
            "            break\n"
            "    if snapshot is not None:\n"
            "        load_state(model, snapshot)\n",
        ),
        expect=("patience-not-reset",),
        phrases=("reset", "consecutive", "patience"),
    ),
    fresh(
        "hsaf-early-stopping-validates-in-train-mode",
        "early_stopping.fit_early_stopping",
        "(shared idea, new code) a while-loop rewrite computes the validation loss inline, loss_fn.forward("
        "model.forward(X_val), y_val), with the model still in training mode: Dropout drops units and BatchNorm uses "
        "and updates batch statistics during validation; evaluate_loss switches to eval mode first",
        (
            _EARLY_STOPPING,
            '    best_val = float("inf")\n'
            "    saved = None\n"
            "    epochs_without_improvement = 0\n"
            "    epoch = 0\n"
            "    while epoch < max_epochs:\n"
            "        epoch += 1\n"
            "        history.train_losses.extend(fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng))\n"
            "        val_loss = float(loss_fn.forward(model.forward(np.asarray(X_val)), np.asarray(y_val)))\n"
            "        history.val_losses.append(val_loss)\n"
            "        if val_loss < best_val - min_delta:\n"
            "            best_val = val_loss\n"
            "            history.best_epoch = epoch\n"
            "            epochs_without_improvement = 0\n"
            "            if restore_best:\n"
            "                saved = copy_state(model)\n"
            "        else:\n"
            "            epochs_without_improvement += 1\n"
            "            if epochs_without_improvement >= patience:\n"
            "                history.stopped_epoch = epoch\n"
            "                break\n"
            "    if restore_best and saved is not None:\n"
            "        load_state(model, saved)\n",
        ),
        expect=("validation-in-train-mode",),
        phrases=("eval", "train mode", "training mode"),
    ),
]

FRESH_AF2: list[Mutant] = [
    *SGD,
    *ADAGRAD,
    *RMSPROP,
    *ADADELTA,
    *ADAM,
    *ADAMW,
    *INIT,
    *TRAINING,
    *MODELS,
    *GRADCHECK,
    *EARLY_STOPPING,
]
