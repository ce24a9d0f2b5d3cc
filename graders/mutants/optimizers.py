"""Mutants of the reference optimizers: realistic student bugs (see __init__).

Grouped by the class of mistake: the direction of a step, momentum's bookkeeping (sign,
first step, Nesterov), where weight decay enters, eps inside the square root, a missing
bias correction, a step count kept wrongly, state not kept between steps, a forgotten
hyper-parameter, the gradient modified in place.

AdamW inherits Adam's ``step``; a mutant of that step gives AdamW a correct copy of its
own, so the bug stays in Adam (the student who wrote the two separately).
"""

import dataclasses

from . import Mutant, reference_folder
from .activations import span


def _adam_step() -> str:
    """The reference Adam.step method, as text (for AdamW's own correct copy)."""
    text = (reference_folder() / "optimizers.py").read_text(encoding="utf-8")
    body = text.index("        beta1, beta2 = self.betas\n")
    start = text.rindex("    def step(self) -> None:\n", 0, body)
    end = text.index("        ### END SOLUTION\n", body) + len("        ### END SOLUTION\n")
    return text[start:end]


_ADAMW_DECAY = "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n        ### END SOLUTION\n"
# The last edit of every Adam.step mutant: AdamW gets the correct step of its own.
_ADAMW_OWN_STEP = (_ADAMW_DECAY, _ADAMW_DECAY + "\n" + _adam_step())
_SGD_DECAY = (
    "            if self.weight_decay != 0:\n"
    "                g = g + self.weight_decay * p.data\n"
    "            if self.momentum != 0:\n"
)


def _adam(mutant_id: str, description: str, expect: tuple[str, ...], *edits: tuple[str, str]) -> Mutant:
    old, new = span("optimizers", *edits, _ADAMW_OWN_STEP)
    return Mutant(mutant_id, "optimizers.Adam", description, old, new, expect)


MUTANTS: list[Mutant] = [
    # ------------------------------------------------------------------ SGD
    Mutant(
        "sgd-ascent",
        "optimizers.SGD",
        "p += lr * g: the step climbs the gradient",
        "            p.data -= self.lr * g\n",
        "            p.data += self.lr * g\n",
        ("sign-flipped", "ascent"),
    ),
    Mutant(
        "sgd-momentum-wrong-sign",
        "optimizers.SGD",
        "the old velocity is subtracted instead of added",
        "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n",
        "                    buf = (1.0 - self.dampening) * g - self.momentum * buf\n",
        ("momentum-wrong-sign",),
    ),
    Mutant(
        "sgd-dampening-first-step",
        "optimizers.SGD",
        "the first velocity is dampened too: b = (1 - dampening) g",
        "                    buf = g.copy()  # the first step starts the velocity at the gradient\n",
        "                    buf = (1.0 - self.dampening) * g\n",
        ("dampening-on-first-step",),
    ),
    Mutant(
        "sgd-nesterov-ignored",
        "optimizers.SGD",
        "nesterov=True steps along the velocity like plain momentum",
        "                g = g + self.momentum * buf if self.nesterov else buf\n",
        "                g = buf\n",
        ("nesterov-ignored",),
    ),
    Mutant(
        "sgd-weight-decay-after-momentum",
        "optimizers.SGD",
        "weight decay is added to the step after the momentum update",
        *span(
            "optimizers",
            (_SGD_DECAY, "            if self.momentum != 0:\n"),
            (
                "            p.data -= self.lr * g\n",
                "            p.data -= self.lr * (g + self.weight_decay * p.data)\n",
            ),
        ),
        ("weight-decay-after-momentum",),
    ),
    Mutant(
        "sgd-state-not-kept",
        "optimizers.SGD",
        "the velocity is never stored, so every step starts it afresh",
        '                state["momentum_buffer"] = buf\n',
        "",
        ("state-reset",),
    ),
    Mutant(
        "sgd-modifies-grad",
        "optimizers.SGD",
        "weight decay is added into p.grad itself (g += ...)",
        _SGD_DECAY,
        _SGD_DECAY.replace("g = g + self", "g += self"),
        ("modifies-grad",),
    ),
    # ------------------------------------------------------------------ Adagrad
    Mutant(
        "adagrad-lr-decay-off-by-one",
        "optimizers.Adagrad",
        "the decay counts from t instead of t - 1",
        "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n",
        "        clr = self.lr / (1.0 + self.t * self.lr_decay)\n",
        ("lr-decay-off-by-one",),
    ),
    Mutant(
        "adagrad-eps-inside-sqrt",
        "optimizers.Adagrad",
        "eps added inside the square root",
        '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
        '            p.data -= clr * (g / np.sqrt(state["sum"] + self.eps))\n',
        ("eps-inside-sqrt",),
    ),
    Mutant(
        "adagrad-sum-not-accumulated",
        "optimizers.Adagrad",
        "the sum of squared gradients holds only the latest one",
        '            state["sum"] = state["sum"] + g * g\n',
        '            state["sum"] = g * g\n',
        ("state-reset",),
    ),
    # ------------------------------------------------------------------ RMSprop
    Mutant(
        "rmsprop-centered-ignored",
        "optimizers.RMSprop",
        "centered=True divides by sqrt(v) without subtracting the squared mean",
        '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n',
        '                variance = state["square_avg"]\n',
        ("centered-ignored",),
    ),
    Mutant(
        "rmsprop-alpha-swapped",
        "optimizers.RMSprop",
        "v = (1 - alpha) v + alpha g^2",
        '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n',
        '            state["square_avg"] = (1.0 - a) * state["square_avg"] + a * g * g\n',
        ("alpha-swapped",),
    ),
    Mutant(
        "rmsprop-eps-inside-sqrt",
        "optimizers.RMSprop",
        "eps added inside the square root",
        '                avg = np.sqrt(state["square_avg"]) + self.eps\n',
        '                avg = np.sqrt(state["square_avg"] + self.eps)\n',
        ("eps-inside-sqrt",),
    ),
    # ------------------------------------------------------------------ Adadelta
    Mutant(
        "adadelta-lr-ignored",
        "optimizers.Adadelta",
        "the step is delta itself; lr is never used",
        "            p.data -= self.lr * delta\n",
        "            p.data -= delta\n",
        ("adadelta-lr-ignored",),
    ),
    Mutant(
        "adadelta-no-eps-in-numerator",
        "optimizers.Adadelta",
        "sqrt(acc_delta) without eps: acc_delta starts at 0, so nothing ever moves",
        '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n',
        '            delta = np.sqrt(state["acc_delta"]) / std * g\n',
        ("adadelta-eps-numerator-missing", "all-zero", "does-not-converge"),
    ),
    # ------------------------------------------------------------------ Adam
    _adam(
        "adam-no-bias-correction",
        "Adam without bias correction",
        ("adam-no-bias-correction",),
        (
            "        step_size = self.lr / bias_correction1\n        bias_correction2_sqrt = bias_correction2**0.5\n",
            "        step_size = self.lr\n        bias_correction2_sqrt = 1.0\n",
        ),
    ),
    _adam(
        "adam-eps-inside-sqrt",
        "eps added inside the square root",
        ("eps-inside-sqrt",),
        (
            "            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps\n",
            "            denom = np.sqrt(v / bias_correction2 + self.eps)\n",
        ),
    ),
    _adam(
        "adam-t-per-parameter",
        "the step count t is incremented inside the loop over parameters",
        ("t-counted-per-parameter",),
        (
            "        beta1, beta2 = self.betas\n        self.t += 1\n"
            "        bias_correction1 = 1.0 - beta1**self.t\n"
            "        bias_correction2 = 1.0 - beta2**self.t\n"
            "        step_size = self.lr / bias_correction1\n"
            "        bias_correction2_sqrt = bias_correction2**0.5\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n",
            "        beta1, beta2 = self.betas\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            self.t += 1\n"
            "            bias_correction1 = 1.0 - beta1**self.t\n"
            "            bias_correction2 = 1.0 - beta2**self.t\n"
            "            step_size = self.lr / bias_correction1\n"
            "            bias_correction2_sqrt = bias_correction2**0.5\n",
        ),
    ),
    Mutant(
        "adam-decoupled-decay",
        "optimizers.Adam",
        "Adam decays the weights directly (AdamW's rule) instead of adding L2 to the gradient",
        "        return g + self.weight_decay * p.data\n",
        "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
        ("adam-decoupled-decay",),
    ),
    # ------------------------------------------------------------------ AdamW
    Mutant(
        "adamw-l2-decay",
        "optimizers.AdamW",
        "AdamW adds weight_decay * p to the gradient (L2) instead of decaying p",
        "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
        "        return g + self.weight_decay * p.data\n",
        ("adamw-l2-decay",),
    ),
    Mutant(
        "adamw-decay-without-lr",
        "optimizers.AdamW",
        "p *= 1 - weight_decay, without the learning rate",
        "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
        "        p.data *= 1.0 - self.weight_decay\n        return g\n",
        ("adamw-decay-without-lr",),
    ),
]

# Found by red-teaming: hyper-parameter combinations, all-zero gradients, and the fit loop
# (zero_grad() before every step, p.grad possibly a new array each time).
_SGD_LOOP = "        for p, state in zip(self.params, self.state, strict=True):\n            g = _grad(p)\n"
_ADAM_LOOP = _SGD_LOOP + "            if self.weight_decay != 0:\n                g = self._decay(p, g)\n"
_SKIP_ZERO = "            if not np.any(p.grad):\n                continue  # nothing to learn here?\n"


def _own_method(cls_next: str, method: str) -> tuple[str, str]:
    """An edit adding ``method`` at the end of the class just before ``class cls_next``."""
    anchor = f"        ### END SOLUTION\n\n\nclass {cls_next}("
    return anchor, f"        ### END SOLUTION\n\n{method}\n\nclass {cls_next}("


