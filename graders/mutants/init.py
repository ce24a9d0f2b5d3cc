"""Mutants of the reference initialisers (init.py): realistic student bugs (see __init__).

Grouped by the class of mistake: the fans (swapped, the receptive field forgotten), the gain
(left out, the slope or the nonlinearity ignored, ReLU's always, a zero slope read as unset), the
uniform bound (sqrt(3) against sqrt(6), the std as the bound, half the width), the variance taken
for the std, a 2 lost or gained in the normal std (or in a hand-made Box-Muller's radius), the two
distributions confused, a draw not centred, and a draw that ignores its generator.
"""

from . import Mutant

_FANS = "    fan_in = shape[1] * receptive_field\n    fan_out = shape[0] * receptive_field\n"
_XU_BOUND = "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n"
_XU_DRAW = (
    "    weight = rng.uniform(-bound, bound, size=shape)\n    ### END SOLUTION\n    return weight\n\n\n"
    "def xavier_normal("
)
_XN_STD = "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n"
_KU_FAN = (
    '    fan = fan_in if mode == "fan_in" else fan_out\n'
    "    gain = calculate_gain(nonlinearity, a)\n"
    "    std = gain / math.sqrt(fan)\n"
    "    bound = math.sqrt(3.0) * std\n"
)
_KU_DRAW = "    bound = math.sqrt(3.0) * std\n    weight = rng.uniform(-bound, bound, size=shape)\n"
_KN = (
    '    fan = fan_in if mode == "fan_in" else fan_out\n'
    "    gain = calculate_gain(nonlinearity, a)\n"
    "    std = gain / math.sqrt(fan)\n"
    "    weight = rng.normal(0.0, std, size=shape)\n"
)

