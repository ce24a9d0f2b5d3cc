"""Held-apart set AE, second half: student bugs in optimizers, init, training, models, gradcheck and early
stopping, written blind by a helper session, aimed at realism (the mistakes real students make, in their code).

Written blind by a helper session: its author read the reference (reference/*.py), docs/api.md,
tests/heldout/_edits.py, the format and docstrings of fresh_ab.py, fresh_ab2.py, fresh_ac.py, fresh_ac2.py, fresh_ad.py
and fresh_ad2.py (the start of fresh_ad2.py: its docstring and body constants), the ids and descriptions of the
catalogue and of every earlier held-apart set (``EVERY``), the ``expect`` tags of the catalogue and of tests/heldout
(for the tag vocabulary only), and of tests/test_feedback_generalisation.py only its FAMILIES and SETS dicts and
``_changes`` (the copy rule). The author never read the diagnosis (graders/judging, graders/reporting,
graders/running, graders/selfcheck, graders/runner.py), nnlab/ beyond importing it, tests/evidence.py, the feedback
audit, the mistake, crash, diagnosis and feedback tests, benchmarks/, /work/tools/* (but its two briefs), the grader's
feedback or output, nor fresh_ae.py (the other half of set AE, written at the same time), and graded none of these
bugs. Written under a short deadline (about 30 minutes).

About 70 ideas were considered against the roughly 1600 earlier bugs of these eighteen components; most were dropped
before being written because an earlier id named them in code a student would write the same way, or because they are
no mistake (the CS231n velocity v = mu v - lr g, the lr folded into the momentum buffer, sqrt(v / bc2) for
sqrt(v) / sqrt(bc2), an Adagrad count incremented at the end with t in place of t - 1, a transposed i.i.d. draw, p.data
rebound instead of scaled in place in AdamW: all equal to the reference). 40 were written; three were replaced after
the copy check found the same component and ``_changes`` as an earlier bug (RMSprop's centered mean updated after the
variance as a two-line swap, AdamW's _decay returning g + weight_decay * p, Caffe's xavier_normal with 1 / fan_in):
the first was rewritten as a whole step(), the second kept with other code, the third replaced by the average-fan
rewrite without its square root. 37 are kept. Every kept edit was run beside the reference with a script of the
author's own on small ordinary inputs (five steps of each optimizer with default and non-default hyper-parameters --
momentum, dampening, Nesterov, centered, weight_decay, lr_decay, initial_accumulator_value, amsgrad -- on two
parameters of different shapes; init on matrix and conv shapes with non-default gain, a, mode and nonlinearity;
minibatches with a remainder and shuffling; fit and early stopping on a small Linear-ReLU-Linear Sequential with batch
sizes that leave a remainder, patience 1 to 3 and a min_delta; a Perceptron with lr 1 and 0.1; gradients and relative
errors of small arrays) and changed a result. Three needed targeted inputs: the min_delta sign (a slowly rising
validation loss with min_delta 0.02 to 0.1), the Perceptron's summed errors (a non-separable XOR-like set on which a
+1 and a -1 mistake cancel), and Sequential's two rewrites, which raise a shape error when the layer widths differ
(the realistic crash a student hits) and give wrong numbers with equal widths. For the rewrites, the author also ran
the rewrite with its one mistake undone beside the reference: it gave the reference's results for the 20 so checked
(the other rewrites were checked by reading, line by line). No kept
bug has the same component and ``_changes`` as a catalogue mutant or an earlier held-apart bug.

Whole-method rewrites (loops, other names, another order, with exactly one mistake): 26 of 37. Bugs sharing an
earlier misconception in new code: 34 of 37, marked "(shared idea, new code)" in their description. This is far over
the brief's cap of a third: with about 1600 earlier bugs on these components the author found only three realistic
ideas that no earlier id or description names (SGD's decay added inside the velocity update, Adagrad accumulating the
lr-scaled step so that lr cancels, the Perceptron's textbook -1/+1 rule applied to 0/1 labels); the others were
written as new code (mostly whole rewrites) of common mistakes, as the brief allows for a third.

Classes covered: optimizer formulas misremembered (Nesterov with the old velocity, a momentum buffer as an average,
Adam's v_hat corrected with beta1, Keras' He bound times the gain), order of operations in an update (decay inside or
after the velocity, the denominator before the accumulator, the centered mean after the variance, Adadelta's RMS from
the previous average), hyper-parameters ignored or misread (initial_accumulator_value overwritten, lr cancelling, L2
halved or scaled by lr, AdamW's decay with the bias-corrected step, AdamW as L2, amsgrad's maximum unused), step
counts per parameter, init scales (receptive field on fan_in only, std as the uniform bound, root forgotten, gain
hard-coded), training loops (array_split batches, zero_grad once per epoch, unweighted epoch mean), the perceptron
(inclusive threshold, -1/+1 rule, cancelling errors), Sequential (not chained, forward and backward), gradient
checking (CS231n's forward difference, probing a copy, norm ratio), early stopping (min_delta sign, live arrays as
the best state, patience off by one).
Ids start with ``hsae-``. The ``expect`` tags and ``phrases`` were decided from the misconception alone, before any
grading, from the existing vocabulary.

Blind rate (graded in the sandbox, isolated, before anybody read the feedback):
36/37 named (97 %), 37 caught, 4 flagged.
The whole set: 66/75 named (88 %), 75 caught, 12 flagged with another bug class's tag, of which 9 were read as the
right diagnosis under another name and 3 as wrong claims (63/75 named with no wrong claim, 84 %);
the first half: 30/38, 38 caught, 8 flagged.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import held_apart_bug

fresh = partial(held_apart_bug, "hsae-")  # set AE

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
        "hsae-sgd-rewrite-nesterov-look-ahead-from-previous-velocity",
        "optimizers.SGD",
        "(shared idea, new code) an index-loop rewrite keeps the previous velocity in v and the new one in v_new; the "
        "Nesterov step is written grad + momentum * v with the velocity from before this step (zeros at the first "
        "step), so the look-ahead lags one step behind; the look-ahead uses the velocity just updated, "
        "g + momentum * b_new",
        (
            _SGD_BODY,
            "        for i, p in enumerate(self.params):\n"
            "            grad = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                grad = grad + self.weight_decay * p.data\n"
            "            if self.momentum == 0:\n"
            "                p.data -= self.lr * grad\n"
            "                continue\n"
            '            v = self.state[i]["momentum_buffer"]\n'
            "            if v is None:\n"
            "                v = np.zeros_like(grad)\n"
            "                v_new = grad.copy()\n"
            "            else:\n"
            "                v_new = self.momentum * v + (1.0 - self.dampening) * grad\n"
            '            self.state[i]["momentum_buffer"] = v_new\n'
            "            if self.nesterov:\n"
            "                step = grad + self.momentum * v\n"
            "            else:\n"
            "                step = v_new\n"
            "            p.data -= self.lr * step\n",
        ),
        # the last tag added after reading output
        expect=("nesterov-old-buffer", "nesterov-wrong-operand", "nesterov-ignored"),
        phrases=("nesterov", "look-ahead", "previous velocity"),
    ),
    fresh(
        "hsae-sgd-decay-added-inside-velocity-update",
        "optimizers.SGD",
        "the student adds the L2 term weight_decay * p inside the velocity update (b <- momentum * b + "
        "(1 - dampening) * grad + weight_decay * p) instead of into the gradient first: the decay escapes the "
        "dampening and the Nesterov look-ahead's gradient term has no decay; the decayed gradient "
        "g = grad + weight_decay * p must be formed first and used everywhere",
        (
            _SGD_BODY,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            grad = _grad(p)\n"
            "            decay = self.weight_decay * p.data\n"
            "            if self.momentum != 0:\n"
            '                if state["momentum_buffer"] is None:\n'
            '                    state["momentum_buffer"] = grad + decay\n'
            "                else:\n"
            '                    old = state["momentum_buffer"]\n'
            '                    state["momentum_buffer"] = (\n'
            "                        self.momentum * old + (1.0 - self.dampening) * grad + decay\n"
            "                    )\n"
            "                if self.nesterov:\n"
            '                    update = grad + self.momentum * state["momentum_buffer"]\n'
            "                else:\n"
            '                    update = state["momentum_buffer"]\n'
            "            else:\n"
            "                update = grad + decay\n"
            "            p.data -= self.lr * update\n",
        ),
        expect=("weight-decay-after-scaling", "nesterov-without-decay", "order-changed"),
        phrases=("weight decay", "dampening"),
    ),
    fresh(
        "hsae-sgd-rewrite-decay-added-after-momentum",
        "optimizers.SGD",
        "(shared idea, new code) a rewrite in PyTorch's d_p style builds the velocity from the raw gradient and adds "
        "weight_decay * p to the step afterwards, so the L2 term never enters the velocity; the decay joins the "
        "gradient before the momentum buffer is updated",
        (
            _SGD_BODY,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            d_p = _grad(p)\n"
            "            if self.momentum != 0:\n"
            '                buf = state["momentum_buffer"]\n'
            "                if buf is None:\n"
            "                    buf = d_p.copy()\n"
            "                else:\n"
            "                    buf = self.momentum * buf + (1.0 - self.dampening) * d_p\n"
            '                state["momentum_buffer"] = buf\n'
            "                d_p = d_p + self.momentum * buf if self.nesterov else buf\n"
            "            if self.weight_decay != 0:\n"
            "                d_p = d_p + self.weight_decay * p.data\n"
            "            p.data -= self.lr * d_p\n",
        ),
        expect=("weight-decay-after-momentum", "order-changed"),
        phrases=("weight decay", "velocity", "momentum"),
    ),
    fresh(
        "hsae-adagrad-accumulates-lr-scaled-gradient",
        "optimizers.Adagrad",
        "the student forms the step lr_t * g first and accumulates the square of that scaled step "
        "(sum += (lr_t * g)^2, p -= lr_t * g / sqrt(sum)): the learning rate cancels between numerator and "
        "denominator, so lr and lr_decay barely matter; the sum holds squared gradients and lr_t multiplies only the "
        "quotient",
        (
            _ADAGRAD_BODY,
            "        self.t += 1\n"
            "        lr_t = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            grad = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                grad = grad + self.weight_decay * p.data\n"
            "            scaled = lr_t * grad\n"
            '            state["sum"] = state["sum"] + scaled**2\n'
            '            p.data -= scaled / (np.sqrt(state["sum"]) + self.eps)\n',
        ),
        # the last tag added after reading output
        expect=("lr-ignored", "formula-wrong", "decay-on-accumulator", "lr-in-accumulator"),
        phrases=("learning rate", "squared gradient", "accumulat"),
    ),
    fresh(
        "hsae-adagrad-rewrite-sum-zeroed-at-first-step",
        "optimizers.Adagrad",
        "(shared idea, new code) an index-loop rewrite (re)creates the accumulator with np.zeros_like(g) when "
        "self.t == 1, overwriting the initial_accumulator_value the constructor filled in; the sum starts at "
        "initial_accumulator_value",
        (
            _ADAGRAD_BODY,
            "        self.t += 1\n"
            "        for i, p in enumerate(self.params):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            "            if self.t == 1:\n"
            '                self.state[i]["sum"] = np.zeros_like(g)\n'
            '            self.state[i]["sum"] = self.state[i]["sum"] + g**2\n'
            "            lr_t = self.lr / (1 + (self.t - 1) * self.lr_decay)\n"
            '            p.data -= lr_t * g / (np.sqrt(self.state[i]["sum"]) + self.eps)\n',
        ),
        # added after reading output (tag-vocabulary audit): initial-accumulator-ignored
        expect=("hyperparameter-ignored", "state-reset", "initial-accumulator-ignored"),
        phrases=("initial_accumulator_value", "initial accumulator"),
    ),
    fresh(
        "hsae-adagrad-rewrite-denominator-before-accumulating",
        "optimizers.Adagrad",
        "(shared idea, new code) the student computes the denominator sqrt(sum) + eps, takes the step, and only "
        "then adds g^2 to the sum: every step divides by the previous sum (the first by eps alone, a huge step); the "
        "current g^2 is added before dividing",
        (
            _ADAGRAD_BODY,
            "        self.t += 1\n"
            "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            '            denom = np.sqrt(state["sum"]) + self.eps\n'
            "            p.data -= clr * g / denom\n"
            '            state["sum"] = state["sum"] + g * g\n',
        ),
        expect=("accumulator-after-step", "order-changed"),
        phrases=("before", "previous", "order"),
    ),
    fresh(
        "hsae-rmsprop-rewrite-momentum-buffer-as-average",
        "optimizers.RMSprop",
        "(shared idea, new code) a rewrite with locals v, m and scaled writes the momentum buffer as an exponential "
        "average, b <- momentum * b + (1 - momentum) * g / avg (Adam's first moment habit): steps with momentum "
        "shrink by (1 - momentum); RMSprop's buffer adds the whole scaled gradient, b <- momentum * b + g / avg",
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
            "                v = np.maximum(v - m**2, 0.0)\n"
            "            scaled = grad / (np.sqrt(v) + self.eps)\n"
            "            if self.momentum > 0:\n"
            '                buf = self.momentum * state["momentum_buffer"] + (1.0 - self.momentum) * scaled\n'
            '                state["momentum_buffer"] = buf\n'
            "                scaled = buf\n"
            "            p.data -= self.lr * scaled\n",
        ),
        expect=("momentum-as-average", "dampening-on-velocity", "momentum-formula"),
        phrases=("momentum", "1 - momentum", "average"),
    ),
    fresh(
        "hsae-rmsprop-rewrite-centered-variance-from-old-mean",
        "optimizers.RMSprop",
        "(shared idea, new code) a rewrite with locals sq, mean_g and denom computes the centered denominator from "
        "the stored mean before updating it (mean_g is last step's average, zero at the first step) and stores the "
        "new mean afterwards; the mean is updated with the current gradient before v - m^2 is formed",
        (
            _RMSPROP_BODY,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            grad = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                grad = grad + self.weight_decay * p.data\n"
            '            sq = self.alpha * state["square_avg"] + (1.0 - self.alpha) * grad * grad\n'
            "            if self.centered:\n"
            '                mean_g = state["grad_avg"]\n'
            "                denom = np.sqrt(np.maximum(sq - mean_g**2, 0.0)) + self.eps\n"
            '                state["grad_avg"] = self.alpha * mean_g + (1.0 - self.alpha) * grad\n'
            "            else:\n"
            "                denom = np.sqrt(sq) + self.eps\n"
            '            state["square_avg"] = sq\n'
            "            if self.momentum > 0:\n"
            '                buf = self.momentum * state["momentum_buffer"] + grad / denom\n'
            '                state["momentum_buffer"] = buf\n'
            "                p.data -= self.lr * buf\n"
            "            else:\n"
            "                p.data -= self.lr * grad / denom\n",
        ),
        expect=("centered-old-mean", "order-changed"),
        phrases=("centered", "mean", "before"),
    ),
    fresh(
        "hsae-rmsprop-l2-term-added-to-normalised-step",
        "optimizers.RMSprop",
        "(shared idea, new code) the student adds the L2 term to the final step, "
        "p -= lr * (g / avg + weight_decay * p) (or the velocity plus the decay), with the "
        "square average and the quotient built from the raw "
        "gradient: the decay is not divided by the RMS (decoupled, AdamW-style); RMSprop's weight_decay joins the "
        "gradient, g = grad + weight_decay * p, before anything else",
        (
            _RMSPROP_BODY,
            _RMSPROP_BODY.replace(
                "            if self.weight_decay != 0:\n                g = g + self.weight_decay * p.data\n", ""
            )
            .replace(
                '                p.data -= self.lr * state["momentum_buffer"]\n',
                '                p.data -= self.lr * (state["momentum_buffer"] + self.weight_decay * p.data)\n',
            )
            .replace(
                "                p.data -= self.lr * (g / avg)\n",
                "                p.data -= self.lr * (g / avg + self.weight_decay * p.data)\n",
            ),
        ),
        expect=("decoupled-weight-decay", "weight-decay-after-scaling"),
        phrases=("weight decay", "decoupled"),
    ),
    fresh(
        "hsae-adadelta-rewrite-numerator-eps-outside-root",
        "optimizers.Adadelta",
        "(shared idea, new code) a rewrite with the paper's names (E_g2, rms_g, rms_dx, dx) writes the RMS of past "
        "steps as sqrt(E_dx2) + eps instead of sqrt(E_dx2 + eps): with the accumulator at zero the first steps have "
        "size eps * g / RMS(g) instead of sqrt(eps) * g / RMS(g), about a thousand times too small, and training "
        "hardly starts; eps goes under both roots",
        (
            _ADADELTA_BODY,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            grad = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                grad = grad + self.weight_decay * p.data\n"
            '            E_g2 = self.rho * state["square_avg"] + (1.0 - self.rho) * grad**2\n'
            "            rms_g = np.sqrt(E_g2 + self.eps)\n"
            '            rms_dx = np.sqrt(state["acc_delta"]) + self.eps\n'
            "            dx = rms_dx / rms_g * grad\n"
            '            E_dx2 = self.rho * state["acc_delta"] + (1.0 - self.rho) * dx**2\n'
            '            state["square_avg"], state["acc_delta"] = E_g2, E_dx2\n'
            "            p.data -= self.lr * dx\n",
        ),
        expect=("adadelta-eps-outside-sqrt", "eps-outside-sqrt"),
        phrases=("eps", "square root", "sqrt"),
    ),
    fresh(
        "hsae-adadelta-rewrite-rms-from-previous-average",
        "optimizers.Adadelta",
        "(shared idea, new code) a rewrite computes both RMS terms from the stored averages first and updates "
        "E[g^2] only after the step, so the denominator never includes the current gradient (the first step divides "
        "by sqrt(eps)); E[g^2] is updated with g^2 before its root is taken",
        (
            _ADADELTA_BODY,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            '            rms_update = np.sqrt(state["acc_delta"] + self.eps)\n'
            '            rms_grad = np.sqrt(state["square_avg"] + self.eps)\n'
            "            delta = rms_update / rms_grad * g\n"
            '            state["square_avg"] = self.rho * state["square_avg"] + (1.0 - self.rho) * g**2\n'
            '            state["acc_delta"] = self.rho * state["acc_delta"] + (1.0 - self.rho) * delta**2\n'
            "            p.data -= self.lr * delta\n",
        ),
        # added after reading output (tag-vocabulary audit): adadelta-stale-average
        expect=("accumulator-after-step", "adadelta-accumulator-order", "order-changed", "adadelta-stale-average"),
        phrases=("before", "current gradient", "order"),
    ),
    fresh(
        "hsae-adadelta-l2-term-scaled-by-lr",
        "optimizers.Adadelta",
        "(shared idea, new code) the student writes the L2 term as lr * weight_decay * p ('the decay is a step "
        "too'), so with lr != 1 the penalty's gradient is scaled by lr before Adadelta scales it again; the decayed "
        "gradient is grad + weight_decay * p",
        (
            "        rho = self.rho\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n",
            "        rho = self.rho\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.lr * self.weight_decay * p.data\n",
        ),
        expect=("weight-decay-times-lr", "times-lr"),
        phrases=("weight decay", "learning rate", "lr"),
    ),
    fresh(
        "hsae-adam-rewrite-second-correction-with-beta1",
        "optimizers.Adam",
        "(shared idea, new code) a paper-form rewrite (m, v, m_hat, v_hat) corrects both moments with "
        "1 - beta1^t, a copy-paste of the m_hat line: v_hat = v / (1 - beta1^t) is far too small in the first "
        "steps, so the first steps are about sqrt(0.1 / 0.001) ~ 10 times too large; v_hat divides by 1 - beta2^t",
        (
            _ADAM_BODY,
            "        self.t += 1\n"
            "        b1, b2 = self.betas\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = self._decay(p, g)\n"
            '            m = b1 * state["exp_avg"] + (1.0 - b1) * g\n'
            '            v = b2 * state["exp_avg_sq"] + (1.0 - b2) * g**2\n'
            '            state["exp_avg"], state["exp_avg_sq"] = m, v\n'
            "            if self.amsgrad:\n"
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n'
            '                v = state["max_exp_avg_sq"]\n'
            "            m_hat = m / (1.0 - b1**self.t)\n"
            "            v_hat = v / (1.0 - b1**self.t)\n"
            "            p.data -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)\n",
        ),
        expect=("bias-correction-betas-swapped", "copy-paste", "beta1-swapped"),
        phrases=("bias correction", "beta2", "second moment"),
    ),
    fresh(
        "hsae-adam-rewrite-step-count-incremented-per-parameter",
        "optimizers.Adam",
        "(shared idea, new code) a rewrite increments self.t inside the loop over parameters and computes the "
        "corrections there, so with several parameters t counts parameter updates, not calls of step(): the second "
        "parameter's first update already uses t = 2; t is incremented once per step(), before the loop",
        (
            _ADAM_BODY,
            "        beta1, beta2 = self.betas\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            self.t += 1\n"
            "            bc1 = 1.0 - beta1**self.t\n"
            "            bc2 = 1.0 - beta2**self.t\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = self._decay(p, g)\n"
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n'
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n'
            '            v = state["exp_avg_sq"]\n'
            "            if self.amsgrad:\n"
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n'
            '                v = state["max_exp_avg_sq"]\n'
            "            denom = np.sqrt(v) / np.sqrt(bc2) + self.eps\n"
            '            p.data -= self.lr / bc1 * (state["exp_avg"] / denom)\n',
        ),
        expect=("t-counted-per-parameter", "step-count-per-parameter"),
        phrases=("per parameter", "step count", "each parameter"),
    ),
    fresh(
        "hsae-adam-l2-term-halved",
        "optimizers.Adam",
        "(shared idea, new code) Adam's _decay returns g + 0.5 * weight_decay * p: the student differentiates the "
        "penalty (weight_decay / 2) * |p|^2 but keeps the 1/2, so the L2 pull is half as strong; the penalty's "
        "gradient is weight_decay * p",
        (
            "        Adam: the L2 penalty's gradient joins the gradient, ``g + weight_decay * p``.\n"
            '        """\n'
            "        ### BEGIN SOLUTION\n"
            "        return g + self.weight_decay * p.data\n",
            "        Adam: the L2 penalty's gradient joins the gradient, ``g + weight_decay * p``.\n"
            '        """\n'
            "        ### BEGIN SOLUTION\n"
            "        return g + 0.5 * self.weight_decay * p.data\n",
        ),
        expect=("weight-decay-halved", "half"),
        phrases=("weight decay", "half"),
    ),
    fresh(
        "hsae-adam-amsgrad-maximum-kept-but-denominator-from-average",
        "optimizers.Adam",
        "(shared idea, new code) with amsgrad the student stores v_max = max(v_max, v) in the state but builds the "
        "denominator from state['exp_avg_sq'] as before, so the running maximum is tracked and never used (amsgrad "
        "behaves like plain Adam); the denominator uses v_max",
        (
            '            v = state["exp_avg_sq"]\n'
            "            if self.amsgrad:\n"
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n'
            '                v = state["max_exp_avg_sq"]\n'
            "            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps\n",
            "            if self.amsgrad:\n"
            '                v_max = np.maximum(state["max_exp_avg_sq"], state["exp_avg_sq"])\n'
            '                state["max_exp_avg_sq"] = v_max\n'
            '            denom = np.sqrt(state["exp_avg_sq"]) / bias_correction2_sqrt + self.eps\n',
        ),
        expect=("amsgrad-ignored", "result-discarded"),
        phrases=("amsgrad", "maximum"),
    ),
    fresh(
        "hsae-adamw-decay-with-bias-corrected-step-size",
        "optimizers.AdamW",
        "(shared idea, new code) AdamW's _decay shrinks p by 1 - lr / (1 - beta1^t) * weight_decay, reusing Adam's "
        "bias-corrected step size for the decay: the first steps decay about ten times too much; the decoupled decay "
        "factor is 1 - lr * weight_decay, without bias correction",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n",
            "        step_size = self.lr / (1.0 - self.betas[0] ** self.t)\n"
            "        p.data *= 1.0 - step_size * self.weight_decay\n",
        ),
        # added after reading output (tag-vocabulary audit): adamw-decay-with-step-size
        expect=("decay-uses-corrected-lr", "bias-correction-added", "adamw-decay-with-step-size"),
        phrases=("bias correction", "step size", "lr * weight_decay"),
    ),
    fresh(
        "hsae-adamw-decay-as-l2-gradient",
        "optimizers.AdamW",
        "(shared idea, new code) the student writes AdamW's _decay like Adam's, return g + weight_decay * p: the "
        "decay is added to the gradient and then divided by sqrt(v) with the rest, which is Adam with L2, the very "
        "thing AdamW fixes; AdamW shrinks p itself by 1 - lr * weight_decay and leaves the gradient alone",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
            "        l2_grad = self.weight_decay * p.data  # gradient of the decay term\n        return g + l2_grad\n",
        ),
        expect=("adamw-l2-decay", "decoupled-weight-decay"),
        phrases=("decoupled", "l2", "gradient"),
    ),
]