MUTANTS += [
    Mutant(
        "sgd-weight-decay-only-with-momentum",
        "optimizers.SGD",
        "weight decay sits inside the momentum branch, so plain SGD ignores it",
        _SGD_DECAY,
        "            if self.momentum != 0:\n                if self.weight_decay != 0:\n"
        "                    g = g + self.weight_decay * p.data\n",
        ("weight-decay-ignored",),
    ),
    Mutant(
        "sgd-dampening-without-momentum",
        "optimizers.SGD",
        "the velocity is kept even with momentum = 0, so dampening scales every later step",
        '            if self.momentum != 0:\n                buf = state["momentum_buffer"]\n',
        '            if True:  # momentum 0 just gives b = g\n                buf = state["momentum_buffer"]\n',
        ("dampening-without-momentum",),
    ),
    Mutant(
        "sgd-nesterov-raw-gradient",
        "optimizers.SGD",
        "the Nesterov look-ahead adds momentum * b to the gradient without weight decay",
        "                g = g + self.momentum * buf if self.nesterov else buf\n",
        "                g = _grad(p) + self.momentum * buf if self.nesterov else buf\n",
        ("nesterov-without-decay",),
    ),
    Mutant(
        "sgd-skips-zero-gradient",
        "optimizers.SGD",
        "a parameter whose gradient is all zero is skipped (momentum stops carrying it)",
        _SGD_LOOP + _SGD_DECAY,
        _SGD_LOOP.replace("            g = _grad(p)\n", _SKIP_ZERO + "            g = _grad(p)\n") + _SGD_DECAY,
        ("zero-gradient-skipped",),
    ),
    Mutant(
        "sgd-first-step-by-zero-velocity",
        "optimizers.SGD",
        "the velocity starts as zeros and 'no velocity yet' is tested by its being all zero",
        '                buf = state["momentum_buffer"]\n                if buf is None:\n',
        '                buf = state["momentum_buffer"]\n                if buf is None:\n'
        "                    buf = np.zeros_like(g)\n                if not buf.any():\n",
        ("zero-velocity-restarted",),
    ),
    Mutant(
        "sgd-keeps-gradient-arrays",
        "optimizers.SGD",
        "step() keeps the p.grad arrays of its first call and reads those ever after",
        _SGD_LOOP + _SGD_DECAY,
        '        if not hasattr(self, "_grads"):\n            self._grads = [p.grad for p in self.params]\n'
        "        for p, state, grad in zip(self.params, self.state, self._grads, strict=True):\n"
        "            g = np.asarray(grad, dtype=np.float64)\n" + _SGD_DECAY,
        ("grad-references-kept",),
    ),
    Mutant(
        "sgd-zero-grad-resets-velocity",
        "optimizers.SGD",
        "zero_grad() also throws the velocity away",
        *_own_method(
            "Adagrad",
            "    def zero_grad(self) -> None:\n        super().zero_grad()\n"
            '        for state in self.state:\n            state["momentum_buffer"] = None\n',
        ),
        ("state-reset",),
    ),
    Mutant(
        "adagrad-zero-grad-multiplies",
        "optimizers.Adagrad",
        "zero_grad() multiplies the gradients by 0, which keeps nan and inf",
        *_own_method(
            "RMSprop", "    def zero_grad(self) -> None:\n        for p in self.params:\n            p.grad *= 0\n"
        ),
        ("zero-grad",),
    ),
    Mutant(
        "adagrad-eps-hard-coded",
        "optimizers.Adagrad",
        "eps written as its default value instead of self.eps",
        '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
        '            p.data -= clr * (g / (np.sqrt(state["sum"]) + 1e-10))\n',
        ("eps-default",),
    ),
    Mutant(
        "rmsprop-centered-ignored-with-momentum",
        "optimizers.RMSprop",
        "`if momentum: ... elif centered: ...`: with momentum the centered variant is lost",
        "            if self.centered:\n",
        "            if self.centered and not self.momentum > 0:\n",
        ("centered-ignored",),
    ),
    Mutant(
        "rmsprop-centered-mean-raw-gradient",
        "optimizers.RMSprop",
        "the running mean of the centered variant averages the gradient without weight decay",
        '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n',
        '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * _grad(p)\n',
        ("centered-mean-without-decay",),
    ),
    Mutant(
        "rmsprop-zero-grad-float32",
        "optimizers.RMSprop",
        "zero_grad() makes float32 gradients",
        *_own_method(
            "Adadelta",
            "    def zero_grad(self) -> None:\n        for p in self.params:\n"
            "            p.grad = np.zeros(p.data.shape, dtype=np.float32)\n",
        ),
        ("zero-grad",),
    ),
    Mutant(
        "adadelta-eps-hard-coded",
        "optimizers.Adadelta",
        "eps written as its default value instead of self.eps",
        '            std = np.sqrt(state["square_avg"] + self.eps)\n'
        '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n',
        '            std = np.sqrt(state["square_avg"] + 1e-6)\n'
        '            delta = np.sqrt(state["acc_delta"] + 1e-6) / std * g\n',
        ("eps-default",),
    ),
    _adam(
        "adam-eps-hard-coded",
        "eps written as its default value instead of self.eps",
        ("eps-default",),
        (
            "            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps\n",
            "            denom = np.sqrt(v) / bias_correction2_sqrt + 1e-8\n",
        ),
    ),
    _adam(
        "adam-skips-zero-gradient",
        "a parameter whose gradient is all zero is skipped (its moments stop decaying)",
        ("zero-gradient-skipped",),
        (_ADAM_LOOP, _ADAM_LOOP.replace("            g = _grad(p)\n", _SKIP_ZERO + "            g = _grad(p)\n")),
    ),
    Mutant(
        "adamw-zero-grad-resets-step-count",
        "optimizers.AdamW",
        "zero_grad() also resets the step count",
        _ADAMW_DECAY,
        _ADAMW_DECAY + "\n    def zero_grad(self) -> None:\n        super().zero_grad()\n        self.t = 0\n",
        ("step-count-not-kept", "state-reset"),
        # no trajectory tells it from corrections cached at the first step: the feedback names both, this one in prose
        ("step count t stayed at 1",),
    ),
]

# Red team, round 3 (the release's self-checker): each also fails the checker on its own component.
MUTANTS += [
    Mutant(
        "adagrad-lr-decay-ignored",
        "optimizers.Adagrad",
        "lr_decay is ignored: every step uses lr",
        "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)",
        "        clr = self.lr",
        ("lr-decay-ignored",),
    ),
    Mutant(
        "rmsprop-momentum-divides-after",
        "optimizers.RMSprop",
        "momentum accumulates the raw gradient and divides by the average only at the update",
        '                state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + g / avg\n'
        '                p.data -= self.lr * state["momentum_buffer"]',
        '                state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + g\n'
        '                p.data -= self.lr * state["momentum_buffer"] / avg',
        ("momentum-before-scaling",),
    ),
    Mutant(
        "adadelta-rho-swapped",
        "optimizers.Adadelta",
        "the square average keeps 1 - rho of the past and rho of the new g^2",
        '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g',
        '            state["square_avg"] = (1.0 - rho) * state["square_avg"] + rho * g * g',
        ("rho-swapped", "does-not-converge"),
    ),
]

MUTANTS += [
    Mutant(
        "sgd-nesterov-old-buffer",
        "optimizers.SGD",
        "Nesterov's look-ahead uses the velocity from before this step's update (zero at the first step)",
        *span(
            "optimizers",
            (
                '                buf = state["momentum_buffer"]\n',
                '                buf = state["momentum_buffer"]\n'
                "                old = np.zeros_like(g) if buf is None else buf\n",
            ),
            (
                "                g = g + self.momentum * buf if self.nesterov else buf",
                "                g = g + self.momentum * old if self.nesterov else buf",
            ),
        ),
        ("nesterov-ignored", "nesterov-old-buffer"),
    ),
    _adam(
        "adam-t-incremented-after",
        "the step count grows after the bias corrections: the first step divides by 1 - beta^0 = 0",
        ("bias-correction-t-zero", "exception"),
        (
            "        self.t += 1\n        bias_correction1 = 1.0 - beta1**self.t\n"
            "        bias_correction2 = 1.0 - beta2**self.t\n",
            "        bias_correction1 = 1.0 - beta1**self.t\n        bias_correction2 = 1.0 - beta2**self.t\n"
            "        self.t += 1\n",
        ),
    ),
    _adam(
        "adam-eps-scaled-by-correction",
        "denom = (sqrt(v) + eps) / sqrt(1 - beta2^t): eps is scaled by the bias correction too",
        ("adam-eps-hat",),
        (
            "            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps",
            "            denom = (np.sqrt(v) + self.eps) / bias_correction2_sqrt",
        ),
    ),
]

# Issue 11: mistakes that were caught but not named, and the classic optimizer mistakes of course
# notes and student code (CS231n, 11-785): where t, eps, beta and weight decay go wrong.
_ADAMW_STEP = (
    _ADAMW_DECAY,
    _ADAMW_DECAY + "\n    def step(self) -> None:\n        for p in self.params:\n"
    "            p.data *= 1.0 - self.lr * self.weight_decay  # decoupled decay first\n"
    "        super().step()\n",
)
MUTANTS += [
    Mutant(
        "adagrad-accumulates-raw-gradient",
        "optimizers.Adagrad",
        "the sum of squares accumulates p.grad ** 2, without the weight decay term the step uses",
        '            state["sum"] = state["sum"] + g * g\n',
        '            state["sum"] = state["sum"] + _grad(p) ** 2\n',
        ("squares-without-decay",),
    ),
    Mutant(
        "adagrad-sqrt-missing",
        "optimizers.Adagrad",
        "the step divides by the sum of squares itself, not by its square root",
        '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
        '            p.data -= clr * (g / (state["sum"] + self.eps))\n',
        ("sqrt-missing",),
    ),
    Mutant(
        "rmsprop-centered-old-mean",
        "optimizers.RMSprop",
        "the centered variance subtracts the squared mean before the mean is updated with this gradient",
        *span(
            "optimizers",
            ('                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n', ""),
            (
                '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n',
                '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n'
                '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n',
            ),
        ),
        ("centered-old-mean",),
    ),
    Mutant(
        "rmsprop-abs-gradient",
        "optimizers.RMSprop",
        "the running average keeps |g| instead of g^2",
        '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n',
        '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * np.abs(g)\n',
        ("gradient-not-squared",),
    ),
    Mutant(
        "adadelta-lr-in-accumulator",
        "optimizers.Adadelta",
        "delta is multiplied by lr before acc_delta accumulates its square",
        '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n'
        '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * delta * delta\n'
        "            p.data -= self.lr * delta\n",
        '            delta = self.lr * np.sqrt(state["acc_delta"] + self.eps) / std * g\n'
        '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * delta * delta\n'
        "            p.data -= delta\n",
        ("adadelta-lr-in-accumulator",),
    ),
    Mutant(
        "adadelta-accumulator-before-step",
        "optimizers.Adadelta",
        "acc_delta is updated first and the step is computed from the updated acc_delta",
        "            p.data -= self.lr * delta\n",
        '            p.data -= self.lr * np.sqrt(state["acc_delta"] + self.eps) / std * g\n',
        ("adadelta-accumulator-order",),
    ),
    Mutant(
        "sgd-velocity-initialised-and-updated",
        "optimizers.SGD",
        "the first step sets the velocity to g and then applies the momentum update to it as well",
        "                    buf = g.copy()  # the first step starts the velocity at the gradient\n"
        "                else:\n"
        "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n",
        "                    buf = g.copy()\n                buf = self.momentum * buf + (1.0 - self.dampening) * g\n",
        ("velocity-initialised-and-updated",),
    ),
    Mutant(
        "sgd-momentum-as-average",
        "optimizers.SGD",
        "the velocity is an exponential average, b = momentum * b + (1 - momentum) * g",
        "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n",
        "                    buf = self.momentum * buf + (1.0 - self.momentum) * g\n",
        ("momentum-as-average",),
    ),
    Mutant(
        "sgd-weight-decay-times-lr",
        "optimizers.SGD",
        "the L2 term is written lr * weight_decay * p, so the step multiplies it by lr twice",
        _SGD_DECAY,
        _SGD_DECAY.replace("g = g + self.weight_decay", "g = g + self.lr * self.weight_decay"),
        ("weight-decay-times-lr",),
    ),
    _adam(
        "adam-bias-correction-t-plus-one",
        "the bias corrections use t + 1",
        ("step-count-off-by-one",),
        (
            "        bias_correction1 = 1.0 - beta1**self.t\n        bias_correction2 = 1.0 - beta2**self.t\n",
            "        bias_correction1 = 1.0 - beta1 ** (self.t + 1)\n"
            "        bias_correction2 = 1.0 - beta2 ** (self.t + 1)\n",
        ),
    ),
    _adam(
        "adam-eps-before-correction",
        "eps is added to v inside the square root, before the bias correction",
        ("eps-inside-sqrt",),
        (
            "            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps\n",
            "            denom = np.sqrt((v + self.eps) / bias_correction2)\n",
        ),
    ),
    _adam(
        "adam-beta1-swapped-with-complement",
        "m = (1 - beta1) * m + beta1 * g",
        ("beta1-swapped",),
        (
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n',
            '            state["exp_avg"] = (1.0 - beta1) * state["exp_avg"] + beta1 * g\n',
        ),
    ),
    _adam(
        "adam-squares-the-average",
        "v averages g and is squared when used: (average of g)^2 instead of the average of g^2",
        ("squared-after-average",),
        (
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n'
            '            v = state["exp_avg_sq"]\n',
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g\n'
            '            v = state["exp_avg_sq"] ** 2\n',
        ),
    ),
    Mutant(
        "adamw-decay-and-l2",
        "optimizers.AdamW",
        "AdamW decays p and also returns Adam's gradient with the L2 term (super()._decay)",
        _ADAMW_DECAY,
        _ADAMW_DECAY.replace("        return g\n", "        return super()._decay(p, g)\n"),
        ("adamw-decay-and-l2",),
    ),
    Mutant(
        "adamw-decays-twice",
        "optimizers.AdamW",
        "AdamW's own step() decays p and then calls Adam's step, whose _decay decays it again",
        *_ADAMW_STEP,
        ("adamw-decays-twice",),
    ),
    Mutant(
        "adamw-decay-uses-lr-only",
        "optimizers.AdamW",
        "p *= 1 - lr: the decay forgets weight_decay",
        "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
        "        p.data *= 1.0 - self.lr\n        return g\n",
        ("adamw-decay-uses-lr-only",),
    ),
    Mutant(
        "adamw-decay-lr-squared",
        "optimizers.AdamW",
        "the decay multiplies by lr twice: p *= 1 - lr * (lr * weight_decay)",
        "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
        "        p.data *= 1.0 - self.lr * (self.lr * self.weight_decay)\n        return g\n",
        ("adamw-decay-lr-squared",),
    ),
]