MUTANTS: list[Mutant] = [
    # ------------------------------------------------------------------ fan_in_and_fan_out
    Mutant(
        "fans-swapped",
        "init.fan_in_and_fan_out",
        "reads the weight as (in, out): fan_in from shape[0], fan_out from shape[1]",
        _FANS,
        "    fan_in = shape[0] * receptive_field\n    fan_out = shape[1] * receptive_field\n",
        ("fans-swapped",),
    ),
    Mutant(
        "fans-receptive-field-ignored",
        "init.fan_in_and_fan_out",
        "counts channels only: a conv kernel's fans leave out kH * kW",
        _FANS,
        "    fan_in = shape[1]\n    fan_out = shape[0]\n",
        ("receptive-field-ignored",),
    ),
    Mutant(
        "fans-receptive-field-on-fan-in-only",
        "init.fan_in_and_fan_out",
        "multiplies fan_in by the receptive field but not fan_out",
        _FANS,
        "    fan_in = shape[1] * receptive_field\n    fan_out = shape[0]\n",
        ("receptive-field-ignored",),
    ),
    # ------------------------------------------------------------------ xavier_uniform
    Mutant(
        "xavier-uniform-sqrt3-for-sqrt6",
        "init.xavier_uniform",
        "bound = gain * sqrt(3 / (fan_in + fan_out)): sqrt(3) where sqrt(6) belongs",
        _XU_BOUND,
        "    bound = gain * math.sqrt(3.0 / (fan_in + fan_out))\n",
        ("uniform-bound",),
    ),
    Mutant(
        "xavier-uniform-std-as-bound",
        "init.xavier_uniform",
        "draws from U(-std, std): the std used as the bound",
        _XU_DRAW,
        _XU_DRAW.replace("rng.uniform(-bound, bound,", "rng.uniform(-std, std,"),
        ("uniform-bound",),
    ),
    Mutant(
        "xavier-uniform-fan-in-only",
        "init.xavier_uniform",
        "uses LeCun's 1 / fan_in instead of Xavier's 2 / (fan_in + fan_out)",
        "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n" + _XU_BOUND,
        "    std = gain * math.sqrt(1.0 / fan_in)\n" + _XU_BOUND,
        ("xavier-one-fan",),
    ),
    Mutant(
        "xavier-uniform-global-random",
        "init.xavier_uniform",
        "draws from np.random's global functions instead of the rng argument",
        _XU_DRAW,
        _XU_DRAW.replace("rng.uniform(", "np.random.uniform("),
        ("rng-ignored",),
    ),
    Mutant(
        "kaiming-uniform-default-generator-seeded",
        "init.kaiming_uniform",
        "for reproducible runs, rng=None falls back to a generator seeded with 0 instead of base.default_generator(): "
        "every call without an rng draws the same weights, and base.seed() no longer reaches the initialiser",
        "    _check_mode(mode)\n    rng = default_generator() if rng is None else rng\n    ### BEGIN SOLUTION\n"
        "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
        '    fan = fan_in if mode == "fan_in" else fan_out\n'
        "    gain = calculate_gain(nonlinearity, a)\n"
        "    std = gain / math.sqrt(fan)\n"
        "    bound",
        "    _check_mode(mode)\n    rng = np.random.default_rng(0) if rng is None else rng\n    ### BEGIN SOLUTION\n"
        "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
        '    fan = fan_in if mode == "fan_in" else fan_out\n'
        "    gain = calculate_gain(nonlinearity, a)\n"
        "    std = gain / math.sqrt(fan)\n"
        "    bound",
        ("fixed-seed",),
    ),
    # ------------------------------------------------------------------ xavier_normal
    Mutant(
        "xavier-normal-variance-as-std",
        "init.xavier_normal",
        "std = gain^2 * 2 / (fan_in + fan_out): the variance used as the standard deviation",
        _XN_STD,
        _XN_STD.replace("std = gain * math.sqrt(2.0 / (fan_in + fan_out))", "std = gain**2 * 2.0 / (fan_in + fan_out)"),
        ("variance-as-std",),
    ),
    Mutant(
        "xavier-normal-gain-missing",
        "init.xavier_normal",
        "forgets the gain",
        _XN_STD,
        _XN_STD.replace("std = gain * math.sqrt(", "std = math.sqrt("),
        ("gain-missing",),
    ),
    Mutant(
        "xavier-normal-draws-uniform",
        "init.xavier_normal",
        "draws uniform entries with the right standard deviation instead of normal ones",
        _XN_STD,
        _XN_STD.replace(
            "rng.normal(0.0, std, size=shape)", "rng.uniform(-math.sqrt(3.0) * std, math.sqrt(3.0) * std, size=shape)"
        ),
        ("uniform-normal-confused",),
    ),
    # ------------------------------------------------------------------ kaiming_uniform
    Mutant(
        "kaiming-uniform-mode-ignored",
        "init.kaiming_uniform",
        "always uses fan_in, whatever mode says",
        _KU_FAN,
        _KU_FAN.replace('fan = fan_in if mode == "fan_in" else fan_out', "fan = fan_in"),
        ("mode-ignored",),
    ),
    Mutant(
        "kaiming-uniform-gain-missing",
        "init.kaiming_uniform",
        "forgets the gain: std = 1 / sqrt(fan)",
        _KU_FAN,
        _KU_FAN.replace("std = gain / math.sqrt(fan)", "std = 1.0 / math.sqrt(fan)"),
        ("gain-missing",),
    ),
    Mutant(
        "kaiming-uniform-relu-gain-always",
        "init.kaiming_uniform",
        "hard-codes ReLU's gain sqrt(2), ignoring nonlinearity and a",
        _KU_FAN,
        _KU_FAN.replace("gain = calculate_gain(nonlinearity, a)", "gain = math.sqrt(2.0)"),
        ("nonlinearity-ignored", "a-ignored"),
    ),
    Mutant(
        "kaiming-uniform-draws-normal",
        "init.kaiming_uniform",
        "draws normal entries where uniform ones belong",
        _KU_DRAW,
        _KU_DRAW.replace("rng.uniform(-bound, bound, size=shape)", "rng.normal(0.0, std, size=shape)"),
        ("uniform-normal-confused",),
    ),
    Mutant(
        "kaiming-uniform-not-centred",
        "init.kaiming_uniform",
        "bound * rng.random(shape): U(0, b) instead of U(-b, b)",
        _KU_DRAW,
        _KU_DRAW.replace("rng.uniform(-bound, bound, size=shape)", "bound * rng.random(size=shape)"),
        ("not-centred",),
    ),
    # ------------------------------------------------------------------ kaiming_normal
    Mutant(
        "kaiming-normal-fans-swapped",
        "init.kaiming_normal",
        "mixes up the modes: fan_out where mode='fan_in' asks for fan_in, and the other way round",
        _KN,
        _KN.replace('fan = fan_in if mode == "fan_in" else fan_out', 'fan = fan_out if mode == "fan_in" else fan_in'),
        ("fans-swapped",),
    ),
    Mutant(
        "kaiming-normal-a-ignored",
        "init.kaiming_normal",
        "does not pass the slope a on to calculate_gain",
        _KN,
        _KN.replace("gain = calculate_gain(nonlinearity, a)", "gain = calculate_gain(nonlinearity)"),
        ("a-ignored",),
    ),
    Mutant(
        "kaiming-normal-variance-as-std",
        "init.kaiming_normal",
        "std = gain^2 / fan: the variance used as the standard deviation",
        _KN,
        _KN.replace("std = gain / math.sqrt(fan)", "std = gain**2 / fan"),
        ("variance-as-std",),
    ),
    Mutant(
        "kaiming-normal-bound-as-std",
        "init.kaiming_normal",
        "uses the uniform bound sqrt(3) * gain / sqrt(fan) as the normal's standard deviation",
        _KN,
        _KN.replace("std = gain / math.sqrt(fan)", "std = math.sqrt(3.0) * gain / math.sqrt(fan)"),
        ("uniform-normal-confused",),
    ),
]

