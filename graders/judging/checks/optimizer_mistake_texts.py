"""What each simulated optimizer mistake is, in a sentence for the student.

``MISTAKES[formula][tag]`` completes "Cause: ..." when the simulation of ``tag``
(:mod:`.optimizer_mistakes`) reproduces the student's numbers; ``tag#variant`` is a second way
of writing the same mistake. Two names of one mistake share a sentence in ``ONE_MISTAKE``.
"""

from __future__ import annotations

_WD = "the gradient with weight decay is grad + weight_decay * p"
DEFAULT_EPS = {
    "adagrad": 1e-10,
    "rmsprop": 1e-8,
    "adadelta": 1e-6,
    "adam": 1e-8,
    "adamw": 1e-8,
}
# Mistakes of every optimizer with an L2 term (Adam's included; AdamW's decay is its own).
_L2 = {
    "weight-decay-ignored": f"weight_decay was ignored; {_WD}",
    "weight-decay-times-lr": (
        "the weight decay term was multiplied by lr before it joined the gradient (grad + lr * weight_decay * p), "
        f"so lr scales it twice; {_WD}, and the step multiplies by lr once"
    ),
    "weight-decay-wrong-sign": (
        f"weight_decay * p was subtracted from the gradient, which pushes weights away from zero; {_WD}"
    ),
    "weight-decay-constant": (
        "the decay term was the constant weight_decay, the same for every weight (grad + weight_decay); the L2 "
        f"term is proportional to the weight, weight_decay * p: {_WD}"
    ),
    "weight-decay-l1": (
        "the decay term was weight_decay * sign(p), the gradient of an L1 penalty; weight decay is the L2 penalty "
        f"weight_decay/2 * |p|^2, whose gradient is proportional to the weight: {_WD}"
    ),
    "weight-decay-on-gradient": (
        "the decay term multiplied the gradient, grad + weight_decay * grad; it multiplies the weight: "
        f"{_WD} (the L2 penalty weight_decay/2 * |p|^2 pulls p towards zero)"
    ),
    "weight-decay-doubled": (
        "the decay term was applied twice, grad + 2 * weight_decay * p (added twice, or the derivative of "
        f"weight_decay * |p|^2); {_WD}, once"
    ),
    "weight-decay-halved": (
        "the decay term was halved, grad + 0.5 * weight_decay * p: the 1/2 of the penalty weight_decay/2 * |p|^2 "
        f"was kept in its derivative, but the derivative of weight_decay/2 * |p|^2 is weight_decay * p; {_WD}"
    ),
    "weight-decay-squared": (
        "the decay term was weight_decay * p^2, the shape of the penalty, not its derivative: p^2 is never "
        f"negative, so negative weights are pushed further down; {_WD} (the gradient of weight_decay/2 * |p|^2)"
    ),
    # g = g + (weight_decay * p if weight_decay != 0 else g): the conditional expression's parentheses add g to g
    "conditional-expression-precedence#decay": (
        "without weight decay the gradient was doubled, g + g: a conditional expression was grouped wrongly, g + "
        "(weight_decay * p if weight_decay != 0 else g) adds g to both branches; `x if c else y` takes everything "
        "left of `if` as x, so write g + weight_decay * p if weight_decay != 0 else g (or add the term in an `if`)"
    ),
    # the penalty's gradient returned or assigned in place of the gradient it is added to
    "gradient-dropped": (
        "with weight decay the gradient was replaced by the L2 term alone, g = weight_decay * p (the penalty's "
        f"gradient returned or assigned without the gradient itself); the term is added to the gradient: {_WD}"
    ),
}
_AFTER_SCALING_NO_LR = (
    "weight decay was subtracted from p after the adaptive step, p -= weight_decay * p, outside lr and the "
    "scaling (decoupled), so it neither enters the {size} nor is divided by its root; the L2 term joins the "
    f"gradient first: {_WD}"
)
# Mistakes of every optimizer that divides by a running size of the gradients.
_AFTER_SCALING = (
    "weight decay was added to the step after the adaptive scaling (decoupled, as AdamW does), so it neither "
    "enters the {size} nor is divided by its root; the L2 term joins the gradient first: "
    f"{_WD}, and the step scales that g"
)
_SIZE = {
    "squares-without-decay": (
        "the squared gradients were accumulated without the weight decay term (from p.grad, or the decay "
        "added only after the squares were accumulated); the sum or average of squares uses the same g as the "
        f"step, so the decay comes first: {_WD}"
    ),
    "gradient-not-squared": ("the running size accumulated |g| instead of g^2: it is an average of squares, g * g"),
    "sqrt-missing": ("the update divided by the accumulated g^2 itself, not by its square root (sqrt(...) + eps)"),
    "gradient-not-squared#signed": (
        "the running size accumulated g itself instead of g^2 (its square root is nan where the sum turns "
        "negative): it is a sum or average of squares, g * g"
    ),
    # one number for the whole parameter (np.mean(g * g), np.sum(g * g)) where each coordinate has its own
    "not-per-coordinate": (
        "the running size of the gradients was one number for the whole parameter (np.mean(g * g) instead of "
        "g * g), so every coordinate got the same step size; it is kept per coordinate, elementwise: each entry "
        "accumulates its own g^2"
    ),
    "not-per-coordinate#sum": (
        "the running size of the gradients was one number for the whole parameter (np.sum(g * g) instead of "
        "g * g), so every coordinate got the same step size; it is kept per coordinate, elementwise: each entry "
        "accumulates its own g^2"
    ),
}
# A square root typed x**1/2, which Python reads as (x**1) / 2: half of x, not its root.
_ROOT_HALVED = (
    "the square root of {what} was written as a power without parentheses, x**1/2, which Python reads as "
    "(x**1) / 2, half of x, not its root (operator precedence): write x**0.5, x**(1/2) or np.sqrt(x)"
)
# What every formula with a running average, a step count or a square root says alike, filled per formula.
_RATE_SWAPPED = (
    "{rate} and 1 - {rate} were swapped in {avg}: {avg} = {rate} * {avg} + (1 - {rate}) * {x} keeps {rate} of the "
    "old average"
)
_COMPLEMENT_MISSING = (
    "{avg} added the whole {x}, {avg} = {rate} * {avg} + {x}; it is an average: {avg} = {rate} * {avg} + "
    "(1 - {rate}) * {x}"
)
_SQUARED_AFTER_AVERAGE = (
    "the gradients were averaged and the average squared, (average of g)^2; v is the average of the squares, "
    "v = {rate} * v + (1 - {rate}) * g^2"
)
_PRECEDENCE = (
    "the parentheses around 1 - {rate} were left out, {avg} = {rate} * {avg} + 1 - {rate} * {x}: the average "
    "added 1 - {rate} * {x} instead of (1 - {rate}) * {x}; it is {avg} = {rate} * {avg} + (1 - {rate}) * {x}"
)
_EPS_INSIDE_SQRT = "eps was added inside the square root; it goes outside: {rule}"
# The step count t kept wrong, where {uses} (lr_decay, the bias corrections) reads t.
_PER_PARAMETER = (
    "the step count t grew once per parameter instead of once per step(); {uses} the number of step() calls"
)
_DOUBLED = (
    "the step count t grew by 2 per step() (incremented twice, e.g. in two places), so {uses} t = 2, 4, 6, ...; "
    "t += 1 once per step()"
)
_DOUBLED_LATE = (
    "the step count t grew by 2 per step() (incremented before its use and again after it), so {uses} "
    "t = 1, 3, 5, ...; t += 1 once per step()"
)