# A hyper-parameter applied to the wrong quantity, an operand replaced by its sibling, a
# schedule of another form, a square root on the wrong bias correction: the classes of
# mistake the simulated rules enumerate (checks/optimizer_mistakes.py).
MUTANTS += [
    Mutant(
        "sgd-dampening-on-old-velocity",
        "optimizers.SGD",
        "dampening scales the old velocity instead of the new gradient: b = momentum (1 - dampening) b + g",
        "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n",
        "                    buf = self.momentum * (1.0 - self.dampening) * buf + g\n",
        ("dampening-on-velocity",),
    ),
    Mutant(
        "sgd-nesterov-swaps-velocity-and-gradient",
        "optimizers.SGD",
        "Nesterov's step swaps the velocity and the gradient: b + momentum * g",
        "                g = g + self.momentum * buf if self.nesterov else buf\n",
        "                g = buf + self.momentum * g if self.nesterov else buf\n",
        ("nesterov-wrong-operand",),
    ),
    Mutant(
        "adagrad-lr-decay-exp",
        "optimizers.Adagrad",
        "the learning rate decays as lr * exp(-lr_decay (t - 1)) instead of lr / (1 + (t - 1) lr_decay)",
        "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n",
        "        clr = self.lr * np.exp(-self.lr_decay * (self.t - 1))\n",
        ("lr-decay-compounded",),
    ),
    Mutant(
        "adadelta-decay-added-to-step",
        "optimizers.Adadelta",
        "weight decay is added to the step after the scaling by the RMS ratio, not to the gradient",
        *span(
            "optimizers",
            (
                "        rho = self.rho\n        for p, state in zip(self.params, self.state, strict=True):\n"
                "            g = _grad(p)\n            if self.weight_decay != 0:\n"
                "                g = g + self.weight_decay * p.data\n",
                "        rho = self.rho\n        for p, state in zip(self.params, self.state, strict=True):\n"
                "            g = _grad(p)\n",
            ),
            (
                "            p.data -= self.lr * delta\n",
                "            p.data -= self.lr * delta + self.lr * self.weight_decay * p.data\n",
            ),
        ),
        ("weight-decay-after-scaling",),
    ),
    _adam(
        "adam-first-correction-rooted",
        "m is divided by sqrt(1 - beta1^t), a square root the first moment's correction does not have",
        ("bias-correction-sqrt",),
        ("        step_size = self.lr / bias_correction1\n", "        step_size = self.lr / bias_correction1**0.5\n"),
    ),
    _adam(
        "adam-second-correction-unrooted",
        "sqrt(v) is divided by 1 - beta2^t instead of by its square root",
        ("bias-correction-sqrt",),
        (
            "            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps\n",
            "            denom = np.sqrt(v) / bias_correction2 + self.eps\n",
        ),
    ),
    Mutant(
        "adamw-decay-shrinks-gradient",
        "optimizers.AdamW",
        "the decoupled decay shrinks the gradient, g - lr * weight_decay * g, instead of the weights",
        _ADAMW_DECAY,
        "        return g - self.lr * self.weight_decay * g\n        ### END SOLUTION\n",
        ("adamw-decays-gradient",),
    ),
]

# The classes of mistake the simulator enumerates as families (checks/optimizer_mistakes.py): a step
# count off by one or counted twice, a correction or decay applied twice or in another precedence, a
# quantity not squared or not rooted, a decay not proportional to the weight, one state entry not
# stored back. Each pins its class with an edit of its own.
MUTANTS += [
    Mutant(
        "adagrad-step-count-incremented-at-end",
        "optimizers.Adagrad",
        "the step count is incremented at the end of step(), after every parameter was updated: t = 0 at "
        "the first step",
        *span(
            "optimizers",
            ("        self.t += 1\n        clr = self.lr", "        clr = self.lr"),
            (
                '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
                '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n        self.t += 1\n',
            ),
        ),
        ("step-count-off-by-one",),
    ),
    _adam(
        "adam-step-count-incremented-twice",
        "t is incremented at the start of step() and again at its end: t = 1, 3, 5, ...",
        ("step-count-doubled",),
        (
            '            p.data -= step_size * (state["exp_avg"] / denom)\n',
            '            p.data -= step_size * (state["exp_avg"] / denom)\n        self.t += 1\n',
        ),
    ),
    Mutant(
        "adagrad-lr-decay-parentheses-missing",
        "optimizers.Adagrad",
        "clr = lr / 1 + (t - 1) * lr_decay: the parentheses around the denominator are missing",
        "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n",
        "        clr = self.lr / 1.0 + (self.t - 1) * self.lr_decay\n",
        ("lr-decay-precedence",),
    ),
    _adam(
        "adam-first-moment-hat-and-corrected-step",
        "m_hat = m / (1 - beta1^t) is stepped with the corrected step size lr / (1 - beta1^t)",
        ("bias-correction-twice",),
        (
            '            p.data -= step_size * (state["exp_avg"] / denom)\n',
            '            m_hat = state["exp_avg"] / bias_correction1\n'
            "            p.data -= step_size * (m_hat / denom)\n",
        ),
    ),
    _adam(
        "adam-both-moments-corrected-twice",
        "m_hat and v_hat are bias-corrected, and the step size and the denominator correct them again",
        ("bias-correction-twice",),
        (
            "            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps\n"
            '            p.data -= step_size * (state["exp_avg"] / denom)\n',
            "            denom = np.sqrt(v / bias_correction2) / bias_correction2_sqrt + self.eps\n"
            '            p.data -= step_size * (state["exp_avg"] / bias_correction1 / denom)\n',
        ),
    ),
    _adam(
        "adam-correction-power-of-complement",
        "the bias corrections are (1 - beta)^t: the power is applied to 1 - beta instead of beta",
        ("bias-correction-precedence",),
        (
            "        bias_correction1 = 1.0 - beta1**self.t\n        bias_correction2 = 1.0 - beta2**self.t\n",
            "        bias_correction1 = (1.0 - beta1) ** self.t\n        bias_correction2 = (1.0 - beta2) ** self.t\n",
        ),
    ),
    Mutant(
        "rmsprop-centered-subtracts-mean-size",
        "optimizers.RMSprop",
        "the centered variance subtracts |m| where m^2 belongs",
        '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n',
        '                variance = np.maximum(state["square_avg"] - np.abs(state["grad_avg"]), 0.0)\n',
        ("centered-mean-not-squared",),
    ),
    Mutant(
        "adadelta-numerator-not-rooted",
        "optimizers.Adadelta",
        "the step's numerator is acc_delta + eps, without its square root",
        '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n',
        '            delta = (state["acc_delta"] + self.eps) / std * g\n',
        ("sqrt-missing",),
    ),
    Mutant(
        "adadelta-accumulates-step-size",
        "optimizers.Adadelta",
        "acc_delta averages |delta| instead of delta^2",
        '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * delta * delta\n',
        '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * np.abs(delta)\n',
        ("adadelta-step-not-squared",),
    ),
    Mutant(
        "sgd-weight-decay-constant",
        "optimizers.SGD",
        "the L2 term adds weight_decay itself to every gradient entry, not weight_decay * p",
        _SGD_DECAY,
        _SGD_DECAY.replace("g + self.weight_decay * p.data", "g + self.weight_decay"),
        ("weight-decay-constant",),
    ),
    Mutant(
        "sgd-weight-decay-scales-gradient",
        "optimizers.SGD",
        "the L2 term is weight_decay * grad: the decay multiplies the gradient, not the weight",
        _SGD_DECAY,
        _SGD_DECAY.replace("g + self.weight_decay * p.data", "g + self.weight_decay * g"),
        ("weight-decay-on-gradient",),
    ),
    Mutant(
        "rmsprop-weight-decay-sign",
        "optimizers.RMSprop",
        "the decay term is weight_decay * sign(p), an L1 penalty's gradient",
        '                g = g + self.weight_decay * p.data\n            state["square_avg"] = a * state["square_avg"]',
        "                g = g + self.weight_decay * np.sign(p.data)\n"
        '            state["square_avg"] = a * state["square_avg"]',
        ("weight-decay-l1",),
    ),
    Mutant(
        "adagrad-weight-decay-doubled",
        "optimizers.Adagrad",
        "the L2 term is 2 * weight_decay * p, the derivative of weight_decay * |p|^2",
        '                g = g + self.weight_decay * p.data\n            state["sum"] = state["sum"] + g * g\n',
        '                g = g + 2.0 * self.weight_decay * p.data\n            state["sum"] = state["sum"] + g * g\n',
        ("weight-decay-doubled",),
    ),
    Mutant(
        "adamw-decay-subtracts-sign",
        "optimizers.AdamW",
        "the decoupled decay subtracts lr * weight_decay * sign(p): an L1 shrinkage, not proportional to p",
        _ADAMW_DECAY,
        _ADAMW_DECAY.replace(
            "p.data *= 1.0 - self.lr * self.weight_decay", "p.data -= self.lr * self.weight_decay * np.sign(p.data)"
        ),
        ("weight-decay-l1",),
    ),
    Mutant(
        "adamw-decay-subtracts-weight-decay",
        "optimizers.AdamW",
        "the decoupled decay subtracts weight_decay from every weight, without lr and not proportional to p",
        _ADAMW_DECAY,
        _ADAMW_DECAY.replace("p.data *= 1.0 - self.lr * self.weight_decay", "p.data -= self.weight_decay"),
        ("weight-decay-constant",),
    ),
    Mutant(
        "rmsprop-momentum-buffer-not-stored",
        "optimizers.RMSprop",
        "the momentum buffer is updated in a local variable and never written back to the state",
        '                state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + g / avg\n'
        '                p.data -= self.lr * state["momentum_buffer"]\n',
        '                buf = self.momentum * state["momentum_buffer"] + g / avg\n'
        "                p.data -= self.lr * buf\n",
        ("state-reset",),
        # The same numbers as a buffer kept but not used (momentum-ignored): the feedback names both.
        phrases=("never stored back",),
    ),
    Mutant(
        "adagrad-lr-decay-multiplies",
        "optimizers.Adagrad",
        "clr = lr * (1 + (t - 1) * lr_decay): the decay multiplies the learning rate instead of dividing it",
        "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n",
        "        clr = self.lr * (1.0 + (self.t - 1) * self.lr_decay)\n",
        ("lr-decay-inverted",),
    ),
    _adam(
        "adam-eps-added-to-update",
        "p -= step_size * m / denom + eps: eps leaves the denominator and is subtracted from every weight",
        ("eps-added-to-step",),
        (
            "            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps\n"
            '            p.data -= step_size * (state["exp_avg"] / denom)\n',
            "            denom = np.sqrt(v) / bias_correction2_sqrt\n"
            '            p.data -= step_size * (state["exp_avg"] / denom) + self.eps\n',
        ),
    ),
    Mutant(
        "adamw-decay-keeps-lr-times-weight-decay",
        "optimizers.AdamW",
        "p *= lr * weight_decay: the 1 - of the decay factor is missing",
        _ADAMW_DECAY,
        _ADAMW_DECAY.replace("p.data *= 1.0 - self.lr * self.weight_decay", "p.data *= self.lr * self.weight_decay"),
        ("adamw-decay-factor-without-one",),
    ),
    Mutant(
        "adadelta-step-average-starts-at-ones",
        "optimizers.Adadelta",
        "acc_delta is initialised with ones (so that the first steps are not tiny) instead of zeros",
        '"acc_delta": _zeros_like(p)} for p in self.params]\n',
        '"acc_delta": np.ones_like(p.data)} for p in self.params]\n',
        ("state-started-at-ones",),
    ),
    _adam(
        "adam-second-moment-not-stored",
        "v is updated in a local variable; the state keeps its zeros",
        ("state-reset",),
        (
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n'
            '            v = state["exp_avg_sq"]\n',
            '            v = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n',
        ),
    ),
]