# Red team, round 3 (the release's self-checker): each also fails the checker on its own component.
MUTANTS += [
    Mutant(
        "fans-receptive-field-last-axis",
        "init.fan_in_and_fan_out",
        "the receptive field is shape[-1] alone: a (F, C, kH, kW) kernel counts kW, not kH * kW",
        "    receptive_field = math.prod(shape[2:])",
        "    receptive_field = shape[-1] if len(shape) > 2 else 1",
        ("receptive-field-partial", "values"),
    ),
    # One fan's receptive field from a slice of the kernel axes that stops short: the last kernel axis lost.
    Mutant(
        "fans-fan-in-kernel-slice-stops-short",
        "init.fan_in_and_fan_out",
        "fan_in = shape[1] * prod(shape[2:-1]): the slice leaves the last kernel axis out of fan_in only",
        "    fan_in = shape[1] * receptive_field\n",
        "    fan_in = shape[1] * math.prod(shape[2:-1])\n",
        ("receptive-field-partial",),
    ),
    Mutant(
        "fans-kernel-sides-accumulated-by-addition",
        "init.fan_in_and_fan_out",
        "accumulates the kernel's sides with += from 0: the receptive field is kH + kW, not kH * kW",
        "    receptive_field = math.prod(shape[2:])\n",
        "    receptive_field = 0 if len(shape) > 2 else 1\n"
        "    for side in shape[2:]:\n        receptive_field += side\n",
        ("receptive-field-summed",),
    ),
    Mutant(
        "fans-kernel-sides-summed-from-one",
        "init.fan_in_and_fan_out",
        "writes the product as sum(shape[2:], 1), the start of 1 a product needs kept but the sides added: a 3x3 "
        "kernel gives a receptive field of 1 + 3 + 3 = 7, not 9 (and a 1-D kernel of k gives k + 1)",
        "    receptive_field = math.prod(shape[2:])\n",
        "    receptive_field = sum(shape[2:], 1)  # start at 1, as for a product\n",
        ("receptive-field-summed",),
    ),
    Mutant(
        "xavier-normal-fan-in-only",
        "init.xavier_normal",
        "Xavier normal with std = gain sqrt(1 / fan_in) (LeCun's), not sqrt(2 / (fan_in + fan_out))",
        "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)",
        "    std = gain * math.sqrt(1.0 / fan_in)\n    weight = rng.normal(0.0, std, size=shape)",
        ("xavier-one-fan",),
    ),
    Mutant(
        "kaiming-normal-relu-gain-always",
        "init.kaiming_normal",
        "Kaiming normal always uses ReLU's gain sqrt(2), whatever nonlinearity and a say",
        "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n    weight = rng.normal",
        "    gain = math.sqrt(2.0)\n    std = gain / math.sqrt(fan)\n    weight = rng.normal",
        ("nonlinearity-ignored", "a-ignored"),
    ),
]

# Issue 11: classic mistakes the catalogue lacked; the statistics name each one, with a second draw
# (other arguments) where two mistakes give the same std.
MUTANTS += [
    Mutant(
        "xavier-uniform-sqrt-missing",
        "init.xavier_uniform",
        "std = gain * 2 / (fan_in + fan_out): the square root left out, a variance used as the std",
        "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n" + _XU_BOUND,
        "    std = gain * 2.0 / (fan_in + fan_out)\n" + _XU_BOUND,
        ("variance-as-std",),
    ),
    Mutant(
        "xavier-uniform-gain-ignored",
        "init.xavier_uniform",
        "leaves the gain out of the bound",
        "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n" + _XU_BOUND,
        "    std = math.sqrt(2.0 / (fan_in + fan_out))\n" + _XU_BOUND,
        ("gain-missing",),
    ),
    Mutant(
        "xavier-normal-channels-as-fans",
        "init.xavier_normal",
        "uses shape[1] and shape[0] as the fans: a conv kernel's receptive field forgotten",
        _XN_STD,
        _XN_STD.replace(
            "std = gain * math.sqrt(2.0 / (fan_in + fan_out))", "std = gain * math.sqrt(2.0 / (shape[1] + shape[0]))"
        ),
        ("receptive-field-ignored",),
    ),
    Mutant(
        "kaiming-uniform-std-as-bound",
        "init.kaiming_uniform",
        "draws from U(-std, std): the factor sqrt(3) of the uniform bound left out",
        _KU_DRAW,
        _KU_DRAW.replace("rng.uniform(-bound, bound, size=shape)", "rng.uniform(-std, std, size=shape)"),
        ("uniform-bound",),
    ),
    Mutant(
        "kaiming-normal-mode-ignored",
        "init.kaiming_normal",
        "always uses fan_in, whatever mode says",
        _KN,
        _KN.replace('fan = fan_in if mode == "fan_in" else fan_out', "fan = fan_in"),
        ("mode-ignored",),
    ),
]