# Keyed by formula: "sgd", "adagrad", "rmsprop", "adadelta", "adam" (L2 decay), "adamw" (decoupled decay).
MISTAKES: dict[str, dict[str, str]] = {
    "sgd": {
        "momentum-ignored": (
            "the velocity was updated and kept, but the step used the plain gradient g, not the velocity: without "
            "nesterov SGD steps along b (p -= lr * b), so as written momentum changes nothing"
        ),
        "momentum-wrong-sign": (
            "the old velocity entered with the wrong sign; it is b = momentum * b + (1 - dampening) * g"
        ),
        "precedence#dampening": (
            "the parentheses around 1 - dampening were left out, b = momentum * b + 1 - dampening * g: the velocity "
            "added 1 - dampening * g instead of (1 - dampening) * g; it is b = momentum * b + (1 - dampening) * g"
        ),
        "lr-applied-twice#velocity": (
            "the learning rate was applied twice: the velocity accumulated lr * g, b = momentum * b + lr * (1 - "
            "dampening) * g, and the step multiplied by lr again, p -= lr * b; lr scales the step once: b = "
            "momentum * b + (1 - dampening) * g, then p -= lr * b"
        ),
        "dampening-on-first-step": (
            "the first velocity was dampened, b = (1 - dampening) * g, which is also what a velocity started at "
            "zeros gives (b = momentum * 0 + (1 - dampening) * g); PyTorch starts it at the gradient itself, "
            "b = g, and dampens later steps only"
        ),
        "dampening-ignored": "dampening was ignored: b = momentum * b + (1 - dampening) * g",
        "dampening-inverted": ("the new gradient was scaled by dampening instead of (1 - dampening)"),
        "dampening-on-velocity": (
            "dampening scaled the whole new velocity, (1 - dampening) * (momentum * b + g); dampening applies to "
            "the new gradient only: b = momentum * b + (1 - dampening) * g"
        ),
        "momentum-on-velocity-and-gradient": (
            "momentum multiplied the new gradient too, b = momentum * (b + (1 - dampening) * g); it keeps a "
            "share of the old velocity only: b = momentum * b + (1 - dampening) * g"
        ),
        "dampening-on-velocity#old": (
            "dampening scaled the old velocity, (1 - dampening) * momentum * b + g, instead of the new gradient; "
            "dampening applies to the new gradient only: b = momentum * b + (1 - dampening) * g"
        ),
        "nesterov-ignored": (
            "nesterov=True was ignored, or its look-ahead used the velocity from before this step "
            "(the two agree without dampening): update b first, then step along g + momentum * b"
        ),
        "nesterov-old-buffer": (
            "the Nesterov look-ahead used the velocity from before this step; update b first, "
            "then step along g + momentum * b"
        ),
        "nesterov-missing-gradient": (
            "the Nesterov step was momentum * b alone; it is g + momentum * b, the gradient plus the look-ahead"
        ),
        "nesterov-wrong-operand#velocity-for-gradient": (
            "the Nesterov step was b + momentum * b, the velocity where the gradient goes; it is g + momentum * b: "
            "the look-ahead momentum * b is added to the gradient"
        ),
        "nesterov-wrong-operand#gradient-for-velocity": (
            "the Nesterov step was g + momentum * g, the gradient where the velocity goes; it is g + momentum * b, "
            "with b the velocity after this step's update"
        ),
        "nesterov-wrong-operand#swapped": (
            "the Nesterov step was b + momentum * g, the velocity and the gradient swapped; it is g + momentum * b: "
            "the look-ahead momentum * b is added to the gradient"
        ),
        # p -= lr * weight_decay * p before the momentum update, or weight_decay * p added to the step after
        # it: the same numbers in every case.
        "weight-decay-after-momentum": (
            "the weight decay never entered the velocity: it was applied outside the momentum buffer (p shrunk "
            "directly, lr * weight_decay * p, as AdamW's decoupled decay does, or weight_decay * p added to the step "
            "after the momentum update); SGD's decay joins the gradient first, g = grad + weight_decay * p, and the "
            "velocity b accumulates g"
        ),
        **_L2,
        "weight-decay-ignored": (
            f"weight_decay was ignored (applied only with momentum?); {_WD}, with or without momentum"
        ),
        "weight-decay-after-scaling#without-lr": (
            "weight decay was subtracted from p outside lr, p -= lr * g + weight_decay * p (and outside the "
            f"momentum); the L2 term joins the gradient first: {_WD}, and lr scales both"
        ),
        "dampening-without-momentum": (
            "dampening was applied with momentum = 0; without momentum there is no velocity and "
            "the step is lr * g (PyTorch ignores dampening then)"
        ),
        "zero-velocity-restarted": (
            "an all-zero velocity was taken for 'no velocity yet' and restarted undamped (b = g); "
            "only the very first step starts b at g: keep None (or a flag) until then"
        ),
        "nesterov-without-decay": (
            "the Nesterov look-ahead added momentum * b to the raw gradient; use the gradient "
            "with weight decay, g = grad + weight_decay * p, there too"
        ),
        "velocity-initialised-and-updated": (
            "at the first step the velocity was set to g and then updated as well (b = momentum * g + "
            "(1 - dampening) * g); the first step only sets b = g, later steps update it"
        ),
        "momentum-as-average": (
            "the velocity was a moving average, b = momentum * b + (1 - momentum) * g, as Adam's m is; SGD's "
            "momentum adds the gradient, b = momentum * b + (1 - dampening) * g"
        ),
        "momentum-as-average#zero-start": (
            "the velocity was a moving average started at zeros, b = momentum * b + (1 - momentum) * g, as "
            "Adam's m is; SGD's momentum starts at b = g and adds the gradient, b = momentum * b + "
            "(1 - dampening) * g"
        ),
        "momentum-as-average#look-ahead": (
            "the Nesterov direction was an average of the velocity and the gradient, d = momentum * b + (1 - "
            "momentum) * g, so the gradient's share was scaled down by 1 - momentum; the look-ahead adds the whole "
            "gradient to the velocity's share: d = g + momentum * b"
        ),
        "momentum-on-velocity-and-gradient#dampening-lost": (
            "momentum multiplied the new gradient too, b = momentum * (b + g), and dampening was dropped with the "
            "brackets; momentum keeps a share of the old velocity only, and dampening scales the new gradient: b = "
            "momentum * b + (1 - dampening) * g"
        ),
    },
    "adagrad": {
        "lr-decay-off-by-one": (
            "the learning rate decay was off by one step: it counted from t instead of t - 1 (or t was one ahead, "
            "incremented before use from 1): lr_t = lr / (1 + (t - 1) * lr_decay), so the first step uses lr"
        ),
        "lr-decay-ignored": "lr_decay was ignored: lr_t = lr / (1 + (t - 1) * lr_decay)",
        "lr-decay-compounded": (
            "the decay was compounded (lr divided by 1 + lr_decay at every step); it is lr / (1 +"
            " (t - 1) * lr_decay) with t the number of steps"
        ),
        "lr-decay-compounded#exponential": (
            "the learning rate decayed exponentially, lr * (1 - lr_decay)^(t - 1) (compounded at every step); "
            "Adagrad's decay is lr / (1 + (t - 1) * lr_decay) with t the number of steps"
        ),
        "lr-decay-compounded#exp": (
            "the learning rate decayed exponentially, lr * exp(-(t - 1) * lr_decay); Adagrad's decay is "
            "lr / (1 + (t - 1) * lr_decay) with t the number of steps"
        ),
        "lr-decay-linear": (
            "the learning rate decayed linearly, lr * (1 - (t - 1) * lr_decay); Adagrad divides: "
            "lr / (1 + (t - 1) * lr_decay)"
        ),
        "lr-decay-square-root": (
            "the learning rate was divided by sqrt(1 + (t - 1) * lr_decay); Adagrad's decay has no square root: "
            "lr / (1 + (t - 1) * lr_decay)"
        ),
        "weight-decay-after-scaling": _AFTER_SCALING.format(size="sum of squares"),
        "weight-decay-after-scaling#without-lr": _AFTER_SCALING_NO_LR.format(size="sum of squares"),
        "eps-inside-sqrt": _EPS_INSIDE_SQRT.format(rule="g / (sqrt(sum) + eps)"),
        "initial-accumulator-ignored": ("the sum of squares started at 0 instead of initial_accumulator_value"),
        "initial-value-every-step#initial-accumulator": (
            "initial_accumulator_value was added to the sum of squares at every step, sum = sum + g^2 + "
            "initial_accumulator_value: a starting value applied again at each step piles up (t + 1 of it after t "
            "steps); the sum starts at initial_accumulator_value once, when the state is created, and each step "
            "adds only g^2"
        ),
        "integer-buffer-truncates#initial-accumulator": (
            "the sum of squares started at initial_accumulator_value truncated to an integer (0.1 became 0): the "
            "buffer was created with an integer dtype (np.full(..., dtype=int)), and an int array stores only the "
            "integer part of what is put in it; create the state as float64 "
            "(np.full(shape, initial_accumulator_value, dtype=np.float64))"
        ),
        **_L2,
        **_SIZE,
        "squares-without-decay": (
            "the sum of squares accumulated the raw gradient p.grad ** 2; it accumulates the g the step uses, "
            f"with weight decay: {_WD}, then sum += g * g"
        ),
        "step-count-not-kept": (
            "the step count t stayed at 1; lr_decay needs the number of step() calls so far (keep it on self)"
        ),
        "step-count-off-by-one#late": (
            "the step count was off by one, one step behind: t was incremented after lr_t was computed (t = 0 at "
            "the first step, so it used lr / (1 - lr_decay)); increment t first, then lr_t = lr / (1 + (t - 1) * "
            "lr_decay), which is lr at the first step()"
        ),
        "step-count-doubled": _DOUBLED.format(uses="lr_decay uses"),
        "step-count-doubled#late": _DOUBLED_LATE.format(uses="lr_decay uses"),
        "lr-decay-precedence": (
            "the parentheses of the decay were misplaced, lr / (1 + (t - 1)) * lr_decay: the schedule became "
            "lr * lr_decay / t (0 when lr_decay = 0); it is lr / (1 + (t - 1) * lr_decay)"
        ),
        "lr-decay-precedence#division-first": (
            "the parentheses of the decay were missing, lr / 1 + (t - 1) * lr_decay: lr_decay was added to lr "
            "instead of dividing it; it is lr / (1 + (t - 1) * lr_decay)"
        ),
        "lr-decay-precedence#t-unbracketed": (
            "the brackets around t - 1 were missing, lr / (1 + t - 1 * lr_decay): 1 * lr_decay is taken first, so "
            "the rate was lr / (1 + t - lr_decay), already lr / 2 at the first step with lr_decay = 0; bracket it, "
            "lr / (1 + (t - 1) * lr_decay), which is lr at the first step()"
        ),
        "lr-decay-inverted": (
            "the learning rate was multiplied by 1 + (t - 1) * lr_decay, so it grows with t; the decay divides: "
            "lr_t = lr / (1 + (t - 1) * lr_decay)"
        ),
        "lr-decay-applied-twice": (
            "the learning-rate decay was applied twice, lr / (1 + (t - 1) * lr_decay)^2 (the decayed lr divided "
            "by the decay again); lr_t = lr / (1 + (t - 1) * lr_decay), once"
        ),
        "t-counted-per-parameter": _PER_PARAMETER.format(uses="lr_decay uses"),
    },
    "rmsprop": {
        "centered-mean-of-squares": (
            "the centered running mean (grad_avg) averaged g^2, as the line above it does, instead of g itself: "
            "centering subtracts the square of the mean of g, m <- alpha * m + (1 - alpha) * g"
        ),
        "centered-ignored": (
            "centered=True was ignored: the centered variant divides by sqrt(v - m^2) + eps, with"
            " m the running average of the gradients"
        ),
        "centered-old-mean": (
            "the centered variance used the mean of the gradients from before this step (v - m_old^2); "
            "update m with this gradient first, then divide by sqrt(v - m^2) + eps"
        ),
        "centered-wrong-sign": ("the centered variant added m^2 to v; the variance is v - m^2"),
        "centered-variance-reversed": (
            "the centered variance was reversed, m^2 - v instead of v - m^2 (square_avg - grad_avg ** 2): the square "
            "of the mean is never above the mean of the squares, so m^2 - v is never positive, the clamp at 0 leaves "
            "0, and every step divides by eps alone"
        ),
        # The numbers (and the state, a buffer left at zeros or never read) of a buffer updated and not used and of a
        # momentum branch that never runs (a condition on the wrong value or option) are the same: the text says both.
        "momentum-ignored": (
            "momentum had no effect: the step used g / (sqrt(v) + eps), not the momentum buffer: either the "
            "buffer was updated and kept but the step did not use it, or the momentum branch never ran with these "
            "settings (its condition tests the wrong value or option: momentum > 1, momentum only when not "
            "centered, an elif after the centered branch); with momentum > 0, centered or not, RMSprop steps along "
            "b = momentum * b + g / avg, p -= lr * b"
        ),
        "eps-inside-sqrt": _EPS_INSIDE_SQRT.format(rule="sqrt(v) + eps"),
        "average-started-at-first-value": (
            "v was started at the first g^2 instead of zeros; v starts at 0 and every step, the first "
            "included, is v = alpha * v + (1 - alpha) * g^2"
        ),
        "alpha-complement-missing": _COMPLEMENT_MISSING.format(rate="alpha", avg="v", x="g^2"),
        "alpha-swapped": _RATE_SWAPPED.format(rate="alpha", avg="v", x="g^2"),
        "precedence#alpha": _PRECEDENCE.format(rate="alpha", avg="v", x="g^2"),
        "alpha-swapped#both": (
            "alpha and 1 - alpha were swapped in both running averages: v = alpha * v + (1 - alpha) * g^2 and "
            "m = alpha * m + (1 - alpha) * g keep alpha of the old average"
        ),
        "alpha-swapped#mean": _RATE_SWAPPED.format(rate="alpha", avg="grad_avg", x="g")
        + " (centered: the running mean of g decays like the average of squares, with alpha of the old value)",
        "rmsprop-bias-corrected": (
            "the average was bias-corrected like Adam's; RMSprop divides by sqrt(v) + eps without correction"
        ),
        "momentum-before-scaling": (
            "momentum accumulated the raw gradient and divided afterwards; it accumulates the "
            "scaled step: b = momentum * b + g / (sqrt(v) + eps)"
        ),
        "raw-gradient-in-step#momentum-buffer": (
            "with momentum the buffer accumulated the raw gradient, b = momentum * b + g, and the step was lr * b, "
            "so g was never divided by avg = sqrt(v) + eps (SGD's momentum step, the running average kept but "
            "unused); RMSprop's buffer holds the normalised step: b = momentum * b + g / avg, p -= lr * b"
        ),
        "momentum-as-average": (
            "the momentum buffer was a moving average, b = momentum * b + (1 - momentum) * g / avg; RMSprop's "
            "momentum adds the whole scaled step: b = momentum * b + g / (sqrt(v) + eps)"
        ),
        "momentum-on-velocity-and-gradient": (
            "momentum multiplied the new scaled step too, b = momentum * (b + g / avg); it keeps a share of the old "
            "velocity only: b = momentum * b + g / (sqrt(v) + eps)"
        ),
        **_L2,
        **_SIZE,
        "squared-after-average": _SQUARED_AFTER_AVERAGE.format(rate="alpha"),
        "weight-decay-after-scaling": _AFTER_SCALING.format(size="average of squares"),
        "weight-decay-after-scaling#without-lr": _AFTER_SCALING_NO_LR.format(size="average of squares"),
        "centered-mean-not-squared": (
            "the centered variance subtracted the running mean m itself, v - m; it subtracts the square of the "
            "mean, m^2: avg = sqrt(v - m^2) + eps (the variance is the mean of the squares minus the squared mean)"
        ),
        "centered-mean-not-squared#abs": (
            "the centered variance subtracted the size of the running mean, v - |m|; it subtracts the square of "
            "the mean, m^2: avg = sqrt(v - m^2) + eps (the variance is the mean of the squares minus the squared "
            "mean)"
        ),
        "centered-mean-without-decay": (
            "the running mean of the centered variant used the raw gradient; it averages g = grad "
            "+ weight_decay * p, like v"
        ),
    },
    "adadelta": {
        "adadelta-lr-ignored": "lr was ignored: the update is p -= lr * delta",
        "adadelta-lr-in-accumulator": (
            "lr was folded into delta before acc_delta accumulated it; acc_delta averages the squares of "
            "delta = sqrt(acc_delta + eps) / sqrt(square_avg + eps) * g, and lr scales only the step p -= lr * delta"
        ),
        "adadelta-eps-outside-sqrt": (
            "eps was added outside the square roots; Adadelta uses sqrt(acc_delta + eps) / sqrt(square_avg + eps)"
        ),
        "adadelta-accumulates-gradient": (
            "acc_delta accumulated g^2; it is the running average of the squared steps: acc_delta = rho * "
            "acc_delta + (1 - rho) * delta^2"
        ),
        "adadelta-eps-numerator-missing": (
            "eps was left out of sqrt(acc_delta + eps): acc_delta starts at 0, so delta = 0 and nothing ever "
            "moves; eps in the numerator is what starts Adadelta"
        ),
        "adadelta-stale-average": (
            "delta used the average of g^2 from before this step; update square_avg with this gradient first"
        ),
        "adadelta-accumulator-order": (
            "the step used acc_delta after it had been updated with this step's delta; delta is computed from "
            "the acc_delta of the previous steps, then acc_delta is updated, then p -= lr * delta"
        ),
        "adadelta-ratio-inverted": (
            "the ratio was inverted, sqrt(square_avg + eps) / sqrt(acc_delta + eps); delta = "
            "sqrt(acc_delta + eps) / sqrt(square_avg + eps) * g"
        ),
        "rho-complement-missing": _COMPLEMENT_MISSING.format(rate="rho", avg="square_avg", x="g^2"),
        "rho-swapped": "rho and 1 - rho were swapped in both running averages: v = rho * v + (1 - rho) * g^2",
        "rho-swapped#square-avg": _RATE_SWAPPED.format(rate="rho", avg="square_avg", x="g^2"),
        "rho-swapped#acc-delta": _RATE_SWAPPED.format(rate="rho", avg="acc_delta", x="delta^2"),
        "precedence#rho": _PRECEDENCE.format(rate="rho", avg="square_avg", x="g^2"),
        **_L2,
        "squares-without-decay": _SIZE["squares-without-decay"],
        "gradient-not-squared": _SIZE["gradient-not-squared"],
        "gradient-not-squared#signed": _SIZE["gradient-not-squared#signed"],
        "not-per-coordinate": _SIZE["not-per-coordinate"],
        "not-per-coordinate#sum": _SIZE["not-per-coordinate#sum"],
        "weight-decay-after-scaling": _AFTER_SCALING.format(size="average of squares"),
        "weight-decay-after-scaling#without-lr": _AFTER_SCALING_NO_LR.format(size="average of squares"),
        "adadelta-eps-outside-sqrt#numerator": (
            "eps was added outside the square root of acc_delta, sqrt(acc_delta) + eps; Adadelta uses "
            "sqrt(acc_delta + eps) / sqrt(square_avg + eps)"
        ),
        "sqrt-missing": (
            "the square roots were left out: delta = (acc_delta + eps) / (square_avg + eps) * g; Adadelta divides "
            "the root mean squares, sqrt(acc_delta + eps) / sqrt(square_avg + eps)"
        ),
        "sqrt-missing#numerator": (
            "the square root of the numerator was left out: (acc_delta + eps) / sqrt(square_avg + eps); the step "
            "is the ratio of root mean squares, sqrt(acc_delta + eps) / sqrt(square_avg + eps) * g"
        ),
        "sqrt-missing#denominator": (
            "the square root of the denominator was left out: sqrt(acc_delta + eps) / (square_avg + eps); the "
            "step is the ratio of root mean squares, sqrt(acc_delta + eps) / sqrt(square_avg + eps) * g"
        ),
        "adadelta-step-not-squared": (
            "acc_delta accumulated |delta| instead of delta^2; it is the running average of the squared steps, "
            "acc_delta = rho * acc_delta + (1 - rho) * delta^2, whose square root is taken"
        ),
        "adadelta-eps-outside-sqrt#denominator": (
            "eps was added outside the square root of square_avg, sqrt(square_avg) + eps; Adadelta uses "
            "sqrt(acc_delta + eps) / sqrt(square_avg + eps)"
        ),
        # sqrt(x + eps) written sqrt(x) + sqrt(eps): a square root does not split over a sum
        **{
            f"adadelta-eps-outside-sqrt#root-split{part}": (
                f"{which} was split into a sum of roots, {wrote}: eps belongs under the root with the average, and "
                "a square root does not split over a sum (sqrt(x + eps) is not sqrt(x) + sqrt(eps)); Adadelta uses "
                "sqrt(acc_delta + eps) / sqrt(square_avg + eps)"
            )
            for part, which, wrote in (
                ("", "each root", "sqrt(acc_delta) + sqrt(eps) over sqrt(square_avg) + sqrt(eps)"),
                ("@numerator", "the root of acc_delta + eps", "sqrt(acc_delta) + sqrt(eps)"),
                ("@denominator", "the root of square_avg + eps", "sqrt(square_avg) + sqrt(eps)"),
            )
        },
    },
}
_ADAM = {
    "adam-no-bias-correction": (
        "Adam without bias correction: m and v start at zero, so divide them by (1 - beta1^t) and (1 - beta2^t)"
    ),
    "momentum-ignored#first-moment": (
        "the first moment m was updated and kept, but the step used the gradient g where m belongs: Adam steps "
        "along m_hat / (sqrt(v_hat) + eps), so as written its momentum has no effect"
    ),
    "adam-no-bias-correction-m": ("the first moment m was not bias-corrected: divide it by 1 - beta1^t"),
    "adam-no-bias-correction-v": ("the second moment v was not bias-corrected: divide it by 1 - beta2^t"),
    "eps-inside-sqrt": _EPS_INSIDE_SQRT.format(rule="m_hat / (sqrt(v_hat) + eps)"),
    "eps-inside-sqrt#before-correction": (
        "eps was added to v inside the square root, before the bias correction, sqrt((v + eps) / (1 - beta2^t)); "
        "Adam adds it outside, after: m_hat / (sqrt(v_hat) + eps)"
    ),
    "t-counted-per-parameter": _PER_PARAMETER.format(uses="the bias corrections use"),
    "step-count-not-kept": (
        "the step count t stayed at 1: keep it on self, add 1 per step(), and do not reset it in zero_grad()"
    ),
    "step-count-off-by-one": (
        "the bias corrections used t + 1 (t = 2 at the first step: t started at 1 and was incremented "
        "before use); the first step() has t = 1"
    ),
    "step-count-doubled": _DOUBLED.format(uses="the bias corrections use"),
    "step-count-doubled#late": _DOUBLED_LATE.format(uses="the bias corrections use"),
    "betas-swapped": "beta1 and beta2 were swapped: m uses beta1 (0.9), v uses beta2 (0.999)",
    "beta1-swapped": _RATE_SWAPPED.format(rate="beta1", avg="m", x="g"),
    "average-started-at-first-value": (
        "m and v were started at the first g and g^2 instead of zeros; they start at 0, which the bias "
        "correction 1 / (1 - beta^t) accounts for"
    ),
    "corrected-moment-stored": (
        "the bias-corrected m_hat and v_hat were written back into the state, so the next step corrects them "
        "again; keep m and v uncorrected and correct a copy: m_hat = m / (1 - beta1^t)"
    ),
    "corrected-moment-stored#m": (
        "the bias-corrected m_hat was written back into the state, so the next step corrects it again; keep m "
        "uncorrected and correct a copy: m_hat = m / (1 - beta1^t)"
    ),
    "corrected-moment-stored#v": (
        "the bias-corrected v_hat was written back into the state, so the next step corrects it again; keep v "
        "uncorrected and correct a copy: v_hat = v / (1 - beta2^t)"
    ),
    "bias-correction-betas-swapped": (
        "the bias corrections were swapped: m is divided by 1 - beta1^t and v by 1 - beta2^t"
    ),
    "bias-correction-betas-swapped#m": ("m was bias-corrected with beta2; it is divided by 1 - beta1^t"),
    "bias-correction-betas-swapped#v": ("v was bias-corrected with beta1; it is divided by 1 - beta2^t"),
    "beta1-complement-missing": _COMPLEMENT_MISSING.format(rate="beta1", avg="m", x="g"),
    "beta2-complement-missing": _COMPLEMENT_MISSING.format(rate="beta2", avg="v", x="g^2"),
    "beta2-swapped": _RATE_SWAPPED.format(rate="beta2", avg="v", x="g^2"),
    "precedence#beta1": _PRECEDENCE.format(rate="beta1", avg="m", x="g"),
    "precedence#beta2": _PRECEDENCE.format(rate="beta2", avg="v", x="g^2"),
    "squared-after-average": _SQUARED_AFTER_AVERAGE.format(rate="beta2"),
    "gradient-not-squared": _SIZE["gradient-not-squared"],
    "gradient-not-squared#signed": _SIZE["gradient-not-squared#signed"],
    "not-per-coordinate": _SIZE["not-per-coordinate"],
    "not-per-coordinate#sum": _SIZE["not-per-coordinate#sum"],
    "precedence#root-halved": _ROOT_HALVED.format(what="v_hat (sqrt(v))"),
    "precedence#correction-root-halved": _ROOT_HALVED.format(what="the bias correction 1 - beta2^t"),
    "sqrt-missing": ("the step divided by v_hat + eps, without the square root: m_hat / (sqrt(v_hat) + eps)"),
    "amsgrad-ignored": "amsgrad=True was ignored: divide by the running maximum of v",
    "bias-correction-sqrt": (
        "sqrt(v) was divided by 1 - beta2^t instead of its square root (the same numbers as v corrected twice, "
        "v / (1 - beta2^t)^2 under the root); v_hat = v / (1 - beta2^t), so sqrt(v_hat) = sqrt(v) / "
        "sqrt(1 - beta2^t)"
    ),
    "bias-correction-twice#m": (
        "m was bias-corrected twice, divided by (1 - beta1^t)^2: m_hat = m / (1 - beta1^t) and then the step "
        "size lr / (1 - beta1^t) as well; apply the correction once, m_hat with lr, or m with lr / (1 - beta1^t)"
    ),
    "bias-correction-twice": (
        "both moments were bias-corrected twice: m by (1 - beta1^t)^2 and v by (1 - beta2^t)^2 (m_hat, v_hat "
        "and again in the step size and the denominator); each correction is applied once"
    ),
    "bias-correction-power": (
        "the bias corrections were 1 - beta * t instead of 1 - beta^t (a * typed for the power **): right at "
        "t = 1 only, then too small and negative"
    ),
    "bias-correction-power#m": (
        "the first moment's correction was 1 - beta1 * t instead of 1 - beta1^t (a * typed for the power **, "
        "1 - beta1**t): right at t = 1 only, then too small and negative from t = 2"
    ),
    "bias-correction-power#v": (
        "the second moment's correction was 1 - beta2 * t instead of 1 - beta2^t (a * typed for the power **, "
        "1 - beta2**t): right at t = 1 only"
    ),
    "bias-correction-precedence": (
        "the bias corrections were (1 - beta)^t instead of 1 - beta^t (the power applies to beta alone: "
        "1 - beta1**t, not (1 - beta1)**t)"
    ),
    "bias-correction-precedence#m": (
        "the first moment's correction was (1 - beta1)^t instead of 1 - beta1^t (the power applies to beta1 "
        "alone: 1 - beta1**t)"
    ),
    "bias-correction-precedence#v": (
        "the second moment's correction was (1 - beta2)^t instead of 1 - beta2^t (the power applies to beta2 "
        "alone: 1 - beta2**t)"
    ),
    "bias-correction-sqrt#swapped": (
        "the square roots of the bias corrections were swapped: m was divided by sqrt(1 - beta1^t) and sqrt(v) "
        "by 1 - beta2^t; m_hat = m / (1 - beta1^t), and sqrt(v_hat) = sqrt(v) / sqrt(1 - beta2^t)"
    ),
    "bias-correction-inverted": (
        "sqrt(v) was multiplied by sqrt(1 - beta2^t) instead of divided: v_hat = v / (1 - beta2^t)"
    ),
    "bias-correction-sqrt#inside": (
        "v was divided by sqrt(1 - beta2^t) inside the square root, sqrt(v / sqrt(1 - beta2^t)), so the "
        "correction was rooted twice; v_hat = v / (1 - beta2^t), so sqrt(v_hat) = sqrt(v) / sqrt(1 - beta2^t)"
    ),
    "precedence#step-size": (
        "the step size was lr / 1 - beta1^t, the parentheses around 1 - beta1^t left out: lr - beta1^t, which is "
        "negative at first and climbs the gradient; it is lr / (1 - beta1^t)"
    ),
    "bias-correction-sqrt#m": (
        "m was divided by sqrt(1 - beta1^t); only the second moment's correction is rooted (inside sqrt(v_hat)): "
        "m_hat = m / (1 - beta1^t)"
    ),
    "bias-correction-inverted#m": ("m was multiplied by 1 - beta1^t instead of divided: m_hat = m / (1 - beta1^t)"),
    "amsgrad-max-of-corrected": (
        "amsgrad kept the maximum of the bias-corrected v_hat; PyTorch keeps the maximum of v and"
        " corrects it afterwards"
    ),
    "weight-decay-ignored": "weight_decay was ignored",
    "adam-eps-hat": (
        "the bias corrections were folded into the step size, lr * sqrt(1 - beta2^t) / "
        "(1 - beta1^t), with eps added to sqrt(v): that scales eps by sqrt(1 - beta2^t) (the "
        "paper's 'efficient' form); PyTorch adds eps to sqrt(v_hat)"
    ),
}
MISTAKES["adam"] = {
    **_ADAM,
    **_L2,
    "squares-without-decay": (
        "v accumulated the squares of the raw gradient p.grad; with the L2 term both moments average "
        "g = grad + weight_decay * p"
    ),
    "adam-decoupled-decay": (
        "weight decay was decoupled (AdamW's rule); Adam adds weight_decay * p to the gradient (L2)"
    ),
}
# AdamW's decay, said after each way of writing it wrong.
_DECOUPLED = "p *= 1 - lr * weight_decay (p -= lr * weight_decay * p)"
_DECAY_AND_L2 = (
    "the weights were decayed twice: AdamW's p *= 1 - lr * weight_decay and also Adam's L2 term "
    "weight_decay * p in the gradient; AdamW leaves the gradient alone"
)
MISTAKES["adamw"] = {
    **_ADAM,
    "adamw-l2-decay": (
        "weight decay was added to the gradient (L2, Adam's rule); AdamW decays the parameters "
        "directly, p *= 1 - lr * weight_decay, and leaves the gradient alone"
    ),
    "adamw-decay-and-l2": _DECAY_AND_L2,
    "adamw-decay-and-l2#before": _DECAY_AND_L2,
    "adamw-decays-twice": ("p was multiplied by 1 - lr * weight_decay twice in one step; AdamW decays once per step"),
    "adamw-decay-without-lr": (
        "p was multiplied by 1 - weight_decay; AdamW's decay is scaled by the learning rate: p *= 1 - lr * weight_decay"
    ),
    "adamw-decay-uses-lr-only": (
        "p was multiplied by 1 - lr, without weight_decay; AdamW's decay is p *= 1 - lr * weight_decay"
    ),
    "adamw-decay-lr-squared": (
        "the decay was multiplied by lr twice, p *= 1 - lr^2 * weight_decay; it is p *= 1 - lr * weight_decay"
    ),
    "adamw-decay-with-step-size": (
        "the decay used the bias-corrected step size lr / (1 - beta1^t); it uses lr itself: p *= 1 - lr * weight_decay"
    ),
    "weight-decay-wrong-sign": (
        "p was multiplied by 1 + lr * weight_decay, which pushes weights away from zero; it is "
        "p *= 1 - lr * weight_decay"
    ),
    "weight-decay-constant": (
        "the decay subtracted the constant lr * weight_decay from every weight, p -= lr * weight_decay; the decay "
        f"is proportional to the weight: {_DECOUPLED}"
    ),
    "weight-decay-constant#without-lr": (
        "the decay subtracted the constant weight_decay from every weight, p -= weight_decay, without lr; the "
        f"decay is proportional to the weight and scaled by lr: {_DECOUPLED}"
    ),
    "weight-decay-l1": (
        "the decay subtracted lr * weight_decay * sign(p), an L1 shrinkage; AdamW's decay is proportional to the "
        f"weight: {_DECOUPLED}"
    ),
    "weight-decay-on-gradient": (
        "the decay subtracted lr * weight_decay * grad, proportional to the gradient; AdamW decays the weight "
        f"itself: {_DECOUPLED}"
    ),
    "adamw-decay-factor-without-one": (
        "p was multiplied by lr * weight_decay itself, which all but erases the weights; the decay keeps all but "
        "that share: p *= 1 - lr * weight_decay"
    ),
    "weight-decay-doubled": (
        "the decay was applied twice as strong, p *= 1 - 2 * lr * weight_decay; AdamW decays once per step: "
        "p *= 1 - lr * weight_decay"
    ),
    "precedence#decay-factor": (
        "the parentheses of the decay factor were misplaced, (1 - lr) * weight_decay: p was multiplied by about "
        "weight_decay, which all but erases the weights; it is p *= 1 - lr * weight_decay"
    ),
    "adamw-decay-after-step": ("the decay was applied after the Adam step; AdamW decays p first, then takes the step"),
    "adamw-decays-gradient": (
        "the decay factor 1 - lr * weight_decay multiplied the gradient, and Adam's m / sqrt(v) cancels it; AdamW "
        "decays the weights themselves: p *= 1 - lr * weight_decay, and leaves the gradient alone"
    ),
    "weight-decay-squared": (
        "the decay subtracted lr * weight_decay * p^2, the penalty's shape and not its derivative (p^2 is never "
        "negative, so negative weights are pushed further down); AdamW's decay is proportional to the weight: "
        f"{_DECOUPLED}"
    ),
    "adamw-decays-gradient#step": (
        "the decay factor 1 - lr * weight_decay multiplied the Adam step; AdamW decays the weights themselves: "
        "p *= 1 - lr * weight_decay, then takes the step unchanged"
    ),
}
# A running state that adds the raw gradient p.grad where the gradient with the L2 term belongs.
MISTAKES["sgd"]["weight-decay-not-accumulated"] = (
    "after the first step the velocity added the raw gradient p.grad, without the weight decay term; the velocity "
    f"accumulates the same g as the step: {_WD}, then b = momentum * b + (1 - dampening) * g"
)
MISTAKES["sgd"]["weight-decay-not-accumulated#first"] = (
    "the velocity accumulated the raw gradient p.grad, without the weight decay term (from its first step on); it "
    f"accumulates the same g as the step: {_WD}, then b = g at the first step and b = momentum * b + "
    "(1 - dampening) * g after it"
)
MISTAKES["adam"]["weight-decay-not-accumulated"] = (
    "the first moment m averaged the raw gradient p.grad, without the L2 term, while v used g; with the L2 term "
    "both moments average g = grad + weight_decay * p"
)
# A conditional expression takes everything left of `if` as its first branch: `a + b if c else d` is
# `(a + b) if c else d`; parentheses around the branches alone add `a +` to both.
MISTAKES["sgd"]["conditional-expression-precedence"] = (
    "without nesterov the step was g + b, the gradient plus the velocity, instead of the velocity b alone: a "
    "conditional expression was grouped wrongly, g + (momentum * b if nesterov else b) adds g to both branches; "
    "`x if c else y` takes everything left of `if` as x, so g + momentum * b if nesterov else b is already "
    "(g + momentum * b) if nesterov else b: d = b without nesterov"
)
# A sum of squares divided by the step count: the mean square (RMSprop's idea) where Adagrad keeps the whole sum.
MISTAKES["adagrad"]["accumulator-averaged"] = (
    "the step divided by the root of the mean squared gradient, sqrt(sum / t) (RMSprop's idea), not of the sum: "
    "Adagrad divides by the root of the whole sum of squares, g / (sqrt(sum) + eps), so its steps keep shrinking"
)
MISTAKES["adagrad"]["accumulator-averaged#stored"] = (
    "the sum of squares was kept as a running mean, sum = (sum * (t - 1) + g^2) / t, not the whole sum: Adagrad "
    "keeps the sum, sum += g * g (started at initial_accumulator_value), and divides by its root"
)
# A value computed from a hyper-parameter stored back into it: every step starts from the last one's result.
MISTAKES["adagrad"]["hyperparameter-overwritten#lr-decay"] = (
    "the decayed learning rate was stored back into self.lr (self.lr = self.lr / (1 + (t - 1) * lr_decay)), so "
    "every step divided the already decayed rate again and the decay compounds; keep self.lr as given (the "
    "initial lr) and compute lr_t = lr / (1 + (t - 1) * lr_decay) into a local"
)
for _formula in ("adam", "adamw"):
    MISTAKES[_formula]["hyperparameter-overwritten#bias-correction"] = (
        "the bias-corrected step size was stored back into self.lr (self.lr = self.lr / (1 - beta1^t)), so every "
        "step divided the already corrected rate again and the step size keeps growing; keep self.lr as given (the "
        "initial lr) and compute step_size = lr / (1 - beta1^t) into a local"
    )