# Issue 11, set C's misses generalised (G3): the velocity kept but unused without nesterov, and the
# centered mean fed the squares.
MUTANTS += [
    Mutant(
        "sgd-velocity-only-for-nesterov",
        "optimizers.SGD",
        "the step is changed only under nesterov: without it, the stored velocity is never used",
        "                g = g + self.momentum * buf if self.nesterov else buf\n",
        "                if self.nesterov:\n                    g = g + self.momentum * buf\n",
        ("momentum-ignored",),
    ),
    Mutant(
        "rmsprop-centered-mean-of-np-square",
        "optimizers.RMSprop",
        "the centered mean averages np.square(g), the squares again, instead of g",
        '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n',
        '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * np.square(g)\n',
        ("centered-mean-of-squares",),
    ),
]

_RMSPROP_AVERAGE = '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n'
_RMSPROP_DENOMINATOR = (
    "            if self.centered:\n"
    '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n'
    "                # v >= m^2 in exact arithmetic; clamp round-off so sqrt never sees a negative\n"
    "                # (PyTorch would produce nan there).\n"
    '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n'
    "                avg = np.sqrt(variance) + self.eps\n"
    "            else:\n"
    '                avg = np.sqrt(state["square_avg"]) + self.eps\n'
)

# Issue 11, set D's misses generalised (G6): the step only under momentum, the L2 term squared, a running
# size read before this step's g^2 joins it, a decay rate hard-coded, the factor g left out of the step, the
# bias correction's power typed as a product.
MUTANTS += [
    Mutant(
        "sgd-step-guarded-by-momentum",
        "optimizers.SGD",
        "the update sits under `if self.momentum:`: plain SGD (momentum 0) never moves",
        "            p.data -= self.lr * g\n",
        "            if self.momentum:\n                p.data -= self.lr * g\n",
        ("no-step-without-momentum",),
    ),
    Mutant(
        "adam-l2-term-squared",
        "optimizers.Adam",
        "Adam's L2 term is weight_decay * p**2, the penalty's shape, where its derivative weight_decay * p belongs",
        "        return g + self.weight_decay * p.data\n",
        "        return g + self.weight_decay * p.data**2\n",
        ("weight-decay-squared",),
    ),
    Mutant(
        "rmsprop-steps-with-previous-average",
        "optimizers.RMSprop",
        "the average of g^2 is updated after the step has divided by it: the step reads the previous average",
        _RMSPROP_AVERAGE + _RMSPROP_DENOMINATOR,
        _RMSPROP_DENOMINATOR + _RMSPROP_AVERAGE,
        ("accumulator-after-step",),
    ),
    Mutant(
        "adadelta-rho-hard-coded",
        "optimizers.Adadelta",
        "rho is written 0.95 (the paper's value) instead of self.rho, whose default is 0.9",
        "        rho = self.rho\n",
        "        rho = 0.95\n",
        ("hyperparameter-ignored",),
    ),
    Mutant(
        "adagrad-step-without-gradient",
        "optimizers.Adagrad",
        "the step is lr / (sqrt(sum) + eps), without the factor g: every parameter only decreases",
        '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
        '            p.data -= clr / (np.sqrt(state["sum"]) + self.eps)\n',
        ("gradient-missing",),
    ),
    _adam(
        "adam-first-correction-t-times-beta",
        "the step size is lr / (1 - t * beta1): the power beta1**t typed as a product",
        ("bias-correction-power",),
        ("        step_size = self.lr / bias_correction1\n", "        step_size = self.lr / (1.0 - self.t * beta1)\n"),
    ),
]

# Issue 11, set E's misses generalised (G5): lr folded into the velocity and applied again, the momentum
# buffer kept but not stepped along, the centered variance with its sign flipped, and parentheses left out of
# a decay factor or around a running average's 1 - rate.
MUTANTS += [
    Mutant(
        "sgd-lr-scales-the-velocity-increment",
        "optimizers.SGD",
        "the increment of the velocity is computed as lr * (1 - dampening) * g, and the step multiplies by lr again",
        "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n",
        "                    increment = self.lr * (1.0 - self.dampening) * g\n"
        "                    buf = self.momentum * buf + increment\n",
        ("lr-applied-twice",),
    ),
    Mutant(
        "rmsprop-one-step-for-both-branches",
        "optimizers.RMSprop",
        "the momentum branch updates its buffer, but the step after the branch is g / avg for every setting",
        '                p.data -= self.lr * state["momentum_buffer"]\n'
        "            else:\n"
        "                p.data -= self.lr * (g / avg)\n",
        "            p.data -= self.lr * (g / avg)\n",
        ("momentum-ignored",),
        # The same numbers as a buffer never stored back (state-reset): the feedback names both.
        phrases=("momentum has no effect",),
    ),
    Mutant(
        "rmsprop-centered-variance-negated",
        "optimizers.RMSprop",
        "the centered variance is negated, -(v - m^2): never positive, it is clamped to 0 and the step divides by eps",
        '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n',
        '                variance = np.maximum(-(state["square_avg"] - state["grad_avg"] ** 2), 0.0)\n',
        ("centered-variance-reversed",),
        # no trajectory tells it from square_avg never updated when centered: the feedback names both, in prose
        ("m^2 - v instead of v - m^2",),
    ),
    Mutant(
        "adamw-decay-factor-split-precedence",
        "optimizers.AdamW",
        "the decay factor is built as keep = 1 - lr, then p *= keep * weight_decay: (1 - lr) * weight_decay",
        "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
        "        keep = 1.0 - self.lr\n        p.data *= keep * self.weight_decay\n        return g\n",
        ("precedence",),
    ),
    Mutant(
        "sgd-dampening-unparenthesised",
        "optimizers.SGD",
        "the velocity adds 1 - dampening * g: the parentheses around 1 - dampening are left out",
        "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n",
        "                    buf = self.momentum * buf + 1.0 - self.dampening * g\n",
        ("precedence",),
    ),
    _adam(
        "adam-first-moment-unparenthesised",
        "m adds 1 - beta1 * g: the parentheses around 1 - beta1 are left out",
        ("precedence",),
        (
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n',
            '            state["exp_avg"] = beta1 * state["exp_avg"] + 1.0 - beta1 * g\n',
        ),
    ),
    Mutant(
        "rmsprop-square-average-unparenthesised",
        "optimizers.RMSprop",
        "the square average adds 1 - alpha * g^2: the parentheses around 1 - alpha are left out",
        _RMSPROP_AVERAGE,
        '            state["square_avg"] = a * state["square_avg"] + 1.0 - a * g * g\n',
        ("precedence",),
    ),
]

# Issue 11, set E generalised further (G5): a state entry or a moment computed and kept but not used.
MUTANTS += [
    # The same numbers as amsgrad ignored (the maximum of v and zeros is v): the feedback names both.
    dataclasses.replace(
        _adam(
            "adam-amsgrad-maximum-in-a-local",
            "the running maximum of v is taken into a local variable and never written back to the state",
            ("state-reset",),
            (
                '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n'
                '                v = state["max_exp_avg_sq"]\n',
                '                v = np.maximum(state["max_exp_avg_sq"], v)\n',
            ),
        ),
        phrases=("never stored back",),
    ),
    _adam(
        "adam-steps-along-the-gradient",
        "the first moment is updated and stored, but the step divides the gradient g instead of it",
        ("momentum-ignored",),
        (
            '            p.data -= step_size * (state["exp_avg"] / denom)\n',
            "            p.data -= step_size * (g / denom)\n",
        ),
    ),
]