# Issue 11, round 3: a rule mistyped (operator precedence, the square root's scope, one operator for
# another) and the draw call's arguments in the wrong places. Each is named by a simulation: the
# typed formula reproduces the std of every draw (init_formulas), the call its mean and spread.
MUTANTS += [
    Mutant(
        "xavier-normal-root-as-power-one-half",
        "init.xavier_normal",
        "the square root written as a power without parentheses: (2 / (fan_in + fan_out)) ** 1 / 2 is the "
        "quotient halved",
        _XN_STD,
        _XN_STD.replace(
            "std = gain * math.sqrt(2.0 / (fan_in + fan_out))", "std = gain * (2.0 / (fan_in + fan_out)) ** 1 / 2"
        ),
        ("precedence",),
    ),
    Mutant(
        "kaiming-normal-reciprocal-root-precedence",
        "init.kaiming_normal",
        "std = gain * (1 / fan) ** 1/2, meant as gain times the root of 1 / fan",
        _KN,
        _KN.replace("std = gain / math.sqrt(fan)", "std = gain * (1.0 / fan) ** 1 / 2"),
        ("precedence",),
    ),
    Mutant(
        "xavier-uniform-gain-inside-root",
        "init.xavier_uniform",
        "std = sqrt(gain * 2 / (fan_in + fan_out)): the gain put under the square root",
        "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n" + _XU_BOUND,
        "    std = math.sqrt(gain * 2.0 / (fan_in + fan_out))\n" + _XU_BOUND,
        ("root-scope",),
    ),
    Mutant(
        "kaiming-uniform-root-times-fan",
        "init.kaiming_uniform",
        "std = gain * sqrt(fan): the fan multiplies where it divides",
        _KU_FAN,
        _KU_FAN.replace("std = gain / math.sqrt(fan)", "std = gain * math.sqrt(fan)"),
        ("formula-operator",),
    ),
    Mutant(
        "xavier-normal-std-as-loc",
        "init.xavier_normal",
        "rng.normal(std, size=shape): std handed to loc, the mean, and the scale left at 1",
        _XN_STD,
        _XN_STD.replace("rng.normal(0.0, std, size=shape)", "rng.normal(std, size=shape)"),
        ("not-centred",),
    ),
    Mutant(
        "kaiming-uniform-bound-as-low",
        "init.kaiming_uniform",
        "rng.uniform(-bound, size=shape): only low given, so high is numpy's default 1",
        _KU_DRAW,
        _KU_DRAW.replace("rng.uniform(-bound, bound, size=shape)", "rng.uniform(-bound, size=shape)"),
        ("not-centred",),
    ),
]

# Crashes read from the line that raised (graders/judging/crashes.py, G6): a shape unpacked into a fixed
# number of names, where the API allows any number of dimensions.
MUTANTS += [
    Mutant(
        "fans-unpack-conv-kernel",
        "init.fan_in_and_fan_out",
        "unpacks the shape as (out, in, kh, kw): written for conv kernels, a (out, in) weight raises",
        "    receptive_field = math.prod(shape[2:])\n",
        "    _, _, kh, kw = shape\n    receptive_field = kh * kw\n",
        ("fixed-number-of-axes",),
    ),
    Mutant(
        "kaiming-uniform-unpacks-matrix",
        "init.kaiming_uniform",
        "reads the fans by unpacking the shape as a matrix (out_features, in_features): conv kernels raise",
        '    fan_in, fan_out = fan_in_and_fan_out(shape)\n    fan = fan_in if mode == "fan_in" else fan_out\n'
        "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n    bound",
        '    out_features, in_features = shape\n    fan = in_features if mode == "fan_in" else out_features\n'
        "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n    bound",
        ("receptive-field-ignored",),
    ),
]

# Issue 11, set C's misses generalised (G3): a draw without size= (one number), integer division in a
# scale formula (a scale of 0), the kernel's receptive field from one axis, a mode compared with a
# misspelt literal (the default branch always runs).
MUTANTS += [
    Mutant(
        "kaiming-normal-size-forgotten",
        "init.kaiming_normal",
        "rng.normal(0.0, std) without size=shape: one float comes back instead of an array",
        _KN,
        _KN.replace("rng.normal(0.0, std, size=shape)", "rng.normal(0.0, std)"),
        ("size-not-passed",),
    ),
    Mutant(
        "kaiming-normal-variance-floor-divided",
        "init.kaiming_normal",
        "the variance is written gain ** 2 // fan: floor division makes it 0, so every weight is 0",
        _KN,
        _KN.replace("std = gain / math.sqrt(fan)", "std = math.sqrt(gain**2 // fan)"),
        ("rounded-values",),
    ),
    # Integer arithmetic in the scale: exact for even fan sums and perfect squares, wrong for the others.
    Mutant(
        "xavier-normal-half-fan-sum-floored",
        "init.xavier_normal",
        "std = gain / sqrt((fan_in + fan_out) // 2): the average fan floored, half of an odd fan sum dropped",
        _XN_STD,
        _XN_STD.replace("gain * math.sqrt(2.0 / (fan_in + fan_out))", "gain / math.sqrt((fan_in + fan_out) // 2)"),
        ("integer-division",),
    ),
    Mutant(
        "kaiming-uniform-root-truncated",
        "init.kaiming_uniform",
        "std = gain / int(fan ** 0.5): the square root truncated to a whole number",
        _KU_FAN,
        _KU_FAN.replace("std = gain / math.sqrt(fan)", "std = gain / int(fan**0.5)"),
        ("rounded-values",),
    ),
    Mutant(
        "fans-square-of-last-axis",
        "init.fan_in_and_fan_out",
        "the receptive field is the last axis squared, as if kernels were square",
        "    receptive_field = math.prod(shape[2:])\n",
        "    receptive_field = shape[-1] * shape[-1] if len(shape) > 2 else 1\n",
        ("square-only-index",),
    ),
    Mutant(
        "kaiming-uniform-mode-capitalised",
        "init.kaiming_uniform",
        "the mode is compared with 'FAN_IN': never equal, so every mode uses fan_out",
        _KU_FAN,
        _KU_FAN.replace('mode == "fan_in"', 'mode == "FAN_IN"'),
        ("mode-ignored",),
    ),
]