# A step divided twice by its running size.
MISTAKES["adagrad"]["divided-twice"] = (
    "the step was divided twice by sqrt(sum) + eps (g / denom / denom); it divides once: lr_t * g / (sqrt(sum) + eps)"
)
MISTAKES["rmsprop"]["divided-twice"] = (
    "the step was divided twice by avg = sqrt(v) + eps: with momentum the buffer already accumulates g / avg, and "
    "dividing b by avg again scales it twice (without momentum: g / avg / avg); divide once: b = momentum * b + "
    "g / avg, p -= lr * b (p -= lr * g / avg without momentum)"
)
for _formula in ("adam", "adamw"):
    MISTAKES[_formula]["divided-twice"] = (
        "the step was divided twice by the denominator sqrt(v_hat) + eps (m / denom / denom); it divides once: "
        "p -= lr / (1 - beta1^t) * m / denom"
    )
# AdamW's decay computed and never stored: the weights stay as they were, as with no decay at all.
MISTAKES["adamw"]["weight-decay-ignored"] = (
    "weight_decay had no effect, AdamW never decays: the weight_decay the decay reads never got the caller's value "
    "(not passed on or not stored, kept under another name than the one the decay reads, or set to 0), or the decay "
    "was skipped; before the step p *= 1 - lr * weight_decay with the caller's weight_decay, and no L2 term in the "
    "gradient"
)
# AdamW's amsgrad lost on the way to the step: the flag a subclass takes must reach the code that reads it.
MISTAKES["adamw"]["amsgrad-ignored"] = (
    "amsgrad=True had no effect: the flag never reached the step (not passed on to Adam's constructor, "
    "super().__init__(..., amsgrad=amsgrad), or not stored), or the step skipped the running maximum; with amsgrad "
    "the denominator uses max_exp_avg_sq = max(max_exp_avg_sq, v) in place of v"
)
MISTAKES["adamw"]["result-discarded"] = (
    "the decayed weights were computed but never written back to p.data (a new local name, data = p.data * (1 - "
    "lr * weight_decay), or an expression whose result is discarded), so nothing decays; update p in place: "
    "p.data *= 1 - lr * weight_decay"
)
for _formula, _mistakes in MISTAKES.items():
    _mistakes["ascent"] = (
        "every update was applied with the wrong sign (p += ...): the parameters climbed the "
        "gradient; a descent step subtracts, p -= lr * update"
    )
    _mistakes["state-reset"] = (
        "every step() started from fresh state (velocity, running averages), as if the "
        "optimizer were new: keep the state on self between calls, and leave it alone in "
        "zero_grad(), which fit calls before every step; an update stored under another key than "
        "the one read back (or in a local variable) never reaches the next step either"
    )
    _mistakes["state-shared"] = (
        "parameters of the same shape shared one state (one velocity or running average for "
        "several parameters, e.g. state keyed by p.shape): each parameter needs its own state"
    )
    _mistakes["grad-references-kept"] = (
        "after the first step, step() read gradient arrays it had kept from an earlier call; "
        "p.grad may be a new array at every step (zero_grad may assign new arrays): read p.grad "
        "inside step()"
    )
    _mistakes["zero-gradient-skipped"] = (
        "a parameter whose gradient was all zero was skipped; it still takes a step (momentum "
        "carries it on, running averages decay, weight decay applies)"
    )
    if _formula in DEFAULT_EPS:
        _mistakes["eps-default"] = "eps was ignored: the update used the default eps, not the eps argument"
    if _formula in DEFAULT_EPS and _formula != "adadelta":  # Adadelta's eps sits inside both roots
        _mistakes["eps-added-to-step"] = (
            "eps was added to the step instead of the denominator (p -= lr * g / sqrt(v) + eps, a matter of "
            "parentheses), so it shifts every weight and the division is unguarded; eps belongs in the "
            "denominator: lr * g / (sqrt(v) + eps)"
        )
        _mistakes["eps-added-to-step#times-lr"] = (
            "eps was added to the scaled gradient instead of the denominator, lr * (g / sqrt(v) + eps), so it "
            "shifts every weight and the division is unguarded; eps belongs in the denominator: lr * g / "
            "(sqrt(v) + eps)"
        )
        _mistakes["eps-missing"] = (
            "eps was left out of the denominator, so an entry whose running size of gradients is 0 divides 0 by "
            "0 (nan); eps keeps the division finite"
        )
    if _formula != "adamw":  # AdamW's decay uses lr too: its own mistakes say how
        _mistakes["lr-applied-twice"] = "the update was multiplied by lr twice"
    if _formula not in ("adamw", "adadelta"):  # Adadelta: adadelta-lr-ignored
        _mistakes["lr-ignored"] = "the update was not multiplied by lr"