# Issue 11, set E generalised further (G5): a bias correction's parentheses or roots misplaced.
MUTANTS += [
    _adam(
        "adam-step-size-unparenthesised",
        "the step size is lr / 1.0 - beta1**t: the parentheses around the bias correction are left out",
        ("precedence",),
        ("        step_size = self.lr / bias_correction1\n", "        step_size = self.lr / 1.0 - beta1**self.t\n"),
    ),
    _adam(
        "adam-second-correction-rooted-twice",
        "v is divided by the rooted correction inside the square root: sqrt(v / sqrt(1 - beta2^t))",
        ("bias-correction-sqrt",),
        (
            "            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps\n",
            "            denom = np.sqrt(v / bias_correction2_sqrt) + self.eps\n",
        ),
    ),
]

# Issue 11 round 2, set F generalised (H5): a state test by truthiness, a state entry stored at the first step
# only, a running size reduced over the whole parameter, a factor pushed into a denominator by parentheses, and a
# square root typed x**1/2 (half of x), each simulated for every formula.
MUTANTS += [
    Mutant(
        "sgd-buffer-compared-with-none",
        "optimizers.SGD",
        "the first step is detected with buf == None: once buf is an array the comparison is elementwise",
        "                if buf is None:\n",
        "                if buf == None:  # noqa: E711\n",
        ("truthiness-of-array",),
    ),
    Mutant(
        "sgd-buffer-stored-in-first-branch",
        "optimizers.SGD",
        "the velocity is stored only where it is created (buf = state[...] = g.copy()); the update is never stored",
        *span(
            "optimizers",
            (
                "                    buf = g.copy()  # the first step starts the velocity at the gradient\n",
                '                    buf = state["momentum_buffer"] = g.copy()\n',
            ),
            ('                state["momentum_buffer"] = buf\n', ""),
        ),
        ("state-reset",),
    ),
    _adam(
        "adam-first-moment-stored-at-t-one",
        "m is computed into a local and written to the state only when t == 1",
        ("state-reset",),
        (
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n',
            '            m = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n'
            "            if self.t == 1:\n"
            '                state["exp_avg"] = m\n',
        ),
        (
            '            p.data -= step_size * (state["exp_avg"] / denom)\n',
            "            p.data -= step_size * (m / denom)\n",
        ),
    ),
    Mutant(
        "adagrad-sum-of-whole-parameter",
        "optimizers.Adagrad",
        "the accumulator adds np.sum(g * g), one number for the whole parameter",
        '            state["sum"] = state["sum"] + g * g\n',
        '            state["sum"] = state["sum"] + np.sum(g * g)\n',
        ("not-per-coordinate",),
    ),
    _adam(
        "adam-second-moment-of-whole-parameter",
        "v averages np.mean(g * g), one number for the whole parameter",
        ("not-per-coordinate",),
        (
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n',
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * np.mean(g * g)\n',
        ),
    ),
    Mutant(
        "adadelta-divides-twice",
        "optimizers.Adadelta",
        "the step is typed sqrt(u + eps) / std / g: g divides instead of multiplying",
        '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n',
        '            delta = np.sqrt(state["acc_delta"] + self.eps) / std / g\n',
        ("precedence",),
    ),
    Mutant(
        "adagrad-root-written-power-one-half",
        "optimizers.Adagrad",
        "sqrt(sum) is typed sum**1/2, which is sum / 2",
        '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
        '            p.data -= clr * (g / (state["sum"] ** 1 / 2 + self.eps))\n',
        ("precedence",),
    ),
    Mutant(
        "rmsprop-root-written-power-one-half",
        "optimizers.RMSprop",
        "sqrt(v) is typed v**1/2, which is v / 2",
        '                avg = np.sqrt(state["square_avg"]) + self.eps\n',
        '                avg = state["square_avg"] ** 1 / 2 + self.eps\n',
        ("precedence",),
    ),
    Mutant(
        "adadelta-denominator-root-written-power-one-half",
        "optimizers.Adadelta",
        "std = sqrt(square_avg + eps) is typed (square_avg + eps)**1/2, which is half of it",
        '            std = np.sqrt(state["square_avg"] + self.eps)\n',
        '            std = (state["square_avg"] + self.eps) ** 1 / 2\n',
        ("precedence",),
    ),
    _adam(
        "adam-correction-power-written-xor",
        "1 - beta1^t is typed 1.0 - beta1 ^ self.t: ^ is bitwise xor in Python, undefined for floats",
        ("xor-for-power",),
        ("        bias_correction1 = 1.0 - beta1**self.t\n", "        bias_correction1 = 1.0 - beta1 ^ self.t\n"),
    ),
    _adam(
        "adam-moments-updated-after-the-step",
        "the parameter is stepped with m and v of the previous steps, and only then are they updated with g",
        ("accumulator-after-step",),
        (
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n',
            '            denom = np.sqrt(state["exp_avg_sq"]) / bias_correction2_sqrt + self.eps\n'
            '            p.data -= step_size * (state["exp_avg"] / denom)\n'
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n',
        ),
        (
            "            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps\n"
            '            p.data -= step_size * (state["exp_avg"] / denom)\n',
            "",
        ),
    ),
    _adam(
        "adam-second-moment-root-written-power-one-half",
        "sqrt(v) is typed v**1/2, which is v / 2",
        ("precedence",),
        (
            "            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps\n",
            "            denom = v**1 / 2 / bias_correction2_sqrt + self.eps\n",
        ),
    ),
]

# Set G's classes, each by another edit: a conditional expression grouped wrongly, a running state fed the raw
# gradient, a sum of squares kept as a mean, a hyper-parameter overwritten by a value computed from it, a step
# divided twice by its running size, the L2 term in place of the gradient, Python's built-in max of arrays, and
# an update computed into a new array that is never stored.
MUTANTS += [
    Mutant(
        "sgd-decay-conditional-adds-gradient-twice",
        "optimizers.SGD",
        "the decay is one line, g = g + (weight_decay * p if weight_decay != 0 else g): the parentheses put g + in "
        "front of both branches, so without weight decay the step is along 2 g",
        _SGD_DECAY,
        "            g = g + (self.weight_decay * p.data if self.weight_decay != 0 else g)\n"
        "            if self.momentum != 0:\n",
        ("conditional-expression-precedence",),
    ),
    _adam(
        "adam-first-moment-from-raw-gradient",
        "m averages p.grad, the raw gradient, instead of g, which holds the L2 term",
        ("weight-decay-not-accumulated",),
        (
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n',
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * p.grad\n',
        ),
    ),
    Mutant(
        "adagrad-sum-kept-as-running-mean",
        "optimizers.Adagrad",
        "the accumulator is kept as a running mean of the squares, (sum * (t - 1) + g^2) / t, not the sum",
        '            state["sum"] = state["sum"] + g * g\n',
        '            state["sum"] = (state["sum"] * (self.t - 1) + g * g) / self.t\n',
        ("accumulator-averaged",),
    ),
    _adam(
        "adam-step-size-written-into-lr",
        "the bias-corrected step size is stored back into self.lr, so the correction compounds step after step",
        ("hyperparameter-overwritten",),
        (
            "        step_size = self.lr / bias_correction1\n",
            "        self.lr = self.lr / bias_correction1\n        step_size = self.lr\n",
        ),
    ),
    Mutant(
        "rmsprop-plain-step-divided-twice",
        "optimizers.RMSprop",
        "without momentum the step divides g / avg by avg once more",
        "                p.data -= self.lr * (g / avg)\n",
        "                p.data -= self.lr * (g / avg) / avg\n",
        ("divided-twice",),
    ),
    Mutant(
        "sgd-decay-replaces-gradient",
        "optimizers.SGD",
        "weight decay assigns the L2 term to g instead of adding it: g = weight_decay * p",
        "                g = g + self.weight_decay * p.data\n            if self.momentum != 0:\n",
        "                g = self.weight_decay * p.data\n            if self.momentum != 0:\n",
        ("gradient-dropped",),
    ),
    Mutant(
        "rmsprop-centered-clamp-builtin-max",
        "optimizers.RMSprop",
        "the centered variance is clamped with Python's max(v - m^2, 0.0) instead of np.maximum",
        '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n',
        '                variance = max(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n',
        ("python-max-on-array",),
    ),
    Mutant(
        "adamw-decay-with-np-multiply",
        "optimizers.AdamW",
        "AdamW's decay calls np.multiply(p.data, 1 - lr * weight_decay) without out=: the new array is discarded",
        "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
        "        np.multiply(p.data, 1.0 - self.lr * self.weight_decay)\n        return g\n",
        ("result-discarded",),
        phrases=("never written back", "result is discarded"),
    ),
]