# Issue 11, set D's misses generalised (G6): a normal cut at its tails, a uniform bound sqrt(2) too wide.
MUTANTS += [
    Mutant(
        "xavier-normal-clipped-three-std",
        "init.xavier_normal",
        "the normal draws are clipped to three standard deviations: the tails piled at +-3 std",
        _XN_STD,
        _XN_STD.replace(
            "rng.normal(0.0, std, size=shape)", "np.clip(rng.normal(0.0, std, size=shape), -3 * std, 3 * std)"
        ),
        ("truncated-normal",),
    ),
    Mutant(
        "kaiming-uniform-bound-sqrt6-times-std",
        "init.kaiming_uniform",
        "the bound is sqrt(6) * std (Xavier's 6 of sqrt(6 / (fan_in + fan_out)) on a std): sqrt(2) too wide",
        _KU_DRAW,
        _KU_DRAW.replace("math.sqrt(3.0) * std", "math.sqrt(6.0) * std"),
        ("formula-constant", "uniform-bound"),
    ),
]

# Issue 11, set E generalised (G6): unit draws divided by the scale where they are multiplied by it.
MUTANTS += [
    Mutant(
        "xavier-uniform-inverse-bound",
        "init.xavier_uniform",
        "the draws are U(-1/b, 1/b): the bound inverted, so the spread shrinks as the bound grows",
        "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n"
        "    weight = rng.uniform(-bound, bound, size=shape)\n",
        "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n"
        "    weight = rng.uniform(-1.0 / bound, 1.0 / bound, size=shape)\n",
        ("formula-operator",),
    ),
    Mutant(
        "fans-fan-in-from-first-axis",
        "init.fan_in_and_fan_out",
        "fan_in copied from the fan_out line: shape[0] * receptive_field, the output channels, not the inputs",
        "    fan_in = shape[1] * receptive_field\n",
        "    fan_in = shape[0] * receptive_field\n",
        ("fan-in-wrong-axis",),
    ),
    Mutant(
        "kaiming-normal-gain-of-mode",
        "init.kaiming_normal",
        "calculate_gain(mode, a): the mode is passed where the nonlinearity belongs",
        "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n    weight = rng.normal",
        "    gain = calculate_gain(mode, a)\n    std = gain / math.sqrt(fan)\n    weight = rng.normal",
        ("gain-arguments",),
    ),
]

# Round 2 (set F's classes, each a different edit from the held-apart bugs): the receptive field from a
# fixed number of trailing axes, the gain applied twice, Xavier's sum of the fans in Kaiming's rule, and a
# uniform bound twice the right one.
MUTANTS += [
    Mutant(
        "fans-receptive-field-last-axis-of-any-shape",
        "init.fan_in_and_fan_out",
        "the receptive field is shape[-1], as if every kernel were 1-D: a dense (out, in) weight gets in * in",
        "    receptive_field = math.prod(shape[2:])\n",
        "    receptive_field = math.prod(shape[-1:])\n",
        ("fixed-number-of-axes",),
    ),
    Mutant(
        "xavier-normal-gain-twice",
        "init.xavier_normal",
        "the normal draw, whose std already holds the gain, is multiplied by the gain again",
        _XN_STD,
        "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = gain * rng.normal(0.0, std, size=shape)\n",
        ("gain-twice",),
    ),
    Mutant(
        "kaiming-normal-xavier-fans",
        "init.kaiming_normal",
        "std = gain / sqrt(fan_in + fan_out): Xavier's sum of the fans in Kaiming's rule",
        _KN,
        _KN.replace("math.sqrt(fan)", "math.sqrt(fan_in + fan_out)"),
        ("xavier-kaiming-confused",),
    ),
    Mutant(
        "kaiming-uniform-bound-twice",
        "init.kaiming_uniform",
        "the bound is 2 * sqrt(3) * std: the width of U(-b, b) taken for its bound",
        _KU_DRAW,
        "    bound = 2.0 * math.sqrt(3.0) * std\n    weight = rng.uniform(-bound, bound, size=shape)\n",
        ("uniform-bound",),
    ),
]

