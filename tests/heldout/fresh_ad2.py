"""Held-apart set AD, second half: student bugs in optimizers, init, training, models, gradcheck and early
stopping, written blind by a helper session, aimed at realism (the mistakes real students make, in their code).

Written blind by a helper session: its author read the reference (reference/*.py), docs/api.md,
tests/heldout/_edits.py, the format and docstrings of fresh_ab.py, fresh_ab2.py, fresh_ac.py and fresh_ac2.py, the ids
and descriptions of the catalogue and of every earlier held-apart set (``EVERY``), the ``expect`` tags of the catalogue
and of tests/heldout (for the tag vocabulary only), and of tests/test_feedback_generalisation.py only its FAMILIES and
SETS dicts and ``_changes`` (the copy rule). The author never read the diagnosis (graders/judging, graders/reporting,
graders/running, graders/selfcheck, graders/runner.py), nnlab/ beyond importing it, tests/evidence.py, the feedback
audit, the mistake, crash, diagnosis and feedback tests, benchmarks/, /work/tools/* (but its two briefs), the grader's
feedback or output, nor fresh_ad.py (the other half of set AD, written at the same time), and graded none of these
bugs. Written under a short deadline (about 35 minutes).

About 80 ideas were considered against the roughly 1570 earlier bugs of these components (the catalogue and every
earlier set name almost every common slip of these eighteen components); most were dropped before being written,
because an earlier id or description already named them in code a student would write the same way, or because they
turned out to be no mistake: the CS231n position form of Nesterov momentum (``x += -mu v_prev + (1 + mu) v``) and the
Sutskever velocity ``v = mu v + lr g`` are algebraically PyTorch's update for a constant lr, the RMS kept in state
instead of the mean square is the same algorithm, and a transposed draw of an i.i.d. sample has the same distribution.
42 were written; six were dropped: three as textual copies (same component and ``_changes``) of earlier bugs found by
the copy check (fit's zero_grad between backward and step, Sequential's backward over range(len - 1, 0, -1),
Sequential's eval setting its own flag only), one as no mistake (Adadelta accumulating the previous step's delta at
the top of step(): the lagged accumulator equals the reference's, so the updates are identical), and two by the
author as contrived (an Adagrad lr_decay inverted through a power of -1, a numerical_gradient probe through a view
no student writes). Every remaining edit was run beside the reference with a script of the author's own on small
ordinary inputs (four steps of each optimizer with non-default hyper-parameters and two parameters of different
shapes, gradients written into p.grad in place as backward does; matrix and conv shapes for init with non-default
gain, a and mode; minibatches with a remainder and shuffling; fit and early stopping on a small Linear-ReLU-Linear
Sequential with batch sizes that leave a remainder, patience 1 to 3 and a min_delta; a Perceptron on separable data
with lr 1 and 0.1; gradients and relative errors of small arrays) and changed a result or raised a realistic error
(AMSGrad's bug shows once a gradient shrinks, the Perceptron's fit rewrite at the max_epochs boundary: both checked
with targeted inputs). No kept bug has the same component and ``_changes`` as a catalogue mutant or an earlier
held-apart bug.

Whole-method rewrites (loops, other names, another order, with exactly one mistake; that the rewrite without the
mistake computes the reference's result was checked by reading, line by line, not by running a corrected copy of each):
22 of 36. Bugs sharing an earlier misconception in new
code: 25 of 36, marked "(shared idea, new code)" in their description. This is over the brief's cap of a third: under
the deadline the author could not find 24 realistic ideas for these components that no earlier id or description
names; the 11 others (SGD's momentum times (b + g) and its look-ahead as an average, Adagrad's squared numerator,
RMSprop's centered variance subtracted in place from the state, Adadelta's paper minus sign subtracted again, AMSGrad
as the maximum of the old and new average only, AdamW's factor 1 - weight_decay / lr, fans through np.prod (floats),
Xavier's average fan without parentheses, minibatches' while loop stopping at n - 1, fit's weighted losses averaged
over the batch count) were not found among the earlier ids and descriptions.

Classes covered: optimizer state and aliasing (a velocity that is p.grad's own array, decay added into p.grad with
+=, g squared in place, a momentum buffer made afresh each step, moments kept in locals, AdamW shrinking a copy, the
centered variance subtracted from the stored average), order of updates (step counts incremented at the end of
step()), formulas misremembered (momentum times the sum, the look-ahead as an average, a squared numerator, the
paper's minus sign subtracted again, ratios accumulated instead of steps, the momentum buffer of raw gradients, eps
under the root of v_hat, AMSGrad without a running maximum, AdamW's factor divided by lr), hyper-parameters misread or
changed (alpha read as the new value's weight, AdamW's default 0.1, the leaky slope not passed), init (np.prod's float
for an empty product, a kernel loop from axis 3, the average fan without parentheses, Glorot's 2 dropped, the gain
taken as a variance factor), training loops (a while bound n - 1, the weighted mean over the batch count), the
perceptron (the bias without lr, a threshold of >= 0 in update, convergence tested with predict), Sequential (an
index loop from 1), gradient checking (/ 2 * h, |a + b| in the denominator), early stopping (patience compared with
>, the best loss following the last epoch).
Ids start with ``hsad-``. The ``expect`` tags and ``phrases`` were decided from the misconception alone, before any
grading, from the existing vocabulary.

Blind rate (graded in the sandbox, isolated, before anybody read the feedback): 30/36 named (83 %), 35 caught,
5 misleading. One bug was dropped after grading, as set D dropped its twin: fan_in_and_fan_out through np.prod,
whose empty product for a matrix is the float 1.0, so the fans come back as whole-number floats; docs/api.md gives the
fans' values, not their type, and nothing in the course uses them as integers (it was the one bug not caught).
The whole set: 53/74 named (72 %), 73 caught, 8 misleading (the first half: 23/38, 38 caught, 3).
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import held_apart_bug

fresh = partial(held_apart_bug, "hsad-")  # set AD

_SGD_BODY = (
    "        for p, state in zip(self.params, self.state, strict=True):\n"
    "            g = _grad(p)\n"
    "            if self.weight_decay != 0:\n"
    "                g = g + self.weight_decay * p.data\n"
    "            if self.momentum != 0:\n"
    '                buf = state["momentum_buffer"]\n'
    "                if buf is None:\n"
    "                    buf = g.copy()  # the first step starts the velocity at the gradient\n"
    "                else:\n"
    "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n"
    '                state["momentum_buffer"] = buf\n'
    "                g = g + self.momentum * buf if self.nesterov else buf\n"
    "            p.data -= self.lr * g\n"
)

_ADAGRAD_BODY = (
    "        self.t += 1\n"
    "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n"
    "        for p, state in zip(self.params, self.state, strict=True):\n"
    "            g = _grad(p)\n"
    "            if self.weight_decay != 0:\n"
    "                g = g + self.weight_decay * p.data\n"
    '            state["sum"] = state["sum"] + g * g\n'
    '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n'
)

_RMSPROP_BODY = (
    "        a = self.alpha\n"
    "        for p, state in zip(self.params, self.state, strict=True):\n"
    "            g = _grad(p)\n"
    "            if self.weight_decay != 0:\n"
    "                g = g + self.weight_decay * p.data\n"
    '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n'
    "            if self.centered:\n"
    '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n'
    "                # v >= m^2 in exact arithmetic; clamp round-off so sqrt never sees a negative\n"
    "                # (PyTorch would produce nan there).\n"
    '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n'
    "                avg = np.sqrt(variance) + self.eps\n"
    "            else:\n"
    '                avg = np.sqrt(state["square_avg"]) + self.eps\n'
    "            if self.momentum > 0:\n"
    '                state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + g / avg\n'
    '                p.data -= self.lr * state["momentum_buffer"]\n'
    "            else:\n"
    "                p.data -= self.lr * (g / avg)\n"
)

_ADADELTA_BODY = (
    "        rho = self.rho\n"
    "        for p, state in zip(self.params, self.state, strict=True):\n"
    "            g = _grad(p)\n"
    "            if self.weight_decay != 0:\n"
    "                g = g + self.weight_decay * p.data\n"
    '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g\n'
    '            std = np.sqrt(state["square_avg"] + self.eps)\n'
    '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n'
    '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * delta * delta\n'
    "            p.data -= self.lr * delta\n"
)

_ADAM_BODY = (
    "        beta1, beta2 = self.betas\n"
    "        self.t += 1\n"
    "        bias_correction1 = 1.0 - beta1**self.t\n"
    "        bias_correction2 = 1.0 - beta2**self.t\n"
    "        step_size = self.lr / bias_correction1\n"
    "        bias_correction2_sqrt = bias_correction2**0.5\n"
    "        for p, state in zip(self.params, self.state, strict=True):\n"
    "            g = _grad(p)\n"
    "            if self.weight_decay != 0:\n"
    "                g = self._decay(p, g)\n"
    '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n'
    '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n'
    '            v = state["exp_avg_sq"]\n'
    "            if self.amsgrad:\n"
    '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n'
    '                v = state["max_exp_avg_sq"]\n'
    "            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps\n"
    '            p.data -= step_size * (state["exp_avg"] / denom)\n'
)


OPTIMIZERS = [
    fresh(
        "hsad-sgd-decay-added-into-grad-by-plus-equals",
        "optimizers.SGD",
        "(shared idea, new code) a rewrite with an index loop writes the L2 term with g += weight_decay * p.data, "
        "where g = p.grad's own array: the decay is added into p.grad itself (the gradient the caller sees changes "
        "and a second step() without a new backward decays twice); the decayed gradient must be a new array",
        (
            _SGD_BODY,
            "        for i in range(len(self.params)):\n"
            "            p = self.params[i]\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay:\n"
            "                g += self.weight_decay * p.data\n"
            "            if self.momentum:\n"
            '                if self.state[i]["momentum_buffer"] is None:\n'
            '                    self.state[i]["momentum_buffer"] = np.array(g)\n'
            "                else:\n"
            '                    old = self.state[i]["momentum_buffer"]\n'
            '                    self.state[i]["momentum_buffer"] = self.momentum * old + (1 - self.dampening) * g\n'
            '                v = self.state[i]["momentum_buffer"]\n'
            "                if self.nesterov:\n"
            "                    g = g + self.momentum * v\n"
            "                else:\n"
            "                    g = v\n"
            "            p.data = p.data - self.lr * g\n",
        ),
        expect=("modifies-grad", "aliasing"),
        phrases=("in place", "p.grad"),
    ),
    fresh(
        "hsad-sgd-velocity-is-grad-array-updated-in-place",
        "optimizers.SGD",
        "(shared idea, new code) the first velocity is v = g (p.grad's own array, no copy) and later steps update it "
        "in place (v *= momentum; v += (1 - dampening) * g): zero_grad and backward overwrite that array, so the "
        "velocity is lost and p.grad is scaled by momentum; the velocity must be an array of its own",
        (
            _SGD_BODY,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            "            if self.momentum == 0:\n"
            "                p.data -= self.lr * g\n"
            "                continue\n"
            '            v = state["momentum_buffer"]\n'
            "            if v is None:\n"
            "                v = g\n"
            "            else:\n"
            "                v *= self.momentum\n"
            "                v += (1.0 - self.dampening) * g\n"
            '            state["momentum_buffer"] = v\n'
            "            if self.nesterov:\n"
            "                p.data -= self.lr * (g + self.momentum * v)\n"
            "            else:\n"
            "                p.data -= self.lr * v\n",
        ),
        # added after reading output (tag-vocabulary audit): velocity-is-gradient
        expect=("aliasing", "velocity-not-stored", "modifies-grad", "velocity-is-gradient"),
        phrases=("copy", "alias", "same array"),
    ),
    fresh(
        "hsad-sgd-momentum-times-sum",
        "optimizers.SGD",
        "the velocity is remembered as 'momentum times (old velocity plus gradient)': b = momentum * (b + g), so the "
        "new gradient is also scaled by momentum (and dampening is lost); it is b = momentum * b + (1 - dampening) * "
        "g",
        (
            "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n",
            "                    buf = self.momentum * (buf + g)\n",
        ),
        # the last tag added after reading output
        expect=("formula-wrong", "momentum-formula", "precedence", "momentum-on-velocity-and-gradient"),
        phrases=("momentum", "velocity"),
    ),
    fresh(
        "hsad-sgd-nesterov-look-ahead-as-average",
        "optimizers.SGD",
        "the Nesterov look-ahead is written as an average of velocity and gradient, d = momentum * b + (1 - "
        "momentum) * g: the gradient's share is scaled down by 1 - momentum; the look-ahead adds the full gradient, "
        "d = g + momentum * b",
        (
            "                g = g + self.momentum * buf if self.nesterov else buf\n",
            "                if self.nesterov:\n"
            "                    g = self.momentum * buf + g * (1.0 - self.momentum)\n"
            "                else:\n"
            "                    g = buf\n",
        ),
        expect=("nesterov-wrong-operand", "formula-wrong", "momentum-as-average"),
        phrases=("nesterov", "look-ahead", "lookahead"),
    ),
    fresh(
        "hsad-adagrad-numerator-squared",
        "optimizers.Adagrad",
        "a rewrite stores g ** 2 in a variable for the accumulator and then steps with that variable too: p -= lr_t "
        "* g^2 / (sqrt(s) + eps), so the gradient's sign is lost and every step decreases p; the step's numerator is "
        "g",
        (
            _ADAGRAD_BODY,
            "        self.t += 1\n"
            "        lr_t = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n"
            "        for i in range(len(self.params)):\n"
            "            p = self.params[i]\n"
            "            grad = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                grad = grad + self.weight_decay * p.data\n"
            "            grad_sq = grad**2\n"
            '            self.state[i]["sum"] = self.state[i]["sum"] + grad_sq\n'
            '            p.data -= lr_t * grad_sq / (np.sqrt(self.state[i]["sum"]) + self.eps)\n',
        ),
        expect=("formula-wrong", "copy-paste", "sign-lost"),
        phrases=("numerator", "squared", "sign"),
    ),
    fresh(
        "hsad-adagrad-count-incremented-at-end-formula-kept",
        "optimizers.Adagrad",
        "(shared idea, new code) a rewrite moves self.t += 1 to the end of step() but keeps the (t - 1) of the "
        "formula: the first step uses lr / (1 - lr_decay), one decay step too early; with the count incremented last "
        "the formula needs t, not t - 1",
        (
            _ADAGRAD_BODY,
            "        lr_t = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            grad = _grad(p)\n"
            "            if self.weight_decay > 0:\n"
            "                grad = grad + self.weight_decay * p.data\n"
            '            state["sum"] += grad * grad\n'
            '            p.data -= lr_t * grad / (np.sqrt(state["sum"]) + self.eps)\n'
            "        self.t += 1\n",
        ),
        expect=("lr-decay-off-by-one", "step-count-off-by-one", "order-changed"),
        phrases=("lr_decay", "step count", "off by one"),
    ),
    fresh(
        "hsad-rmsprop-momentum-divides-velocity",
        "optimizers.RMSprop",
        "(shared idea, new code) a rewrite keeps the raw gradient in the momentum buffer and divides the velocity by "
        "the current RMS: b = momentum * b + g, p -= lr * b / avg; PyTorch's buffer accumulates the already scaled "
        "steps, b = momentum * b + g / avg",
        (
            _RMSPROP_BODY,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            grad = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                grad = grad + self.weight_decay * p.data\n"
            '            v = self.alpha * state["square_avg"] + (1.0 - self.alpha) * grad**2\n'
            '            state["square_avg"] = v\n'
            "            if self.centered:\n"
            '                m = self.alpha * state["grad_avg"] + (1.0 - self.alpha) * grad\n'
            '                state["grad_avg"] = m\n'
            "                rms = np.sqrt(np.maximum(v - m * m, 0.0)) + self.eps\n"
            "            else:\n"
            "                rms = np.sqrt(v) + self.eps\n"
            "            if self.momentum > 0:\n"
            '                buf = self.momentum * state["momentum_buffer"] + grad\n'
            '                state["momentum_buffer"] = buf\n'
            "                p.data -= self.lr * buf / rms\n"
            "            else:\n"
            "                p.data -= self.lr * grad / rms\n",
        ),
        # the last tag added after reading output
        expect=("momentum-formula", "order-changed", "formula-wrong", "momentum-before-scaling"),
        phrases=("momentum", "buffer"),
    ),
    fresh(
        "hsad-rmsprop-momentum-buffer-fresh-each-step",
        "optimizers.RMSprop",
        "(shared idea, new code) a rewrite starts the velocity as a local zeros array inside step(): buf = "
        "np.zeros_like(grad) then buf = momentum * buf + grad / rms, so momentum never carries over and the update "
        "is plain RMSprop; the buffer lives in state['momentum_buffer'] across steps",
        (
            _RMSPROP_BODY,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            grad = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                grad = grad + self.weight_decay * p.data\n"
            '            state["square_avg"] = self.alpha * state["square_avg"] + (1.0 - self.alpha) * grad * grad\n'
            "            if self.centered:\n"
            '                state["grad_avg"] = self.alpha * state["grad_avg"] + (1.0 - self.alpha) * grad\n'
            '                var = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n'
            "                rms = np.sqrt(var) + self.eps\n"
            "            else:\n"
            '                rms = np.sqrt(state["square_avg"]) + self.eps\n'
            "            update = grad / rms\n"
            "            if self.momentum > 0:\n"
            "                buf = np.zeros_like(grad)\n"
            "                buf = self.momentum * buf + update\n"
            '                state["momentum_buffer"] = buf\n'
            "                update = buf\n"
            "            p.data -= self.lr * update\n",
        ),
        expect=("state-reset", "momentum-ignored", "state-not-saved"),
        phrases=("momentum", "reset", "each step"),
    ),
    fresh(
        "hsad-rmsprop-centered-mean-not-subtracted-in-place",
        "optimizers.RMSprop",
        "the centered variance is formed with square_avg -= grad_avg ** 2 (in place on the state): the stored mean "
        "square loses m^2 every step and drifts away; the variance is a new array v - m^2, the state keeps v",
        (
            '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n',
            '                state["square_avg"] -= state["grad_avg"] ** 2\n'
            '                variance = np.maximum(state["square_avg"], 0.0)\n',
        ),
        expect=("saved-state-overwritten", "centered-variance-formula", "modifies-input"),
        phrases=("square_avg", "in place", "overwrit"),
    ),
    fresh(
        "hsad-rmsprop-alpha-on-new-square",
        "optimizers.RMSprop",
        "(shared idea, new code) the student renames the decay rho = 1 - alpha (reading alpha as the smoothing "
        "constant of the new value) and writes v = rho * v + (1 - rho) * g^2, i.e. v = (1 - alpha) v + alpha g^2; "
        "alpha (0.99) is the weight of the old average",
        (
            '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n',
            "            rho = 1.0 - a\n"
            '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g\n',
        ),
        expect=("alpha-swapped", "hyperparameter-inverted"),
        phrases=("alpha",),
    ),
    fresh(
        "hsad-adadelta-paper-minus-sign-subtracted",
        "optimizers.Adadelta",
        "a rewrite copies the paper's delta_x = -RMS[dx] / RMS[g] * g (with its minus sign) and then still writes p "
        "-= lr * delta_x: the parameters climb the gradient; the paper adds delta_x, PyTorch subtracts a positive "
        "delta",
        (
            _ADADELTA_BODY,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            grad = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                grad = grad + self.weight_decay * p.data\n"
            '            E_g2 = self.rho * state["square_avg"] + (1.0 - self.rho) * grad**2\n'
            '            rms_dx = np.sqrt(state["acc_delta"] + self.eps)\n'
            "            rms_g = np.sqrt(E_g2 + self.eps)\n"
            "            delta_x = -(rms_dx / rms_g) * grad\n"
            '            state["acc_delta"] = self.rho * state["acc_delta"] + (1.0 - self.rho) * delta_x**2\n'
            '            state["square_avg"] = E_g2\n'
            "            p.data -= self.lr * delta_x\n",
        ),
        expect=("sign-flipped", "ascent"),
        phrases=("sign", "ascent", "minus"),
    ),
    fresh(
        "hsad-adadelta-accumulates-ratio",
        "optimizers.Adadelta",
        "(shared idea, new code) a rewrite names the ratio RMS[dx] / RMS[g] 'scale' and accumulates scale ** 2 in "
        "acc_delta instead of the step (scale * g) ** 2; the running average is of the squared updates",
        (
            _ADADELTA_BODY,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            grad = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                grad = grad + self.weight_decay * p.data\n"
            '            sq = state["square_avg"] * self.rho + (1.0 - self.rho) * (grad * grad)\n'
            '            state["square_avg"] = sq\n'
            '            scale = np.sqrt(state["acc_delta"] + self.eps) / np.sqrt(sq + self.eps)\n'
            '            state["acc_delta"] = state["acc_delta"] * self.rho + (1.0 - self.rho) * scale**2\n'
            "            p.data -= self.lr * scale * grad\n",
        ),
        expect=("formula-wrong", "adadelta-accumulates-scaled-step"),
        phrases=("acc_delta", "update", "step"),
    ),
    fresh(
        "hsad-adam-paper-form-count-after-loop",
        "optimizers.Adam",
        "(shared idea, new code) a rewrite in the paper's form (m_hat, v_hat) increments self.t at the end of "
        "step(): the first bias corrections use t = 0, 1 - beta^0 = 0, and divide by zero; t counts the update being "
        "made, starting at 1",
        (
            _ADAM_BODY,
            "        b1, b2 = self.betas\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            grad = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                grad = self._decay(p, grad)\n"
            '            m = b1 * state["exp_avg"] + (1 - b1) * grad\n'
            '            v = b2 * state["exp_avg_sq"] + (1 - b2) * grad * grad\n'
            '            state["exp_avg"], state["exp_avg_sq"] = m, v\n'
            "            if self.amsgrad:\n"
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n'
            '                v = state["max_exp_avg_sq"]\n'
            "            m_hat = m / (1 - b1**self.t)\n"
            "            v_hat = v / (1 - b2**self.t)\n"
            "            p.data -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)\n"
            "        self.t += 1\n",
        ),
        expect=("step-at-zero", "step-count-off-by-one", "bias-correction-t-zero"),
        phrases=("t = 0", "step count", "bias correction"),
    ),
    fresh(
        "hsad-adam-paper-form-eps-under-root-of-hat",
        "optimizers.Adam",
        "(shared idea, new code) a rewrite in the paper's form divides by np.sqrt(v_hat) with eps added to v_hat "
        "before the root (sqrt(v_hat + eps)): for small gradients eps (1e-8) under the root is 1e-4, which caps the "
        "step; eps is added after the root",
        (
            _ADAM_BODY,
            "        self.t += 1\n"
            "        b1, b2 = self.betas\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            grad = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                grad = self._decay(p, grad)\n"
            '            state["exp_avg"] = b1 * state["exp_avg"] + (1 - b1) * grad\n'
            '            state["exp_avg_sq"] = b2 * state["exp_avg_sq"] + (1 - b2) * grad**2\n'
            '            v = state["exp_avg_sq"]\n'
            "            if self.amsgrad:\n"
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n'
            '                v = state["max_exp_avg_sq"]\n'
            '            m_hat = state["exp_avg"] / (1 - b1**self.t)\n'
            "            v_hat = v / (1 - b2**self.t)\n"
            "            p.data -= self.lr * m_hat / np.sqrt(v_hat + self.eps)\n",
        ),
        expect=("eps-inside-sqrt",),
        phrases=("eps", "root", "sqrt"),
    ),
    fresh(
        "hsad-adam-grad-squared-in-place-for-second-moment",
        "optimizers.Adam",
        "(shared idea, new code) the second moment is computed with g **= 2 on the gradient variable before the "
        "first moment's update (g2 = g; g2 **= 2 ... in a rewrite the student thinks of g2 as a new name): the first "
        "moment then averages g^2 and the steps never go uphill; g^2 must be a new array",
        (
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n'
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n',
            "            g2 = g\n"
            "            g2 **= 2\n"
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g2\n'
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n',
        ),
        expect=("aliasing", "modifies-grad", "order-changed"),
        phrases=("alias", "in place", "same array"),
    ),
    fresh(
        "hsad-adam-moments-in-locals",
        "optimizers.Adam",
        "(shared idea, new code) the moments are read into locals m, v = state['exp_avg'], state['exp_avg_sq'] and "
        "rebound with m = beta1 * m + ...: state is never written, so every step restarts from zero moments; the new "
        "averages must be stored back",
        (
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n'
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n'
            '            v = state["exp_avg_sq"]\n'
            "            if self.amsgrad:\n"
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n'
            '                v = state["max_exp_avg_sq"]\n'
            "            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps\n"
            '            p.data -= step_size * (state["exp_avg"] / denom)\n',
            '            m, v = state["exp_avg"], state["exp_avg_sq"]\n'
            "            m = beta1 * m + (1.0 - beta1) * g\n"
            "            v = beta2 * v + (1.0 - beta2) * g * g\n"
            "            if self.amsgrad:\n"
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n'
            '                v = state["max_exp_avg_sq"]\n'
            "            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps\n"
            "            p.data -= step_size * (m / denom)\n",
        ),
        expect=("state-not-saved", "result-discarded", "state-reset"),
        phrases=("stored", "state", "exp_avg"),
    ),
    fresh(
        "hsad-adam-amsgrad-max-of-new-and-old-average",
        "optimizers.Adam",
        "AMSGrad is written as the maximum of the new and the previous second moment, np.maximum(v_old, v_new), "
        "forgetting the running maximum over all steps (the max is not kept in state); v_max keeps the largest v "
        "ever seen",
        (
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n'
            '            v = state["exp_avg_sq"]\n'
            "            if self.amsgrad:\n"
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n'
            '                v = state["max_exp_avg_sq"]\n',
            '            v_old = state["exp_avg_sq"]\n'
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n'
            '            v = state["exp_avg_sq"]\n'
            "            if self.amsgrad:\n"
            "                v = np.maximum(v_old, v)\n",
        ),
        expect=("amsgrad-wrong-operand", "state-not-saved"),
        phrases=("amsgrad", "maximum", "max"),
    ),
    fresh(
        "hsad-adamw-decay-by-weight-decay-over-lr",
        "optimizers.AdamW",
        "the decoupled decay is written p *= 1 - weight_decay / lr (the student thinks the decay must be 'undone' "
        "from lr): with lr = 1e-3 the weights shrink by 10 per step or flip sign; the factor is 1 - lr * "
        "weight_decay",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n",
            "        p.data *= 1.0 - self.weight_decay / self.lr\n",
        ),
        expect=("decay-factor-form", "formula-wrong", "weight-decay-times-lr"),
        phrases=("1 - lr * weight_decay", "factor"),
    ),
    fresh(
        "hsad-adamw-decay-on-copy-returned-grad",
        "optimizers.AdamW",
        "(shared idea, new code) _decay shrinks a copy, w = p.data.copy(); w *= 1 - lr * wd, and returns g: the "
        "parameter never decays; the shrink must happen on p.data",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
            "        w = p.data.copy()\n        w *= 1.0 - self.lr * self.weight_decay\n        return g\n",
        ),
        expect=("weight-decay-ignored", "result-discarded", "copy-not-view"),
        phrases=("p.data", "copy", "decay"),
    ),
    fresh(
        "hsad-adamw-default-weight-decay-tenth",
        "optimizers.AdamW",
        "(shared idea, new code) the constructor's default weight_decay is 0.1 (the value of many transformer "
        "recipes) instead of the API's and PyTorch's 0.01: AdamW() built without the argument decays ten times too "
        "fast",
        (
            "        weight_decay: float = 0.01,\n",
            "        weight_decay: float = 0.1,\n",
        ),
        expect=("default-changed",),
        phrases=("default", "0.01"),
    ),
]


OTHERS = [
    fresh(
        "hsad-fans-kernel-loop-from-axis-three",
        "init.fan_in_and_fan_out",
        "(shared idea, new code) a rewrite multiplies the kernel sizes in a loop over shape[3:] (the student counts "
        "kH as axis 3): the kernel height is left out of both fans of a conv weight; the kernel axes start at 2",
        (
            "    receptive_field = math.prod(shape[2:])\n"
            "    fan_in = shape[1] * receptive_field\n"
            "    fan_out = shape[0] * receptive_field\n",
            "    if len(shape) == 2:\n"
            "        fan_in, fan_out = shape[1], shape[0]\n"
            "    else:\n"
            "        k = 1\n"
            "        for size in shape[3:]:\n"
            "            k *= size\n"
            "        fan_in = shape[1] * k\n"
            "        fan_out = shape[0] * k\n",
        ),
        expect=("receptive-field-partial", "receptive-field-slice-off-by-one", "slice-off-by-one"),
        phrases=("receptive field", "kernel"),
    ),
    fresh(
        "hsad-xavier-uniform-average-fan-precedence",
        "init.xavier_uniform",
        "a rewrite through the average fan writes fan_avg = fan_in + fan_out / 2 (only fan_out halved) and the bound "
        "gain * sqrt(3 / fan_avg): the bound is too small; fan_avg = (fan_in + fan_out) / 2",
        (
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    fan_avg = fan_in + fan_out / 2\n"
            "    limit = gain * math.sqrt(3.0 / fan_avg)\n"
            "    weight = rng.uniform(low=-limit, high=limit, size=shape)\n",
        ),
        expect=("operator-precedence", "precedence", "uniform-bound"),
        phrases=("parenthes", "average", "fan"),
    ),
    fresh(
        "hsad-xavier-normal-two-dropped-standard-normal",
        "init.xavier_normal",
        "(shared idea, new code) a rewrite draws rng.standard_normal(shape) * gain * np.sqrt(1.0 / (fan_in + "
        "fan_out)), forgetting the 2 of Glorot's 2 / (fan_in + fan_out): the std is 1/sqrt(2) of the right one",
        (
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    weight = rng.standard_normal(shape) * gain * np.sqrt(1.0 / (fan_in + fan_out))\n",
        ),
        # added after reading output (tag-vocabulary audit): std-formula
        expect=("formula-constant", "formula-wrong", "std-formula"),
        phrases=("2 /", "two", "factor"),
    ),
    fresh(
        "hsad-kaiming-uniform-slope-not-passed-rewrite",
        "init.kaiming_uniform",
        "(shared idea, new code) a rewrite computes the bound as gain * sqrt(3 / fan) with gain = "
        "calculate_gain(nonlinearity), not passing a: leaky_relu's slope is always the default 0.01, so a = sqrt(5) "
        "(Linear's default) or a = 0 give the wrong gain; pass a as the gain's parameter",
        (
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            '    fan = fan_in if mode == "fan_in" else fan_out\n'
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    std = gain / math.sqrt(fan)\n"
            "    bound = math.sqrt(3.0) * std\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            '    fan = fan_out if mode == "fan_out" else fan_in\n'
            "    gain = calculate_gain(nonlinearity)\n"
            "    bound = gain * math.sqrt(3.0 / fan)\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
        ),
        expect=("a-ignored", "hyperparameter-ignored", "gain-arguments"),
        phrases=("slope", "negative_slope", " a "),
    ),
    fresh(
        "hsad-kaiming-normal-gain-as-variance",
        "init.kaiming_normal",
        "(shared idea, new code) the variance is written var = gain / fan and std = sqrt(var): the gain is taken as "
        "a factor of the variance, so ReLU's std is 2^(1/4)/sqrt(fan); std = gain / sqrt(fan) (gain^2 / fan is the "
        "variance)",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    var = gain / fan\n    weight = rng.normal(0.0, math.sqrt(var), size=shape)\n",
        ),
        # the last tag added after reading output
        expect=("gain-under-root", "std-as-variance", "formula-wrong", "root-scope"),
        phrases=("gain", "variance"),
    ),
    fresh(
        "hsad-minibatches-while-stops-before-last-sample",
        "training.minibatches",
        "a rewrite with a while loop over an index array tests start < n - 1: a last batch that holds one sample "
        "(and with batch_size=1 the last sample) is never yielded; the loop runs while start < n",
        (
            "    if shuffle:\n"
            "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n"
            "        X, y = X[order], y[order]\n"
            "    size = len(X) if batch_size is None else batch_size\n"
            "    for start in range(0, len(X), max(size, 1)):\n"
            "        batches.append((X[start : start + size], y[start : start + size]))\n",
            "    n = len(X)\n"
            "    idx = rng.permutation(n) if shuffle else np.arange(n)\n"
            "    step = n if batch_size is None else batch_size\n"
            "    start = 0\n"
            "    while start < n - 1:\n"
            "        sel = idx[start : start + step]\n"
            "        batches.append((X[sel], y[sel]))\n"
            "        start += step\n",
        ),
        expect=("loop-off-by-one", "drops-last-batch", "remainder-batch"),
        phrases=("last", "sample", "batch"),
    ),
    fresh(
        "hsad-fit-weighted-mean-over-batch-count",
        "training.fit",
        "a rewrite keeps the batch losses and sizes in lists and takes np.mean(losses * sizes): the weighted sum is "
        "divided by the number of batches instead of the number of samples; the epoch's loss is sum(loss_b n_b) / N",
        (
            "    for _ in range(epochs):\n"
            "        total = 0.0\n"
            "        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):\n"
            "            optimizer.zero_grad()\n"
            "            output = model.forward(X_batch)\n"
            "            loss = loss_fn.forward(output, y_batch)\n"
            "            model.backward(loss_fn.backward())\n"
            "            optimizer.step()\n"
            "            total += float(loss) * len(X_batch)\n"
            "        history.append(total / len(X))\n",
            "    for _epoch in range(epochs):\n"
            "        losses, sizes = [], []\n"
            "        for xb, yb in minibatches(X, y, batch_size, shuffle, rng):\n"
            "            optimizer.zero_grad()\n"
            "            out = model.forward(xb)\n"
            "            losses.append(float(loss_fn.forward(out, yb)))\n"
            "            sizes.append(len(xb))\n"
            "            model.backward(loss_fn.backward())\n"
            "            optimizer.step()\n"
            "        history.append(float(np.mean(np.array(losses) * np.array(sizes))))\n",
        ),
        expect=("loss-denominator", "batch-size-weight", "times-batch-size"),
        phrases=("number of samples", "weighted", "divid"),
    ),
    fresh(
        "hsad-perceptron-bias-ignores-lr",
        "models.Perceptron",
        "(shared idea, new code) the bias update is bias += error (the student treats the bias as a constant input "
        "weight but forgets the learning rate on it): with lr != 1 the bias moves lr^-1 times too far; bias += lr * "
        "error",
        (
            "        self.bias = self.bias + self.lr * error\n",
            "        self.bias += error\n",
        ),
        expect=("lr-ignored", "bias-ignored", "formula-wrong"),
        phrases=("bias", "learning rate", "lr"),
    ),
    fresh(
        "hsad-perceptron-update-rewrite-threshold-inclusive",
        "models.Perceptron",
        "(shared idea, new code) a rewrite of update predicts 1.0 if np.dot(w, x) + b >= 0: a score of exactly 0 "
        "(every sample at the zero start) counts as class 1, unlike predict; the step is 1 only for a score > 0",
        (
            "        prediction = 1.0 if float(x @ self.weight + self.bias) > 0 else 0.0\n"
            "        error = float(target) - prediction\n"
            "        self.weight = self.weight + self.lr * error * x\n"
            "        self.bias = self.bias + self.lr * error\n",
            "        score = float(np.dot(self.weight, x)) + self.bias\n"
            "        yhat = 1.0 if score >= 0 else 0.0\n"
            "        error = float(target) - yhat\n"
            "        if error != 0:\n"
            "            self.weight = self.weight + self.lr * error * x\n"
            "            self.bias += self.lr * error\n",
        ),
        # the last tag added after reading output
        expect=("threshold-half", "kink-value", "forward-backward-mismatch", "step-at-zero"),
        phrases=("threshold", "exactly 0", ">="),
    ),
    fresh(
        "hsad-perceptron-fit-rewrite-converged-by-predict",
        "models.Perceptron",
        "(shared idea, new code) a rewrite of fit sweeps the samples with update and then tests convergence with "
        "np.all(self.predict(X) == y): it reports True after an epoch that still made mistakes (the first clean "
        "epoch is not needed), so with max_epochs at that boundary it returns True where the rule has not yet had a "
        "clean epoch; fit returns True after an epoch without a mistake",
        (
            "        for _ in range(max_epochs):\n"
            "            mistakes = 0\n"
            "            for x, target in zip(X, y, strict=True):\n"
            "                if self.update(x, target) != 0.0:\n"
            "                    mistakes += 1\n"
            "            if mistakes == 0:\n"
            "                return True\n",
            "        for _epoch in range(max_epochs):\n"
            "            for i in range(len(X)):\n"
            "                self.update(X[i], y[i])\n"
            "            if np.all(self.predict(X) == y):\n"
            "                return True\n",
        ),
        expect=("fit-true-too-early", "fit-return-value"),
        phrases=("clean epoch", "without a mistake", "mistake"),
    ),
    fresh(
        "hsad-sequential-forward-index-loop-from-one",
        "models.Sequential",
        "(shared idea, new code) a rewrite of forward with an index loop, out = x; for i in range(1, "
        "len(self.layers)): out = self.layers[i].forward(out), starts at 1: the first layer never runs (its backward "
        "then reads no saved input); indices start at 0",
        (
            "        for layer in self.layers:\n            x = layer.forward(x)\n",
            "        out = x\n"
            "        for i in range(1, len(self.layers)):\n"
            "            out = self.layers[i].forward(out)\n"
            "        x = out\n",
        ),
        expect=("forward-skips-layer", "loop-off-by-one", "layer-skipped"),
        phrases=("first layer", "range", "index"),
    ),
    fresh(
        "hsad-numgrad-nditer-over-two-times-h-precedence",
        "gradcheck.numerical_gradient",
        "(shared idea, new code) a CS231n-style np.nditer rewrite divides by 2 * h written / 2 * h: the result is "
        "(f+ - f-) h / 2 instead of (f+ - f-) / (2 h)",
        (
            "    for index in np.ndindex(x.shape):\n"
            "        original = x[index]\n"
            "        x[index] = original + h\n"
            "        f_plus = float(f(x))\n"
            "        x[index] = original - h\n"
            "        f_minus = float(f(x))\n"
            "        x[index] = original  # restore exactly: no accumulated round-off\n"
            "        grad[index] = (f_plus - f_minus) / (2 * h)\n",
            '    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])\n'
            "    while not it.finished:\n"
            "        ix = it.multi_index\n"
            "        old = x[ix]\n"
            "        x[ix] = old + h\n"
            "        fxph = float(f(x))\n"
            "        x[ix] = old - h\n"
            "        fxmh = float(f(x))\n"
            "        x[ix] = old\n"
            "        grad[ix] = (fxph - fxmh) / 2 * h\n"
            "        it.iternext()\n",
        ),
        expect=("operator-precedence", "numgrad-divisor", "precedence"),
        phrases=("2 * h", "parenthes", "precedence"),
    ),
    fresh(
        "hsad-relerr-denominator-abs-of-sum-rewrite",
        "gradcheck.relative_error",
        "(shared idea, new code) a rewrite with named numerator and denominator writes den = np.maximum(np.abs(a + "
        "b), 1e-8): gradients of opposite signs cancel in the denominator and the error explodes (or entries that "
        "should be 1 read larger); the denominator is |a| + |b|",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n    return float(np.max(ratio))\n",
            "    num = np.abs(a - b)\n    den = np.maximum(np.abs(a + b), 1e-8)\n    return float((num / den).max())\n",
        ),
        expect=("abs-of-sum", "denominator-no-abs", "formula-wrong"),
        phrases=("|a| + |b|", "abs", "denominator"),
    ),
    fresh(
        "hsad-early-stopping-rewrite-patience-greater",
        "early_stopping.fit_early_stopping",
        "(shared idea, new code) a rewrite with best_val and bad_epochs stops when bad_epochs > patience: one epoch "
        "more than patience runs without improvement; training stops as soon as patience epochs in a row did not "
        "improve",
        (
            '    best_loss = float("inf")\n'
            "    best_state = None\n"
            "    waited = 0  # epochs since the last improvement\n"
            "    for epoch in range(1, max_epochs + 1):\n"
            "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)\n"
            "        val_loss = evaluate_loss(model, loss_fn, X_val, y_val)\n"
            "        history.train_losses.append(train_loss)\n"
            "        history.val_losses.append(val_loss)\n"
            "        if val_loss < best_loss - min_delta:\n"
            "            best_loss, history.best_epoch, waited = val_loss, epoch, 0\n"
            "            if restore_best:\n"
            "                best_state = copy_state(model)\n"
            "        else:\n"
            "            waited += 1\n"
            "            if waited >= patience:\n"
            "                history.stopped_epoch = epoch\n"
            "                break\n"
            "    if restore_best and best_state is not None:\n"
            "        load_state(model, best_state)\n",
            "    best_val = np.inf\n"
            "    saved = None\n"
            "    bad_epochs = 0\n"
            "    epoch = 0\n"
            "    while epoch < max_epochs:\n"
            "        epoch += 1\n"
            "        losses = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)\n"
            "        history.train_losses.append(losses[0])\n"
            "        current = evaluate_loss(model, loss_fn, X_val, y_val)\n"
            "        history.val_losses.append(current)\n"
            "        if best_val - current > min_delta:\n"
            "            best_val = current\n"
            "            history.best_epoch = epoch\n"
            "            bad_epochs = 0\n"
            "            if restore_best:\n"
            "                saved = copy_state(model)\n"
            "            continue\n"
            "        bad_epochs += 1\n"
            "        if bad_epochs > patience:\n"
            "            history.stopped_epoch = epoch\n"
            "            break\n"
            "    if restore_best and saved is not None:\n"
            "        load_state(model, saved)\n",
        ),
        expect=("patience-off-by-one", "loop-off-by-one"),
        phrases=("patience",),
    ),
    fresh(
        "hsad-early-stopping-restores-state-of-last-improvement-reference",
        "early_stopping.fit_early_stopping",
        "(shared idea, new code) in the no-improvement branch the student also sets best_loss = "
        "history.val_losses[-1] ('compare with the latest loss next time'): a worse epoch becomes the reference, so "
        "a slow rise never exhausts patience and the improvement test compares with the last epoch; the best loss "
        "changes only on improvement",
        (
            "        else:\n            waited += 1\n",
            "        else:\n            waited += 1\n            best_loss = history.val_losses[-1]\n",
        ),
        expect=("compares-with-last", "best-loss-not-updated", "saved-state-stale"),
        phrases=("best", "last epoch"),
    ),
]

FRESH_AD2: list[Mutant] = [*OPTIMIZERS, *OTHERS]