# Set H's classes, each taught with a different edit of its own (see tests/heldout/fresh_h.py).
MUTANTS += [
    Mutant(
        "adam-default-beta2-keras",
        "optimizers.Adam",
        "the constructor's default betas are (0.9, 0.99), where the API's beta2 is 0.999",
        "        lr: float = 0.001,\n        betas: tuple[float, float] = (0.9, 0.999),\n        eps: float = 1e-8,\n"
        "        weight_decay: float = 0.0,\n",
        "        lr: float = 0.001,\n        betas: tuple[float, float] = (0.9, 0.99),\n        eps: float = 1e-8,\n"
        "        weight_decay: float = 0.0,\n",
        ("default-changed",),
    ),
    Mutant(
        "sgd-decay-coefficient-momentum",
        "optimizers.SGD",
        "the L2 term is g + momentum * p: the hyper-parameter beside weight_decay typed for it",
        "                g = g + self.weight_decay * p.data\n            if self.momentum != 0:\n",
        "                g = g + self.momentum * p.data\n            if self.momentum != 0:\n",
        ("wrong-hyperparameter",),
    ),
    Mutant(
        "sgd-decay-shrinks-weights-multiplicatively",
        "optimizers.SGD",
        "weight decay shrinks p.data by 1 - lr * weight_decay (AdamW's decay) instead of joining the gradient",
        "                g = g + self.weight_decay * p.data\n            if self.momentum != 0:\n",
        "                p.data *= 1.0 - self.lr * self.weight_decay\n            if self.momentum != 0:\n",
        ("weight-decay-after-momentum",),
    ),
    Mutant(
        "rmsprop-returns-after-first-parameter",
        "optimizers.RMSprop",
        "step returns inside the parameter loop, after the plain update of the first parameter",
        "                p.data -= self.lr * (g / avg)\n",
        "                p.data -= self.lr * (g / avg)\n            return\n",
        ("return-inside-loop",),
    ),
    Mutant(
        "adadelta-square-average-from-step-average",
        "optimizers.Adadelta",
        'square_avg is updated from rho * state["acc_delta"] (the other running average) instead of its own value',
        '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g\n',
        '            state["square_avg"] = rho * state["acc_delta"] + (1.0 - rho) * g * g\n',
        ("copy-paste-wrong-state",),
    ),
    Mutant(
        "rmsprop-centered-mean-from-square-average",
        "optimizers.RMSprop",
        'centered mode updates grad_avg from a * state["square_avg"], the line above, instead of its own value',
        '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n',
        '                state["grad_avg"] = a * state["square_avg"] + (1.0 - a) * g\n',
        ("copy-paste-wrong-state",),
    ),
    Mutant(
        "adam-decay-helper-without-return",
        "optimizers.Adam",
        "Adam's _decay assigns g + weight_decay * p to a local and returns nothing: step's g becomes None",
        "        return g + self.weight_decay * p.data\n",
        "        g = g + self.weight_decay * p.data\n",
        ("returns-none",),
    ),
    _adam(
        "adam-second-moment-read-under-other-key",
        'v is read with state.get("v", 0.0) and written to state["exp_avg_sq"]: the read never finds the stored value',
        ("state-reset",),
        (
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n',
            '            state["exp_avg_sq"] = beta2 * state.get("v", 0.0) + (1.0 - beta2) * g * g\n',
        ),
    ),
    _adam(
        "adam-second-moment-before-decay",
        "exp_avg_sq is updated before the L2 term joins g: v averages the raw gradient's squares, m the decayed g",
        ("squares-without-decay",),
        (
            "            if self.weight_decay != 0:\n"
            "                g = self._decay(p, g)\n"
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n'
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n',
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n'
            "            if self.weight_decay != 0:\n"
            "                g = self._decay(p, g)\n"
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n',
        ),
    ),
    Mutant(
        "adagrad-weight-decay-half-penalty",
        "optimizers.Adagrad",
        "the L2 term is weight_decay / 2 * p, the factor of the penalty weight_decay/2 * |p|^2 kept in its gradient",
        '                g = g + self.weight_decay * p.data\n            state["sum"] = state["sum"] + g * g\n',
        '                g = g + self.weight_decay / 2 * p.data\n            state["sum"] = state["sum"] + g * g\n',
        ("weight-decay-halved",),
    ),
    Mutant(
        "rmsprop-root-into-square-average",
        "optimizers.RMSprop",
        "the denominator is np.sqrt(square_avg, out=square_avg): the running average is replaced by its root",
        '                avg = np.sqrt(state["square_avg"]) + self.eps\n',
        '                avg = np.sqrt(state["square_avg"], out=state["square_avg"]) + self.eps\n',
        ("saved-state-overwritten",),
    ),
    Mutant(
        "rmsprop-plain-step-before-momentum-branch",
        "optimizers.RMSprop",
        "the plain step p -= lr * g / avg is written before the momentum branch, so with momentum both steps apply",
        "            if self.momentum > 0:\n"
        '                state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + g / avg\n'
        '                p.data -= self.lr * state["momentum_buffer"]\n'
        "            else:\n"
        "                p.data -= self.lr * (g / avg)\n",
        "            p.data -= self.lr * (g / avg)\n"
        "            if self.momentum > 0:\n"
        '                state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + g / avg\n'
        '                p.data -= self.lr * state["momentum_buffer"]\n',
        ("missing-else",),
    ),
    Mutant(
        "adadelta-denominator-rooted-twice",
        "optimizers.Adadelta",
        "the step divides by np.sqrt(std), where std = sqrt(square_avg + eps) is already the root",
        '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n',
        '            delta = np.sqrt(state["acc_delta"] + self.eps) / np.sqrt(std) * g\n',
        ("root-scope",),
    ),
    _adam(
        "adam-amsgrad-amax-of-tuple",
        "the amsgrad maximum is np.amax((v_max, v)): one number for all entries of both arrays, not np.maximum",
        ("max-for-maximum",),
        (
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n',
            '                state["max_exp_avg_sq"] = np.amax((state["max_exp_avg_sq"], v))\n',
        ),
    ),
    Mutant(
        "sgd-no-decay-for-biases",
        "optimizers.SGD",
        "weight decay only for parameters of two or more axes ('biases are not decayed'): SGD decays every parameter",
        "            if self.weight_decay != 0:\n                g = g + self.weight_decay * p.data\n"
        "            if self.momentum != 0:\n",
        "            if self.weight_decay != 0 and len(p.data.shape) >= 2:  # biases are not decayed\n"
        "                g = g + self.weight_decay * p.data\n"
        "            if self.momentum != 0:\n",
        ("decay-skips-biases",),
    ),
    Mutant(
        "adadelta-delta-from-raw-gradient",
        "optimizers.Adadelta",
        "square_avg averages g with weight decay, but delta multiplies the ratio by p.grad, the raw gradient",
        '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n',
        '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * p.grad\n',
        ("raw-gradient-in-step",),
    ),
    Mutant(
        "adagrad-eps-added-into-sum",
        "optimizers.Adagrad",
        "eps joins the sum of squares at every step (sum += g^2 + eps) and the step divides by sqrt(sum) alone",
        '            state["sum"] = state["sum"] + g * g\n'
        '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
        '            state["sum"] += g * g + self.eps  # eps inside the sum keeps the root above zero\n'
        '            p.data -= clr * g / np.sqrt(state["sum"])\n',
        ("eps-accumulated-in-state",),
    ),
    Mutant(
        "adadelta-square-avg-starts-per-entry-at-first-square",
        "optimizers.Adadelta",
        "each entry of square_avg still at zero takes g^2 itself (np.where), only later steps average with rho",
        '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g\n',
        '            state["square_avg"] = np.where(\n'
        '                state["square_avg"] == 0, g * g, rho * state["square_avg"] + (1.0 - rho) * g * g\n'
        "            )  # an entry not seen yet starts at its first square\n",
        ("average-started-at-first-value",),
    ),
    Mutant(
        "rmsprop-gradient-clipped-by-value",
        "optimizers.RMSprop",
        "step clips every entry of the gradient to [-1, 1] before using it ('keep the steps bounded'): the "
        "optimizer follows p.grad as it is; clipping is the caller's choice",
        "        a = self.alpha\n        for p, state in zip(self.params, self.state, strict=True):\n"
        "            g = _grad(p)\n",
        "        a = self.alpha\n        for p, state in zip(self.params, self.state, strict=True):\n"
        "            g = np.clip(_grad(p), -1.0, 1.0)  # keep the steps bounded\n",
        ("gradient-clipped",),
    ),
    Mutant(
        "adagrad-lr-decay-as-factor-when-set",
        "optimizers.Adagrad",
        "a non-zero lr_decay multiplies the rate at every step, lr * lr_decay^(t - 1), as a scheduler's gamma: "
        "lr_decay is divided in, lr / (1 + (t - 1) * lr_decay)",
        "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n",
        "        clr = self.lr * self.lr_decay ** (self.t - 1) if self.lr_decay else self.lr  # gamma per step\n",
        ("lr-decay-as-factor",),
    ),
    Mutant(
        "adagrad-lr-decay-fades-the-sum",
        "optimizers.Adagrad",
        "lr_decay shrinks the sum of squares in place before g^2 joins it, and the step uses lr: lr_decay decays the "
        "learning rate, and Adagrad's sum never forgets",
        *span(
            "optimizers",
            ("        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n", ""),
            (
                '            state["sum"] = state["sum"] + g * g\n'
                '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
                '            state["sum"] *= 1.0 - self.lr_decay  # old squares fade\n'
                '            state["sum"] += g * g\n'
                '            p.data -= self.lr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
            ),
        ),
        ("decay-on-accumulator",),
    ),
    Mutant(
        "rmsprop-centered-root-of-each-term",
        "optimizers.RMSprop",
        "the centred denominator takes the root of each term, sqrt(v) - sqrt(m^2), as if the root distributed over a "
        "difference: the standard deviation is sqrt(v - m^2)",
        '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n'
        "                avg = np.sqrt(variance) + self.eps\n",
        '                avg = np.sqrt(state["square_avg"]) - np.sqrt(state["grad_avg"] ** 2) + self.eps\n',
        ("root-scope",),
    ),
    Mutant(
        "adadelta-state-sized-by-len",
        "optimizers.Adadelta",
        "the running averages are made with np.zeros(len(p.data)): len of a matrix is its number of rows, so the "
        "state of a weight matrix does not have its shape",
        '        self.state = [{"square_avg": _zeros_like(p), "acc_delta": _zeros_like(p)} for p in self.params]\n',
        "        self.state = [\n"
        '            {"square_avg": np.zeros(len(p.data)), "acc_delta": np.zeros(len(p.data))} for p in self.params\n'
        "        ]\n",
        ("len-for-size",),
    ),
    _adam(
        "adam-amsgrad-average-never-decreases",
        "with amsgrad the second moment itself keeps the maximum, v = max(v, beta2 v + (1 - beta2) g^2), with no "
        "separate max_exp_avg_sq: the average must go on from its own value; only the denominator uses the maximum",
        ("amsgrad-max-replaces-average",),
        (
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n'
            '            v = state["exp_avg_sq"]\n'
            "            if self.amsgrad:\n"
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n'
            '                v = state["max_exp_avg_sq"]\n',
            '            v = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n'
            "            if self.amsgrad:\n"
            '                v = np.maximum(state["exp_avg_sq"], v)  # the average never comes down\n'
            '            state["exp_avg_sq"] = v\n',
        ),
    ),
    Mutant(
        "rmsprop-averages-share-one-array",
        "optimizers.RMSprop",
        "__init__ gives square_avg and grad_avg the same zeros array (one variable for both keys) and step updates "
        "them in place: with centered=True the two averages are one array",
        *span(
            "optimizers",
            (
                "        self.state = [\n"
                '            {"square_avg": _zeros_like(p), "grad_avg": _zeros_like(p),'
                ' "momentum_buffer": _zeros_like(p)}\n'
                "            for p in self.params\n"
                "        ]\n",
                "        self.state = []\n"
                "        for p in self.params:\n"
                "            zeros = _zeros_like(p)  # both averages start at 0\n"
                '            self.state.append({"square_avg": zeros, "grad_avg": zeros, '
                '"momentum_buffer": _zeros_like(p)})\n',
            ),
            (
                '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n'
                "            if self.centered:\n"
                '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n',
                '            state["square_avg"] *= a\n'
                '            state["square_avg"] += (1.0 - a) * g * g\n'
                "            if self.centered:\n"
                '                state["grad_avg"] *= a\n'
                '                state["grad_avg"] += (1.0 - a) * g\n',
            ),
        ),
        ("aliasing",),
    ),
    Mutant(
        "adamw-decay-reads-default-lr",
        "optimizers.AdamW",
        "the decay is computed as a step of its own with PyTorch's default lr typed in, p = p - 0.001 * "
        "weight_decay * p, while the Adam step reads self.lr: the decay ignores the lr the caller passes",
        "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
        "        decay = 0.001 * self.weight_decay * p.data  # the step size times the decay rate\n"
        "        p.data = p.data - decay\n"
        "        return g\n",
        ("hyperparameter-ignored",),
    ),
]