# Round 3 (set G's classes, each a different edit from the held-apart bugs): the receptive field from a
# slice that starts one axis off.
MUTANTS += [
    Mutant(
        "fans-receptive-field-slice-one-axis-late",
        "init.fan_in_and_fan_out",
        "the receptive field is math.prod(shape[3:]), a slice one axis too late: the first kernel axis is left out",
        "    receptive_field = math.prod(shape[2:])\n",
        "    receptive_field = math.prod(shape[3:])\n",
        ("receptive-field-slice-off-by-one",),
    ),
    Mutant(
        "kaiming-uniform-transposed",
        "init.kaiming_uniform",
        "the draw is returned as weight.T, the (in, out) layout of x @ W: a conv kernel's axes come back reversed",
        _KU_DRAW,
        "    bound = math.sqrt(3.0) * std\n    weight = rng.uniform(-bound, bound, size=shape).T\n",
        ("transposed-shape",),
        ("reversed",),
    ),
    Mutant(
        "kaiming-uniform-half-bounds",
        "init.kaiming_uniform",
        "draws rng.uniform(-bound / 2, bound / 2): the interval's width 2 * bound taken for the bound's double",
        _KU_DRAW,
        "    bound = math.sqrt(3.0) * std\n    weight = rng.uniform(-bound / 2, bound / 2, size=shape)\n",
        ("uniform-bound",),
        ("half the width",),
    ),
]

# Round 4 (set H's classes, each a different edit from the held-apart bugs): the slope handed to
# calculate_gain where the nonlinearity's name belongs.
MUTANTS += [
    Mutant(
        "kaiming-uniform-gain-slope-first",
        "init.kaiming_uniform",
        "calculate_gain(a, nonlinearity): the slope is passed first, where the nonlinearity's name belongs",
        "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n    bound",
        "    gain = calculate_gain(a, nonlinearity)\n    std = gain / math.sqrt(fan)\n    bound",
        ("gain-arguments",),
    ),
]

# Set J's classes, each taught with a different edit of its own (see tests/heldout/fresh_j.py).
MUTANTS += [
    Mutant(
        "fans-receptive-field-counts-kernel-axes",
        "init.fan_in_and_fan_out",
        "the receptive field is len(shape[2:]), the number of kernel axes, taken for the kernel's size",
        "    receptive_field = math.prod(shape[2:])\n",
        "    receptive_field = len(shape[2:]) if len(shape) > 2 else 1  # the kernel's size\n",
        ("size-of-shape-tuple",),
    ),
    Mutant(
        "kaiming-uniform-drawn-as-fan-in-matrix",
        "init.kaiming_uniform",
        "draws size=(shape[0], fan_in), one row of fan_in weights per output unit: a kernel comes back 2-D",
        _KU_DRAW,
        "    bound = math.sqrt(3.0) * std\n    weight = rng.uniform(-bound, bound, size=(shape[0], fan_in))\n",
        ("drawn-flattened",),
    ),
]

# Set K's classes, each taught with a different edit of its own (see tests/heldout/fresh_k.py).
MUTANTS += [
    Mutant(
        "fans-receptive-field-product-from-zero",
        "init.fan_in_and_fan_out",
        "the receptive field is a product accumulated from 0, as a sum would be: every shape gets fans of 0",
        "    receptive_field = math.prod(shape[2:])\n",
        "    receptive_field = 0  # multiplied by each kernel side\n"
        "    for side in shape[2:]:\n        receptive_field *= side\n",
        ("empty-product",),
    ),
    Mutant(
        "kaiming-uniform-bound-root-of-variance-over-three",
        "init.kaiming_uniform",
        "bound = gain * sqrt(1 / (3 * fan)): 'variance = b^2 / 3' solved as b = sqrt(variance / 3)",
        "    std = gain / math.sqrt(fan)\n    bound = math.sqrt(3.0) * std\n",
        "    std = gain / math.sqrt(fan)\n    bound = gain * math.sqrt(1.0 / (3.0 * fan))  # b^2 / 3 = gain^2 / fan\n",
        ("uniform-bound",),
    ),
    Mutant(
        "kaiming-normal-leaky-gain-unparenthesised",
        "init.kaiming_normal",
        "the leaky ReLU gain is typed sqrt(2.0 / 1 + a**2): without parentheses it is sqrt(2 + a^2)",
        "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n    weight = rng.normal",
        '    if nonlinearity == "leaky_relu":\n'
        "        gain = math.sqrt(2.0 / 1 + a**2)  # He et al.'s leaky gain\n"
        "    else:\n"
        "        gain = calculate_gain(nonlinearity, a)\n"
        "    std = gain / math.sqrt(fan)\n"
        "    weight = rng.normal",
        ("precedence",),
    ),
    Mutant(
        "kaiming-uniform-fan-in-without-receptive-field",
        "init.kaiming_uniform",
        "mode='fan_in' takes shape[1], the input channels, for fan_in; mode='fan_out' uses fan_out as it should",
        '    fan = fan_in if mode == "fan_in" else fan_out\n    gain = calculate_gain(nonlinearity, a)\n'
        "    std = gain / math.sqrt(fan)\n    bound",
        '    fan = shape[1] if mode == "fan_in" else fan_out  # the number of inputs\n'
        "    gain = calculate_gain(nonlinearity, a)\n    std = gain / math.sqrt(fan)\n    bound",
        ("receptive-field-ignored",),
    ),
]

