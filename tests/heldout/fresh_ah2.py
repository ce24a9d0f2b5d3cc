"""Held-apart set AH, second half: student bugs in optimizers, init, training, models, gradcheck and early
stopping, written blind by a helper session, aimed at realism (the mistakes real students make, in their code).

Written blind by a helper session under a short deadline (about 45 minutes). Its author read the reference
(reference/optimizers.py, init.py, training.py, models.py, gradcheck.py, early_stopping.py and base.py's Parameter and
zero_grad), tests/heldout/_edits.py, the docstrings and first bugs of fresh_ag.py and fresh_ag2.py (for the format and
the _solution helper, copied here), the ids, components and ``expect`` tags of the catalogue and of every earlier
held-apart set (``EVERY``, tabulated per component and tag with three example ids each), and of
tests/test_feedback_generalisation.py only its SETS and FAMILIES dicts and ``_changes``. The author never read the
diagnosis and grading code (graders/judging, graders/reporting, graders/running, graders/selfcheck,
graders/runner.py), nnlab/ beyond importing it, tests/evidence.py, the feedback audit, the mistake, crash, diagnosis
and feedback tests, benchmarks/, /work/tools/* (but its two briefs), fresh_ah.py (the other half of set AH, written at
the same time), nor any grader feedback or output, and graded none of these bugs. docs/api.md was not read either (the
reference docstrings were the specification).

About 55 ideas were considered; 37 were written and all 37 are kept. The brief's list of the least covered components
steered the split: 15 bugs in init, 6 in gradcheck, 9 in AdamW, Adadelta and Adagrad, one each elsewhere. Dropped
before writing: an Adagrad or RMSprop momentum buffer scaled by lr (equal to the reference while lr is constant), an
Adagrad with eps under the root (a change of about 1e-10), fan_in_and_fan_out through np.prod (a float for matrices,
no mistake under the docstring), an RMSprop whose momentum buffer starts at the first step's value (the buffer starts
at zeros, so it is the same thing), a numerical_gradient restored by x[i] += h (a round-off difference only), a
perturbed-copy gradient check (its undone form is a different design, not one slip), a relative_error without the
empty-array case (only a crash). Changed after the copy check (same component and ``_changes`` as an earlier bug):
the Xavier variance passed as the scale (now written 2 * gain * gain / (...) with keyword arguments; it had equalled
hsq-xavier-normal-variance-as-scale), Sequential's backward index loop (was range(len - 1, 0, -1), equal to
hsq-sequential-backward-range-stops-before-first; now a while loop), and the perceptron's summed errors (was a while
loop with total_error +=, equal to hsae-perceptron-fit-rewrite-sums-signed-errors; now one sum() over a generator).

Rewrites: every bug replaces a whole solution block (a function or method body) in a student's own style; 25 are
rewrites of five lines or more (the fans with a matrix/convolution branch, with *kernel unpacking and with enumerate;
CS231n's np.nditer gradient check, an np.unravel_index loop and an x.flat loop; a Python-loop relative error; Zeiler's
E_g2/RMS_dx notation, in-place accumulators (sq *= rho), RMS terms read at the top of the loop; Adagrad with the step
count in the parameter loop and with the sum before the decay; a torch-style SGD with d_p and an in-place buffer; a
TensorFlow RMSprop port (ms, mg, mom); Adam in Andrew Ng's v/s/v_corrected notation; two AdamW step() overrides, one in
the m_hat/v_hat form, one a port of torch's _single_tensor_adamw with lerp; minibatches over a shuffled index array;
fit with a running total and counter; Keras-like early stopping with a 0-based loop, patience counted down and
history.best_val_loss as the best; a beginner's np.ndindex loop of scalar draws for kaiming_normal) and 12 are short
bodies (the other initialisers, three to five lines each, AdamW's two-line _decay, Sequential.backward's four-line
while loop, Perceptron.fit's three-line sum). Each has exactly one slip, except that the Ng norm ratio replaces the
whole entry-wise formula (its one mistake is the formula itself; undone, it is the reference's expression).

Sharing, honestly: all 37 share an earlier bug's misconception (in new code), which is why every description starts
"(shared idea, new code)"; the ``expect`` tags were taken from earlier bugs with the same misconception. None of the
37 is an idea the author could not find among the earlier tags and ids of its component; what is new is the code the
mistake sits in (e.g. the exact-zero floor patch den[den == 0] = 1e-8, the SGD buffer aliasing p.grad that only shows
through zero_grad and an accumulating backward, the Adadelta decay added in place into p.grad, the AdamW port decaying
with step_size, early stopping's 0-based best_epoch read back through History.best_val_loss).

Classes covered: shapes and axes (the kernel as the last two axes, the first kernel axis skipped, fans from the first
two axes, fan_out without the receptive field, a loop over (out, in) pairs broadcasting one draw over a kernel, len
for size), formulas (the interval [-limit, 0), std as the uniform bound, the gain twice, the variance as the scale,
loc for scale, sqrt(3) / fan, gain / fan under the root, He's leaky gain for every nonlinearity, the larger magnitude
for the sum, the norm ratio, / 2 * h, central difference over h, eps under the root, AMSGrad's maximum of the corrected
moment), hyper-parameters ignored (a not passed to calculate_gain, mode, nonlinearity, Adadelta's lr), floors (only at
exact zero), aliasing and in-place updates (the momentum buffer is p.grad, the decay added into p.grad), order of
operations (AdamW's decay after the step, the RMS of the gradient read before the update, the sum before the decay,
the step count per parameter), decoupled decay (shrink plus L2, the corrected rate), state kept between epochs (the
running total and count), batches (drop_last), control flow (the while loop stopping before layer 0, signed errors
cancelling), and an index/epoch confusion (0-based best_epoch).
Components: fan_in_and_fan_out 3, xavier_uniform 3, xavier_normal 3, kaiming_uniform 3, kaiming_normal 3;
relative_error 3, numerical_gradient 3; AdamW 3, Adadelta 3, Adagrad 2, SGD 1, RMSprop 1, Adam 1; minibatches 1, fit 1;
Sequential 1, Perceptron 1; fit_early_stopping 1.

Checks: every edit applies (nnlab.graders.mutants.apply) and its module imports; no edit has the same component and
``_changes`` as a catalogue mutant or an earlier held-apart bug; every id is new and unique; every ``expect`` tag is an
existing one. The author's script (in /tmp) ran each bug, and each bug with its slip undone, beside the reference
(np.allclose, rtol 1e-9): the fans of (5, 3), (4, 3, 3, 2), (2, 6, 3), (64, 32) and (3, 2, 2, 2, 2); the Xavier
initialisers on those shapes with gain 1 and 5/3, the Kaiming ones with (a, mode, nonlinearity) = (0, fan_in,
leaky_relu), (sqrt(5), fan_in, leaky_relu), (0.2, fan_out, leaky_relu), (0, fan_in, relu), (0, fan_out, tanh) and (0,
fan_in, linear), each from a fresh seeded generator; relative errors of close (3, 4) arrays, opposite arrays, zeros,
tiny entries (1e-10 and -1e-10), empty arrays, mixed signs and one wrong small entry among large ones; numerical
gradients of a sine-weighted cubic plus a product on (3,), (2, 3), (2, 2, 2) and a transposed (4, 3) view, and of a
closure over a weight, with x compared bit for bit afterwards; five steps of each optimizer on parameters (3, 4) and
(5,) with alternating, shrinking gradients, both written into p.grad in place after zero_grad and assigned as new
arrays, checking the parameters after every step and that p.grad is unchanged (SGD plain, momentum 0.9, dampening 0.3,
Nesterov with and without weight decay 0.1, weight decay 0.5; Adagrad lr_decay 0.1, weight_decay, accumulator 0.5;
RMSprop plain, centred, momentum, all three with weight decay; Adadelta lr 1 and 0.5, rho 0.5 with weight decay; Adam
and AdamW with and without amsgrad and weight decay, betas (0.5, 0.9)); minibatches of 7 samples with batch sizes None,
1, 2, 3, 7, 10, shuffled and not; fit (SGD momentum 0.9, MSE, three epochs) on Linear-Tanh-Linear with batch sizes None,
3, 2, 1, shuffled and not; Sequential forward, backward and parameter gradients; a Perceptron with lr 1 and 0.1,
max_epochs 1, 2, 3, 100 on a separable set and 5 epochs of XOR; early stopping with (patience, lr, min_delta,
restore_best) = (1, 0.05, 0, on), (2, 0.6, 0, on), (3, 0.6, 0.01, off), (10, 0.05, 0, on), (2, 0.3, 0, on), batches of
4, shuffled with a given rng. Every undone slip matched the reference on every configuration; every bug changed a result
on at least one and raised on none. Some need the configuration their mistake is about: a kernel of other than two
axes (the last-two-axes fans), a convolution weight (fan_out, the first-two-axes fans, the (out, in) loop), gain != 1
(the gain twice), leaky_relu's a or another nonlinearity, mode='fan_out', a 2-D or larger input (len for size), tiny
entries (the exact-zero floor), weight decay (Adadelta's in-place decay, Adagrad's sum, AdamW's three), lr_decay and
two parameters (the per-parameter count), lr != 1 (Zeiler's notation), momentum without weight decay and a gradient
accumulated in place after zero_grad (SGD's aliased buffer), amsgrad (Adam), a batch size that does not divide N, a
second epoch (fit), a network of more than one layer with parameters in the first (Sequential), an epoch with errors
of both signs (Perceptron). The ``expect`` tags and ``phrases`` were decided from the misconception alone, before any
grading, from the existing vocabulary. Ids start with ``hsah-``.

Blind rate (graded in the sandbox, isolated, before anybody read the feedback; set AG had been taught):
36/37 named (97 %), 37 caught, 1 flagged with another bug class's tag, read as the right diagnosis under another
name (fan_in_and_fan_out's kernel axes from index 3, a slice one axis too late). See fresh_ah.py for the whole set.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant, reference_folder

from ._edits import held_apart_bug

fresh = partial(held_apart_bug, "hsah-")  # set AH


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
_ADAMW_DECAY_END = _ADAMW_DECAY + "        ### END SOLUTION\n"  # the end of class AdamW: a method added after it
_FANS = _solution("init", "def fan_in_and_fan_out(")
_XAVIER_UNIFORM = _solution("init", "def xavier_uniform(")
_XAVIER_NORMAL = _solution("init", "def xavier_normal(")
_KAIMING_UNIFORM = _solution("init", "def kaiming_uniform(")
_KAIMING_NORMAL = _solution("init", "def kaiming_normal(")
_MINIBATCHES = _solution("training", "def minibatches(")
_FIT = _solution("training", "def fit(")
_SEQUENTIAL_BACKWARD = _solution("models", "class Sequential(", "def backward(self")
_PERCEPTRON_FIT = _solution("models", "class Perceptron", "def fit(self")
_NUMGRAD = _solution("gradcheck", "def numerical_gradient(")
_RELERR = _solution("gradcheck", "def relative_error(")
_EARLY_STOPPING = _solution("early_stopping", "def fit_early_stopping(")


FANS = [
    fresh(
        "hsah-fans-kernel-as-last-two-axes",
        "init.fan_in_and_fan_out",
        "(shared idea, new code) a rewrite with a matrix branch and a convolution branch takes the receptive field as "
        "shape[-2] * shape[-1], thinking of a 2-D kernel: right for (out, in, kH, kW), wrong for a Conv1d weight (out, "
        "in, L), where it multiplies in * L, and for a 3-D kernel; the receptive field is the product of every axis "
        "after the first two, math.prod(shape[2:])",
        (
            _FANS,
            "    if len(shape) == 2:\n"
            "        fan_in, fan_out = shape[1], shape[0]\n"
            "    else:\n"
            "        kernel_size = shape[-2] * shape[-1]\n"
            "        fan_in, fan_out = shape[1] * kernel_size, shape[0] * kernel_size\n",
        ),
        expect=("fixed-number-of-axes", "receptive-field-partial"),
        phrases=("receptive field",),
    ),
    fresh(
        "hsah-fans-star-unpacked-fan-out-without-kernel",
        "init.fan_in_and_fan_out",
        "(shared idea, new code) a rewrite unpacks out_channels, in_channels, *kernel = shape, multiplies the kernel "
        "sides in a loop, then multiplies only fan_in by the receptive field: fan_out = out_channels; each input also "
        "reaches out_channels * kH * kW outputs, so fan_out needs the receptive field too (matrices are unaffected)",
        (
            _FANS,
            "    out_channels, in_channels, *kernel = shape\n"
            "    receptive_field = 1\n"
            "    for side in kernel:\n"
            "        receptive_field *= side\n"
            "    fan_in = in_channels * receptive_field\n"
            "    fan_out = out_channels\n",
        ),
        expect=("receptive-field-ignored",),
        phrases=("fan_out", "receptive field"),
    ),
    fresh(
        "hsah-fans-enumerate-kernel-axes-from-index-three",
        "init.fan_in_and_fan_out",
        "(shared idea, new code) a rewrite walks enumerate(shape) and multiplies the sizes whose index is > 2 into the "
        "receptive field: the first kernel axis (index 2) is skipped, so a (out, in, kH, kW) weight gets kW only and a "
        "Conv1d weight none; the kernel axes start at index 2 (i >= 2)",
        (
            _FANS,
            "    receptive_field = 1\n"
            "    for axis, size in enumerate(shape):\n"
            "        if axis > 2:\n"
            "            receptive_field *= size\n"
            "    fan_in, fan_out = shape[1] * receptive_field, shape[0] * receptive_field\n",
        ),
        # the last tag added after reading output
        expect=("receptive-field-partial", "slice-off-by-one", "receptive-field-slice-off-by-one"),
        phrases=("receptive field", "kernel"),
    ),
]

XAVIER_UNIFORM = [
    fresh(
        "hsah-xavier-uniform-random-scaled-without-two",
        "init.xavier_uniform",
        "(shared idea, new code) a rewrite maps rng.random(shape) (uniform on [0, 1)) to the interval by hand as "
        "rng.random(shape) * limit - limit: the width is limit, not 2 * limit, so the weights fall in [-limit, 0) "
        "(mean -limit / 2, all negative); U(-limit, limit) is rng.random(shape) * 2 * limit - limit",
        (
            _XAVIER_UNIFORM,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    limit = gain * math.sqrt(6.0 / (fan_in + fan_out))\n"
            "    weight = rng.random(shape) * limit - limit\n",
        ),
        expect=("not-centred",),
        phrases=("[-limit, 0)", "negative", "centred", "mean"),
    ),
    fresh(
        "hsah-xavier-uniform-average-fan-std-as-bound",
        "init.xavier_uniform",
        "(shared idea, new code) a rewrite computes the Glorot standard deviation from the average fan, std = gain / "
        "sqrt((fan_in + fan_out) / 2), and draws U(-std, std): a uniform on [-b, b] has std b / sqrt(3), "
        "so these weights are sqrt(3) times too small; the bound is sqrt(3) * std",
        (
            _XAVIER_UNIFORM,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    fan_avg = (fan_in + fan_out) / 2.0\n"
            "    std = gain / math.sqrt(fan_avg)\n"
            "    weight = rng.uniform(-std, std, size=shape)\n",
        ),
        expect=("uniform-bound",),
        phrases=("sqrt(3)", "bound"),
    ),
    fresh(
        "hsah-xavier-uniform-gain-in-std-and-bound",
        "init.xavier_uniform",
        "(shared idea, new code) a rewrite puts the gain into the standard deviation and again into the bound, a = "
        "gain * sqrt(3) * std, and scales 2 * rng.random(shape) - 1 by a: with gain != 1 (tanh's 5/3) the weights are "
        "gain times too wide; the gain belongs in one of the two",
        (
            _XAVIER_UNIFORM,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
            "    a = gain * math.sqrt(3.0) * std\n"
            "    weight = (2.0 * rng.random(size=shape) - 1.0) * a\n",
        ),
        expect=("gain-twice", "gain-squared"),
        phrases=("gain",),
    ),
]

XAVIER_NORMAL = [
    fresh(
        "hsah-xavier-normal-variance-passed-as-scale",
        "init.xavier_normal",
        "(shared idea, new code) a rewrite computes the Glorot variance, 2 * gain^2 / (fan_in + fan_out), and "
        "passes it to rng.normal as scale=variance: numpy's scale is the standard deviation, so the weights are far "
        "too small (std = variance instead of sqrt(variance))",
        (
            _XAVIER_NORMAL,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    variance = 2.0 * gain * gain / (fan_in + fan_out)\n"
            "    weight = rng.normal(loc=0.0, scale=variance, size=shape)\n",
        ),
        expect=("variance-as-std",),
        phrases=("variance", "standard deviation"),
    ),
    fresh(
        "hsah-xavier-normal-fans-read-from-first-two-axes",
        "init.xavier_normal",
        "(shared idea, new code) a rewrite reads the fans from the shape, fan_out, fan_in = shape[0], shape[1], "
        "instead of calling fan_in_and_fan_out: right for a (out, in) matrix, but a convolution weight's fans must "
        "include the receptive field (in * kH * kW and out * kH * kW), so conv weights come out too wide",
        (
            _XAVIER_NORMAL,
            "    fan_out, fan_in = shape[0], shape[1]\n"
            "    std = gain * np.sqrt(2.0 / (fan_in + fan_out))\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("receptive-field-ignored",),
        phrases=("receptive field", "kernel"),
    ),
    fresh(
        "hsah-xavier-normal-std-in-loc-position",
        "init.xavier_normal",
        "(shared idea, new code) a rewrite calls rng.normal(s, size=shape), thinking the one positional argument is "
        "the spread: numpy's first parameter is loc, so the weights have mean s and standard deviation 1; the call is "
        "rng.normal(0.0, s, size=shape) (or scale=s)",
        (
            _XAVIER_NORMAL,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    s = gain * np.sqrt(2.0 / (fan_in + fan_out))\n"
            "    weight = rng.normal(s, size=shape)\n",
        ),
        expect=("not-centred", "normal-loc-for-scale"),
        phrases=("loc", "mean"),
    ),
]

KAIMING_UNIFORM = [
    fresh(
        "hsah-kaiming-uniform-gain-without-slope",
        "init.kaiming_uniform",
        "(shared idea, new code) a rewrite indexes the fans by mode and folds the bound into sqrt(3 / fan) * gain, "
        "but calls calculate_gain(nonlinearity) without a: for leaky_relu the slope falls back to 0.01 whatever a is "
        "(PyTorch's Linear default a = sqrt(5) gives a bound sqrt(3) times too large); the gain is "
        "calculate_gain(nonlinearity, a)",
        (
            _KAIMING_UNIFORM,
            "    fans = fan_in_and_fan_out(shape)\n"
            '    fan = fans[0] if mode == "fan_in" else fans[1]\n'
            "    bound = math.sqrt(3.0 / fan) * calculate_gain(nonlinearity)\n"
            "    weight = rng.uniform(low=-bound, high=bound, size=shape)\n",
        ),
        expect=("a-ignored", "gain-arguments"),
        phrases=("negative slope", "a"),
    ),
    fresh(
        "hsah-kaiming-uniform-bound-divided-by-fan-not-its-root",
        "init.kaiming_uniform",
        "(shared idea, new code) a rewrite picks the fan from a dict keyed by mode and writes the bound as gain * "
        "sqrt(3) / fan: the square root covers the 3 only, so the bound shrinks like 1/fan instead of 1/sqrt(fan); the "
        "bound is gain * sqrt(3 / fan)",
        (
            _KAIMING_UNIFORM,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            '    n = {"fan_in": fan_in, "fan_out": fan_out}[mode]\n'
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    bound = gain * math.sqrt(3.0) / n\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
        ),
        expect=("root-scope", "sqrt-missing"),
        phrases=("sqrt", "square root"),
    ),
    fresh(
        "hsah-kaiming-uniform-leaky-gain-whatever-the-nonlinearity",
        "init.kaiming_uniform",
        "(shared idea, new code) a rewrite writes He's leaky-ReLU gain out by hand, gain = sqrt(2 / (1 + a^2)), "
        "instead of calculate_gain(nonlinearity, a): the nonlinearity argument is never read, so tanh (5/3), linear "
        "or sigmoid (1) and relu with a != 0 (sqrt(2)) get the wrong gain",
        (
            _KAIMING_UNIFORM,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            '    fan = fan_out if mode == "fan_out" else fan_in\n'
            "    gain = math.sqrt(2.0 / (1.0 + a**2))\n"
            "    weight = rng.uniform(-1.0, 1.0, size=shape) * (gain * math.sqrt(3.0 / fan))\n",
        ),
        expect=("nonlinearity-ignored", "hyperparameter-ignored"),
        phrases=("nonlinearity",),
    ),
]

KAIMING_NORMAL = [
    fresh(
        "hsah-kaiming-normal-keras-he-normal-fan-in-only",
        "init.kaiming_normal",
        "(shared idea, new code) a rewrite in the style of Keras' he_normal takes the first entry of "
        "fan_in_and_fan_out(shape) and scales standard normals by gain / sqrt(fan_in): mode is never read, so "
        "mode='fan_out' still uses fan_in",
        (
            _KAIMING_NORMAL,
            "    fans = fan_in_and_fan_out(shape)\n"
            "    fan_in = fans[0]\n"
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    std = gain / math.sqrt(fan_in)\n"
            "    weight = rng.standard_normal(shape) * std\n",
        ),
        expect=("mode-ignored",),
        phrases=("mode", "fan_out"),
    ),
    fresh(
        "hsah-kaiming-normal-variance-from-gain-not-squared",
        "init.kaiming_normal",
        "(shared idea, new code) a rewrite computes the variance first and takes its root for the scale, but writes "
        "variance = gain / fan: Var(W) = gain^2 / fan, so the standard deviation is sqrt(gain / fan) = gain / "
        "sqrt(fan) only when gain = 1 (relu's sqrt(2) becomes 2^(1/4))",
        (
            _KAIMING_NORMAL,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            '    fan = fan_in if mode == "fan_in" else fan_out\n'
            "    variance = calculate_gain(nonlinearity, a) / fan\n"
            "    weight = rng.normal(loc=0.0, scale=math.sqrt(variance), size=shape)\n",
        ),
        expect=("gain-under-root", "root-scope"),
        phrases=("gain", "squared", "gain^2"),
    ),
    fresh(
        "hsah-kaiming-normal-loop-over-out-in-pairs",
        "init.kaiming_normal",
        "(shared idea, new code) a beginner's rewrite fills np.zeros(shape) one draw at a time, looping over "
        "np.ndindex(*shape[:2]) as if the weight were an (out, in) matrix: for a convolution weight each draw is "
        "broadcast over the whole kernel slice weight[o, i], so the kH * kW entries of a slice are equal; the loop "
        "must visit every entry, np.ndindex(*shape)",
        (
            _KAIMING_NORMAL,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            '    std = calculate_gain(nonlinearity, a) / math.sqrt(fan_in if mode == "fan_in" else fan_out)\n'
            "    weight = np.zeros(shape)\n"
            "    for idx in np.ndindex(*shape[:2]):\n"
            "        weight[idx] = rng.normal(0.0, std)\n",
        ),
        expect=("draw-broadcast", "wrong-shape"),
        phrases=("kernel", "every entry"),
    ),
]

RELATIVE_ERROR = [
    fresh(
        "hsah-relerr-loop-denominator-larger-magnitude",
        "gradcheck.relative_error",
        "(shared idea, new code) a rewrite loops over the ravelled pairs with Python's abs and max and writes the "
        "denominator as max(1e-8, abs(x), abs(y)), the larger magnitude, instead of max(1e-8, abs(x) + abs(y)): every "
        "error is too large (up to twice; opposite signs give 2 instead of 1)",
        (
            _RELERR,
            "    a = np.asarray(a, dtype=np.float64)\n"
            "    b = np.asarray(b, dtype=np.float64)\n"
            "    errors = [abs(x - y) / max(1e-8, abs(x), abs(y)) for x, y in zip(a.ravel(), b.ravel())]\n"
            "    return float(np.max(errors)) if errors else 0.0\n",
        ),
        # added after reading output (tag-vocabulary audit): max-denominator
        expect=("formula-wrong", "max-for-maximum", "max-denominator"),
        phrases=("|a| + |b|", "sum of the magnitudes"),
    ),
    fresh(
        "hsah-relerr-floor-only-where-denominator-is-zero",
        "gradcheck.relative_error",
        "(shared idea, new code) a rewrite builds the denominator array and patches it with den[den == 0] = 1e-8: "
        "only exact zeros get the floor, so two tiny entries (|a| + |b| below 1e-8, e.g. 1e-10 and -1e-10) give a "
        "relative error near 1 instead of about 0.02; the floor is max(1e-8, |a| + |b|) (den[den < 1e-8] = 1e-8)",
        (
            _RELERR,
            "    a = np.asarray(a, dtype=np.float64)\n"
            "    b = np.asarray(b, dtype=np.float64)\n"
            "    if a.size == 0 and b.size == 0:\n"
            "        return 0.0\n"
            "    num = np.abs(a - b)\n"
            "    den = np.abs(a) + np.abs(b)\n"
            "    den[den == 0] = 1e-8\n"
            "    return float((num / den).max())\n",
        ),
        expect=("no-floor", "floor-scope"),
        phrases=("1e-8", "floor"),
    ),
    fresh(
        "hsah-relerr-ng-norm-ratio",
        "gradcheck.relative_error",
        "(shared idea, new code) a rewrite uses the gradient-check difference of Andrew Ng's course, norm(a - b) / "
        "(norm(a) + norm(b)): one ratio of Euclidean norms, not the largest entry-wise error, so a wrong entry among "
        "many large correct ones is diluted; the function is max |a - b| / max(1e-8, |a| + |b|) over entries",
        (
            _RELERR,
            "    a = np.asarray(a, dtype=np.float64)\n"
            "    b = np.asarray(b, dtype=np.float64)\n"
            "    if a.size == 0 and b.size == 0:\n"
            "        return 0.0\n"
            "    numerator = np.linalg.norm(a - b)\n"
            "    denominator = np.linalg.norm(a) + np.linalg.norm(b)\n"
            "    return float(numerator / max(1e-8, denominator))\n",
        ),
        expect=("norm-not-entrywise",),
        phrases=("entry-wise", "entrywise", "norm"),
    ),
]

NUMERICAL_GRADIENT = [
    fresh(
        "hsah-numgrad-cs231n-nditer-divided-by-two-times-h",
        "gradcheck.numerical_gradient",
        "(shared idea, new code) CS231n's eval_numerical_gradient with np.nditer and multi_index, but the difference "
        "quotient is written (fxph - fxmh) / 2 * h, which Python reads as ((fxph - fxmh) / 2) * h: the gradient is "
        "h^2 = 1e-10 times the right one; the quotient is (fxph - fxmh) / (2 * h)",
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
            "        grad[ix] = (fxph - fxmh) / 2 * h\n"
            "        it.iternext()\n",
        ),
        expect=("numgrad-divisor", "precedence"),
        phrases=("2 * h", "(2 * h)", "precedence"),
    ),
    fresh(
        "hsah-numgrad-unravel-loop-central-over-h",
        "gradcheck.numerical_gradient",
        "(shared idea, new code) a rewrite loops over flat positions with np.unravel_index, probes x + h and x - h and "
        "restores x, but divides the central difference by h: the two probes are 2h apart, so every entry of the "
        "gradient is twice too large; the divisor is 2 * h",
        (
            _NUMGRAD,
            "    for position in range(x.size):\n"
            "        idx = np.unravel_index(position, x.shape)\n"
            "        saved = x[idx]\n"
            "        x[idx] = saved + h\n"
            "        up = f(x)\n"
            "        x[idx] = saved - h\n"
            "        down = f(x)\n"
            "        x[idx] = saved\n"
            "        grad[idx] = (up - down) / h\n",
        ),
        expect=("central-over-h", "times-two"),
        phrases=("2 * h", "twice"),
    ),
    fresh(
        "hsah-numgrad-flat-loop-over-len",
        "gradcheck.numerical_gradient",
        "(shared idea, new code) a rewrite probes x.flat[i] and writes grad.flat[i], but loops for i in range(len(x)): "
        "len is the size of the first axis only, so for a (2, 3) input only 2 of the 6 entries are probed and the "
        "rest of the gradient stays 0; the loop must run over range(x.size)",
        (
            _NUMGRAD,
            "    for i in range(len(x)):\n"
            "        before = x.flat[i]\n"
            "        x.flat[i] = before + h\n"
            "        plus = float(f(x))\n"
            "        x.flat[i] = before - h\n"
            "        minus = float(f(x))\n"
            "        x.flat[i] = before\n"
            "        grad.flat[i] = (plus - minus) / (2 * h)\n",
        ),
        expect=("entries-skipped", "len-for-size"),
        phrases=("len", "size"),
    ),
]

ADAMW = [
    fresh(
        "hsah-adamw-decay-shrinks-and-keeps-l2-return",
        "optimizers.AdamW",
        "(shared idea, new code) AdamW's _decay rebinds p.data to p.data * (1 - lr * weight_decay), as decoupled decay "
        "should, but keeps Adam's return g + weight_decay * p.data: the weights are decayed twice, once directly and "
        "once through the adaptive step as an L2 term; AdamW's _decay returns g unchanged",
        (
            _ADAMW_DECAY,
            "        p.data = p.data * (1.0 - self.lr * self.weight_decay)\n"
            "        return g + self.weight_decay * p.data\n",
        ),
        expect=("adamw-decay-and-l2",),
        phrases=("L2", "twice", "gradient"),
    ),
    fresh(
        "hsah-adamw-own-step-decays-after-the-update",
        "optimizers.AdamW",
        "(shared idea, new code) a rewrite overrides step() in AdamW with Adam's update in the m_hat / v_hat form and "
        "applies the decoupled decay p *= 1 - lr * weight_decay after the Adam update instead of before it: the Adam "
        "step is shrunk as well (a difference of lr * weight_decay times the step); the decay comes first, as in "
        "PyTorch",
        (
            _ADAMW_DECAY_END,
            _ADAMW_DECAY_END + "\n"
            "    def step(self) -> None:\n"
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n'
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n'
            '            v = state["exp_avg_sq"]\n'
            "            if self.amsgrad:\n"
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n'
            '                v = state["max_exp_avg_sq"]\n'
            '            m_hat = state["exp_avg"] / (1.0 - beta1**self.t)\n'
            "            v_hat = v / (1.0 - beta2**self.t)\n"
            "            p.data -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)\n"
            "            p.data *= 1.0 - self.lr * self.weight_decay\n",
        ),
        expect=("adamw-decay-after-step", "order-changed"),
        phrases=("before", "after"),
    ),
    fresh(
        "hsah-adamw-torch-functional-port-decay-with-step-size",
        "optimizers.AdamW",
        "(shared idea, new code) a port of torch's _single_tensor_adamw overrides step() with its names (step_size, "
        "bias_correction2_sqrt, lerp for the first moment) and decays the parameter by 1 - step_size * weight_decay: "
        "step_size = lr / (1 - beta1^t) is the bias-corrected rate, so the early steps decay up to ten times too much; "
        "the decay uses the plain lr",
        (
            _ADAMW_DECAY_END,
            _ADAMW_DECAY_END + "\n"
            "    def step(self) -> None:\n"
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        step_t = self.t\n"
            "        bias_correction1 = 1 - beta1**step_t\n"
            "        bias_correction2 = 1 - beta2**step_t\n"
            "        step_size = self.lr / bias_correction1\n"
            "        bias_correction2_sqrt = bias_correction2**0.5\n"
            "        for param, state in zip(self.params, self.state, strict=True):\n"
            "            grad = _grad(param)\n"
            "            param.data *= 1 - step_size * self.weight_decay\n"
            '            exp_avg = state["exp_avg"]\n'
            "            exp_avg = exp_avg + (1 - beta1) * (grad - exp_avg)  # exp_avg.lerp_(grad, 1 - beta1)\n"
            '            exp_avg_sq = beta2 * state["exp_avg_sq"] + (1 - beta2) * grad * grad\n'
            '            state["exp_avg"], state["exp_avg_sq"] = exp_avg, exp_avg_sq\n'
            "            if self.amsgrad:\n"
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], exp_avg_sq)\n'
            '                denom = np.sqrt(state["max_exp_avg_sq"]) / bias_correction2_sqrt + self.eps\n'
            "            else:\n"
            "                denom = np.sqrt(exp_avg_sq) / bias_correction2_sqrt + self.eps\n"
            "            param.data -= step_size * exp_avg / denom\n",
        ),
        # added after reading output (tag-vocabulary audit): adamw-decay-with-step-size
        expect=("decay-uses-corrected-lr", "adamw-decay-with-step-size"),
        phrases=("bias", "lr"),
    ),
]

ADADELTA = [
    fresh(
        "hsah-adadelta-zeiler-notation-lr-dropped",
        "optimizers.Adadelta",
        "(shared idea, new code) a rewrite follows Zeiler's Algorithm 1 (E_g2, RMS_g, RMS_dx, dx = -(RMS_dx / "
        "RMS_g) * g, E_dx2, x += dx): the paper has no learning rate, so lr is never applied; PyTorch scales the "
        "step, p -= lr * delta (only visible with lr != 1)",
        (
            _ADADELTA,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            '            E_g2 = self.rho * state["square_avg"] + (1.0 - self.rho) * g**2\n'
            "            RMS_g = np.sqrt(E_g2 + self.eps)\n"
            '            RMS_dx = np.sqrt(state["acc_delta"] + self.eps)\n'
            "            dx = -(RMS_dx / RMS_g) * g\n"
            '            E_dx2 = self.rho * state["acc_delta"] + (1.0 - self.rho) * dx**2\n'
            '            state["square_avg"], state["acc_delta"] = E_g2, E_dx2\n'
            "            p.data += dx\n",
        ),
        expect=("adadelta-lr-ignored", "lr-ignored"),
        phrases=("lr", "learning rate"),
    ),
    fresh(
        "hsah-adadelta-in-place-state-decay-added-into-grad",
        "optimizers.Adadelta",
        "(shared idea, new code) a rewrite updates both accumulators in place (sq *= rho; sq += ...) and adds the "
        "weight decay in place too, g += weight_decay * p.data: _grad(p) returns p.grad itself for a float64 gradient, "
        "so step() writes the L2 term into the caller's p.grad (and the next backward accumulates onto it); the decay "
        "must build a new array, g = g + weight_decay * p.data",
        (
            _ADADELTA,
            "        rho, eps = self.rho, self.eps\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay:\n"
            "                g += self.weight_decay * p.data\n"
            '            sq = state["square_avg"]\n'
            "            sq *= rho\n"
            "            sq += (1.0 - rho) * g * g\n"
            '            delta = np.sqrt(state["acc_delta"] + eps) / np.sqrt(sq + eps) * g\n'
            '            acc = state["acc_delta"]\n'
            "            acc *= rho\n"
            "            acc += (1.0 - rho) * delta**2\n"
            "            p.data -= self.lr * delta\n",
        ),
        expect=("modifies-grad", "aliasing"),
        phrases=("p.grad", "in place"),
    ),
    fresh(
        "hsah-adadelta-both-rms-read-before-the-update",
        "optimizers.Adadelta",
        "(shared idea, new code) a rewrite computes both RMS terms at the top of the loop, rms_update from acc_delta "
        "(right: the previous steps) and rms_grad from square_avg before square_avg takes in the current gradient: "
        "the denominator must include g_t (v <- rho * v + (1 - rho) * g^2 first), so the first step is g itself "
        "instead of about sqrt(eps / (1 - rho)) * sign(g)",
        (
            _ADADELTA,
            "        for i, p in enumerate(self.params):\n"
            "            s = self.state[i]\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            '            rms_update = np.sqrt(s["acc_delta"] + self.eps)\n'
            '            rms_grad = np.sqrt(s["square_avg"] + self.eps)\n'
            '            s["square_avg"] = self.rho * s["square_avg"] + (1 - self.rho) * g * g\n'
            "            delta = rms_update / rms_grad * g\n"
            '            s["acc_delta"] = self.rho * s["acc_delta"] + (1 - self.rho) * delta * delta\n'
            "            p.data -= self.lr * delta\n",
        ),
        # added after reading output (tag-vocabulary audit): adadelta-stale-average
        expect=("adadelta-accumulator-order", "accumulator-after-step", "adadelta-stale-average"),
        phrases=("before", "current gradient"),
    ),
]

ADAGRAD = [
    fresh(
        "hsah-adagrad-step-count-incremented-per-parameter",
        "optimizers.Adagrad",
        "(shared idea, new code) a rewrite increments self.t inside the loop over parameters, next to the decayed rate "
        "lr_t it computes per parameter: with two parameters t runs 1, 2 at the first step, so lr_decay already "
        "shrinks the second parameter's first step and t counts parameter updates, not calls of step(); t += 1 "
        "belongs before the loop",
        (
            _ADAGRAD,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            self.t += 1\n"
            "            lr_t = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n"
            "            grad = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                grad = grad + self.weight_decay * p.data\n"
            '            state["sum"] += grad**2\n'
            '            p.data -= lr_t * grad / (np.sqrt(state["sum"]) + self.eps)\n',
        ),
        expect=("t-counted-per-parameter", "step-count-per-parameter"),
        phrases=("per parameter", "each parameter", "step()"),
    ),
    fresh(
        "hsah-adagrad-sum-of-raw-gradient-decay-added-after",
        "optimizers.Adagrad",
        "(shared idea, new code) a rewrite accumulates np.square(grad) into the sum before adding the weight decay, "
        "then steps with the decayed gradient: the accumulator holds squares of the raw gradient, not of g = grad + "
        "weight_decay * p (only visible with weight_decay > 0); the decay is added first",
        (
            _ADAGRAD,
            "        self.t += 1\n"
            "        decayed_lr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            grad = _grad(p)\n"
            '            state["sum"] = state["sum"] + np.square(grad)\n'
            "            if self.weight_decay > 0:\n"
            "                grad = grad + self.weight_decay * p.data\n"
            '            p.data = p.data - decayed_lr * grad / (np.sqrt(state["sum"]) + self.eps)\n',
        ),
        expect=("squares-without-decay", "weight-decay-not-accumulated"),
        phrases=("weight_decay", "weight decay"),
    ),
]

SGD = [
    fresh(
        "hsah-sgd-first-buffer-is-the-grad-then-updated-in-place",
        "optimizers.SGD",
        "(shared idea, new code) a rewrite starts the momentum buffer as buf = d_p (no copy, where PyTorch clones) and "
        "updates it in place afterwards (buf *= momentum; buf += (1 - dampening) * d_p): without weight decay d_p is "
        "p.grad itself, so the stored velocity is the gradient array, zero_grad wipes it, the next backward refills "
        "it, and the in-place update then scales the caller's p.grad; the first buffer must be a copy",
        (
            _SGD,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            d_p = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                d_p = d_p + self.weight_decay * p.data\n"
            "            if self.momentum != 0:\n"
            '                buf = state["momentum_buffer"]\n'
            "                if buf is None:\n"
            "                    buf = d_p\n"
            '                    state["momentum_buffer"] = buf\n'
            "                else:\n"
            "                    buf *= self.momentum\n"
            "                    buf += (1.0 - self.dampening) * d_p\n"
            "                d_p = d_p + self.momentum * buf if self.nesterov else buf\n"
            "            p.data = p.data - self.lr * d_p\n",
        ),
        # added after reading output (tag-vocabulary audit): velocity-is-gradient
        expect=("aliasing", "modifies-grad", "velocity-is-gradient"),
        phrases=("copy", "p.grad"),
    ),
]

RMSPROP = [
    fresh(
        "hsah-rmsprop-tensorflow-port-eps-under-the-root",
        "optimizers.RMSprop",
        "(shared idea, new code) a port of TensorFlow's RMSprop (ms, mg, mom) divides by sqrt(variance + eps), eps "
        "under the square root as TF does, in both the plain and the centred case: PyTorch's denominator is "
        "sqrt(v) + eps, which differs visibly for small gradients (eps = 1e-8 under the root acts like 1e-4 outside)",
        (
            _RMSPROP,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            grad = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                grad = grad + self.weight_decay * p.data\n"
            '            ms = self.alpha * state["square_avg"] + (1.0 - self.alpha) * np.square(grad)\n'
            '            state["square_avg"] = ms\n'
            "            variance = ms\n"
            "            if self.centered:\n"
            '                mg = self.alpha * state["grad_avg"] + (1.0 - self.alpha) * grad\n'
            '                state["grad_avg"] = mg\n'
            "                variance = np.maximum(ms - np.square(mg), 0.0)\n"
            "            denom = np.sqrt(variance + self.eps)\n"
            "            if self.momentum > 0:\n"
            '                mom = self.momentum * state["momentum_buffer"] + grad / denom\n'
            '                state["momentum_buffer"] = mom\n'
            "                p.data -= self.lr * mom\n"
            "            else:\n"
            "                p.data -= self.lr * grad / denom\n",
        ),
        expect=("eps-inside-sqrt",),
        phrases=("eps", "square root"),
    ),
]

ADAM = [
    fresh(
        "hsah-adam-ng-notation-amsgrad-max-of-corrected",
        "optimizers.Adam",
        "(shared idea, new code) a rewrite in Andrew Ng's notation (v, s, v_corrected, s_corrected) adds AMSGrad by "
        "taking the running maximum of s_corrected, the bias-corrected second moment: the correction divides by 1 - "
        "beta2^t, which shrinks over time, so the early corrected values dominate the maximum; AMSGrad keeps the "
        "maximum of the raw exp_avg_sq and corrects it afterwards",
        (
            _ADAM,
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        t = self.t\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = self._decay(p, g)\n"
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1 - beta1) * g\n'
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1 - beta2) * g**2\n'
            '            v_corrected = state["exp_avg"] / (1 - beta1**t)\n'
            '            s_corrected = state["exp_avg_sq"] / (1 - beta2**t)\n'
            "            if self.amsgrad:\n"
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], s_corrected)\n'
            '                s_corrected = state["max_exp_avg_sq"]\n'
            "            p.data -= self.lr * v_corrected / (np.sqrt(s_corrected) + self.eps)\n",
        ),
        # added after reading output (tag-vocabulary audit): amsgrad-max-of-corrected
        expect=("amsgrad-wrong-operand", "amsgrad-max-of-corrected"),
        phrases=("amsgrad", "bias-corrected", "corrected"),
    ),
]

TRAINING = [
    fresh(
        "hsah-minibatches-index-batches-drop-last",
        "training.minibatches",
        "(shared idea, new code) a rewrite shuffles an index array and slices it, but loops for start in range(0, n - "
        "step + 1, step), PyTorch's drop_last habit: the short last batch is never produced when the batch size does "
        "not divide N (7 samples in 3s give 6), and a batch size above N gives no batch at all; every sample must be "
        "visited, range(0, n, step)",
        (
            _MINIBATCHES,
            "    n = len(X)\n"
            "    indices = np.arange(n)\n"
            "    if shuffle:\n"
            "        rng.shuffle(indices)\n"
            "    step = n if batch_size is None else batch_size\n"
            "    for start in range(0, n - step + 1, step):\n"
            "        chosen = indices[start : start + step]\n"
            "        batches.append((X[chosen], y[chosen]))\n",
        ),
        expect=("drops-last-batch",),
        phrases=("last batch", "remainder"),
    ),
    fresh(
        "hsah-fit-running-total-and-count-kept-across-epochs",
        "training.fit",
        "(shared idea, new code) a rewrite keeps a running total and a sample count for the epoch mean but sets both "
        "to zero once, before the epoch loop: from the second epoch on each history entry is the mean over all epochs "
        "so far, not the epoch's own mean loss; both must be reset at the start of every epoch",
        (
            _FIT,
            "    seen = 0\n"
            "    running_total = 0.0\n"
            "    for _ in range(epochs):\n"
            "        for X_batch, y_batch in minibatches(X, y, batch_size=batch_size, shuffle=shuffle, rng=rng):\n"
            "            optimizer.zero_grad()\n"
            "            predictions = model.forward(X_batch)\n"
            "            batch_loss = float(loss_fn.forward(predictions, y_batch))\n"
            "            grad = loss_fn.backward()\n"
            "            model.backward(grad)\n"
            "            optimizer.step()\n"
            "            running_total += batch_loss * len(X_batch)\n"
            "            seen += len(X_batch)\n"
            "        history.append(running_total / seen)\n",
        ),
        expect=("total-not-reset", "counter-not-reset"),
        phrases=("reset", "every epoch", "each epoch"),
    ),
]

MODELS = [
    fresh(
        "hsah-sequential-backward-while-index-stops-before-zero",
        "models.Sequential",
        "(shared idea, new code) a rewrite walks the layers backwards with a while loop over an index, i = len - 1 "
        "down to while i > 0: layer 0 never runs backward, so its parameters get no gradient and the returned "
        "gradient is that of the second layer's input; the loop must run while i >= 0",
        (
            _SEQUENTIAL_BACKWARD,
            "        i = len(self.layers) - 1\n"
            "        while i > 0:\n"
            "            grad_y = self.layers[i].backward(grad_y)\n"
            "            i -= 1\n",
        ),
        expect=("backward-skips-layer", "loop-off-by-one"),
        phrases=("first layer", "layer 0"),
    ),
    fresh(
        "hsah-perceptron-fit-sum-of-update-generator",
        "models.Perceptron",
        "(shared idea, new code) a rewrite of fit as one line per epoch, sum(self.update(sample, label) for ...) == 0, "
        "adds up the errors update() returns and stops when the sum is 0: errors are -1, 0 or 1, so a "
        "false positive and a false negative in the same epoch cancel and fit returns True after an epoch with "
        "mistakes; the count must use abs(error) (or error != 0)",
        (
            _PERCEPTRON_FIT,
            "        for _ in range(max_epochs):\n"
            "            if sum(self.update(sample, label) for sample, label in zip(X, y)) == 0:\n"
            "                return True\n",
        ),
        expect=("mistakes-cancel", "fit-true-too-early"),
        phrases=("cancel", "abs"),
    ),
]

EARLY_STOPPING = [
    fresh(
        "hsah-early-stopping-zero-based-epoch-as-best-epoch",
        "early_stopping.fit_early_stopping",
        "(shared idea, new code) a rewrite loops for epoch in range(max_epochs), counts patience down, and compares "
        "with history.best_val_loss, but stores history.best_epoch = epoch, the 0-based index: best_epoch is counted "
        "from 1, so best_val_loss then reads the wrong entry (infinity after the first epoch, the previous epoch's "
        "loss after that) and improvements are judged against the wrong loss; it must be epoch + 1",
        (
            _EARLY_STOPPING,
            "    best_state = None\n"
            "    patience_left = patience\n"
            "    for epoch in range(max_epochs):\n"
            "        (loss_train,) = fit(\n"
            "            model, loss_fn, optimizer, X, y, epochs=1, batch_size=batch_size, shuffle=shuffle, rng=rng\n"
            "        )\n"
            "        loss_val = evaluate_loss(model, loss_fn, X_val, y_val)\n"
            "        history.train_losses.append(loss_train)\n"
            "        history.val_losses.append(loss_val)\n"
            "        if loss_val < history.best_val_loss - min_delta:\n"
            "            history.best_epoch = epoch\n"
            "            patience_left = patience\n"
            "            if restore_best:\n"
            "                best_state = copy_state(model)\n"
            "        else:\n"
            "            patience_left -= 1\n"
            "            if patience_left == 0:\n"
            "                history.stopped_epoch = epoch + 1\n"
            "                break\n"
            "    if restore_best and best_state is not None:\n"
            "        load_state(model, best_state)\n",
        ),
        expect=("best-epoch-off-by-one",),
        phrases=("epoch + 1", "counted from 1", "from 1"),
    ),
]

FRESH_AH2: list[Mutant] = [
    *FANS,
    *XAVIER_UNIFORM,
    *XAVIER_NORMAL,
    *KAIMING_UNIFORM,
    *KAIMING_NORMAL,
    *RELATIVE_ERROR,
    *NUMERICAL_GRADIENT,
    *ADAMW,
    *ADADELTA,
    *ADAGRAD,
    *SGD,
    *RMSPROP,
    *ADAM,
    *TRAINING,
    *MODELS,
    *EARLY_STOPPING,
]