# One state entry of several not kept (after the whole state's reset, whose sentence is said first when the
# two are the same here): the simulator's keys, by what students call them.
_STATE_ENTRIES = {
    "rmsprop": {
        "v": "the running average of g^2 (square_avg)",
        "mean": "the running mean of g (grad_avg, centered)",
        "b": "the momentum buffer",
    },
    "adadelta": {
        "v": "the running average of g^2 (square_avg)",
        "u": "the running average of the squared steps (acc_delta)",
    },
    "adam": {
        "m": "the first moment m (exp_avg)",
        "v": "the second moment v (exp_avg_sq)",
        "vmax": "the running maximum of v (max_exp_avg_sq, amsgrad)",
    },
}
_STATE_ENTRIES["adamw"] = _STATE_ENTRIES["adam"]
for _formula, _entries in _STATE_ENTRIES.items():
    for _key, _what in _entries.items():
        MISTAKES[_formula][f"state-reset#{_key}"] = (
            f"{_what} did not carry over from one step to the next: its update was never stored back in the "
            "state (a local variable, or a new name), or was stored under one key and read back under another "
            "(state.get with another key finds nothing), so every step started it from zero again; read and "
            "write the same entry, state[key] = ... state[key] ..., so that it carries over to the next step"
        )
        # two entries read into locals together (m, v = state["exp_avg"], state["exp_avg_sq"]) and rebound, never
        # stored: each pair of a state of three (a pair of two is the whole state, state-reset)
        for _other, _also in list(_entries.items())[list(_entries).index(_key) + 1 :] if len(_entries) > 2 else ():
            MISTAKES[_formula][f"state-reset#{_key}+{_other}"] = (
                f"{_what} and {_also} did not carry over from one step to the next: their updates were computed in "
                "local names (read from the state, then rebound to the new averages) and never stored back, so "
                "every step started them from zero again, while the rest of the state carried over; write each "
                "new value back, state[key] = ..., so that it reaches the next step"
            )
        if _key != "b":
            MISTAKES[_formula][f"state-started-at-ones#{_key}"] = (
                f"{_what} started at ones; a running average starts at zeros (np.zeros_like(p.data)), and the "
                "first steps fill it"
            )
# A step that reads its running size before this step's g^2 joins it; a step without the factor g.
_BEFORE = (
    "the step divided by the {size} from before this step: this step's g^2 is added first, then the step "
    "reads it (the first step divides by eps alone and is enormous)"
)
_NO_G = "the step left out the factor g: {rule}, so it has the same sign for every entry, whatever the gradient says"
MISTAKES["adagrad"]["accumulator-after-step"] = _BEFORE.format(size="sum of squares")
MISTAKES["rmsprop"]["accumulator-after-step"] = _BEFORE.format(size="average of squares")
# The scaled step lr * g formed first and its square accumulated: the learning rate cancels (Adadelta's member of
# the family is adadelta-lr-in-accumulator, where lr joins acc_delta).
_LR_IN_SIZE = (
    "the {size} accumulated the square of the scaled step, ({rate} * g)^2, instead of the squared gradient g^2, so "
    "the learning rate cancels between the step {rate} * g and the root of that sum and hardly changes the update; "
    "the {size} holds g^2 alone, and {rate} multiplies only the quotient: p -= {rate} * g / (sqrt({entry}) + eps)"
)
MISTAKES["adagrad"]["lr-in-accumulator"] = _LR_IN_SIZE.format(size="sum of squares", rate="lr_t", entry="sum")
MISTAKES["adagrad"]["lr-in-accumulator#undecayed"] = (
    "the sum of squares accumulated the square of the scaled gradient, (lr * g)^2, instead of g^2, so the learning "
    "rate cancels against the root of that sum (only its decay is left in the step); the sum holds g^2 alone, and "
    "lr_t multiplies only the quotient: p -= lr_t * g / (sqrt(sum) + eps)"
)
MISTAKES["rmsprop"]["lr-in-accumulator"] = _LR_IN_SIZE.format(size="average of squares", rate="lr", entry="v")
for _formula in ("adam", "adamw"):
    MISTAKES[_formula]["accumulator-after-step"] = (
        "the step used m and v from before this step: this step's g joins exp_avg and exp_avg_sq first, then the "
        "step reads them (as written the first step divides 0 by eps and does not move)"
    )
# The running size replaced by its own square root after the step (np.sqrt(s, out=s), s **= 0.5 written back).
_ROOT_STORED = (
    "the {size} was replaced by its own square root after each step (np.sqrt(..., out=...) writes into the state, "
    "as does an in-place **= 0.5), so the next step adds g^2 to a root; take the root into a new array: "
    "denominator = np.sqrt({entry}) + eps, and leave the state alone"
)
MISTAKES["adagrad"]["saved-state-overwritten"] = _ROOT_STORED.format(size="sum of squares", entry="state['sum']")
MISTAKES["rmsprop"]["saved-state-overwritten"] = _ROOT_STORED.format(
    size="average of squares (square_avg)", entry="state['square_avg']"
)
# The running size replaced by the whole denominator sqrt(s) + eps, both taken in place (a port of PyTorch's
# s.sqrt().add_(eps) with the copy .sqrt() makes left out: np.sqrt(s, out=s); s += eps).
_DENOMINATOR_STORED = (
    "the {size} was replaced by the step's denominator, sqrt({name}) + eps, computed in place (np.sqrt({name}, "
    "out={name}) then {name} += eps, a port of PyTorch's in-place methods onto the state itself: PyTorch's .sqrt() "
    "makes a new tensor before .add_(eps), np.sqrt(..., out=...) does not), so the next step {goes_on} that root "
    "instead of {prep} the {size}; compute the denominator into a new array, denominator = np.sqrt(state['{key}']) + "
    "eps, and leave the state alone"
)
MISTAKES["adagrad"]["saved-state-overwritten#root-eps"] = _DENOMINATOR_STORED.format(
    size="sum of squares", name="sum", goes_on="adds g^2 to", prep="to", key="sum"
)
MISTAKES["rmsprop"]["saved-state-overwritten#root-eps"] = _DENOMINATOR_STORED.format(
    size="average of squares (square_avg)",
    name="square_avg",
    goes_on="averages g^2 into",
    prep="into",
    key="square_avg",
)
# Adam's second moment (or amsgrad's maximum) replaced by a value derived from it for the denominator, in place.
_SECOND_MOMENT_DERIVED = (
    "the second moment {array} was replaced by {derived}, computed in place for the denominator ({how}), so the next "
    "step {goes_on} that value instead of the running average of g^2; compute the denominator into a new array, "
    "denom = np.sqrt(v) / np.sqrt(1 - beta2^t) + eps, and leave the state alone"
)
for _formula in ("adam", "adamw"):
    _array = "v (exp_avg_sq, or max_exp_avg_sq with amsgrad, the array the denominator is taken from)"
    MISTAKES[_formula]["saved-state-overwritten#root"] = _SECOND_MOMENT_DERIVED.format(
        array=_array,
        derived="its own square root sqrt(v)",
        how="np.sqrt(v, out=v), or v **= 0.5, before the bias correction divides it into a new array",
        goes_on="averages g^2 into",
    )
    MISTAKES[_formula]["saved-state-overwritten#root-corrected"] = _SECOND_MOMENT_DERIVED.format(
        array=_array,
        derived="the root of the corrected moment, sqrt(v) / sqrt(1 - beta2^t)",
        how="np.sqrt(v, out=v) and v /= math.sqrt(1 - beta2**t), PyTorch's exp_avg_sq.sqrt() / ... ported with "
        "in-place operations",
        goes_on="averages g^2 into",
    )
    MISTAKES[_formula]["saved-state-overwritten#denominator"] = _SECOND_MOMENT_DERIVED.format(
        array=_array,
        derived="the whole denominator sqrt(v) / sqrt(1 - beta2^t) + eps",
        how="np.sqrt(v, out=v), v /= math.sqrt(1 - beta2**t), v += eps: PyTorch's (exp_avg_sq.sqrt() / "
        "bias_correction2_sqrt).add_(eps) ported with in-place operations on the state itself",
        goes_on="averages g^2 into",
    )