OTHERS = [
    fresh(
        "hsae-fans-loop-receptive-field-on-fan-in-only",
        "init.fan_in_and_fan_out",
        "(shared idea, new code) a loop multiplies the kernel sizes into receptive_field and uses it for fan_in "
        "only, fan_out = shape[0] ('the number of output channels'): for a convolution each input reaches "
        "C_out * kH * kW outputs, so fan_out also carries the receptive field",
        (
            "    receptive_field = math.prod(shape[2:])\n"
            "    fan_in = shape[1] * receptive_field\n"
            "    fan_out = shape[0] * receptive_field\n",
            "    receptive_field = 1\n"
            "    for k in shape[2:]:\n"
            "        receptive_field *= k\n"
            "    fan_in = shape[1] * receptive_field\n"
            "    fan_out = shape[0]\n",
        ),
        # the last tag added after reading output
        expect=("receptive-field-partial", "fan-out-wrong-axis", "receptive-field-ignored"),
        phrases=("receptive field", "fan_out"),
    ),
    fresh(
        "hsae-xavier-uniform-rewrite-std-used-as-bound",
        "init.xavier_uniform",
        "(shared idea, new code) a rewrite maps rng.random to [-1, 1) by 2u - 1 and scales it by "
        "gain * sqrt(2 / (fan_in + fan_out)), the Xavier standard deviation, as if it were the bound: the weights' "
        "std is sqrt(3) times too small; the uniform bound is sqrt(3) * std = gain * sqrt(6 / (fan_in + fan_out))",
        (
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    a = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
            "    weight = (2.0 * rng.random(size=shape) - 1.0) * a\n",
        ),
        expect=("uniform-bound", "std-as-variance"),
        phrases=("sqrt(3)", "bound", "standard deviation"),
    ),
    fresh(
        "hsae-xavier-normal-average-fan-root-forgotten",
        "init.xavier_normal",
        "(shared idea, new code) a rewrite through the average fan, fan_avg = (fan_in + fan_out) / 2, writes "
        "std = gain / fan_avg, forgetting the square root: that is the variance's formula used as the standard "
        "deviation, far too small for any layer wider than a few units; std = gain / sqrt(fan_avg)",
        (
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    fan_avg = (fan_in + fan_out) / 2.0\n"
            "    std = gain / fan_avg\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("sqrt-missing", "variance-as-std"),
        phrases=("square root", "sqrt", "variance"),
    ),
    fresh(
        "hsae-kaiming-uniform-keras-he-bound-times-gain",
        "init.kaiming_uniform",
        "(shared idea, new code) the student remembers Keras' he_uniform bound sqrt(6 / fan) and multiplies it by "
        "the gain as well: sqrt(6) already holds ReLU's factor 2 (sqrt(3) * sqrt(2)), so the bound is sqrt(2) times "
        "too large for ReLU and wrong for every other nonlinearity; bound = sqrt(3) * gain / sqrt(fan)",
        (
            "    std = gain / math.sqrt(fan)\n"
            "    bound = math.sqrt(3.0) * std\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
            "    bound = gain * math.sqrt(6.0 / fan)\n    weight = rng.uniform(-bound, bound, size=shape)\n",
        ),
        # the last tag added after reading output
        expect=("gain-twice", "uniform-bound", "times-two", "formula-constant"),
        phrases=("gain", "sqrt(6", "twice"),
    ),
    fresh(
        "hsae-kaiming-normal-he-std-hard-coded",
        "init.kaiming_normal",
        "(shared idea, new code) a rewrite writes He's formula std = sqrt(2 / fan) directly, never calling "
        "calculate_gain: a and nonlinearity are ignored (a leaky slope, tanh or linear get ReLU's gain); "
        "std = calculate_gain(nonlinearity, a) / sqrt(fan)",
        (
            '    fan = fan_in if mode == "fan_in" else fan_out\n'
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    std = gain / math.sqrt(fan)\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
            '    fan = fan_in if mode == "fan_in" else fan_out\n'
            "    std = math.sqrt(2.0 / fan)\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("nonlinearity-ignored", "a-ignored", "gain-missing"),
        phrases=("gain", "nonlinearity", "slope"),
    ),
    fresh(
        "hsae-minibatches-rewrite-array-split-by-batch-count",
        "training.minibatches",
        "(shared idea, new code) a rewrite counts the batches as ceil(N / batch_size) and cuts with np.array_split, "
        "which spreads the remainder over the batches (N=10, batch_size=4 gives 4, 3, 3 instead of 4, 4, 2): every "
        "batch but the last must hold exactly batch_size samples",
        (
            "    size = len(X) if batch_size is None else batch_size\n"
            "    for start in range(0, len(X), max(size, 1)):\n"
            "        batches.append((X[start : start + size], y[start : start + size]))\n",
            "    if batch_size is None:\n"
            "        batches.append((X, y))\n"
            "    else:\n"
            "        n_batches = int(np.ceil(len(X) / batch_size))\n"
            "        for X_part, y_part in zip(np.array_split(X, n_batches), np.array_split(y, n_batches)):\n"
            "            batches.append((X_part, y_part))\n",
        ),
        expect=("batch-sizes", "uneven-batches", "remainder-batch"),
        phrases=("array_split", "remainder", "batch size"),
    ),
    fresh(
        "hsae-fit-rewrite-zero-grad-once-per-epoch",
        "training.fit",
        "(shared idea, new code) a rewrite calls optimizer.zero_grad() once at the top of every epoch instead of "
        "before every batch: the layers add (+=) their gradients, so each step of the epoch uses the sum of all "
        "earlier batches' gradients; gradients are zeroed before every batch's backward",
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
            "    for epoch in range(epochs):\n"
            "        optimizer.zero_grad()\n"
            "        epoch_loss = 0.0\n"
            "        for xb, yb in minibatches(X, y, batch_size, shuffle, rng):\n"
            "            out = model.forward(xb)\n"
            "            loss = loss_fn.forward(out, yb)\n"
            "            grad_out = loss_fn.backward()\n"
            "            model.backward(grad_out)\n"
            "            optimizer.step()\n"
            "            epoch_loss += float(loss) * len(xb)\n"
            "        history.append(epoch_loss / len(X))\n",
        ),
        # the last tag added after reading output
        expect=("zero-grad", "zero-grad-missing", "call-order"),
        phrases=("zero_grad", "accumulat"),
    ),
    fresh(
        "hsae-fit-rewrite-epoch-loss-mean-of-batch-losses",
        "training.fit",
        "(shared idea, new code) a rewrite collects the batch losses in a list and records np.mean(losses): when the "
        "batch size does not divide N, the small last batch counts as much as a full one; the epoch loss weights "
        "every batch loss by its number of samples",
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
            "    for _ in range(epochs):\n"
            "        losses = []\n"
            "        for batch_X, batch_y in minibatches(X, y, batch_size, shuffle, rng):\n"
            "            optimizer.zero_grad()\n"
            "            predictions = model.forward(batch_X)\n"
            "            losses.append(float(loss_fn.forward(predictions, batch_y)))\n"
            "            model.backward(loss_fn.backward())\n"
            "            optimizer.step()\n"
            "        history.append(float(np.mean(losses)))\n",
        ),
        expect=("unweighted-mean", "batch-size-weight"),
        phrases=("weight", "last batch", "batch size"),
    ),
    fresh(
        "hsae-perceptron-predict-loop-threshold-inclusive",
        "models.Perceptron",
        "(shared idea, new code) predict rewritten as a loop over rows with if score >= 0: predictions[i] = 1.0, so "
        "a score of exactly 0 (every sample before the first update, with zero weights) predicts class 1; the step "
        "is 1 only for score > 0",
        (
            "        scores = X @ self.weight + self.bias\n        predictions = (scores > 0).astype(np.float64)\n",
            "        predictions = np.zeros(len(X))\n"
            "        for i in range(len(X)):\n"
            "            score = np.dot(self.weight, X[i]) + self.bias\n"
            "            if score >= 0:\n"
            "                predictions[i] = 1.0\n",
        ),
        expect=("step-at-zero", "threshold-two-sided"),
        phrases=("zero", "> 0", "threshold"),
    ),
    fresh(
        "hsae-perceptron-update-textbook-rule-with-target",
        "models.Perceptron",
        "update is rewritten with the textbook rule for labels -1/+1, 'on a mistake, "
        "w += lr * y * x and b += lr * y', but the labels here are 0/1: a mistake on a target-0 sample multiplies "
        "the step by 0 and changes nothing, so false positives are never corrected; the step is lr * (target - "
        "prediction) * x",
        (
            "        prediction = 1.0 if float(x @ self.weight + self.bias) > 0 else 0.0\n"
            "        error = float(target) - prediction\n"
            "        self.weight = self.weight + self.lr * error * x\n"
            "        self.bias = self.bias + self.lr * error\n",
            "        score = float(np.dot(self.weight, x)) + self.bias\n"
            "        prediction = 1.0 if score > 0 else 0.0\n"
            "        error = float(target) - prediction\n"
            "        if error != 0.0:\n"
            "            self.weight = self.weight + self.lr * float(target) * x\n"
            "            self.bias = self.bias + self.lr * float(target)\n",
        ),
        expect=("minus-one-labels", "updates-on-correct", "error-sign-flipped"),
        phrases=("0/1", "-1", "target - prediction"),
    ),
    fresh(
        "hsae-perceptron-fit-rewrite-sums-signed-errors",
        "models.Perceptron",
        "(shared idea, new code) a while-loop rewrite of fit adds up the errors update() returns and declares "
        "convergence when the total is 0: a -1 and a +1 mistake in the same epoch cancel, so fit can stop (and "
        "return True) after an epoch with mistakes; count the samples whose error is non-zero",
        (
            "        for _ in range(max_epochs):\n"
            "            mistakes = 0\n"
            "            for x, target in zip(X, y, strict=True):\n"
            "                if self.update(x, target) != 0.0:\n"
            "                    mistakes += 1\n"
            "            if mistakes == 0:\n"
            "                return True\n",
            "        epoch = 0\n"
            "        while epoch < max_epochs:\n"
            "            total_error = 0.0\n"
            "            for i in range(len(X)):\n"
            "                total_error += self.update(X[i], y[i])\n"
            "            if total_error == 0:\n"
            "                return True\n"
            "            epoch += 1\n",
        ),
        expect=("mistakes-cancel", "fit-true-too-early"),
        phrases=("cancel", "mistakes", "sign"),
    ),
    fresh(
        "hsae-sequential-backward-index-loop-not-chained",
        "models.Sequential",
        "(shared idea, new code) an index loop from the last layer down writes grad = self.layers[i].backward(grad_y), "
        "feeding every layer the container's upstream gradient instead of the gradient the layer above returned; "
        "the result must be chained: grad = layer.backward(grad)",
        (
            "        for layer in reversed(self.layers):\n            grad_y = layer.backward(grad_y)\n",
            "        grad = grad_y\n"
            "        for i in range(len(self.layers) - 1, -1, -1):\n"
            "            grad = self.layers[i].backward(grad_y)\n"
            "        grad_y = grad\n",
        ),
        expect=("backward-not-chained", "ignores-upstream-gradient"),
        phrases=("chain", "previous layer", "upstream"),
    ),
    fresh(
        "hsae-sequential-forward-outputs-list-from-input",
        "models.Sequential",
        "(shared idea, new code) forward keeps a list of activations for debugging, outputs.append(layer.forward(x)), "
        "but passes the network input x to every layer instead of the last activation outputs[-1]: the result is "
        "the last layer applied to the input; each layer's input is the previous layer's output",
        (
            "        for layer in self.layers:\n            x = layer.forward(x)\n",
            "        outputs = [x]\n"
            "        for layer in self.layers:\n"
            "            outputs.append(layer.forward(x))\n"
            "        x = outputs[-1]\n",
        ),
        expect=("forward-not-chained", "layer-skipped"),
        phrases=("previous layer", "chain", "output"),
    ),
    fresh(
        "hsae-numgrad-nditer-forward-difference",
        "gradcheck.numerical_gradient",
        "(shared idea, new code) the CS231n-style loop with np.nditer(multi_index) evaluates f(x) once and takes the "
        "one-sided difference (f(x + h) - f(x)) / h: its error is O(h), not O(h^2), so even a correct backward "
        "shows relative errors around 1e-6 to 1e-4; use the central difference (f(x + h) - f(x - h)) / 2h",
        (
            "    for index in np.ndindex(x.shape):\n"
            "        original = x[index]\n"
            "        x[index] = original + h\n"
            "        f_plus = float(f(x))\n"
            "        x[index] = original - h\n"
            "        f_minus = float(f(x))\n"
            "        x[index] = original  # restore exactly: no accumulated round-off\n"
            "        grad[index] = (f_plus - f_minus) / (2 * h)\n",
            "    fx = float(f(x))\n"
            '    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])\n'
            "    while not it.finished:\n"
            "        ix = it.multi_index\n"
            "        old_value = x[ix]\n"
            "        x[ix] = old_value + h\n"
            "        fxh = float(f(x))\n"
            "        x[ix] = old_value\n"
            "        grad[ix] = (fxh - fx) / h\n"
            "        it.iternext()\n",
        ),
        expect=("forward-difference", "gradcheck-formula"),
        phrases=("central", "one-sided", "forward difference"),
    ),
    fresh(
        "hsae-numgrad-probes-float-copy",
        "gradcheck.numerical_gradient",
        "(shared idea, new code) the student starts with x_work = x.astype(np.float64) 'to be safe' and perturbs "
        "that copy: astype always copies, so a function that reads the original array (a closure over a layer's "
        "weight, the usual use) never sees the probes and every entry of the gradient comes out 0; the probes must "
        "change x itself, in place",
        (
            "    for index in np.ndindex(x.shape):\n"
            "        original = x[index]\n"
            "        x[index] = original + h\n"
            "        f_plus = float(f(x))\n"
            "        x[index] = original - h\n"
            "        f_minus = float(f(x))\n"
            "        x[index] = original  # restore exactly: no accumulated round-off\n",
            "    x_work = x.astype(np.float64)\n"
            "    for index in np.ndindex(x.shape):\n"
            "        original = x_work[index]\n"
            "        x_work[index] = original + h\n"
            "        f_plus = float(f(x_work))\n"
            "        x_work[index] = original - h\n"
            "        f_minus = float(f(x_work))\n"
            "        x_work[index] = original\n",
        ),
        expect=("perturbs-copy", "copy-not-view"),
        phrases=("copy", "in place"),
    ),
    fresh(
        "hsae-relerr-cs231n-norm-ratio",
        "gradcheck.relative_error",
        "(shared idea, new code) the student writes the relative error of whole vectors, "
        "|a - b|_2 / max(1e-8, |a|_2 + |b|_2), as in the CS231n notes' summary formula: one bad entry among many "
        "large correct ones is averaged away; the contract is the largest entry-wise ratio "
        "|a - b| / max(1e-8, |a| + |b|)",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n    return float(np.max(ratio))\n",
            "    return float(np.linalg.norm(a - b) / max(1e-8, np.linalg.norm(a) + np.linalg.norm(b)))\n",
        ),
        expect=("norm-not-entrywise", "l2-norm-for-sum"),
        phrases=("entry", "norm", "element"),
    ),
]