# Held-apart set M, taught by class (session 13): each a different code shape of a set-M bug's class.
MUTANTS += [
    # a fan read from the wrong axes (set M: fan_out from every axis but the last)
    Mutant(
        "fans-fan-in-last-two-axes",
        "init.fan_in_and_fan_out",
        "fan_in is the product of the last two axes, (in, k) as in a conv1d kernel: right for (out, in, k), wrong "
        "for a dense (out, in) weight and for a 2-D kernel (out, in, kH, kW)",
        _FANS,
        "    fan_in = math.prod(shape[-2:])  # in * k\n    fan_out = shape[0] * receptive_field\n",
        ("fan-in-wrong-axis",),
    ),
    # a sample shifted by its own mean (set M: xavier_normal's weight -= weight.mean())
    Mutant(
        "kaiming-uniform-sample-recentred",
        "init.kaiming_uniform",
        "the drawn weights are centred, weight = weight - np.mean(weight), 'so the mean is exactly 0': the entries "
        "are no longer independent draws of U(-b, b)",
        _KU_DRAW,
        _KU_DRAW + "    weight = weight - np.mean(weight)  # centre the sample exactly\n",
        ("sample-recentred",),
    ),
]

# Held-apart set O, taught by class (session 14): each a different code shape of a set-O bug's class.
_KU_SIGNATURE_TAIL = (
    '    nonlinearity: str = "leaky_relu",\n    rng: np.random.Generator | None = None,\n) -> np.ndarray:\n'
    '    """A new float64 array from ``U(-b, b)``'
)
MUTANTS += [
    # the receptive field cut at two kernel axes (set O: math.prod(shape[2:4]))
    Mutant(
        "fans-receptive-field-kh-kw-only",
        "init.fan_in_and_fan_out",
        "the receptive field is kH * kW, the first two kernel axes, as for a 2-D convolution: a 3-D kernel's depth "
        "is left out",
        "    receptive_field = math.prod(shape[2:])\n",
        "    receptive_field = int(np.prod(shape[2:4]))  # kH * kW (1 for a dense weight)\n",
        ("receptive-field-partial",),
    ),
    # a scale worked out on the first call and kept (set O: a std memoised per shape, a gain on the function)
    Mutant(
        "xavier-uniform-bound-kept-in-module-global",
        "init.xavier_uniform",
        "the bound is computed once and kept in a module variable, 'it is the same for every layer': every later "
        "call draws with the first call's bound whatever its shape and gain",
        _XU_BOUND,
        '    global _BOUND\n    if "_BOUND" not in globals():  # computed once\n'
        "        _BOUND = math.sqrt(3.0) * std\n    bound = _BOUND\n",
        ("cached-first-call",),
    ),
    Mutant(
        "kaiming-normal-gain-cached-per-nonlinearity",
        "init.kaiming_normal",
        "the gains are cached in a module dict keyed by the nonlinearity's name alone: the slope a of the first "
        "leaky_relu call is kept for every later one",
        _KN,
        _KN.replace(
            "    gain = calculate_gain(nonlinearity, a)\n",
            '    gains = globals().setdefault("_GAINS", {})  # one gain per nonlinearity\n'
            "    gain = gains.setdefault(nonlinearity, calculate_gain(nonlinearity, a))\n",
        ),
        ("cached-first-call",),
    ),
    # mode's default changed (set O: kaiming_normal's mode defaulting to 'fan_out')
    Mutant(
        "kaiming-uniform-mode-default-fan-out",
        "init.kaiming_uniform",
        "mode defaults to 'fan_out' (the backward pass's variance, as He et al. recommend), not PyTorch's 'fan_in'",
        '    mode: str = "fan_in",\n' + _KU_SIGNATURE_TAIL,
        '    mode: str = "fan_out",  # He et al.: keep the gradients\' variance\n' + _KU_SIGNATURE_TAIL,
        ("default-changed",),
    ),
]

# Held-apart set AJ, taught by class: the kernel axes multiplied by a loop that stops one axis early (the last
# kernel axis never multiplied in), a different code shape of set AJ's range(2, len(shape) - 1).
MUTANTS += [
    Mutant(
        "fans-kernel-axes-while-loop-stops-early",
        "init.fan_in_and_fan_out",
        "a while loop over the kernel axes runs while axis < len(shape) - 1, as if the bound were the last axis "
        "itself: the last kernel axis is never multiplied in (a 3x3 kernel counts 3, a 1-D kernel nothing)",
        "    receptive_field = math.prod(shape[2:])\n",
        "    receptive_field, axis = 1, 2\n"
        "    while axis < len(shape) - 1:  # up to the last kernel axis\n"
        "        receptive_field *= shape[axis]\n"
        "        axis += 1\n",
        ("receptive-field-partial",),
    ),
]