# Adadelta's roots sqrt(x + eps) taken in place: the running average replaced by its root.
_ADADELTA_ROOTED = (
    "{which} replaced by {its} root sqrt(x + eps), computed in place for the step (x += eps; np.sqrt(x, out=x)), so "
    "the next step averages on from {that} instead of from the running {what}; compute the roots into new arrays, "
    "std = np.sqrt(square_avg + eps) and np.sqrt(acc_delta + eps), and leave the state alone"
)
MISTAKES["adadelta"]["saved-state-overwritten#square-avg-rooted"] = _ADADELTA_ROOTED.format(
    which="the average of squared gradients (square_avg) was", its="its", that="std", what="average of g^2"
)
MISTAKES["adadelta"]["saved-state-overwritten#acc-delta-rooted"] = _ADADELTA_ROOTED.format(
    which="the average of squared updates (acc_delta) was", its="its", that="that root", what="average of delta^2"
)
MISTAKES["adadelta"]["saved-state-overwritten#both"] = _ADADELTA_ROOTED.format(
    which="both running averages (square_avg and acc_delta) were", its="each", that="those roots", what="averages"
)
MISTAKES["rmsprop"]["missing-else"] = (
    "with momentum > 0 the parameters took two steps: the momentum step p -= lr * b and the plain step p -= lr * "
    "g / avg, which belongs only to momentum = 0 (its else was lost, so it runs in both cases); with momentum the "
    "step is p -= lr * b alone"
)
MISTAKES["adadelta"]["root-scope"] = (
    "the square root was taken over the whole ratio, sqrt((acc_delta + eps) / std), whose denominator std = "
    "sqrt(square_avg + eps) is a root already, so it was rooted twice; delta is a ratio of square roots, "
    "sqrt(acc_delta + eps) / sqrt(square_avg + eps) * g: the root of the numerator over std"
)
# lr_decay read as a factor the rate is multiplied by at every step (a scheduler's gamma), not a rate it is divided by.
_AS_FACTOR = (
    "lr_decay was read as a factor the learning rate is multiplied by at every step, lr * lr_decay^{power}, as a "
    "scheduler's gamma (with the default lr_decay = 0 nothing moves after {moves}); Adagrad's lr_decay is a rate the "
    "learning rate is divided by: lr_t = lr / (1 + (t - 1) * lr_decay), so lr_decay = 0 means no decay"
)
MISTAKES["adagrad"]["lr-decay-as-factor"] = _AS_FACTOR.format(power="(t - 1)", moves="the first step")
MISTAKES["adagrad"]["lr-decay-as-factor#t"] = _AS_FACTOR.format(power="t", moves="the start")
_ON_ACCUMULATOR = (
    "lr_decay was applied to the sum of squares, sum = (1 - lr_decay) * sum + g^2, which then forgets old gradients "
    "as RMSprop's average does{rate}; lr_decay decays the learning rate, lr_t = lr / (1 + (t - 1) * lr_decay), and "
    "Adagrad's sum of squares never forgets: sum = sum + g^2"
)
MISTAKES["adagrad"]["decay-on-accumulator"] = _ON_ACCUMULATOR.format(rate=", while the learning rate stayed lr")
MISTAKES["adagrad"]["decay-on-accumulator#with-schedule"] = _ON_ACCUMULATOR.format(rate=" (besides the rate's decay)")
# The centred denominator sqrt(v - m^2) with the mean taken off outside the root.
_OUTSIDE_ROOT = (
    "the centered denominator took the mean off outside the square root, {written}: the root does not distribute "
    "over a difference; the standard deviation is the root of the variance, avg = sqrt(v - m^2) + eps, with the "
    "square of the mean subtracted under the root"
)
MISTAKES["rmsprop"]["root-scope#centered"] = _OUTSIDE_ROOT.format(written="sqrt(v) - m ('the RMS minus the mean')")
MISTAKES["rmsprop"]["root-scope#centered-squared"] = _OUTSIDE_ROOT.format(written="sqrt(v) - m^2")
MISTAKES["rmsprop"]["root-scope#centered-abs"] = _OUTSIDE_ROOT.format(written="sqrt(v) - sqrt(m^2) = sqrt(v) - |m|")
# Two state entries made one array by a chained assignment (a = b = np.zeros_like(g)), or dict.fromkeys(keys, zeros),
# and updated in place.
_ALIASED = (
    "{first} and {second} were one array, not two: a chained assignment (state[...] = state[...] = "
    "np.zeros_like(g)) or dict.fromkeys(keys, np.zeros_like(g)) binds both keys to the same array, and the in-place "
    "updates (*=, +=) of one change the other, so {second}'s update starts from {first}'s new value and both hold "
    "the same numbers{then}; give each its own array (one np.zeros_like call per key), or update with "
    "state[key] = ..., which binds a new array"
)
MISTAKES["rmsprop"]["aliasing#state"] = _ALIASED.format(
    first="the average of squares v (square_avg)", second="the running mean m (grad_avg)", then=""
)
MISTAKES["adadelta"]["aliasing#state"] = _ALIASED.format(
    first="the average of g^2 (square_avg)",
    second="the average of squared steps (acc_delta)",
    then=(
        ": the step's numerator sqrt(acc_delta + eps) read square_avg's new value, so the ratio of roots was 1 and "
        "every step was lr * g"
    ),
)
for _formula in ("adam", "adamw"):
    MISTAKES[_formula]["aliasing#state"] = _ALIASED.format(
        first="the first moment m (exp_avg)", second="the second moment v (exp_avg_sq)", then=""
    )
    MISTAKES[_formula]["amsgrad-max-replaces-average"] = (
        "with amsgrad the running maximum was also written into the second moment v (exp_avg_sq), so the average "
        "went on from the maximum and never came down; the exponential average goes on from its own value, v = "
        "beta2 * v + (1 - beta2) * g^2, and only the denominator uses the maximum kept separately (max_exp_avg_sq = "
        "max(max_exp_avg_sq, v))"
    )
# The gradient clipped inside step(): clipping is a choice made before step(), never part of an optimizer's update.
_CLIP = (
    "the gradient was {how} before the update: the optimizer steps along p.grad as it is (plus weight decay); "
    "gradient clipping is a separate choice the caller makes before step(), not part of the update rule"
)
for _formula in MISTAKES:
    MISTAKES[_formula]["gradient-clipped"] = _CLIP.format(
        how="rescaled to norm 1 whenever its norm was larger (clipped by its norm, g / ||g||)"
    )
    MISTAKES[_formula]["gradient-clipped#global"] = _CLIP.format(
        how="rescaled so that the norm of all the gradients together is at most 1 (clipped by the global norm)"
    )
    MISTAKES[_formula]["gradient-clipped#value"] = _CLIP.format(how="clipped to [-1, 1] entry by entry (np.clip)")
MISTAKES["adagrad"]["gradient-missing"] = _NO_G.format(rule="p -= lr_t * g / (sqrt(sum) + eps)")
MISTAKES["rmsprop"]["gradient-missing"] = _NO_G.format(rule="p -= lr * g / (sqrt(v) + eps)")
MISTAKES["adadelta"]["gradient-missing"] = _NO_G.format(
    rule="delta = sqrt(acc_delta + eps) / sqrt(square_avg + eps) * g, a ratio of sizes times g"
)
MISTAKES["adagrad"]["precedence#root-halved"] = _ROOT_HALVED.format(what="the sum of squares")
MISTAKES["rmsprop"]["precedence#root-halved"] = _ROOT_HALVED.format(what="the average of squares v")
MISTAKES["adadelta"]["precedence#root-halved-numerator"] = _ROOT_HALVED.format(what="acc_delta + eps")
MISTAKES["adadelta"]["precedence#root-halved-denominator"] = _ROOT_HALVED.format(what="square_avg + eps")
MISTAKES["adadelta"]["precedence#gradient-in-denominator"] = (
    "g ended up in the denominator, sqrt(acc_delta + eps) / (std * g) or / std / g, so the step was divided by the "
    "gradient instead of multiplied by it (huge where g is small, 0/0 where g is 0): delta is the ratio times g, "
    "sqrt(acc_delta + eps) / std * g"
)
# The ratio of the two roots written under one root without the parentheses, sqrt(u + eps / v + eps): division binds
# before addition, so that is u + eps / v + eps, not (u + eps) / (v + eps), and eps / v is infinite where v is 0.
MISTAKES["adadelta"]["precedence#ratio-under-one-root"] = (
    "the ratio was written under one root without parentheses, sqrt(acc_delta + eps / square_avg + eps): division "
    "binds before addition, so the root was of acc_delta + (eps / square_avg) + eps, which is no ratio of the "
    "averages at all (and infinite where square_avg is still 0); the ratio of roots is sqrt((acc_delta + eps) / "
    "(square_avg + eps)), or sqrt(acc_delta + eps) / sqrt(square_avg + eps)"
)
# eps left out of one root of the two: the denominator's, sqrt(square_avg) (the numerator's is
# adadelta-eps-numerator-missing). The steps still move (eps starts the numerator), but an entry whose gradients have
# all been 0 divides 0 by 0, and an entry with tiny gradients takes a step of about sqrt(eps) / |g| * g.
MISTAKES["adadelta"]["eps-missing#denominator"] = (
    "eps was left out of the denominator's root, sqrt(square_avg) where sqrt(square_avg + eps) belongs: the steps "
    "still move (eps in the numerator starts them), but an entry whose gradients have all been 0 divides 0 by 0 "
    "(nan), and tiny gradients get steps far too large; both roots carry eps, sqrt(acc_delta + eps) / "
    "sqrt(square_avg + eps)"
)
# One state entry written back at the first step only (the store inside the first-step branch): later steps
# compute it from the first step's value and never keep it. Every entry of every formula, by the simulator's key.
_STORED_ONCE = {
    **_STATE_ENTRIES,
    "sgd": {"b": "the momentum buffer (momentum_buffer)"},
    "adagrad": {"sum": "the sum of squares (state['sum'])"},
}
for _formula, _entries in _STORED_ONCE.items():
    for _key, _what in _entries.items():
        MISTAKES[_formula][f"state-reset#{_key}@first"] = (
            f"{_what} was stored in the state at the first step only (the line state[...] = ... indented into the "
            "first-step branch, e.g. under `if buf is None:`): every later step computed it from the first step's "
            "value and never wrote it back, so it never accumulates; store it after every update"
        )
MISTAKES["rmsprop"]["precedence#centered-variance"] = (
    "the centered variance was (v - m)^2, the parentheses squaring the difference: it is v - m^2, the mean of "
    "the squares minus the square of the mean (square_avg - grad_avg ** 2)"
)
MISTAKES["rmsprop"]["average-weight-missing#mean"] = (
    "the running mean of g (grad_avg) added the whole g, grad_avg = alpha * grad_avg + g, so the centered "
    "variance v - m^2 subtracted the square of a growing sum; it is an average: grad_avg = alpha * grad_avg + "
    "(1 - alpha) * g"
)
MISTAKES["sgd"]["flag-tested-against-none#nesterov"] = (
    "nesterov=False still took the Nesterov step (g + momentum * b): the flag was tested against None "
    "(`nesterov is not None`), and False is not None; test its truth, `if nesterov:`"
)
MISTAKES["adagrad"]["wrong-hyperparameter#weight_decay@lr-decay"] = (
    "the learning-rate schedule used weight_decay where lr_decay belongs, lr / (1 + (t - 1) * weight_decay) "
    "(self.weight_decay typed for self.lr_decay); it is lr / (1 + (t - 1) * lr_decay)"
)
MISTAKES["sgd"]["no-step-without-momentum"] = (
    "with momentum = 0 the parameters never moved: the update p -= lr * g runs only inside the momentum branch "
    "(indented into it); plain SGD steps too, so the update belongs after the `if momentum != 0:` block"
)
# The coefficients beside weight_decay in each constructor, one of them typed where weight_decay belongs (lr has
# its own mistake, weight-decay-times-lr; an eps is too small to tell from no decay).
_NEIGHBOURS = {
    "sgd": ("momentum", "dampening"),
    "adagrad": ("lr_decay", "initial_accumulator_value"),
    "rmsprop": ("alpha", "momentum"),
    "adadelta": ("rho",),
}
for _formula, _names in _NEIGHBOURS.items():
    for _name in _names:
        MISTAKES[_formula][f"wrong-hyperparameter#{_name}"] = (
            f"the L2 term used {_name} where weight_decay belongs, grad + {_name} * p (self.{_name} typed for "
            f"self.weight_decay); {_WD}"
        )
for _formula in MISTAKES:
    MISTAKES[_formula]["return-inside-loop"] = (
        "only the first parameter moved: step() returned (or broke out of the loop) inside the loop over the "
        "parameters, after updating the first one; the return belongs after the loop, so every parameter is updated"
    )
# A running update that reads another state entry, the one on the line it was copied from.
MISTAKES["rmsprop"]["copy-paste-wrong-state#mean"] = (
    "the running mean of g (grad_avg) was updated from alpha * square_avg, the average of g^2 on the line above, "
    "instead of its own previous value: grad_avg = alpha * grad_avg + (1 - alpha) * g"
)
MISTAKES["adadelta"]["copy-paste-wrong-state#u"] = (
    "the running average of the squared steps (acc_delta) was updated from rho * square_avg, the average of g^2 "
    "on the line above, instead of its own previous value: acc_delta = rho * acc_delta + (1 - rho) * delta^2"
)
MISTAKES["rmsprop"]["copy-paste-wrong-state#buffer-in-mean"] = (
    "the momentum buffer was kept in the entry of the centered mean, grad_avg: with centered=True and momentum "
    "both write that one array, so the running mean of g starts each step from the velocity and the velocity from "
    "the mean; the velocity has its own state, momentum_buffer (b = momentum * b + g / avg, then p -= lr * b)"
)
MISTAKES["adadelta"]["copy-paste-wrong-state#numerator"] = (
    "the step's numerator read square_avg, the denominator's average of g^2, where it reads acc_delta, the "
    "average of the squared steps: sqrt(square_avg + eps) / sqrt(square_avg + eps) is 1, so every step was lr * g; "
    "delta = sqrt(acc_delta + eps) / sqrt(square_avg + eps) * g"
)
MISTAKES["adadelta"]["copy-paste-wrong-state#v"] = (
    "the running average of g^2 (square_avg) was updated from rho * acc_delta, the average of the squared steps, "
    "instead of its own previous value: square_avg = rho * square_avg + (1 - rho) * g^2"
)
for _formula in ("adam", "adamw"):
    MISTAKES[_formula]["copy-paste-wrong-state#vmax"] = (
        "amsgrad kept the running maximum of the first moment m (exp_avg) instead of the second moment v "
        "(exp_avg_sq) it replaces in the denominator: max_exp_avg_sq = max(max_exp_avg_sq, v)"
    )
# Decay rates written as the textbook's numbers instead of the argument (the value each paper or course uses).
_TEXTBOOK = {
    "sgd": {"momentum": (0.9,)},
    "rmsprop": {"alpha": (0.9, 0.95, 0.99)},
    "adadelta": {"rho": (0.9, 0.95, 0.99)},
    "adam": {"beta1": (0.9,), "beta2": (0.99, 0.999)},
    "adamw": {"beta1": (0.9,), "beta2": (0.99, 0.999)},
}
for _formula, _constants in _TEXTBOOK.items():
    for _key, _values in _constants.items():
        for _value in _values:
            _argument = f"betas[{int(_key == 'beta2')}]" if _key.startswith("beta") else _key
            MISTAKES[_formula][f"hyperparameter-ignored#{_key}={_value}"] = (
                f"{_key} was the number {_value} written into the update instead of the {_argument} argument "
                f"(self.{_argument}): a rate hard-coded as a textbook value ignores what the caller passes"
            )
# PyTorch's default lr written into AdamW's decay (p *= 1 - 0.001 * weight_decay) while the step reads self.lr: a
# hyper-parameter hard-coded in one of the two places it enters. ``@decay``: the decay alone.
DEFAULT_LR = {"adamw": 1e-3}
DEFAULT_WEIGHT_DECAY = {"adamw": 0.01}  # docs/api.md's, AdamW's own
for _formula, _lr in DEFAULT_LR.items():
    MISTAKES[_formula][f"hyperparameter-ignored#lr={_lr}@decay"] = (
        f"the decay shrank p by 1 - {_lr} * weight_decay, the default lr {_lr} written into the code, while the step "
        "used the lr argument: a number written in ignores what the caller passes; the decay reads the optimizer's "
        "own learning rate, p *= 1 - self.lr * self.weight_decay"
    )