_ES_BODY = (
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
    "        load_state(model, best_state)\n"
)

EARLY_STOPPING = [
    fresh(
        "hsae-early-stopping-rewrite-min-delta-sign",
        "early_stopping.fit_early_stopping",
        "(shared idea, new code) a rewrite with bad_epochs tests improvement as val_loss - best_loss < min_delta: "
        "with min_delta > 0 a small rise (less than min_delta) also counts as an improvement, resets patience and "
        "becomes the best; an improvement is a decrease by more than min_delta, val_loss < best_loss - min_delta",
        (
            _ES_BODY,
            "    best_loss = np.inf\n"
            "    best_state = None\n"
            "    bad_epochs = 0\n"
            "    for epoch in range(1, max_epochs + 1):\n"
            "        train_loss = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)[0]\n"
            "        history.train_losses.append(train_loss)\n"
            "        val_loss = evaluate_loss(model, loss_fn, X_val, y_val)\n"
            "        history.val_losses.append(val_loss)\n"
            "        if val_loss - best_loss < min_delta:\n"
            "            best_loss = val_loss\n"
            "            history.best_epoch = epoch\n"
            "            bad_epochs = 0\n"
            "            if restore_best:\n"
            "                best_state = copy_state(model)\n"
            "            continue\n"
            "        bad_epochs += 1\n"
            "        if bad_epochs >= patience:\n"
            "            history.stopped_epoch = epoch\n"
            "            break\n"
            "    if restore_best and best_state is not None:\n"
            "        load_state(model, best_state)\n",
        ),
        expect=("min-delta-sign",),
        phrases=("min_delta", "improvement"),
    ),
    fresh(
        "hsae-early-stopping-saves-live-parameter-arrays",
        "early_stopping.fit_early_stopping",
        "(shared idea, new code) the student saves the best weights as best_weights = [p.data for p in "
        "model.parameters()] and puts them back with p.data = w: these are the live arrays, which the optimizers "
        "update in place (p.data -= ...), so the 'best' weights follow training and the last weights are kept "
        "(BatchNorm's running statistics are not saved either); save copies (copy_state) and load them back",
        (
            _ES_BODY,
            _ES_BODY.replace(
                "                best_state = copy_state(model)\n",
                "                best_state = [p.data for p in model.parameters()]\n",
            ).replace(
                "        load_state(model, best_state)\n",
                "        for p, w in zip(model.parameters(), best_state, strict=True):\n            p.data = w\n",
            ),
        ),
        expect=("saved-state-stale", "copy-not-view", "restores-last"),
        phrases=("copy", "in place", "best weights"),
    ),
    fresh(
        "hsae-early-stopping-patience-from-best-epoch-strict",
        "early_stopping.fit_early_stopping",
        "(shared idea, new code) a rewrite without a counter stops when epoch - history.best_epoch > patience: that "
        "waits patience + 1 epochs without improvement, one epoch too many; training stops once patience epochs in "
        "a row have not improved (epoch - best_epoch >= patience)",
        (
            _ES_BODY,
            '    best_loss = float("inf")\n'
            "    best_state = None\n"
            "    for epoch in range(1, max_epochs + 1):\n"
            "        (train_loss,) = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)\n"
            "        val_loss = evaluate_loss(model, loss_fn, X_val, y_val)\n"
            "        history.train_losses.append(train_loss)\n"
            "        history.val_losses.append(val_loss)\n"
            "        if val_loss < best_loss - min_delta:\n"
            "            best_loss = val_loss\n"
            "            history.best_epoch = epoch\n"
            "            if restore_best:\n"
            "                best_state = copy_state(model)\n"
            "        elif epoch - history.best_epoch > patience:\n"
            "            history.stopped_epoch = epoch\n"
            "            break\n"
            "    if restore_best and best_state is not None:\n"
            "        load_state(model, best_state)\n",
        ),
        expect=("patience-off-by-one", "loop-off-by-one"),
        phrases=("patience", "one epoch"),
    ),
]

FRESH_AE2: list[Mutant] = [*OPTIMIZERS, *OTHERS, *EARLY_STOPPING]