# Held-apart set AK, taught by class: a uniform draw half as wide as U(-b, b) (set AK: (rng.random(shape) - 0.5) *
# limit), the default slope a = 0 read as "no slope, so ReLU" (set AK: `if a:`), and He et al.'s leaky ReLU formula
# ported for every nonlinearity (set AK: std = sqrt(2 / ((1 + a^2) * fan))), each in another code shape.
MUTANTS += [
    Mutant(
        "xavier-uniform-bound-taken-as-width",
        "init.xavier_uniform",
        "the bound is taken for the interval's width and the draw centred on it, width * r - width / 2: the weights "
        "span [-b/2, b/2), half of U(-b, b)",
        _XU_BOUND + "    weight = rng.uniform(-bound, bound, size=shape)\n",
        "    width = math.sqrt(3.0) * std  # the interval, centred on 0\n"
        "    weight = width * rng.random(shape) - width / 2\n",
        ("uniform-bound",),
    ),
    Mutant(
        "kaiming-normal-zero-slope-means-relu",
        "init.kaiming_normal",
        "a slope of 0 is read as 'no leaky slope, so plain ReLU': calculate_gain('relu') whenever a == 0, so tanh, "
        "selu or sigmoid weights at the default a get ReLU's gain",
        _KN,
        _KN.replace(
            "    gain = calculate_gain(nonlinearity, a)\n",
            '    gain = calculate_gain(nonlinearity, a) if a != 0 else calculate_gain("relu")  # no slope: ReLU\n',
        ),
        ("zero-taken-as-unset", "nonlinearity-ignored"),
    ),
    Mutant(
        "kaiming-uniform-he-leaky-bound-for-every-nonlinearity",
        "init.kaiming_uniform",
        "the bound is He et al.'s leaky ReLU one, sqrt(6 / ((1 + a^2) * fan)), whatever the nonlinearity: tanh, "
        "selu or sigmoid weights get the rectifiers' gain",
        _KU_FAN,
        '    fan = fan_in if mode == "fan_in" else fan_out\n'
        "    bound = math.sqrt(6.0 / ((1.0 + a * a) * fan))  # He et al. (2015), leaky ReLU\n",
        ("nonlinearity-ignored",),
    ),
]

# The tag-vocabulary audit's factor-two class: a normal std with a 2 lost or gained, each rule's slips (Xavier's 2 of
# 2 / (fan_in + fan_out) dropped, or left outside the root, or counted twice over the average fan; He et al.'s 2 put
# on a gain that holds it), and a Box-Muller normal made by hand without the 2 of its radius, which scales the draws
# as a std without it does. Each is claimed where the draw, replayed from the generator, puts the factor where it is.
MUTANTS += [
    Mutant(
        "xavier-normal-fan-sum-without-two",
        "init.xavier_normal",
        "std = gain / sqrt(fan_in + fan_out): the sum of the fans where their average belongs, Glorot's 2 dropped",
        _XN_STD,
        _XN_STD.replace("gain * math.sqrt(2.0 / (fan_in + fan_out))", "gain / math.sqrt(fan_in + fan_out)"),
        ("formula-constant",),
    ),
    Mutant(
        "xavier-normal-two-over-average-fan",
        "init.xavier_normal",
        "std = gain * sqrt(2 / fan_avg) with fan_avg = (fan_in + fan_out) / 2: the 2 counted twice, where Glorot's "
        "variance is 1 / fan_avg",
        _XN_STD,
        _XN_STD.replace(
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n",
            "    fan_avg = (fan_in + fan_out) / 2.0\n    std = gain * math.sqrt(2.0 / fan_avg)\n",
        ),
        ("formula-constant",),
    ),
    Mutant(
        "xavier-normal-power-of-fan-sum-only",
        "init.xavier_normal",
        "std = 2 * gain * (fan_in + fan_out) ** -0.5: the root taken of the fan sum only, the 2 left outside it",
        _XN_STD,
        _XN_STD.replace("gain * math.sqrt(2.0 / (fan_in + fan_out))", "2.0 * gain * (fan_in + fan_out) ** -0.5"),
        ("root-scope",),
    ),
    Mutant(
        "kaiming-normal-he-variance-with-gain",
        "init.kaiming_normal",
        "std = sqrt(2 * gain^2 / fan): He et al.'s variance 2 / fan with the gain squared on top, which already "
        "holds ReLU's 2",
        _KN,
        _KN.replace("std = gain / math.sqrt(fan)", "std = math.sqrt(2.0 * gain**2 / fan)  # He et al.: Var = 2 / fan"),
        ("formula-constant",),
    ),
    Mutant(
        "kaiming-normal-box-muller-radius-without-two",
        "init.kaiming_normal",
        "normal draws made by hand, Box-Muller with sin and the radius sqrt(-log u): without the 2 of sqrt(-2 log u) "
        "they have variance 1/2",
        _KN,
        _KN.replace(
            "    weight = rng.normal(0.0, std, size=shape)\n",
            "    u = rng.uniform(size=(2, *shape))  # Box-Muller from two uniform draws\n"
            "    weight = std * np.sqrt(-np.log1p(-u[0])) * np.sin(2.0 * np.pi * u[1])\n",
        ),
        ("formula-constant",),
    ),
]