MISTAKES["adadelta"]["eps-missing"] = (
    "eps was left out of both square roots: acc_delta starts at 0, so nothing moves (and 0/0 where g^2 is 0); "
    "Adadelta uses sqrt(acc_delta + eps) / sqrt(square_avg + eps)"
)
# A running average set to its first value instead of averaged from zeros: at the first step, or (#while-zero) while
# it is still all zero, a test that also fires again after a step whose gradient was all zero.
_WHILE_ZERO = (
    "{what} was set to the new value while it was still all zero (a test such as `if not {entry}.any():`, meant "
    "for 'the first step', which also fires again after a step whose gradient was all zero) instead of averaged "
    "from zeros; it starts at 0 and every step, the first included, averages: {rule}"
)
MISTAKES["rmsprop"]["average-started-at-first-value#while-zero"] = _WHILE_ZERO.format(
    what="the average of squares v (square_avg)", entry="square_avg", rule="v = alpha * v + (1 - alpha) * g^2"
)
MISTAKES["adadelta"]["average-started-at-first-value"] = (
    "square_avg was started at the first g^2 instead of zeros; it starts at 0 and every step, the first included, "
    "is square_avg = rho * square_avg + (1 - rho) * g^2"
)
MISTAKES["adadelta"]["average-started-at-first-value#while-zero"] = _WHILE_ZERO.format(
    what="the average of squares (square_avg)",
    entry="square_avg",
    rule="square_avg = rho * square_avg + (1 - rho) * g^2",
)
for _formula in ("adam", "adamw"):
    MISTAKES[_formula]["average-started-at-first-value#while-zero"] = _WHILE_ZERO.format(
        what="the moments m and v",
        entry="exp_avg",
        rule="m = beta1 * m + (1 - beta1) * g, v = beta2 * v + (1 - beta2) * g^2",
    ) + (", which the bias correction 1 / (1 - beta^t) accounts for")
# The step along p.grad while the running size accumulates g with weight decay: the decay changes the step size only.
_RAW_IN_STEP = (
    "the step moved along the raw gradient p.grad while the {size} accumulated g with weight decay, so the decay "
    "only changed the step size and never pulled the weights towards zero; {wd}, and the step uses that same g: {rule}"
)
MISTAKES["adagrad"]["raw-gradient-in-step"] = _RAW_IN_STEP.format(
    size="sum of squares", wd=_WD, rule="p -= lr_t * g / (sqrt(sum) + eps)"
)
MISTAKES["rmsprop"]["raw-gradient-in-step"] = _RAW_IN_STEP.format(
    size="average of squares", wd=_WD, rule="b = momentum * b + g / avg (p -= lr * g / avg without momentum)"
)
MISTAKES["adadelta"]["raw-gradient-in-step"] = _RAW_IN_STEP.format(
    size="average of squares", wd=_WD, rule="delta = sqrt(acc_delta + eps) / sqrt(square_avg + eps) * g"
)
# eps added into a stored running size and left out where its root is taken: one eps more at every step.
_EPS_IN_STATE = (
    "eps was added into the stored {size}, {update} + eps, and left out where its root is taken: kept in the state, "
    "it piles up, one eps more at every step, where it belongs once, at the point of use: {rule}, with the state "
    "holding the {what} alone"
)
MISTAKES["adagrad"]["eps-accumulated-in-state"] = _EPS_IN_STATE.format(
    size="sum of squares", update="sum = sum + g^2", rule="g / (sqrt(sum) + eps)", what="squares"
)
MISTAKES["rmsprop"]["eps-accumulated-in-state"] = _EPS_IN_STATE.format(
    size="average of squares", update="v = alpha * v + (1 - alpha) * g^2", rule="sqrt(v) + eps", what="average"
)
MISTAKES["adadelta"]["eps-accumulated-in-state"] = _EPS_IN_STATE.format(
    size="average of squares",
    update="square_avg = rho * square_avg + (1 - rho) * g^2",
    rule="sqrt(square_avg + eps)",
    what="average",
)
for _formula in ("adam", "adamw"):
    MISTAKES[_formula]["eps-accumulated-in-state"] = _EPS_IN_STATE.format(
        size="second moment", update="v = beta2 * v + (1 - beta2) * g^2", rule="sqrt(v_hat) + eps", what="average"
    )
# Weight decay left out for the parameters of fewer than two axes (biases), a training recipe, not the optimizer's.
for _formula in MISTAKES:
    MISTAKES[_formula]["decay-skips-biases"] = (
        "weight decay was skipped for the 1-D parameters (the biases, e.g. under `if p.data.ndim > 1:`), while the "
        "matrices were decayed right: the optimizer decays every parameter it is given, whatever its shape; leaving "
        "biases out of the decay is the caller's choice (a separate optimizer, or parameters passed without "
        "weight_decay)"
    )

# The Nesterov direction stored as the velocity: the value the step uses is not the one the next step builds on.
MISTAKES["sgd"]["nesterov-wrong-operand#lookahead-stored"] = (
    "with nesterov the velocity carried to the next step was the lookahead direction d = g + momentum * b (stored "
    "after the Nesterov line, e.g. momentum_buffer = g once g holds d), not the velocity b: store b = momentum * b + "
    "(1 - dampening) * g in the state, and step along d = g + momentum * b without storing it"
)
# A running update written inside one branch of an `if` only: under the other branch the entry stays at zeros.
_ONE_BRANCH_TEXT = (
    "the average of squares v (square_avg) was updated in one branch of `if centered:` only (the {where} one), so "
    "with centered={flag} it was never updated and stayed 0 (the step divides by eps alone{extra}); v = alpha * v + "
    "(1 - alpha) * g^2 is updated at every step, in both branches, before the branch picks the denominator"
)
MISTAKES["rmsprop"]["update-in-one-branch#v@centered"] = _ONE_BRANCH_TEXT.format(
    where="plain", flag="True", extra=": the variance v - m^2 is clamped to 0"
)
MISTAKES["rmsprop"]["update-in-one-branch#v@plain"] = _ONE_BRANCH_TEXT.format(where="centered", flag="False", extra="")
# A running average written as PyTorch's lerp with the difference reversed: avg += w * (avg - x) where lerp_(x, w) is
# avg += w * (x - avg). By formula and the simulator's key: (what, its key, the decay rate, what it averages).
_LERP_ENTRIES = {
    "rmsprop": {
        "mean": ("the running mean of g (centered)", "grad_avg", "alpha", "g"),
    },
    "adadelta": {
        "u": ("the average of squared steps", "acc_delta", "rho", "delta * delta"),
    },
    "adam": {
        "m": ("the first moment", "exp_avg", "beta1", "g"),
    },
}
_LERP_ENTRIES["adamw"] = _LERP_ENTRIES["adam"]
for _formula, _entries in _LERP_ENTRIES.items():
    for _key, (_what, _name, _rate, _x) in _entries.items():
        MISTAKES[_formula][f"sign-flipped#lerp-reversed-{_key}"] = (
            f"{_what}, {_name}, moved away from {_x} instead of towards it: its update was written {_name} += "
            f"(1 - {_rate}) * ({_name} - {_x}), the difference reversed (as in a port of {_name}.lerp_({_x}, 1 - "
            f"{_rate})), which gives (2 - {_rate}) * {_name} - (1 - {_rate}) * {_x}; lerp moves towards its target, "
            f"{_name} += (1 - {_rate}) * ({_x} - {_name}), that is {_rate} * {_name} + (1 - {_rate}) * {_x}"
        )
# A running entry's update computed and thrown away (np.add(...) or np.maximum(...) on a line of its own, or the result
# bound to a name never read): the entry stays at its start, and the step reads it there.
_NEVER_STORED = (
    "{what} was never updated: it stayed at its start ({start}) at every step, while the step read it. Its new value "
    "was computed and thrown away (np.add(...) on a line of its own returns a new array, it does not work in place; or "
    "the result went to a name nothing reads), so the step divided by {divides}; store it, {fix}"
)
MISTAKES["rmsprop"]["result-discarded#never-stored-v"] = _NEVER_STORED.format(
    what="the average of squares v (square_avg)",
    start="zeros",
    divides="eps alone (the centered variance clamped to 0)",
    fix="state['square_avg'] = alpha * state['square_avg'] + (1 - alpha) * g * g",
)
MISTAKES["adagrad"]["result-discarded#never-stored-sum"] = _NEVER_STORED.format(
    what="the sum of squared gradients (sum)",
    start="initial_accumulator_value",
    divides="sqrt(initial_accumulator_value) + eps, eps alone at the default 0",
    fix="state['sum'] = state['sum'] + g * g (or np.add(s, g * g, out=s))",
)
MISTAKES["sgd"]["result-discarded#never-stored-momentum_buffer"] = (
    "the velocity (momentum_buffer) was never updated after the first step: it stayed at the first step's gradient, "
    "and every step moved along it. Its new value momentum * buf + (1 - dampening) * g was computed and thrown away "
    "(np.multiply(...) or np.add(...) on a line of its own returns a new array, it does not work in place; or the "
    "result went to a name nothing reads); store it: buf = momentum * buf + (1 - dampening) * g, then "
    "state['momentum_buffer'] = buf"
)
# A state entry overwritten in place by a value derived from it for the step (out=..., /=): the next step reads it.
for _formula in ("adam", "adamw"):
    MISTAKES[_formula]["saved-state-overwritten"] = (
        "the first moment m (exp_avg) was overwritten by the step m / denom (np.divide(..., out=exp_avg), or "
        "exp_avg /= denom in place), so the next step averaged on from m / denom instead of m; compute the step into "
        "a new array, step = exp_avg / denom, and leave the state alone"
    )
    # The corrections depend on t: computed once (cached on self or in the state), they stay at the first step's.
    MISTAKES[_formula]["cached-first-call#bias-correction"] = (
        "the bias corrections kept their first step's values, 1 - beta1 and 1 - beta2 (computed once and stored, "
        "'they only need computing once'): they depend on t, 1 - beta^t, so compute them each step from the current t"
    )
# Two running averages stored under each other's keys (a tuple assignment written crosswise).
_CROSSWISE_TEXT = (
    "{first} and {second} were stored under each other's keys (state[...], state[...] = new values written "
    "crosswise, in the wrong order), so each step read each average from the other's last value; store each new "
    "value under its own key"
)
MISTAKES["adadelta"]["saved-values-swapped"] = _CROSSWISE_TEXT.format(
    first="the average of squared gradients (square_avg)", second="the average of squared steps (acc_delta)"
)
MISTAKES["rmsprop"]["saved-values-swapped"] = _CROSSWISE_TEXT.format(
    first="the average of squares v (square_avg)", second="the running mean m (grad_avg)"
)
for _formula in ("adam", "adamw"):
    MISTAKES[_formula]["saved-values-swapped"] = _CROSSWISE_TEXT.format(
        first="the first moment m (exp_avg)", second="the second moment v (exp_avg_sq)"
    )

# g^2 written as a product that is not elementwise (optimizer_mistakes._SQUARE_PRODUCTS): the state it joins.
_SQUARED_INTO = {
    "adagrad": "the sum of squares (sum)",
    "rmsprop": "the average of squares (square_avg)",
    "adadelta": "the average of squares (square_avg)",
    "adam": "the second moment (exp_avg_sq)",
    "adamw": "the second moment (exp_avg_sq)",
}
_ELEMENTWISE = (
    "; numpy refuses it for a non-square matrix, where step() crashed. The square is elementwise, per coordinate: g "
    "* g (or g ** 2), each entry its own square"
)
_MATMUL_SQUARE = (
    "the square g^2 that {into} accumulates was written as a matrix product, {product}: @ (np.dot, np.matmul) "
    "multiplies rows by columns and sums, so each entry mixes a whole row and column of the gradient (of a vector, "
    "one number: the sum of its squares)" + _ELEMENTWISE
)
for _formula, _into in _SQUARED_INTO.items():
    for _tag, _product in (
        ("matmul-for-elementwise", "g @ g"),
        ("matmul-for-elementwise#with-transpose", "g @ g.T"),
        ("matmul-for-elementwise#transpose-first", "g.T @ g"),
    ):
        MISTAKES[_formula][_tag] = _MATMUL_SQUARE.format(into=_into, product=_product)
    MISTAKES[_formula]["transposed#square"] = (
        f"the square g^2 that {_into} accumulates was written as g * g.T, the gradient times its transpose: .T "
        "swaps the axes, so entry (i, j) was multiplied by entry (j, i), which is its square only for a vector or a "
        "symmetric matrix" + _ELEMENTWISE
    )
MISTAKES["rmsprop"]["centered-variance-formula"] = (
    "with centered=True, square_avg averaged the squared deviation from the running mean, (g - grad_avg)^2, and "
    "the step divided by its root: centered RMSprop keeps square_avg the average of g^2, as without centered, and "
    "grad_avg the average of g, and divides by the root of the variance square_avg - grad_avg^2 (v - m^2); an "
    "average of squared deviations taken step by step is another number, since the mean moves"
)
MISTAKES["rmsprop"]["centered-variance-formula#old-mean"] = (
    "with centered=True, square_avg averaged the squared deviation from the previous running mean, (g - "
    "grad_avg)^2 before grad_avg's update, and the step divided by its root: centered RMSprop keeps square_avg the "
    "average of g^2, as without centered, and grad_avg the average of g, and divides by the root of the variance "
    "square_avg - grad_avg^2 (v - m^2)"
)
MISTAKES["adamw"]["decay-factor-form"] = (
    "p was divided by 1 + lr * weight_decay: that decay factor, 1 / (1 + lr * weight_decay), equals AdamW's 1 - lr * "
    "weight_decay to first order only and differs by (lr * weight_decay)^2, which shows once lr * weight_decay is "
    f"large; the decay multiplies: {_DECOUPLED}"
)
MISTAKES["adamw"]["decay-factor-form#exp"] = (
    "p was multiplied by exp(-lr * weight_decay): that decay factor equals AdamW's 1 - lr * weight_decay to first "
    f"order only and differs by (lr * weight_decay)^2 / 2, which shows once lr * weight_decay is large; {_DECOUPLED}"
)
MISTAKES["adamw"]["decay-factor-form#split"] = (
    "p was multiplied by (1 - lr) * (1 - weight_decay), the product of the complements where AdamW's factor is the "
    "complement of the product, 1 - lr * weight_decay: the split form also shrinks p by lr (and by weight_decay) at "
    f"every step, whatever the other is; {_DECOUPLED}"
)
# The product lr * weight_decay written as a quotient: the decay "undone" from lr, or lr over weight_decay.
_QUOTIENT = (
    "p was multiplied by 1 - {written}, a quotient where AdamW's factor has the product: with the defaults lr = 1e-3 "
    "and weight_decay = 0.01 that factor is {factor} where AdamW's is 0.99999; the decay is lr times weight_decay, "
    f"{_DECOUPLED}"
)
MISTAKES["adamw"]["decay-factor-form#divided-by-lr"] = _QUOTIENT.format(
    written="weight_decay / lr", factor="-9 (the weights flip sign and grow)"
)
MISTAKES["adamw"]["decay-factor-form#lr-over-decay"] = _QUOTIENT.format(written="lr / weight_decay", factor="0.9")
# The decay factor computed once and kept where every optimizer reads it: the class, a module global, a default
# argument's dict.
MISTAKES["adamw"]["cached-first-call#decay-factor"] = (
    "the decay factor 1 - lr * weight_decay was computed at the first call and kept where every AdamW reads it (an "
    "attribute of the class, a module global, a shared default argument), so this optimizer decayed with the first "
    f"AdamW's factor (the defaults', lr = {DEFAULT_LR['adamw']} and weight_decay = "
    f"{DEFAULT_WEIGHT_DECAY['adamw']}), whatever its own lr and "
    "weight_decay; compute it from self.lr and self.weight_decay in the step (or keep it on self, per instance)"
)
MISTAKES["sgd"]["state-shared-between-parameters#first-step"] = (
    "the test for the first step was kept on the optimizer (a flag, or a step count, that the first parameter set), "
    "not per parameter: every other parameter's first step was then taken as a later one, its velocity started at "
    "zeros, momentum * 0 + (1 - dampening) * g, instead of b = g; each parameter has its own first step: test its "
    "own state, `if state['momentum_buffer'] is None:`"
)
MISTAKES["sgd"]["velocity-is-gradient"] = (
    "the velocity was started as the gradient array itself, buf = g without a copy: without weight decay g is p.grad, "
    "so the buffer and p.grad are the same array (an alias), and zero_grad() zeroes it in place before the next step "
    "(a backward that writes into p.grad then overwrites it with the next gradient): the first step's velocity is "
    "lost, and the second step starts from zeros. Store a copy, buf = g.copy(), so the velocity owns its numbers"
)
MISTAKES["sgd"]["aliasing#previous-velocity"] = (
    "the Nesterov step (1 + momentum) * v - momentum * v_prev (the CS231n form, equal to g + momentum * v) read a "
    "previous velocity that was no copy: v_prev = v binds a second name to the same array, and the in-place update "
    "that follows (v *= momentum; v += g) changes the array both names see, so v_prev holds the new velocity and "
    "the step collapses to v, plain momentum without the look-ahead, from the second step on (at the first step "
    "v_prev was a fresh array of zeros); save a copy, v_prev = v.copy(), or build the new velocity as a new array, "
    "v = momentum * v + g"
)
MISTAKES["rmsprop"]["centered-square-avg-squared"] = (
    "the centered variance was square_avg^2 - grad_avg^2, the average of squares squared again: square_avg already is "
    "the mean of g^2, E[g^2], so the variance is E[g^2] - E[g]^2 = square_avg - grad_avg^2 (v - m^2), where only the "
    "mean of g, grad_avg, is squared"
)