# Held-apart set M, taught by class (session 13): each a different code shape of a set-M bug's class.
MUTANTS += [
    # the Nesterov direction kept as the velocity (set M stores it after the Nesterov line)
    Mutant(
        "sgd-nesterov-lookahead-rebinds-buffer",
        "optimizers.SGD",
        "with nesterov the lookahead is written into buf itself, buf = g + momentum * buf, and buf is then stored "
        "and stepped along: the velocity carried to the next step is the lookahead, not b",
        '                state["momentum_buffer"] = buf\n'
        "                g = g + self.momentum * buf if self.nesterov else buf\n",
        "                if self.nesterov:\n"
        "                    buf = g + self.momentum * buf  # look ahead along the velocity\n"
        '                state["momentum_buffer"] = buf\n'
        "                g = buf\n",
        ("nesterov-wrong-operand",),
    ),
    # a running update inside one branch of an if (set M: the plain branch only)
    Mutant(
        "rmsprop-square-average-updated-in-centered-branch-only",
        "optimizers.RMSprop",
        "the squared-gradient average is updated inside `if centered:` only: without centering v stays 0 and "
        "every step divides by eps",
        '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n'
        "            if self.centered:\n",
        "            if self.centered:\n"
        '                state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n',
        ("update-in-one-branch",),
    ),
    # two running averages stored under each other's keys (set M: a crosswise tuple assignment)
    Mutant(
        "adadelta-averages-stored-under-each-others-keys",
        "optimizers.Adadelta",
        "the new squared-gradient average is kept in a local v and stored last, under acc_delta, while the new "
        "step average goes into square_avg: each is saved under the other's key",
        '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g\n'
        '            std = np.sqrt(state["square_avg"] + self.eps)\n'
        '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n'
        '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * delta * delta\n',
        '            v = rho * state["square_avg"] + (1.0 - rho) * g * g\n'
        "            std = np.sqrt(v + self.eps)\n"
        '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n'
        '            state["square_avg"] = rho * state["acc_delta"] + (1.0 - rho) * delta * delta\n'
        '            state["acc_delta"] = v\n',
        ("saved-values-swapped",),
    ),
    # a state entry overwritten in place by the value derived from it for the step (set M: np.divide(out=))
    _adam(
        "adam-first-moment-divided-in-place",
        "the step is formed in place, exp_avg /= denom, then p -= step_size * exp_avg: the first moment is "
        "overwritten by the step and the next average starts from it",
        ("saved-state-overwritten",),
        (
            '            p.data -= step_size * (state["exp_avg"] / denom)\n',
            '            state["exp_avg"] /= denom\n            p.data -= step_size * state["exp_avg"]\n',
        ),
    ),
    # a value that depends on t computed at the first step and kept (set M: cached in an attribute by hasattr);
    # no trajectory tells it from a step count stuck at 1, so the grader names both and the phrase finds it
    dataclasses.replace(
        _adam(
            "adam-bias-corrections-set-at-first-step",
            "the bias corrections are set when t == 1 and read back ever after: they depend on t, 1 - beta^t",
            ("cached-first-call",),
            (
                "        bias_correction1 = 1.0 - beta1**self.t\n        bias_correction2 = 1.0 - beta2**self.t\n",
                "        if self.t == 1:  # set once, at the first step\n"
                "            self.corrections = (1.0 - beta1, 1.0 - beta2)\n"
                "        bias_correction1, bias_correction2 = self.corrections\n",
            ),
        ),
        phrases=("computed once",),
    ),
    # the first step told by a count kept on the optimizer, not by the parameter's own state (set N: a flag on self):
    # the second parameter's first step reads a velocity still None
    Mutant(
        "sgd-first-step-counted-on-optimizer",
        "optimizers.SGD",
        "the first step is told by a count of updates kept on the optimizer and incremented per parameter: only the "
        "first parameter's first step starts the velocity at g; the next one multiplies a None velocity",
        "                if buf is None:\n",
        '                self.updates = getattr(self, "updates", 0) + 1\n                if self.updates == 1:\n',
        ("state-shared-between-parameters",),
    ),
    # the same with velocities started at zeros: the other parameters' first step averages into zeros
    Mutant(
        "sgd-first-step-flag-zero-velocities",
        "optimizers.SGD",
        "velocities start at zeros and one flag set in __init__ marks the first step, cleared by the first "
        "parameter: every other parameter's first step adds (1 - dampening) * g to zeros instead of starting at g",
        *span(
            "optimizers",
            (
                '        self.state: list[dict[str, np.ndarray | None]] = [{"momentum_buffer": None} for _ in '
                "self.params]\n",
                '        self.state: list[dict[str, np.ndarray | None]] = [{"momentum_buffer": _zeros_like(p)} for p '
                "in self.params]\n        self.first_step = True\n",
            ),
            (
                "                if buf is None:\n                    buf = g.copy()",
                "                if self.first_step:\n                    self.first_step = False\n"
                "                    buf = g.copy()",
            ),
        ),
        ("state-shared-between-parameters",),
    ),
    # g^2 written as a product that is not elementwise (set N: g @ g, g * g.T): numpy refuses it on a non-square
    # matrix; on square ones the simulation reproduces it
    Mutant(
        "rmsprop-square-as-dot",
        "optimizers.RMSprop",
        "the square in the average of squares is np.dot(g, g), a matrix product",
        '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n',
        '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * np.dot(g, g)\n',
        ("matmul-for-elementwise",),
    ),
    Mutant(
        "adagrad-square-as-gram-matrix",
        "optimizers.Adagrad",
        "the square in the sum of squares is np.matmul(g, g.T), the gradient's rows against each other",
        '            state["sum"] = state["sum"] + g * g\n',
        '            state["sum"] = state["sum"] + np.matmul(g, g.T)\n',
        ("matmul-for-elementwise",),
    ),
    Mutant(
        "adadelta-square-times-transpose",
        "optimizers.Adadelta",
        "the square in the average of squared gradients is g * np.transpose(g)",
        '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g\n',
        '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * np.transpose(g)\n',
        ("transposed",),
    ),
    # centered RMSprop's averages mixed up (set N: the deviation from the updated mean): square_avg averages the
    # squared deviation from the mean before its update, and the step divides by its root
    Mutant(
        "rmsprop-centered-spread-from-old-mean",
        "optimizers.RMSprop",
        "centered: square_avg averages (g - grad_avg)^2 with grad_avg not yet updated, and avg is its root, instead "
        "of sqrt(square_avg - grad_avg^2) with square_avg the average of g^2",
        '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n'
        "            if self.centered:\n"
        '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n'
        "                # v >= m^2 in exact arithmetic; clamp round-off so sqrt never sees a negative\n"
        "                # (PyTorch would produce nan there).\n"
        '                variance = np.maximum(state["square_avg"] - state["grad_avg"] ** 2, 0.0)\n'
        "                avg = np.sqrt(variance) + self.eps\n"
        "            else:\n",
        "            if self.centered:\n"
        '                spread = (g - state["grad_avg"]) ** 2  # the squared deviation from the mean so far\n'
        '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n'
        '                state["square_avg"] = a * state["square_avg"] + (1.0 - a) * spread\n'
        '                avg = np.sqrt(state["square_avg"]) + self.eps\n'
        "            else:\n"
        '                state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n',
        ("centered-variance-formula",),
    ),
    # AdamW's decay factor in a form equal to 1 - lr * weight_decay to first order only (set N: p /= 1 + lr * wd)
    Mutant(
        "adamw-decay-as-exponential",
        "optimizers.AdamW",
        "the decay multiplies p by exp(-lr * weight_decay) instead of 1 - lr * weight_decay",
        "        p.data *= 1.0 - self.lr * self.weight_decay\n",
        "        p.data *= np.exp(-self.lr * self.weight_decay)\n",
        ("decay-factor-form",),
    ),
    Mutant(
        "adamw-decay-divides-weights",
        "optimizers.AdamW",
        "the decay is written p = p / (1 + weight_decay * lr), a factor 1 - lr * weight_decay to first order only",
        "        p.data *= 1.0 - self.lr * self.weight_decay\n",
        "        p.data = p.data / (1.0 + self.weight_decay * self.lr)\n",
        ("decay-factor-form",),
    ),
    # AdamW's decay factor computed once where every optimizer reads it (set N: an attribute of the class): here a
    # mutable default argument, shared by every call of every instance
    Mutant(
        "adamw-decay-factor-in-default-argument",
        "optimizers.AdamW",
        "the decay factor is memoised in a mutable default argument, computed by the first AdamW and reused by all",
        "    def _decay(self, p: Parameter, g: np.ndarray) -> np.ndarray:\n"
        '        """AdamW: shrink ``p`` itself by ``1 - lr * weight_decay``; the gradient is unchanged."""\n'
        "        ### BEGIN SOLUTION\n"
        "        p.data *= 1.0 - self.lr * self.weight_decay\n",
        "    def _decay(self, p: Parameter, g: np.ndarray, _memo: dict = {}) -> np.ndarray:  # noqa: B006\n"
        '        """AdamW: shrink ``p`` itself by ``1 - lr * weight_decay``; the gradient is unchanged."""\n'
        "        ### BEGIN SOLUTION\n"
        '        p.data *= _memo.setdefault("factor", 1.0 - self.lr * self.weight_decay)\n',
        ("cached-first-call",),
    ),
    # the per-parameter state made by map(), an iterator: the first step consumes it (set O's spelling was a
    # generator expression)
    Mutant(
        "adadelta-state-made-by-map",
        "optimizers.Adadelta",
        "the state is built with map(...), an iterator that the first step's loop exhausts",
        '        self.state = [{"square_avg": _zeros_like(p), "acc_delta": _zeros_like(p)} for p in self.params]\n',
        '        self.state = map(lambda p: {"square_avg": _zeros_like(p), "acc_delta": _zeros_like(p)},'
        " self.params)\n",
        ("iterator-exhausted",),
    ),
    # a loop over the parameters that leaves one out, first or last (set O's spelling: range(1, len(params)) in RMSprop)
    Mutant(
        "adagrad-loop-stops-before-last-parameter",
        "optimizers.Adagrad",
        "step walks zip(params[:-1], state[:-1]): the last parameter is never updated",
        "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n"
        "        for p, state in zip(self.params, self.state, strict=True):\n",
        "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n"
        "        for p, state in zip(self.params[:-1], self.state[:-1], strict=True):  # every parameter\n",
        ("loop-off-by-one",),
    ),
    Mutant(
        "sgd-loop-enumerate-skips-first-parameter",
        "optimizers.SGD",
        "step enumerates the parameters and skips index 0 with `if i == 0: continue`, taken for a header",
        "        ### BEGIN SOLUTION\n        for p, state in zip(self.params, self.state, strict=True):\n",
        "        ### BEGIN SOLUTION\n"
        "        for i, (p, state) in enumerate(zip(self.params, self.state, strict=True)):\n"
        "            if i == 0:\n                continue\n",
        ("loop-off-by-one",),
    ),
    # an option applied only when another one is set (each option is tried on its own as well)
    Mutant(
        "adagrad-lr-decay-only-with-weight-decay",
        "optimizers.Adagrad",
        "the decayed learning rate is used only when weight_decay is set; otherwise lr stays constant",
        "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n",
        "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay) if self.weight_decay else self.lr\n",
        ("lr-decay-ignored",),
    ),
    Mutant(
        "rmsprop-momentum-only-with-weight-decay",
        "optimizers.RMSprop",
        "the momentum buffer is used only when weight_decay is set as well",
        "            if self.momentum > 0:",
        "            if self.momentum > 0 and self.weight_decay:",
        ("momentum-ignored",),
    ),
    # the velocity read before its update: every step a step behind (the first does not move)
    Mutant(
        "sgd-step-with-previous-velocity",
        "optimizers.SGD",
        "the velocity starts at zeros and the step reads it before the update, "
        "state['momentum_buffer'] = momentum * buf + (1 - dampening) * g, then p -= lr * buf with the old buf",
        "                if buf is None:\n"
        "                    buf = g.copy()  # the first step starts the velocity at the gradient\n"
        "                else:\n"
        "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n"
        '                state["momentum_buffer"] = buf\n',
        "                if buf is None:\n"
        "                    buf = np.zeros_like(g)\n"
        '                state["momentum_buffer"] = self.momentum * buf + (1.0 - self.dampening) * g\n',
        ("saved-state-stale",),
    ),
    # the CS231n Nesterov form, x += -mu * v_prev + (1 + mu) * v, with v_prev bound to the state's own array and the
    # velocity then updated into it (np.multiply/np.add with out=): the "previous" velocity is the new one
    Mutant(
        "sgd-nesterov-previous-velocity-not-copied",
        "optimizers.SGD",
        "prev = state['momentum_buffer'] (no copy), then np.multiply(buf, momentum, out=buf) and np.add(..., out=buf): "
        "prev is the updated velocity, so buf + momentum * (buf - prev) is buf from the second step on",
        "                if buf is None:\n"
        "                    buf = g.copy()  # the first step starts the velocity at the gradient\n"
        "                else:\n"
        "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n"
        '                state["momentum_buffer"] = buf\n'
        "                g = g + self.momentum * buf if self.nesterov else buf\n",
        "                if buf is None:\n"
        "                    prev = np.zeros_like(g)\n"
        "                    buf = g.copy()\n"
        '                    state["momentum_buffer"] = buf\n'
        "                else:\n"
        '                    prev = state["momentum_buffer"]\n'
        "                    np.multiply(buf, self.momentum, out=buf)\n"
        "                    np.add(buf, (1.0 - self.dampening) * g, out=buf)\n"
        "                g = buf + self.momentum * (buf - prev) if self.nesterov else buf\n",
        ("aliasing",),
    ),
    # the running size replaced by the denominator derived from it, computed in place on the state
    Mutant(
        "adagrad-denominator-built-in-the-sum",
        "optimizers.Adagrad",
        "s = state['sum']; s **= 0.5; s += eps; p -= clr * g / s: the sum of squares is replaced by sqrt(sum) + eps",
        '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
        '            s = state["sum"]\n'
        "            s **= 0.5\n"
        "            s += self.eps\n"
        "            p.data -= clr * (g / s)\n",
        ("saved-state-overwritten",),
    ),
    Mutant(
        "rmsprop-denominator-built-in-square-avg",
        "optimizers.RMSprop",
        "avg = state['square_avg']; avg **= 0.5; avg += eps: the average of squares is replaced by sqrt(v) + eps",
        '                avg = np.sqrt(state["square_avg"]) + self.eps\n',
        '                avg = state["square_avg"]\n                avg **= 0.5\n                avg += self.eps\n',
        ("saved-state-overwritten",),
    ),
    _adam(
        "adam-denominator-built-in-the-second-moment",
        "PyTorch's (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps) ported in place: denom = np.sqrt(v, out=v); "
        "denom /= ...; denom += eps, so exp_avg_sq (or the amsgrad maximum) holds the denominator",
        ("saved-state-overwritten",),
        (
            "            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps\n",
            "            denom = np.sqrt(v, out=v)\n"
            "            denom /= bias_correction2_sqrt\n"
            "            denom += self.eps\n",
        ),
    ),
    Mutant(
        "adadelta-std-built-in-square-avg",
        "optimizers.Adadelta",
        "std = state['square_avg']; std += eps; np.sqrt(std, out=std): the average of g^2 is replaced by its root",
        '            std = np.sqrt(state["square_avg"] + self.eps)\n',
        '            std = state["square_avg"]\n            std += self.eps\n            np.sqrt(std, out=std)\n',
        ("saved-state-overwritten",),
    ),
    # A running value computed and thrown away (a numpy function on a line of its own, as if it worked in place): the
    # entry stays at its start and the step, which rightly reads it, reads that start.
    _adam(
        "adam-amsgrad-fmax-result-unused",
        "with amsgrad, np.fmax(state['max_exp_avg_sq'], v) stands on a line of its own: its result is thrown away, "
        "max_exp_avg_sq stays zeros, and the denominator that reads it is eps alone",
        ("result-discarded",),
        (
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n',
            '                np.fmax(state["max_exp_avg_sq"], v)\n',
        ),
    ),
    Mutant(
        "adagrad-sum-added-not-stored",
        "optimizers.Adagrad",
        "np.add(state['sum'], g * g) on a line of its own: the sum stays at initial_accumulator_value for good",
        '            state["sum"] = state["sum"] + g * g\n',
        '            np.add(state["sum"], g * g)\n',
        ("result-discarded",),
    ),
    Mutant(
        "rmsprop-square-avg-not-stored",
        "optimizers.RMSprop",
        "the new average of squares goes to a name nothing reads: square_avg stays zeros and every step divides by eps",
        '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n',
        '            new_square_avg = a * state["square_avg"] + (1.0 - a) * g * g  # noqa: F841\n',
        ("result-discarded",),
    ),
    # A running average written as a lerp with the difference reversed: it moves away from what it averages.
    Mutant(
        "rmsprop-grad-avg-lerp-subtracted",
        "optimizers.RMSprop",
        "centered: grad_avg = grad_avg - (1 - alpha) * (g - grad_avg), the lerp towards g written away from it",
        '                state["grad_avg"] = a * state["grad_avg"] + (1.0 - a) * g\n',
        '                state["grad_avg"] = state["grad_avg"] - (1.0 - a) * (g - state["grad_avg"])\n',
        ("sign-flipped",),
    ),
    Mutant(
        "adadelta-acc-delta-lerp-reversed",
        "optimizers.Adadelta",
        "acc_delta -= (1 - rho) * (delta^2 - acc_delta) in place: the average of squared steps moves away from them",
        '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * delta * delta\n',
        '            acc = state["acc_delta"]\n            acc -= (1.0 - rho) * (delta * delta - acc)\n',
        ("sign-flipped",),
    ),
    _adam(
        "adam-exp-avg-lerp-reversed-weighted",
        "exp_avg = exp_avg + (1 - beta1) * (exp_avg - g): the first moment's lerp with the difference reversed",
        ("sign-flipped",),
        (
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n',
            '            state["exp_avg"] = state["exp_avg"] + (1.0 - beta1) * (state["exp_avg"] - g)\n',
        ),
    ),
]

