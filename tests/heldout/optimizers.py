"""Held-apart optimizer bugs: square roots and eps, bias corrections with the wrong t, what
dampening and weight decay apply to, state that is read but not kept."""

from __future__ import annotations

from ._edits import bug

_SQRT_PHRASES = ("square root", "sqrt")
_EPS_PHRASES = ("inside the square root", "outside the square root", "sqrt(v + eps)", "sqrt(u + eps)")

HELDOUT = [
    bug(
        "ho-sgd-weight-decay-subtracted",
        "optimizers.SGD",
        "weight decay enters the gradient as g - weight_decay * p: the penalty pushes weights away from zero",
        (
            "                g = g + self.weight_decay * p.data\n            if self.momentum != 0:\n",
            "                g = g - self.weight_decay * p.data\n            if self.momentum != 0:\n",
        ),
        # added after reading output (tag-vocabulary audit): weight-decay-wrong-sign
        expect=("weight-decay-wrong-sign",),
        phrases=(
            "+ weight_decay * p",
            "away from zero",
            "towards zero",
            "toward zero",
            "weight decay with the wrong sign",
        ),
    ),
    bug(
        "ho-sgd-dampening-on-whole-velocity",
        "optimizers.SGD",
        "dampening scales the whole new velocity, (1 - dampening)(momentum * b + g), not only the new gradient",
        (
            "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n",
            "                    buf = (1.0 - self.dampening) * (self.momentum * buf + g)\n",
        ),
        expect=("dampening-on-velocity",),
        phrases=("(1 - dampening) * g", "only the new gradient", "scales the new gradient", "dampening applies to"),
    ),
    bug(
        "ho-sgd-nesterov-without-gradient",
        "optimizers.SGD",
        "Nesterov's step is b + momentum * b: the look-ahead adds momentum * b to the velocity instead of to g",
        (
            "                g = g + self.momentum * buf if self.nesterov else buf\n",
            "                g = buf + self.momentum * buf if self.nesterov else buf\n",
        ),
        expect=("nesterov-wrong-operand",),
        phrases=("g + momentum * b", "g + momentum*b", "to the gradient", "instead of the gradient"),
    ),
    bug(
        "ho-adagrad-lr-decay-exponential",
        "optimizers.Adagrad",
        "the decayed learning rate is lr * (1 - lr_decay)^(t - 1), an exponential decay, not "
        "lr / (1 + (t - 1) lr_decay)",
        (
            "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n",
            "        clr = self.lr * (1.0 - self.lr_decay) ** (self.t - 1)\n",
        ),
        expect=("lr-decay-compounded",),
        phrases=("(t - 1) * lr_decay", "exponential", "compound"),
    ),
    bug(
        "ho-adagrad-decay-outside-scaling",
        "optimizers.Adagrad",
        "weight decay is added to the step after the adaptive scaling (decoupled), so it neither enters the "
        "sum of squares nor is divided by its root",
        (
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            '            state["sum"] = state["sum"] + g * g\n'
            '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
            '            state["sum"] = state["sum"] + g * g\n'
            '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps) + self.weight_decay * p.data)\n',
        ),
        expect=("weight-decay-after-scaling",),
        phrases=("decoupled", "added to the gradient", "joins the gradient", "L2 term", "sum of squares"),
    ),
    bug(
        "ho-rmsprop-divides-by-average-without-sqrt",
        "optimizers.RMSprop",
        "the plain variant divides by the mean square itself, not by its root (the RMS)",
        (
            '                avg = np.sqrt(state["square_avg"]) + self.eps\n',
            '                avg = state["square_avg"] + self.eps\n',
        ),
        expect=("sqrt-missing",),
        phrases=(*_SQRT_PHRASES, "root mean square"),
    ),
    bug(
        "ho-rmsprop-centered-adds-mean-square",
        "optimizers.RMSprop",
        "the centered variant divides by sqrt(v + m^2): the squared mean is added instead of subtracted",
        (
            '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n',
            '                variance = state["square_avg"] + state["grad_avg"] ** 2\n',
        ),
        # added after reading output (tag-vocabulary audit): centered-wrong-sign
        expect=("centered-wrong-sign",),
        phrases=("v - m^2", "v - m²", "minus the squared mean", "subtract the squared mean", "instead of subtracted"),
    ),
    bug(
        "ho-adadelta-accumulates-gradients-not-steps",
        "optimizers.Adadelta",
        "acc_delta averages the squared gradients g^2 instead of the squared steps delta^2",
        (
            '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * delta * delta\n',
            '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * g * g\n',
        ),
        # added after reading output (tag-vocabulary audit): adadelta-accumulates-gradient
        expect=("adadelta-accumulates-gradient",),
        phrases=("delta^2", "delta²", "squared steps", "squared updates", "past steps", "past updates"),
    ),
    bug(
        "ho-adadelta-eps-outside-both-roots",
        "optimizers.Adadelta",
        "both RMS terms are sqrt(.) + eps: eps outside the square roots",
        (
            '            std = np.sqrt(state["square_avg"] + self.eps)\n'
            '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n',
            '            std = np.sqrt(state["square_avg"]) + self.eps\n'
            '            delta = (np.sqrt(state["acc_delta"]) + self.eps) / std * g\n',
        ),
        expect=("adadelta-eps-outside-sqrt",),
        phrases=_EPS_PHRASES,
    ),
    bug(
        "ho-adam-corrected-average-written-back",
        "optimizers.Adam",
        "the bias-corrected m_hat = m / (1 - beta1^t) is stored back in exp_avg, so the next step averages "
        "corrected values and corrects them again",
        (
            '            p.data -= step_size * (state["exp_avg"] / denom)\n',
            '            state["exp_avg"] = state["exp_avg"] / bias_correction1\n'
            '            p.data -= self.lr * (state["exp_avg"] / denom)\n',
        ),
        # added after reading output (tag-vocabulary audit): corrected-moment-stored
        expect=("corrected-moment-stored",),
        phrases=("m_hat", "written back", "stored back", "corrected average", "uncorrected"),
    ),
    bug(
        "ho-adam-second-correction-not-rooted",
        "optimizers.Adam",
        "the denominator divides sqrt(v) by 1 - beta2^t instead of by its square root",
        (
            "        bias_correction2_sqrt = bias_correction2**0.5\n",
            "        bias_correction2_sqrt = bias_correction2\n",
        ),
        expect=("bias-correction-sqrt",),
        phrases=(
            "sqrt(1 - beta2^t)",
            "square root of 1 - beta2",
            "sqrt of the bias correction",
            "square root of the bias",
        ),
    ),
    bug(
        "ho-adam-amsgrad-maximum-not-stored",
        "optimizers.Adam",
        "amsgrad takes max(v_max, v) for the step but never stores it: v_max stays 0, so it is plain Adam",
        (
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n'
            '                v = state["max_exp_avg_sq"]\n',
            '                v = np.maximum(state["max_exp_avg_sq"], v)\n',
        ),
        expect=("amsgrad-ignored",),
        phrases=("running maximum", "never stored", "not stored", "max_exp_avg_sq"),
    ),
    bug(
        "ho-adamw-decays-the-gradient",
        "optimizers.AdamW",
        "the decay factor 1 - lr * weight_decay multiplies the gradient instead of the weights",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
            "        return g * (1.0 - self.lr * self.weight_decay)\n",
        ),
        expect=("adamw-decays-gradient",),
        phrases=("p itself", "the weights themselves", "parameter itself", "shrink p", "decay p"),
    ),
]