# A share copied from the other running average's line (m's line written from v's, or v's from m's): the rate
# kept, its complement taken from the other beta.
for _formula in ("adam", "adamw"):
    MISTAKES[_formula]["betas-swapped#m-share"] = (
        "the first moment added (1 - beta2) * g, the share of the second moment's line (copied from it), so m and "
        "every step are (1 - beta2) / (1 - beta1) of their right size: m = beta1 * m + (1 - beta1) * g"
    )
    MISTAKES[_formula]["betas-swapped#v-share"] = (
        "the second moment added (1 - beta1) * g^2, the share of the first moment's line (copied from it): v = "
        "beta2 * v + (1 - beta2) * g^2"
    )
# The step along p.grad itself: the direction computed from it (weight decay added, the velocity, the Nesterov
# look-ahead) is built and thrown away, while the velocity is still kept.
MISTAKES["sgd"]["raw-gradient-in-step"] = (
    "the step moved along the raw gradient p.grad, not along the direction computed from it: the weight decay and "
    "the momentum direction (the velocity buffer, or nesterov's g + momentum * b) were computed and then thrown "
    "away; p -= lr * d, with d the processed direction (d = b with momentum, g + weight_decay * p without)"
)
# The division by the running size written without its root and without eps: nan where that size is 0.
MISTAKES["adagrad"]["sqrt-missing#bare"] = (
    "the update divided by the sum of squares itself, g / sum, with neither its square root nor eps (nan where the "
    "sum is 0); it is g / (sqrt(sum) + eps)"
)
MISTAKES["rmsprop"]["sqrt-missing#bare"] = (
    "the update divided by the average of squares itself, g / square_avg, with neither its square root nor eps "
    "(nan where the average is 0): the denominator is the root mean square, sqrt(square_avg) + eps"
)
MISTAKES["rmsprop"]["sqrt-missing#bare-stored"] = (
    "the update divided by square_avg as stored, g / state['square_avg'], with neither its square root nor eps, and "
    "(centered) without the mean's square taken off (nan where the average is 0): the denominator is the root mean "
    "square, sqrt(square_avg - grad_avg^2) + eps when centered, sqrt(square_avg) + eps otherwise"
)
for _formula in ("adam", "adamw"):
    MISTAKES[_formula]["sqrt-missing#bare"] = (
        "the step divided by v_hat itself, with neither its square root nor eps (nan where v is 0): m_hat / "
        "(sqrt(v_hat) + eps)"
    )
# The update computed and never written to p.data: the state advances, the parameters never move.
for _formula, _mistakes in MISTAKES.items():
    _mistakes["result-discarded#update"] = (
        "the update never reached p.data: it was computed into a local name (param = p.data, then param = param - "
        "lr * delta rebinds the name to a new array, and p.data keeps the old one) or into a result nobody keeps, "
        "while the running state went on; update p.data in place (p.data -= lr * delta) or assign p.data itself"
    )

# A running average whose old value is not decayed: ``avg = avg + (1 - rate) * x``, the rate's factor left off the
# old value, so the "average" grows as a sum and the step shrinks like Adagrad's.
_AVERAGE_NOT_DECAYED = (
    "{avg} added (1 - {rate}) * {x} without decaying its old value ({avg} = {avg} + (1 - {rate}) * {x}), so it "
    "grew as a sum; it is a running average that forgets: {avg} = {rate} * {avg} + (1 - {rate}) * {x}"
)
MISTAKES["adadelta"]["average-not-decayed#square-avg"] = _AVERAGE_NOT_DECAYED.format(
    rate="rho", avg="square_avg", x="g^2"
)
MISTAKES["adadelta"]["average-not-decayed#acc-delta"] = _AVERAGE_NOT_DECAYED.format(
    rate="rho", avg="acc_delta", x="delta^2"
)
MISTAKES["rmsprop"]["average-not-decayed#square-avg"] = _AVERAGE_NOT_DECAYED.format(
    rate="alpha", avg="square_avg v", x="g^2"
)
for _formula in ("adam", "adamw"):
    MISTAKES[_formula]["average-not-decayed#exp-avg"] = _AVERAGE_NOT_DECAYED.format(rate="beta1", avg="m", x="g")
    MISTAKES[_formula]["average-not-decayed#exp-avg-sq"] = _AVERAGE_NOT_DECAYED.format(rate="beta2", avg="v", x="g^2")
    # The running maximum taken against the largest entry of the stored maximum, one number for the parameter.
    MISTAKES[_formula]["amsgrad-wrong-operand#all-entries"] = (
        "amsgrad compared v with the largest entry of the stored maximum (max_exp_avg_sq.max(), one number for the "
        "whole parameter), so every coordinate's maximum rose to the largest v seen anywhere; the maximum is kept "
        "per coordinate: max_exp_avg_sq = np.maximum(max_exp_avg_sq, v)"
    )
    MISTAKES[_formula]["amsgrad-wrong-operand#previous-average"] = (
        "amsgrad took the maximum of the new second moment and the last step's, np.maximum(v_old, v), and kept no "
        "maximum of its own: a v that shrinks for two steps in a row lets the denominator shrink too; amsgrad keeps "
        "the largest v ever seen in the state, max_exp_avg_sq = np.maximum(max_exp_avg_sq, v), and divides by it"
    )
# The new gradient added to the sum and the total squared, (sum + g) ** 2: the square put around the whole sum
# where it belongs on the term added.
MISTAKES["adagrad"]["squared-after-adding"] = (
    "the sum of squares added g and squared the total, sum = (sum + g) ** 2, so the whole running sum was squared "
    "at every step; Adagrad accumulates the squares of the gradients: sum = sum + g * g"
)


# Mistakes that give the same trajectory on every case: one mistake with two names. The
# first tag and this text name both (a tag is never chosen between them at random).
ONE_MISTAKE: dict[frozenset[str], tuple[str, str]] = {
    frozenset({"nesterov-ignored", "nesterov-old-buffer"}): (
        "nesterov-ignored",
        MISTAKES["sgd"]["nesterov-ignored"],
    ),
    # Without momentum SGD's direction is the gradient with weight decay alone: stepping along p.grad instead is
    # weight decay ignored, and a case without momentum cannot say which of the two was written.
    frozenset({"weight-decay-ignored", "raw-gradient-in-step"}): (
        "weight-decay-ignored",
        "the step had no weight decay in it: weight_decay was ignored, or the step moved along the raw gradient "
        "p.grad instead of the direction computed from it (without momentum that direction is the gradient with "
        f"weight decay, so the two are the same numbers here); {_WD}, and the step uses it",
    ),
    frozenset({"lr-decay-ignored", "step-count-not-kept"}): (
        "lr-decay-ignored",
        "lr_decay had no effect: it was ignored, or the step count t stayed at 1 (keep it on self and add 1 "
        "per step()); lr_t = lr / (1 + (t - 1) * lr_decay)",
    ),
}
# The step's division typed as a floor division (//): every ratio rounded down to a whole number.
for _formula in ("adagrad", "rmsprop", "adam", "adamw"):
    MISTAKES[_formula]["floor-division"] = (
        "the step's division was a floor division, g // denominator (// rounds every ratio down to a whole number, "
        "on floats too); the step divides with /, the true division"
    )
MISTAKES["sgd"]["state-not-initialised#times-momentum"] = (
    "the momentum buffer was started at momentum * g at the first step; the first step starts the velocity at the "
    "gradient itself, b = g (a copy), and later steps update it, b = momentum * b + (1 - dampening) * g"
)
MISTAKES["sgd"]["state-not-initialised#first-step-stores-only"] = (
    "the first momentum step only stored the velocity, b = g, and did not move the parameters (the update was "
    "skipped until the next step); the first step starts b = g and already steps along it, p -= lr * b, as every "
    "later step does"
)
MISTAKES["adadelta"]["gradient-not-squared#step-signed"] = (
    "acc_delta accumulated delta itself, not its square: it goes negative where the steps are negative, and its "
    "square root is nan; it is the running average of the squared steps, acc_delta = rho * acc_delta + (1 - rho) * "
    "delta^2"
)
for _formula in ("adam", "adamw"):
    MISTAKES[_formula]["copy-paste-wrong-state#m"] = (
        "the first moment (exp_avg) was updated from beta1 * exp_avg_sq, the second moment, instead of its own "
        "previous value (a line copied and not changed): exp_avg = beta1 * exp_avg + (1 - beta1) * g"
    )
MISTAKES["adamw"]["adamw-l2-decay#times-lr"] = (
    "the decay was added to the gradient as lr * weight_decay * p (L2's place, with AdamW's factor), so it goes "
    "through the moments and the division by sqrt(v); AdamW's decay is decoupled from the gradient: p *= 1 - lr * "
    "weight_decay, applied to p directly, and the gradient is left alone"
)
# A running update fed another quantity than its own: Adam's second moment fed the first moment's square (the line
# above's state read where g belongs), centered RMSprop's variance fed the gradient's square where the mean's belongs.
for _formula in ("adam", "adamw"):
    MISTAKES[_formula]["copy-paste-wrong-state#v-from-m"] = (
        "the second moment (exp_avg_sq) averaged the square of the first moment, exp_avg ** 2, instead of the squared "
        "gradient: the second moment is the running average of g^2, exp_avg_sq = beta2 * exp_avg_sq + (1 - beta2) * "
        "g * g (the square of an average is smaller than the average of the squares, so the steps come out too large)"
    )
    MISTAKES[_formula]["copy-paste-wrong-state#v-from-m#old-m"] = (
        "the second moment (exp_avg_sq) averaged the square of the first moment from before its update, exp_avg ** "
        "2, instead of the squared gradient: the second moment is the running average of g^2, exp_avg_sq = beta2 * "
        "exp_avg_sq + (1 - beta2) * g * g"
    )
MISTAKES["rmsprop"]["centered-variance-formula#gradient-squared"] = (
    "with centered=True, the variance was square_avg - g^2, this step's squared gradient, instead of square_avg - "
    "grad_avg^2, the square of the running mean of g: centered RMSprop divides by the root of square_avg - grad_avg "
    "** 2 (v - m^2), both running averages (v - g^2 is often negative, clamped to 0, and the step explodes)"
)
MISTAKES["rmsprop"]["centered-variance-formula#gradient-squared-raw"] = (
    "with centered=True, the variance was square_avg - p.grad^2, the raw gradient squared, instead of square_avg - "
    "grad_avg^2, the square of the running mean of g: centered RMSprop divides by the root of square_avg - grad_avg "
    "** 2 (v - m^2), both running averages"
)
MISTAKES["adamw"]["weight-decay-halved"] = (
    "the decay was applied at half its strength, p *= 1 - 0.5 * lr * weight_decay (a factor 1/2 kept from the penalty "
    f"weight_decay/2 * |p|^2, whose derivative is weight_decay * p); AdamW's decay is {_DECOUPLED}"
)
MISTAKES["adadelta"]["gradient-not-squared#step-times-gradient"] = (
    "acc_delta accumulated delta * g, the step times the gradient, instead of delta^2, the step squared: it is the "
    "running average of the squared steps, acc_delta = rho * acc_delta + (1 - rho) * delta * delta"
)
# The new velocity computed and used by this step, and the gradient stored in its place: the next step's momentum * b
# reads the last gradient, so the velocity never builds up beyond one step.
_GRADIENT_STORED = (
    "the momentum buffer stored {what} instead of the new velocity: each step used b = momentum * b + (1 - dampening) "
    "* g, but state['momentum_buffer'] kept {what}{alias}, so the next step's momentum * b read a gradient, not the "
    "running velocity; store the velocity the step used, state['momentum_buffer'] = b"
)
_ALIAS = " (p.grad's own array{when}, which zero_grad() zeroes in place and the next backward writes into)"
MISTAKES["sgd"]["velocity-not-stored#gradient-stored"] = _GRADIENT_STORED.format(
    what="the gradient g", alias=_ALIAS.format(when=" when there is no weight decay")
)
MISTAKES["sgd"]["velocity-not-stored#gradient-stored#raw"] = _GRADIENT_STORED.format(
    what="p.grad", alias=_ALIAS.format(when="")
)
MISTAKES["sgd"]["velocity-not-stored#gradient-stored#copy"] = _GRADIENT_STORED.format(
    what="a copy of the gradient g", alias=""
)
# A boolean option stored or tested as ``option is not None``: False is not None, so the option is always on.
_FLAG_ALWAYS_ON = (
    "{flag}=False still {did}: the flag was stored or tested as `{flag} is not None` (False is not None, so it is "
    "always on) or set to True whatever was passed; store bool({flag}) and test its truth, `if self.{flag}:`"
)
MISTAKES["rmsprop"]["flag-tested-against-none#centered"] = _FLAG_ALWAYS_ON.format(
    flag="centered", did="centered the average (divided by sqrt(v - m^2), with m the running mean of g)"
)
for _formula in ("adam", "adamw"):
    MISTAKES[_formula]["flag-tested-against-none#amsgrad"] = _FLAG_ALWAYS_ON.format(
        flag="amsgrad", did="used the AMSGrad maximum of the second moment in the denominator"
    )