# SGD's velocity update bound to a new name that nothing reads: the buffer keeps the first step's gradient for good.
MUTANTS += [
    Mutant(
        "sgd-velocity-update-bound-to-unread-name",
        "optimizers.SGD",
        "the velocity's update goes to a new name (velocity = ...) while the buffer stored and used stays buf: after "
        "the first step the velocity never changes",
        "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n",
        "                    velocity = self.momentum * buf + (1.0 - self.dampening) * g\n",
        ("result-discarded",),
    ),
]

_ADADELTA_STATE = (
    '        self.state = [{"square_avg": _zeros_like(p), "acc_delta": _zeros_like(p)} for p in self.params]\n'
)
# A division by 0 where the gradient is 0, each from another cause (the nan alone names none of them): eps left out of
# the one denominator, out of Adadelta's denominator root alone, the ratio of roots under one root without its
# parentheses, and an eps that is 0 because AdamW hands its weight decay (0 here) to Adam's eps.
MUTANTS += [
    Mutant(
        "adagrad-denominator-without-eps",
        "optimizers.Adagrad",
        "the step divides by sqrt(sum) alone, eps dropped: an entry whose gradients have all been 0 divides 0 by 0",
        '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
        '            p.data -= clr * g / np.sqrt(state["sum"])\n',
        ("eps-missing",),
    ),
    Mutant(
        "adadelta-denominator-root-as-power-without-eps",
        "optimizers.Adadelta",
        "the gradients' RMS is written square_avg ** 0.5, eps left out of that root (the numerator keeps its own)",
        '            std = np.sqrt(state["square_avg"] + self.eps)\n',
        '            std = state["square_avg"] ** 0.5\n',
        ("eps-missing",),
    ),
    Mutant(
        "adadelta-ratio-as-one-power-unbracketed",
        "optimizers.Adadelta",
        "the ratio is raised to 0.5 as one power, (u + eps / v + eps) ** 0.5: the division binds first",
        '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n',
        '            delta = (state["acc_delta"] + self.eps / state["square_avg"] + self.eps) ** 0.5 * g\n',
        ("precedence",),
    ),
    Mutant(
        "adamw-super-keywords-crossed",
        "optimizers.AdamW",
        "AdamW passes eps=weight_decay and weight_decay=eps on to Adam: the two hyper-parameters exchange values",
        "        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)\n",
        "        super().__init__(params, lr=lr, betas=betas, eps=weight_decay, weight_decay=eps, amsgrad=amsgrad)\n",
        ("wrong-hyperparameter",),
    ),
    Mutant(
        "adadelta-averages-one-zeros-array",
        "optimizers.Adadelta",
        "each parameter's two averages start as one zeros array, and step() updates them in place (*=, +=): "
        "square_avg and acc_delta are the same array",
        *span(
            "optimizers",
            (
                _ADADELTA_STATE,
                "        self.state = []\n"
                "        for p in self.params:\n"
                "            zeros = _zeros_like(p)\n"
                '            self.state.append({"square_avg": zeros, "acc_delta": zeros})\n',
            ),
            (
                '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g\n'
                '            std = np.sqrt(state["square_avg"] + self.eps)\n'
                '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n'
                '            state["acc_delta"] = rho * state["acc_delta"] + (1.0 - rho) * delta * delta\n',
                '            square_avg, acc_delta = state["square_avg"], state["acc_delta"]\n'
                "            square_avg *= rho\n"
                "            square_avg += (1.0 - rho) * g * g\n"
                "            std = np.sqrt(square_avg + self.eps)\n"
                "            delta = np.sqrt(acc_delta + self.eps) / std * g\n"
                "            acc_delta *= rho\n"
                "            acc_delta += (1.0 - rho) * delta * delta\n",
            ),
        ),
        ("aliasing",),
    ),
]
