"""Drill O: student bugs in the optimizers and the init functions, written by a teaching session.

This is a drill, not a blind measurement: its author (the teaching session for the optimizers and init) read the
reference, docs/api.md, the format of set Z, the tag vocabulary of graders/mutants and tests/heldout, and the rubric
it then taught. It never read set AA (tests/heldout/fresh_aa.py) nor another helper's drill. About 60 candidates
were written; check_set reported some 25 as copies of earlier bugs, and those were dropped. Four more were dropped as
not graded: hyper-parameter validation (Nesterov's check joined with `and`, Adadelta rejecting rho = 1, Adam
rejecting beta = 0, kaiming_normal not checking mode): the rubric grades no ValueError of the optimizers or the
initialisers, and the correct-but-different alternatives in tests/alternatives do not validate either.

Classes covered: interactions between pieces of code (AdamW's constructor dropping betas or lr on the way to Adam's,
RMSprop's centered path skipping momentum, the velocity stored under the centered mean's key and Adam's v under m's,
the state list built by multiplying one dict, Adam's step count advanced per parameter, the velocity saved at the
first step only), hyper-parameters and less visited paths (amsgrad's maximum of the bias-corrected average, Adam's
eps scaled by the correction, Adadelta's decay added to delta before acc_delta, SGD's first velocity lr * g, defaults
of AdamW's eps and lr, Kaiming's nonlinearity default, a = 0 taken as unset, SELU's 3 // 4, sigmoid missing from the
gain table, the gain computed in the leaky_relu branch only), formulas remembered wrongly (the gain under Kaiming's
root, a bound sqrt(3 * gain / fan), uniform draws shifted by one, fans of the reversed shape, the receptive field
of every other axis or of the last two) and numpy and Python semantics (math.sqrt on arrays, int() of a
hyper-parameter, np.square(g, out=g) and g *= g squaring the gradient in place, float32 weights, a (out, in) draw
broadcast over the kernel).

Blind rate: not applicable (a drill). Before teaching, 25 of the 29 candidates then kept were caught and 18 named
(4 of the 5 "misleading" were the right diagnosis under another tag, added to ``expect``); after teaching all are
caught and named, none misleading.

Three bugs were taken out after set AA was graded (RMSprop's momentum skipped when centered, Adadelta's state list built
by multiplying one dict, xavier_normal's float32 draw): set AA, written blind in the same hour, holds the same edits,
and keeps them.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import held_apart_bug, span

fresh = partial(held_apart_bug, "drill-o-")


DRILL_O: list[Mutant] = [
    # ---------------------------------------------------------------- SGD
    fresh(
        "drill-o-sgd-lr-inside-velocity",
        "optimizers.SGD",
        (
            "the first velocity is lr * g while later steps add (1 - dampening) * g and the step multiplies by lr "
            "again: b starts at g itself"
        ),
        (
            "                    buf = g.copy()  # the first step starts the velocity at the gradient\n",
            "                    buf = self.lr * g\n",
        ),
        expect=("lr-applied-twice", "times-lr", "dampening-on-first-step"),
        phrases=("first step", "lr"),
    ),
    # ---------------------------------------------------------------- Adagrad
    fresh(
        "drill-o-adagrad-math-sqrt",
        "optimizers.Adagrad",
        "the root is math.sqrt, which takes a scalar: the sum is an array, np.sqrt works entrywise",
        span(
            "optimizers",
            ("from collections.abc import Iterable\n", "import math\nfrom collections.abc import Iterable\n"),
            (
                '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
                '            p.data -= clr * (g / (math.sqrt(state["sum"]) + self.eps))\n',
            ),
        ),
        expect=("math-function-on-array", "python-builtin-on-array"),
        phrases=("math.sqrt", "np.sqrt"),
    ),
    fresh(
        "drill-o-adagrad-state-list-multiplied",
        "optimizers.Adagrad",
        (
            "the state list is one dict repeated ([{...}] * n): every parameter reads and writes the same sum; "
            "each parameter keeps its own accumulator"
        ),
        (
            "        self.state = [\n"
            '            {"sum": np.full(np.shape(p.data), self.initial_accumulator_value, dtype=np.float64)} '
            "for p in self.params\n"
            "        ]\n",
            "        self.state = [\n"
            '            {"sum": np.full(np.shape(self.params[0].data), self.initial_accumulator_value)}\n'
            "        ] * len(self.params)\n",
        ),
        expect=("state-shared-between-parameters", "aliasing"),
        phrases=("shared", "each parameter"),
    ),
    # ---------------------------------------------------------------- RMSprop
    fresh(
        "drill-o-rmsprop-grad-avg-reset-when-momentum",
        "optimizers.RMSprop",
        (
            "the momentum buffer is stored under grad_avg, the centered mean's key: each buffer needs its own "
            "state entry, the centered mean is overwritten by the velocity"
        ),
        (
            '                state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + g / avg\n'
            '                p.data -= self.lr * state["momentum_buffer"]\n',
            '                state["grad_avg"] = self.momentum * state["momentum_buffer"] + g / avg\n'
            '                p.data -= self.lr * state["grad_avg"]\n',
        ),
        expect=("state-key-mismatch", "copy-paste-wrong-state", "state-not-updated"),
        phrases=("grad_avg", "momentum_buffer"),
    ),
    # ---------------------------------------------------------------- Adadelta
    fresh(
        "drill-o-adadelta-eps-numerator-only",
        "optimizers.Adadelta",
        "eps is left out of the denominator's root (sqrt(v)): both roots carry it, sqrt(u + eps) / sqrt(v + eps)",
        (
            '            std = np.sqrt(state["square_avg"] + self.eps)\n',
            '            std = np.sqrt(state["square_avg"])\n',
        ),
        # added after reading output (eps-missing mended, the denominator's eps simulated): eps-missing
        expect=("eps-missing-in-denominator", "adadelta-eps-outside-sqrt", "eps-missing"),
        phrases=("eps", "denominator"),
    ),
    fresh(
        "drill-o-adadelta-decay-added-to-delta",
        "optimizers.Adadelta",
        (
            "weight decay is added to the step (delta + weight_decay * p) instead of to the gradient before the "
            "averages: g = grad + weight_decay * p feeds v, delta and u"
        ),
        span(
            "optimizers",
            (
                "                g = g + self.weight_decay * p.data\n"
                '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g\n',
                "                pass\n"
                '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g\n',
            ),
            (
                '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n',
                '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n'
                "            if self.weight_decay != 0:\n"
                "                delta = delta + self.weight_decay * p.data\n",
            ),
        ),
        expect=("weight-decay-after-scaling", "weight-decay-on-gradient", "decoupled-weight-decay"),
        phrases=("weight decay",),
    ),
    # ---------------------------------------------------------------- Adam / AdamW
    fresh(
        "drill-o-adam-amsgrad-max-of-corrected",
        "optimizers.Adam",
        (
            "amsgrad keeps the maximum of the bias-corrected v / (1 - beta2^t): the API keeps the maximum of the "
            "raw v and corrects it afterwards"
        ),
        (
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n'
            '                v = state["max_exp_avg_sq"]\n',
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v / bias_correction2)\n'
            '                v = state["max_exp_avg_sq"] * bias_correction2\n',
        ),
        # added after reading output (tag-vocabulary audit): amsgrad-max-of-corrected
        expect=("amsgrad-wrong-operand", "bias-correction-twice", "formula-wrong", "amsgrad-max-of-corrected"),
        phrases=("amsgrad", "bias"),
    ),
    fresh(
        "drill-o-adam-t-per-parameter",
        "optimizers.Adam",
        (
            "the step count is advanced inside the loop over parameters: t counts calls of step(), the same for "
            "every parameter"
        ),
        span(
            "optimizers",
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
        expect=("step-count-per-parameter", "state-shared-between-parameters", "t-counted-per-parameter"),
        phrases=("per parameter", "step count"),
    ),
    fresh(
        "drill-o-adam-eps-scaled-by-correction",
        "optimizers.Adam",
        (
            "the bias correction multiplies eps as well (denom = sqrt(v) / sqrt(1 - beta2^t) + eps / sqrt(1 - "
            "beta2^t)): eps is added after the correction"
        ),
        (
            "            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps\n",
            "            denom = (np.sqrt(v) + self.eps) / bias_correction2_sqrt\n",
        ),
        expect=("eps-inside-correction", "bias-correction-precedence", "eps-outside-sqrt", "adam-eps-hat"),
        phrases=("eps",),
    ),
    fresh(
        "drill-o-adamw-betas-not-passed",
        "optimizers.AdamW",
        (
            "AdamW's constructor does not pass betas on to Adam's: Adam's defaults are used whatever betas the "
            "caller gives"
        ),
        (
            "        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, "
            "amsgrad=amsgrad)\n",
            "        super().__init__(params, lr=lr, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)\n",
        ),
        expect=("hyperparameter-ignored", "betas-ignored"),
        phrases=("betas",),
    ),
    # ---------------------------------------------------------------- init
    fresh(
        "drill-o-kaiming-uniform-gain-under-root",
        "init.kaiming_uniform",
        "the bound is sqrt(3 * gain / fan): the gain multiplies the root, b = sqrt(3) * gain / sqrt(fan)",
        (
            "    std = gain / math.sqrt(fan)\n    bound = math.sqrt(3.0) * std\n",
            "    bound = math.sqrt(3.0 * gain / fan)\n",
        ),
        expect=("gain-under-root", "uniform-bound", "formula-wrong", "root-scope"),
        phrases=("gain", "root"),
    ),
    fresh(
        "drill-o-kaiming-uniform-shift-by-one",
        "init.kaiming_uniform",
        (
            "the draw is 2 * bound * U(0, 1) - 1: the shift must be the bound, 2 * bound * U(0, 1) - bound, for "
            "entries in [-bound, bound]"
        ),
        (
            "    weight = rng.uniform(-bound, bound, size=shape)\n    ### END SOLUTION\n    return weight\n\n\n"
            "def kaiming_normal(",
            "    weight = 2 * bound * rng.random(shape) - 1\n    ### END SOLUTION\n    return weight\n\n\n"
            "def kaiming_normal(",
        ),
        expect=("uniform-bound", "formula-wrong", "not-centred"),
        phrases=("bound", "mean"),
    ),
    fresh(
        "drill-o-xavier-uniform-size-two-axes",
        "init.xavier_uniform",
        (
            "the draw has size shape[:2] and is broadcast to the weight's shape: every kernel position repeats one "
            "(out, in) draw; draw every entry"
        ),
        (
            "    weight = rng.uniform(-bound, bound, size=shape)\n    ### END SOLUTION\n    return weight\n\n\n"
            "def xavier_normal(",
            "    kernel = (1,) * (len(shape) - 2)\n"
            "    weight = np.broadcast_to(rng.uniform(-bound, bound, size=shape[:2] + kernel), shape)\n"
            "    ### END SOLUTION\n    return weight\n\n\n"
            "def xavier_normal(",
        ),
        expect=("draw-broadcast", "entries-skipped", "dropout-one-draw"),
        phrases=("every entry", "repeat"),
    ),
    fresh(
        "drill-o-adamw-eps-default",
        "optimizers.AdamW",
        "AdamW's eps defaults to 1e-6: PyTorch's and the API's default is 1e-8, as in Adam",
        (
            "        eps: float = 1e-8,\n        weight_decay: float = 0.01,\n",
            "        eps: float = 1e-6,\n        weight_decay: float = 0.01,\n",
        ),
        expect=("eps-default", "default-changed"),
        phrases=("default", "eps"),
    ),
    fresh(
        "drill-o-adamw-lr-default",
        "optimizers.AdamW",
        "AdamW's lr defaults to 0.01 (the decay's default): the API's default learning rate is 0.001",
        (
            "        lr: float = 0.001,\n        betas: tuple[float, float] = (0.9, 0.999),\n"
            "        eps: float = 1e-8,\n        weight_decay: float = 0.01,\n",
            "        lr: float = 0.01,\n        betas: tuple[float, float] = (0.9, 0.999),\n"
            "        eps: float = 1e-8,\n        weight_decay: float = 0.01,\n",
        ),
        expect=("default-changed", "lr-default"),
        phrases=("default", "0.001"),
    ),
    fresh(
        "drill-o-kaiming-normal-relu-default",
        "init.kaiming_normal",
        (
            "kaiming_normal's nonlinearity defaults to relu: with a slope a given and the default nonlinearity the "
            "gain must be leaky_relu's sqrt(2 / (1 + a^2)), relu ignores a"
        ),
        (
            '    nonlinearity: str = "leaky_relu",\n    rng: np.random.Generator | None = None,\n) -> np.ndarray:\n'
            '    """A new float64 array from ``N(0, std^2)``, ``std = gain / sqrt(fan)``.\n',
            '    nonlinearity: str = "relu",\n    rng: np.random.Generator | None = None,\n) -> np.ndarray:\n'
            '    """A new float64 array from ``N(0, std^2)``, ``std = gain / sqrt(fan)``.\n',
        ),
        expect=("a-ignored", "default-changed", "nonlinearity-ignored"),
        phrases=("leaky_relu", "default"),
    ),
    fresh(
        "drill-o-kaiming-uniform-reversed-shape",
        "init.kaiming_uniform",
        (
            "the fans are taken of the reversed shape (in, out) as in a transposed matrix: the weight is (out, in, "
            "k...) and fan_in = in * prod(k)"
        ),
        (
            '    fan_in, fan_out = fan_in_and_fan_out(shape)\n    fan = fan_in if mode == "fan_in" else fan_out\n'
            "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n    bound =",
            '    fan_in, fan_out = fan_in_and_fan_out(shape[::-1])\n    fan = fan_in if mode == "fan_in" else fan_out\n'
            "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n    bound =",
        ),
        expect=("fans-swapped", "transposed-shape", "receptive-field-ignored"),
        phrases=("fan", "shape"),
    ),
    fresh(
        "drill-o-gain-slope-or-default",
        "init.kaiming_uniform",  # calculate_gain is graded through the Kaiming initialisers
        (
            "the slope is param or 0.01: the default a = 0 is falsy and becomes 0.01; only a missing param (None) "
            "means 0.01"
        ),
        (
            "        if param is None:\n            slope = 0.01\n",
            "        if not param:\n            slope = 0.01\n",
        ),
        expect=("zero-taken-as-unset", "default-changed"),
        phrases=("None", "0.01"),
    ),
    fresh(
        "drill-o-gain-selu-integer-division",
        "init.kaiming_normal",  # calculate_gain is graded through the Kaiming initialisers
        "selu's gain is 3 // 4 = 0 (floor division): it is 3/4",
        (
            "        return 3.0 / 4.0\n",
            "        return 3 // 4\n",
        ),
        expect=("integer-division", "floor-division", "selu-constants"),
        phrases=("3/4", "selu"),
    ),
    fresh(
        "drill-o-sgd-velocity-saved-first-step-only",
        "optimizers.SGD",
        (
            "the velocity is saved only when it is created: later steps compute b = momentum * b + (1 - dampening) "
            "* g but never store it, so every step starts again from the first step's b"
        ),
        (
            "                    buf = g.copy()  # the first step starts the velocity at the gradient\n"
            "                else:\n"
            "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n"
            '                state["momentum_buffer"] = buf\n',
            "                    buf = g.copy()  # the first step starts the velocity at the gradient\n"
            '                    state["momentum_buffer"] = buf\n'
            "                else:\n"
            "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n",
        ),
        expect=("state-not-updated", "velocity-not-stored", "state-not-saved", "state-reset"),
        phrases=("stored", "velocity"),
    ),
    fresh(
        "drill-o-adagrad-lr-decay-int",
        "optimizers.Adagrad",
        "lr_decay is stored as int(lr_decay): 0.1 becomes 0 and the rate never decays; keep it a float",
        (
            "        self.lr_decay = float(lr_decay)\n",
            "        self.lr_decay = int(lr_decay)\n",
        ),
        expect=("int-truncates-hyperparameter", "lr-decay-ignored", "hyperparameter-ignored"),
        phrases=("int", "lr_decay"),
    ),
    fresh(
        "drill-o-rmsprop-momentum-int",
        "optimizers.RMSprop",
        "momentum is stored as int(momentum): 0.9 becomes 0 and the momentum branch never runs; keep it a float",
        (
            "        self.momentum = float(momentum)\n        self.centered = bool(centered)\n",
            "        self.momentum = int(momentum)\n        self.centered = bool(centered)\n",
        ),
        expect=("int-truncates-hyperparameter", "momentum-ignored", "hyperparameter-ignored"),
        phrases=("int", "momentum"),
    ),
    fresh(
        "drill-o-rmsprop-square-in-place",
        "optimizers.RMSprop",
        (
            "the square is taken with np.square(g, out=g): g itself becomes g^2, so the step divides g^2 by avg (and "
            "without weight decay p.grad is squared in place); square into a new array"
        ),
        (
            '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n',
            '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * np.square(g, out=g)\n',
        ),
        expect=("modifies-grad", "aliasing", "view-rebound"),
        phrases=("in place", "out="),
    ),
    fresh(
        "drill-o-gain-sigmoid-missing",
        "init.kaiming_normal",  # calculate_gain is graded through the Kaiming initialisers
        "sigmoid is missing from the gain-1 names: calculate_gain('sigmoid') must return 1, not raise",
        (
            '    "conv_transpose3d",\n    "sigmoid",\n)\n',
            '    "conv_transpose3d",\n)\n',
        ),
        expect=("nonlinearity-missing",),
        phrases=("sigmoid",),
    ),
    fresh(
        "drill-o-fans-every-other-axis",
        "init.fan_in_and_fan_out",
        (
            "fan_out is the product of every other axis, math.prod(shape[::2]) (meant: all axes but the second): a "
            "(out, in, kH, kW) weight has fan_out = out * kH * kW"
        ),
        (
            "    fan_out = shape[0] * receptive_field\n",
            "    fan_out = math.prod(shape[::2])\n",
        ),
        expect=("receptive-field-partial", "fan-out-wrong-axis", "slice-bounds"),
        phrases=("fan_out", "kernel"),
    ),
    fresh(
        "drill-o-adamw-lr-not-passed",
        "optimizers.AdamW",
        "AdamW's constructor does not pass lr on to Adam's: the default 0.001 is used whatever lr the caller gives",
        (
            "        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, "
            "amsgrad=amsgrad)\n",
            "        super().__init__(params, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)\n",
        ),
        expect=("hyperparameter-ignored", "lr-ignored"),
        phrases=("lr",),
    ),
    fresh(
        "drill-o-adadelta-square-in-place",
        "optimizers.Adadelta",
        (
            "g is squared in place for the average (g *= g): delta then multiplies g^2, and without weight decay "
            "p.grad itself is squared; square into a new array"
        ),
        (
            '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g\n',
            '            g *= g\n            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g\n',
        ),
        expect=("modifies-grad", "aliasing"),
        phrases=("in place",),
    ),
    fresh(
        "drill-o-adam-second-moment-under-first-key",
        "optimizers.Adam",
        (
            "the second moment is stored under exp_avg (the key of the line above): v never carries over and m is "
            "overwritten by v each step; each average keeps its own key"
        ),
        (
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n'
            '            v = state["exp_avg_sq"]\n',
            '            state["exp_avg"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n'
            '            v = state["exp_avg"]\n',
        ),
        expect=("state-key-mismatch", "copy-paste-wrong-state", "state-reset"),
        phrases=("exp_avg_sq", "key"),
    ),
    fresh(
        "drill-o-fans-last-two-kernel-axes",
        "init.fan_in_and_fan_out",
        (
            "the receptive field is the product of the last two axes whenever there is a kernel: for (out, in, k) "
            "that multiplies in by k, and a 3-D kernel loses kD; it is the product of every axis after the first two"
        ),
        (
            "    receptive_field = math.prod(shape[2:])\n",
            "    receptive_field = math.prod(shape[-2:]) if len(shape) > 2 else 1\n",
        ),
        expect=("receptive-field-partial", "fixed-number-of-axes", "slice-bounds"),
        phrases=("receptive field", "kernel"),
    ),
    fresh(
        "drill-o-kaiming-uniform-gain-only-leaky",
        "init.kaiming_uniform",
        (
            "the gain is computed only for leaky_relu and is 1 otherwise: every nonlinearity has its gain, "
            "calculate_gain(nonlinearity, a) (tanh 5/3, relu sqrt(2))"
        ),
        (
            "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n    bound =",
            '    gain = calculate_gain(nonlinearity, a) if nonlinearity == "leaky_relu" else 1.0\n'
            "    std = gain / math.sqrt(fan)\n    bound =",
        ),
        expect=("gain-in-one-branch", "gain-missing", "nonlinearity-ignored"),
        phrases=("leaky_relu only", "nonlinearity"),
    ),
]