# A hyper-parameter stored from its neighbour's argument, the line above copied and not changed (self.momentum =
# float(alpha), self.betas = (betas[0], betas[0])): ``wrong-hyperparameter#<key>=<source>``. Pairs whose copy is the
# same numbers as another mistake (SGD's dampening = momentum is momentum-as-average) are left out.
_COPIED_ARGUMENTS = {
    "rmsprop": (("momentum", "alpha"), ("alpha", "momentum")),
    "adam": (("beta2", "beta1"), ("beta1", "beta2")),
    "adamw": (("beta2", "beta1"), ("beta1", "beta2")),
}
for _formula, _pairs in _COPIED_ARGUMENTS.items():
    for _key, _source in _pairs:
        _stored, _given = (
            (f"betas[{int(_key == 'beta2')}]", f"betas[{int(_source == 'beta2')}]")
            if _key.startswith("beta")
            else (_key, _source)
        )
        MISTAKES[_formula][f"wrong-hyperparameter#{_key}={_source}"] = (
            f"{_key} had the value of {_source}: {_key} was stored from the {_given} argument (the line for {_source} "
            f"copied and not changed), so the caller's {_stored} is ignored and {_key} always equals {_source}; store "
            f"each hyper-parameter from its own argument"
        )
# Two hyper-parameters that exchanged values: passed on in another order than the constructor takes them (AdamW's
# super().__init__(params, lr, betas, weight_decay, eps) against Adam's lr, betas, eps, weight_decay), or stored
# crosswise: ``wrong-hyperparameter#<a><><b>``, neighbours in the constructor's signature.
SWAPPED_ARGUMENTS = {"adam": (("eps", "weight_decay"),), "adamw": (("eps", "weight_decay"),)}
for _formula, _pairs in SWAPPED_ARGUMENTS.items():
    for _first, _second in _pairs:
        MISTAKES[_formula][f"wrong-hyperparameter#{_first}<>{_second}"] = (
            f"{_first} and {_second} exchanged values: {_first} had the caller's {_second} and {_second} had "
            f"{_first}'s, as when the arguments are passed on positionally in another order than the constructor "
            f"takes them (super().__init__(params, lr, betas, {_second}, {_first}), where Adam's order is lr, betas, "
            f"eps, weight_decay) or stored crosswise (self.{_first} = {_second}); pass them by keyword, "
            f"{_first}={_first}, {_second}={_second}"
        )
# A hyper-parameter at docs/api.md's default whatever the caller passed: AdamW's constructor not passing it on to
# Adam's (super().__init__(params, lr=lr, eps=eps, ...) without betas=betas), or the default stored in its place.
API_DEFAULTS: dict[str, dict[str, object]] = {
    "adam": {"betas": (0.9, 0.999), "lr": 0.001},
    "adamw": {"betas": (0.9, 0.999), "lr": 0.001},
}
for _formula, _defaults in API_DEFAULTS.items():
    for _key, _value in _defaults.items():
        MISTAKES[_formula][f"hyperparameter-ignored#{_key}=default"] = (
            f"{_key} stayed at its default {_value} whatever the caller passed: the argument never reached the "
            f"update (a subclass's constructor that does not pass {_key}={_key} on to super().__init__, or "
            f"self.{_key} set to the default); store the argument the caller gives"
        )
# SGD's first velocity scaled by lr (b = lr * g) while the step multiplies by lr as well.
MISTAKES["sgd"]["lr-applied-twice#first-velocity"] = (
    "the velocity started at lr * g at the first step, while the step multiplies the velocity by lr as well, so lr "
    "scaled the first gradient twice (and every later step carries that too small start); the first step's velocity "
    "is the gradient itself, b = g (a copy), and p -= lr * b"
)
# One entry's new value stored under the key of an entry updated earlier in the step (the key of the line above).
_OTHER_KEY = (
    "{source} was stored under the key of {target} (state[{target_key}] = ... on {source_short}'s line, the key of "
    "the line above kept): the step used the new value, but {source_short} itself never carried over (it stayed at "
    "zeros) and {target_short} was overwritten each step; each running entry is read and written under its own "
    "key, state[{source_key}] = ... state[{source_key}] ..."
)
_KEYS = {
    "rmsprop": {
        "v": ("the running average of g^2", "square_avg"),
        "mean": ("the running mean of g", "grad_avg"),
        "b": ("the momentum buffer", "momentum_buffer"),
    },
    "adadelta": {"v": ("the running average of g^2", "square_avg"), "u": ("the average of squared steps", "acc_delta")},
    "adam": {"m": ("the first moment m", "exp_avg"), "v": ("the second moment v", "exp_avg_sq")},
}
_KEYS["adamw"] = _KEYS["adam"]
# Source > target pairs whose target is updated earlier in the step than the source (the rule's order), and whose
# stored value the rest of the step reads as the source's (RMSprop's velocity, Adadelta's acc_delta, Adam's v as m).
_KEY_PAIRS = {"rmsprop": ("b>mean",), "adadelta": ("u>v",), "adam": ("v>m",), "adamw": ("v>m",)}
for _formula, _pairs in _KEY_PAIRS.items():
    for _pair in _pairs:
        _source, _, _target = _pair.partition(">")
        (_source_what, _source_key), (_target_what, _target_key) = _KEYS[_formula][_source], _KEYS[_formula][_target]
        MISTAKES[_formula][f"state-key-mismatch#{_pair}"] = _OTHER_KEY.format(
            source=f"{_source_what} ({_source_key})",
            target=f"{_target_what} ({_target_key})",
            target_key=repr(_target_key),
            source_key=repr(_source_key),
            source_short=_source_key,
            target_short=_target_key,
        )
for _formula in ("adam", "adamw"):
    MISTAKES[_formula]["state-key-mismatch#v>m"] = (
        "the second moment v was stored under exp_avg, the first moment's key (state['exp_avg'] = beta2 * "
        "state['exp_avg_sq'] + ... on v's line, the key of the line above kept): the step then read v where m "
        "belongs, m was overwritten every step, and exp_avg_sq never carried over (it stayed at zeros); each "
        "average is read and written under its own key, state['exp_avg_sq'] = beta2 * state['exp_avg_sq'] + ..."
    )
MISTAKES["adadelta"]["weight-decay-after-scaling#before-accumulator"] = (
    "weight decay was added to the step after the scaling, delta + weight_decay * p, and acc_delta averaged the "
    "square of that sum: the decay neither entered square_avg nor was scaled by the ratio of roots; the L2 term joins "
    f"the gradient first: {_WD}, and that g feeds square_avg, delta and acc_delta"
)
# The square of the running size taken in place (np.square(g, out=g), g **= 2, g *= g): g itself becomes g^2, and the
# step, which reads g after that line, moves along g^2.
SQUARED_IN_PLACE = "modifies-grad#squared-in-place"
for _formula in ("adagrad", "rmsprop", "adadelta"):
    MISTAKES[_formula][SQUARED_IN_PLACE] = (
        "the square was taken in place (np.square(g, out=g), g **= 2 or g *= g), so g itself became g^2 and the "
        "step moved along g^2 instead of g (and without weight decay g is p.grad, which step() then changed as "
        "well); square into a new array, g * g, and keep g for the step"
    )
# The square kept in a variable of its own for the running size (g2 = g * g) and that variable read in the step too,
# where g belongs: the numbers of SQUARED_IN_PLACE, with p.grad left alone (what tells the two apart).
SQUARE_IN_STEP = "copy-paste#squared-gradient-in-step"
for _formula in ("adagrad", "rmsprop", "adadelta"):
    MISTAKES[_formula][SQUARE_IN_STEP] = (
        "the step moved along the squared gradient, g^2 where g belongs (the variable holding g * g for the running "
        "size was used in the step as well, p -= lr * g2 / ...), so the gradient's sign was lost and every weight "
        "moved down whatever its slope; the running size adds g^2, the step's numerator is g itself"
    )
# A hyper-parameter stored from a neighbour's argument of another role (self.dampening = float(weight_decay), the line
# below copied): the caller's own value is ignored. ``hyperparameter-ignored#<key>=<source>``. (SGD's weight_decay from
# dampening is left out: where dampening is 0 it is weight-decay-ignored's numbers, and that names it.)
_STORED_FROM = {"sgd": (("dampening", "weight_decay"),)}
for _formula, _pairs in _STORED_FROM.items():
    for _key, _source in _pairs:
        MISTAKES[_formula][f"hyperparameter-ignored#{_key}={_source}"] = (
            f"{_key} had the value of {_source}: self.{_key} was stored from the {_source} argument (a line copied and "
            f"not changed), so the caller's {_key} is ignored; store each hyper-parameter from its own argument, "
            f"self.{_key} = float({_key})"
        )
# A valid 0 taken for "not given" (self.rho = rho or 0.9, `if not rho: rho = 0.9`): the default replaces it. The
# hyper-parameters whose default is not 0 and for which 0 is valid (docs/api.md), by their simulator names.
ZERO_DEFAULTS: dict[str, dict[str, float]] = {
    "rmsprop": {"alpha": 0.99},
    "adadelta": {"rho": 0.9},
    "adam": {"beta1": 0.9, "beta2": 0.999},
    "adamw": {"beta1": 0.9, "beta2": 0.999, "weight_decay": 0.01},
}
for _formula, _defaults in ZERO_DEFAULTS.items():
    for _key, _value in _defaults.items():
        _argument = f"betas[{int(_key == 'beta2')}]" if _key.startswith("beta") else _key
        MISTAKES[_formula][f"zero-taken-as-unset#{_key}"] = (
            f"{_argument} = 0 was replaced by the default {_value}: 0 was taken for 'not given' ({_argument} or "
            f"{_value}, or `if not {_argument}:`), but 0 is a valid {_key}; test `is None` if anything, or store the "
            "argument as given"
        )
MISTAKES["rmsprop"]["precedence#momentum-buffer"] = (
    "the momentum buffer was (momentum * momentum_buffer + g) / avg: the parentheses put the old velocity under the "
    "division too, so it is divided by avg again at every step; only the new gradient is scaled, momentum_buffer = "
    "momentum * momentum_buffer + g / avg"
)
MISTAKES["rmsprop"]["saved-state-overwritten#centered-variance"] = (
    "the centered variance v - m^2 was written into the running average of squares (np.maximum(..., out=square_avg), "
    "or an in-place update of state['square_avg']), so the next step averages g^2 into the variance instead of into "
    "the average of g^2; compute the variance into a new array and leave square_avg alone"
)
for _formula in ("adam", "adamw"):
    MISTAKES[_formula]["accumulator-after-step#v"] = (
        "the step read v (exp_avg_sq) before this step's g^2 joined it: v = state['exp_avg_sq'] came before the line "
        "that updates it, so the denominator used last step's average (zeros on the first step: eps alone); update "
        "exp_avg and exp_avg_sq first, then read them"
    )
    MISTAKES[_formula]["state-key-mismatch#v-read-from-vmax"] = (
        "the denominator read max_exp_avg_sq, the amsgrad maximum, instead of exp_avg_sq, with or without amsgrad: it "
        "stays zeros, so every step divided by eps alone; v = state['exp_avg_sq'], and only with amsgrad the maximum "
        "of it"
    )
    MISTAKES[_formula]["result-discarded#amsgrad-max"] = (
        "with amsgrad the running maximum was never stored: max_exp_avg_sq stayed all zeros while exp_avg_sq moved. "
        "np.maximum(v_max, v) on a line of its own returns a new array, which is thrown away (it does not work in "
        "place), or the maximum was taken of max_exp_avg_sq with itself; the denominator, which rightly reads the "
        "maximum, then divided by eps alone and every step was enormous. Store the maximum: np.maximum(v_max, v, "
        "out=v_max), or state['max_exp_avg_sq'] = np.maximum(state['max_exp_avg_sq'], v)"
    )
for _formula in ("adam", "adamw"):
    MISTAKES[_formula]["saved-state-stale#amsgrad-max"] = (
        "with amsgrad the denominator read max_exp_avg_sq before this step's maximum was taken (v = "
        "state['max_exp_avg_sq'] above the line that updates it), so it used last step's maximum (zeros on the first "
        "step: eps alone); update max_exp_avg_sq = max(max_exp_avg_sq, exp_avg_sq) first, then read it"
    )
    MISTAKES[_formula]["saved-state-stale#first-moment"] = (
        "the step read the first moment m (exp_avg) before this step's update of it: m = state['exp_avg'] came above "
        "the line that updates it, so each step moved along last step's average (zeros on the first step, which did "
        "not move at all); update exp_avg = beta1 * exp_avg + (1 - beta1) * g first, then step along it"
    )
    MISTAKES[_formula]["nesterov-wrong-operand#look-ahead-moment"] = (
        "the step's numerator was the look-ahead beta1 * m + (1 - beta1) * g, the next step's first moment "
        "(NAdam's Nesterov momentum), in place of m: Adam steps along the bias-corrected first moment itself, "
        "p -= lr / (1 - beta1^t) * m / denom"
    )
    MISTAKES[_formula]["formula-wrong#eps-as-floor"] = (
        "eps was used as a floor of the denominator, np.maximum(sqrt(v_hat), eps), where it is added to it: "
        "sqrt(v_hat) + eps. Added, eps changes every step, not only where sqrt(v_hat) is below it"
    )
MISTAKES["adamw"]["decay-factor-form#power-of-step"] = (
    "each step multiplied p by (1 - lr * weight_decay) ** t, the decay of all t steps so far: applied at every step "
    "it compounds (t(t + 1) / 2 factors after t steps); each step shrinks p once, p *= 1 - lr * weight_decay"
)
MISTAKES["rmsprop"]["formula-wrong#eps-as-floor"] = (
    "eps was used as a floor of the denominator, np.maximum(sqrt(v), eps), where RMSprop adds it: avg = sqrt(v) + "
    "eps. Added, eps changes every step, not only where sqrt(v) is below it"
)
MISTAKES["rmsprop"]["saved-state-stale#momentum-buffer"] = (
    "with momentum the parameters were moved by the buffer before the buffer was updated (p -= lr * b above b = "
    "momentum * b + g / avg), so each step applied the previous step's velocity and the first step did not move at "
    "all; update the buffer first, then p -= lr * b"
)
MISTAKES["rmsprop"]["wrong-hyperparameter#momentum@mean"] = (
    "centered: the running mean of the gradients was decayed with momentum, m = momentum * m + (1 - momentum) * g; "
    "it is a running average with alpha, like v: m = alpha * m + (1 - alpha) * g (with momentum 0 the mean is g "
    "itself, and the variance v - g^2 collapses)"
)
MISTAKES["sgd"]["saved-state-stale#momentum-buffer"] = (
    "with momentum the parameters were moved by the velocity before it was updated (p -= lr * b above b = momentum "
    "* b + (1 - dampening) * g), so each step applied the previous step's velocity and the first step did not move "
    "at all; update the velocity first, then p -= lr * b"
)
