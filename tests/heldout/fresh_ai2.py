"""Held-apart set AI, second half: student bugs in optimizers, init, training, models, gradcheck and early
stopping, written blind by a helper session, aimed at realism (the mistakes real students make, in their own code).

Written blind by a helper session under a short deadline (about 45 minutes), at the same time as the other half
(activations, layers and losses), whose file this author did not read. Read: reference/optimizers.py, init.py,
training.py, models.py, gradcheck.py, early_stopping.py and base.py's Parameter and zero_grad (and the names of
layers, activations and losses used to build test networks), tests/heldout/_edits.py, the docstrings (up to their
"Blind rate" paragraph) and first bugs of fresh_ah.py and fresh_ah2.py (for the format; the _solution helper is
copied from fresh_ah2.py), the ids, components, descriptions, ``expect`` and ``phrases`` of the catalogue and of
``EVERY`` (dumped per component to a scratch file and grepped, for the tag vocabulary, the copy check and the sharing
count), and of tests/test_feedback_generalisation.py only SETS, FAMILIES and ``_changes``. Not read: docs/api.md (no
time; the reference docstrings were the specification), the diagnosis and grading code (graders/judging,
graders/reporting, graders/running, graders/selfcheck, graders/runner.py), nnlab/ beyond importing it,
tests/evidence.py, tests/feedback_audit.py, the mistake, crash, diagnosis and feedback tests, benchmarks/,
/work/tools/* beyond the two briefs, the other half's file, and any grader feedback or output. None of these bugs was
graded.

About 60 ideas were considered, 41 written, 41 kept. The brief's list of the least covered components steered the
split (15 in init, 6 in gradcheck, 9 in AdamW, Adadelta and Adagrad). Replaced before the final version, because the
author's grep found the same idea in nearly the same form among earlier bugs: a xavier_uniform drawing
(rng.random(shape) - 0.5) * limit (now the float32 cast), Adadelta with eps only under the denominator's root and
with lr folded into the accumulated step (now the Keras port's swapped weights and the step taken before the
gradient average), a kaiming_normal with Keras's truncation factor (kept for xavier_normal only; kaiming_normal got
the ** 1 / 2 root), a Glorot variance averaging 1/fan_in and 1/fan_out (now the fan_in-only variance), He's
sqrt(6 / fan) times the gain and the leaky gain without the squared slope (now the boolean-index mode and the
written-in ReLU gain), Sequential.backward reversing self.layers in place (now a forward loop feeding x to every
layer; a one-line list-comprehension forward was also dropped, it raised IndexError for an empty Sequential where
its undone form did too), AdamW skipping 1-D parameters (now the decay applied to the gradient), early stopping
without rng (now validation in training mode), fit drawing the batches once and weighting by the batch_size
argument (now zero_grad once per epoch and the last batch's loss), minibatches by np.array_split (now a count of
full batches), and a Perceptron predicting (sign + 1) / 2 (now the mistake count kept across epochs). Dropped: a
Perceptron fit that checks predict(X) == y after each epoch (it only differs at the max_epochs boundary), a
minibatches written as a generator (lazy: only the timing of the permutation changes), a relative error with eps
added to the denominator (differences of order 1e-8), a numerical gradient restored by += h arithmetic (round-off
only) and a CS231n velocity v = mu v - lr g SGD (equal to the reference while lr is constant).
No edit has the same component and ``_changes`` as a catalogue mutant or an earlier held-apart bug.

Rewrites: 38 of the 41 replace a whole solution block (a function or method body, or add a step() override) in a
student's own style: fans by a kernel loop, by (in, out) unpacking and by total size; the Xavier and Kaiming
initialisers from the variance, the std, a dict of fans, a boolean index, Keras's constants and ** 1 / 2 roots;
relative errors as a Python loop, with the larger magnitude, as max over max; numerical gradients from the CS231n
notes (fx computed once), over rows, with += h / -= h probes; two AdamW step() overrides (Loshchilov & Hutter's
Algorithm 2 in m_hat / v_hat notation, and one with the amsgrad maximum); Adadelta in Zeiler's names, with an rms()
helper, and as a Keras port (a, d_a, update); Adagrad in CS231n's cache style twice and with a step_lr; a torch-style
SGD with d_p and a zero-started buffer; Hinton's lecture-6e RMSprop; Adam in m_hat / v_hat notation; minibatches over
a permuted index array and by a count of batches; fit twice; early stopping twice (Keras's wait / best_weights
names). The other 3 are short bodies: AdamW's two-line _decay, Sequential.forward's four-line loop and
Perceptron.fit's six lines. Each has exactly one slip; the check below undoes it.

Sharing, honestly: all 41 share an earlier bug's misconception (in new code), so every description starts "(shared
idea, new code)"; the ``expect`` tags were taken from the earlier bugs with the same misconception. The mechanisms
that the author did not find among earlier bugs of the same component are few: the fans from the total size divided
by shape[0] twice, the mode picked by fan_in_and_fan_out(shape)[mode == 'fan_in'], AdamW's decay applied to the
gradient as a factor, and Sequential's out = layer.forward(x); the misconceptions behind them (fan_out wrong,
mode inverted, decay not on the weights, layers not chained) are all earlier ones.

Classes covered: shapes and axes (a product summed, fans swapped by unpacking and by (in, out) layout, fan_out from
the wrong axis, probes over rows), formulas and constants (root scope, gain not squared in the variance, ** 1 / 2
precedence, Keras's truncation factor, the 1 / fan_in variance, the larger magnitude and max over max in the
relative error, abs of the sum, a one-sided difference, a probe back at x, eps under Adam's root), dtypes (float32),
hyper-parameters ignored or inverted (ReLU's gain written in, a not passed to calculate_gain, mode by a boolean
index, Hinton's 0.9 for alpha, AdamW's decay without lr), state between steps (amsgrad maximum and Adadelta's
average not stored, Adadelta's order, the first momentum buffer, Adagrad's count at the end, the decay written into
p.grad), precedence (Adagrad's decayed rate), state between batches and epochs (zero_grad once per epoch, the last
batch's loss as the epoch's, mistakes counted over all epochs, the remainder batch dropped), pairing (targets sliced
in order after a shuffle), chaining (every layer fed the input), train/eval (validation in training mode) and
restoring (only in the stopping branch).
Components: fan_in_and_fan_out 3, xavier_uniform 3, xavier_normal 3, kaiming_uniform 3, kaiming_normal 3;
relative_error 3, numerical_gradient 3; AdamW 3, Adadelta 3, Adagrad 3, SGD 1, RMSprop 1, Adam 1; minibatches 2,
fit 2; Sequential 1, Perceptron 1; fit_early_stopping 2.

Checks: every edit applies (nnlab.graders.mutants.apply) and its module imports; every ``old`` occurs once in its
reference module; ids are new and unique; every ``expect`` tag is in the existing vocabulary; no textual copy
(``_changes``). A script in /tmp loaded, for each bug, the reference, the bug and the bug with its slip undone (a
text replacement in ``new``) and compared them (np.allclose, rtol 1e-9, dtypes and shapes equal): fans of (5, 3),
(4, 3, 3, 2), (2, 6, 3), (64, 32), (3, 2, 2, 2, 2) and (7, 7) with their types; Xavier on those shapes with gain 1 and
5/3, Kaiming with (a, mode, nonlinearity) = (0, fan_in, leaky_relu), (sqrt(5), fan_in, leaky_relu), (0.2, fan_out,
leaky_relu), (0, fan_in, relu), (0, fan_out, tanh), (0, fan_in, linear), each from a fresh seeded generator; relative
errors of close (3, 4) arrays, opposite arrays, zeros, +-1e-10, empty arrays, a 1 % change, one wrong small entry
among large ones and mixed signs; numerical gradients of a sine-weighted cubic plus a product on (3,), (2, 3),
(2, 2, 2) and a transposed (4, 3) view, with x compared afterwards; five steps of every optimizer on parameters (3, 4)
and (5,) with alternating shrinking gradients at scales 1 and 1e-3 (written into p.grad in place after zero_grad),
the parameters and p.grad after each step and a sixth step without zero_grad (SGD plain, momentum, dampening 0.3,
Nesterov with and without weight decay, weight decay; Adagrad plain, lr_decay 0.1, weight decay, accumulator 0.5;
RMSprop plain, centred, momentum, all three with weight decay; Adadelta default, lr 0.5, rho 0.5 with weight decay;
Adam and AdamW plain, amsgrad, weight decay, betas (0.5, 0.9), AdamW amsgrad with weight decay); minibatches of 7
samples with batch sizes None, 1, 2, 3, 7, 10, shuffled and not; fit (SGD momentum 0.9, MSE, three epochs) of
Linear-Tanh-Linear with batch sizes None, 3, 2, 1, shuffled and not, history and weights; Sequential forward,
backward and parameter gradients for 3-5-2 nets with and without Dropout and a 3-3-3 net; the Perceptron with lr 1
and 0.1, max_epochs 1, 2, 3, 100 on a separable set and on XOR; early stopping with six (patience, lr, min_delta,
restore_best, max_epochs, Dropout, shuffle) settings, batches of 4, histories and final weights. Every undone slip
matched the reference on every configuration; every bug changed a result on some (most on many); only the
Sequential bug raises (on the 3-5-2 nets, a shape error; the 3-3-3 net gives wrong values). Some need the
configuration their mistake is about: a kernel with a side other than 1 or 2 (the summed receptive field), gain != 1
(the unsquared gain), a != 0 or another nonlinearity (ReLU's gain, a not passed), opposite signs (abs of the sum), a
matrix input (rows), amsgrad with shrinking gradients (the maximum not kept), dampening (the zero buffer), lr_decay
(Adagrad's count and brackets), weight decay and a second step before zero_grad (the decay in p.grad), a batch
size that does not divide N (the remainder, the last batch), shuffle (targets in order), several batches
per epoch (zero_grad), Dropout (validation in training mode), a run reaching max_epochs after its
best epoch (the restore). The ``expect`` tags and ``phrases`` were chosen from the misconception alone, before any
grading, from the existing vocabulary. Ids start with ``hsai-``.

Blind rate (graded in the sandbox, isolated, before anybody read the feedback; set AH had been taught):
39/41 named (95 %), 41 caught, 3 flagged with another bug class's tag, each read as the right diagnosis under another
name (Xavier's gain under the root, Adadelta's square_avg never stored back, fit's zero_grad once per epoch read
as a call out of order). See fresh_ai.py for the whole set.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant, reference_folder

from ._edits import held_apart_bug

fresh = partial(held_apart_bug, "hsai-")  # set AI


def _solution(module: str, *anchors: str) -> str:
    """The reference's solution block (between the BEGIN and END SOLUTION markers) after ``anchors``, found one
    after the other in reference/<module>.py."""
    text = (reference_folder() / f"{module}.py").read_text(encoding="utf-8")
    at = 0
    for anchor in anchors:
        at = text.index(anchor, at)
    begin = text.index("### BEGIN SOLUTION\n", at) + len("### BEGIN SOLUTION\n")
    end = text.rindex("\n", 0, text.index("### END SOLUTION", begin)) + 1
    return text[begin:end]


_FANS = _solution("init", "def fan_in_and_fan_out(")
_XU = _solution("init", "def xavier_uniform(")
_XN = _solution("init", "def xavier_normal(")
_KU = _solution("init", "def kaiming_uniform(")
_KN = _solution("init", "def kaiming_normal(")
_RELERR = _solution("gradcheck", "def relative_error(")
_NUMGRAD = _solution("gradcheck", "def numerical_gradient(")
_SGD = _solution("optimizers", "class SGD(", "def step(self")
_ADAGRAD = _solution("optimizers", "class Adagrad(", "def step(self")
_RMSPROP = _solution("optimizers", "class RMSprop(", "def step(self")
_ADADELTA = _solution("optimizers", "class Adadelta(", "def step(self")
_ADAM = _solution("optimizers", "class Adam(", "def step(self")
_ADAMW_DECAY = _solution("optimizers", "class AdamW(", "def _decay(self")
_ADAMW_END = _ADAMW_DECAY + "        ### END SOLUTION\n"  # the end of class AdamW: a step() added after it
_MINIBATCHES = _solution("training", "def minibatches(")
_FIT = _solution("training", "def fit(")
_SEQ_FORWARD = _solution("models", "class Sequential(", "def forward(self")
_PERCEPTRON_FIT = _solution("models", "class Perceptron", "def fit(self")
_EARLY = _solution("early_stopping", "def fit_early_stopping(")

FRESH_AI2: list[Mutant] = [
    # ---------------------------------------------------------------- init.fan_in_and_fan_out
    fresh(
        "hsai-fans-receptive-loop-plus-equals",
        "init.fan_in_and_fan_out",
        "(shared idea, new code) a loop over the kernel sides starts the receptive field at 1 and adds each side "
        "(receptive_field += k) where it must multiply (*=): a 3x3 kernel counts 7 connections instead of 9",
        (
            _FANS,
            "    receptive_field = 1\n"
            "    for k in shape[2:]:\n"
            "        receptive_field += k\n"
            "    fan_in = shape[1] * receptive_field\n"
            "    fan_out = shape[0] * receptive_field\n",
        ),
        expect=("receptive-field-summed", "sum-for-product"),
        phrases=("receptive field",),
    ),
    fresh(
        "hsai-fans-first-axis-taken-as-inputs",
        "init.fan_in_and_fan_out",
        "(shared idea, new code) a rewrite thinking of x @ W with W (in, out) reads fan_in, fan_out = shape[0], "
        "shape[1] and multiplies both by every kernel side: the weight's layout is (out, in, ...), so the two fans "
        "come out swapped",
        (
            _FANS,
            "    fan_in, fan_out = shape[0], shape[1]\n"
            "    for k in shape[2:]:\n"
            "        fan_in *= k\n"
            "        fan_out *= k\n",
        ),
        expect=("fans-swapped",),
        phrases=("fan_in", "fan_out"),
    ),
    fresh(
        "hsai-fans-total-size-divided-by-out-twice",
        "init.fan_in_and_fan_out",
        "(shared idea, new code) a rewrite divides the weight's total size by a channel count, fan_in = size // "
        "shape[0] (right) and fan_out = size // shape[0] as well (copied line): fan_out is size // shape[1], "
        "out * receptive field, so fan_out equals fan_in",
        (
            _FANS,
            "    size = math.prod(shape)\n    fan_in = size // shape[0]\n    fan_out = size // shape[0]\n",
        ),
        expect=("fan-out-wrong-axis", "copy-paste"),
        phrases=("fan_out",),
    ),
    # ---------------------------------------------------------------- init.xavier_uniform
    fresh(
        "hsai-xavier-uniform-cast-to-float32",
        "init.xavier_uniform",
        "(shared idea, new code) "
        "a rewrite with a PyTorch habit casts the draws to float32 (.astype(np.float32)), torch's default dtype: "
        "the initialiser must return float64, and the values are rounded to single precision",
        (
            _XU,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    limit = gain * math.sqrt(6.0 / (fan_in + fan_out))\n"
            "    weight = rng.uniform(-limit, limit, size=shape).astype(np.float32)\n",
        ),
        expect=("float32", "wrong-type"),
        phrases=("float64",),
    ),
    fresh(
        "hsai-xavier-uniform-root-of-three-std",
        "init.xavier_uniform",
        "(shared idea, new code) a rewrite computes the std, then the bound as (3 * std) ** 0.5: the root covers "
        "the std as well, where the bound is sqrt(3) * std",
        (
            _XU,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    std = gain * (2.0 / (fan_in + fan_out)) ** 0.5\n"
            "    a = (3.0 * std) ** 0.5\n"
            "    weight = rng.uniform(low=-a, high=a, size=shape)\n",
        ),
        expect=("root-scope", "uniform-bound"),
        phrases=("sqrt(3)",),
    ),
    fresh(
        "hsai-xavier-uniform-variance-gain-not-squared",
        "init.xavier_uniform",
        "(shared idea, new code) a rewrite from the variance writes variance = gain * 2 / (fan_in + fan_out) and "
        "bound = sqrt(3 * variance): the variance has gain^2, so with gain != 1 the bound is sqrt(gain) times, "
        "not gain times, the unit one",
        (
            _XU,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    variance = gain * 2.0 / (fan_in + fan_out)\n"
            "    bound = math.sqrt(3.0 * variance)\n"
            "    weight = rng.uniform(-bound, bound, shape)\n",
        ),
        # the last tag added after reading output
        expect=("gain-under-root", "root-scope"),
        phrases=("gain",),
    ),
    # ---------------------------------------------------------------- init.xavier_normal
    fresh(
        "hsai-xavier-normal-power-one-half-precedence",
        "init.xavier_normal",
        "(shared idea, new code) a rewrite writes the square root as (2 / (fan_in + fan_out)) ** 1 / 2: ** binds "
        "before /, so this is the ratio halved, not its root, and the std is gain / (fan_in + fan_out)",
        (
            _XN,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    std = gain * (2.0 / (fan_in + fan_out)) ** 1 / 2\n"
            "    weight = rng.normal(loc=0.0, scale=std, size=shape)\n",
        ),
        expect=("operator-precedence", "precedence"),
        phrases=("** 0.5", "sqrt"),
    ),
    fresh(
        "hsai-xavier-normal-keras-truncation-factor",
        "init.xavier_normal",
        "(shared idea, new code) a port of Keras's glorot_normal divides the std by 0.87962566103423978, the "
        "correction for a normal truncated at two std, while drawing from an untruncated normal: the weights are "
        "about 14 % too wide",
        (
            _XN,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    # as Keras's glorot_normal\n"
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out)) / 0.87962566103423978\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("truncated-normal", "formula-constant"),
    ),
    fresh(
        "hsai-xavier-normal-fan-in-only",
        "init.xavier_normal",
        "(shared idea, new code) a rewrite uses the 'simple' 1 / n variance of Glorot's paper (LeCun's), std = "
        "gain / sqrt(fan_in): Xavier's normal averages both fans, std = gain * sqrt(2 / (fan_in + fan_out))",
        (
            _XN,
            "    fan_in, _ = fan_in_and_fan_out(shape)\n"
            "    std = gain / math.sqrt(fan_in)\n"
            "    weight = std * rng.standard_normal(size=shape)\n",
        ),
        expect=("xavier-one-fan",),
        phrases=("fan_out",),
    ),
    # ---------------------------------------------------------------- init.kaiming_uniform
    fresh(
        "hsai-kaiming-uniform-fans-unpacked-out-in",
        "init.kaiming_uniform",
        "(shared idea, new code) a rewrite unpacks fan_out, fan_in = fan_in_and_fan_out(shape), in the weight's "
        "(out, in) order: the function returns (fan_in, fan_out), so mode='fan_in' scales by fan_out and the other "
        "way round",
        (
            _KU,
            "    fan_out, fan_in = fan_in_and_fan_out(shape)\n"
            "    fan = fan_in if mode == 'fan_in' else fan_out\n"
            "    bound = math.sqrt(3.0) * calculate_gain(nonlinearity, a) / math.sqrt(fan)\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
        ),
        expect=("unpacked-swapped", "fans-swapped"),
        phrases=("fan_in",),
    ),
    fresh(
        "hsai-kaiming-uniform-relu-gain-written-in",
        "init.kaiming_uniform",
        "(shared idea, new code) a rewrite writes He's ReLU gain in, gain = sqrt(2) ('ReLU halves the variance'), "
        "instead of calculate_gain(nonlinearity, a): the leaky slope a (PyTorch's sqrt(5) for Linear) and any other "
        "nonlinearity are ignored",
        (
            _KU,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    fan = fan_in if mode == 'fan_in' else fan_out\n"
            "    gain = math.sqrt(2.0)  # He et al.: ReLU halves the variance\n"
            "    bound = gain * math.sqrt(3.0 / fan)\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
        ),
        expect=("nonlinearity-ignored", "a-ignored"),
        phrases=("calculate_gain",),
    ),
    fresh(
        "hsai-kaiming-uniform-fan-picked-by-boolean-index",
        "init.kaiming_uniform",
        "(shared idea, new code) "
        "a rewrite picks the fan with a boolean index, fan_in_and_fan_out(shape)[mode == 'fan_in']: True is index "
        "1, fan_out, so mode='fan_in' uses fan_out and mode='fan_out' uses fan_in",
        (
            _KU,
            "    fan = fan_in_and_fan_out(shape)[mode == 'fan_in']\n"
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    bound = gain * math.sqrt(3.0 / fan)\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
        ),
        expect=("hyperparameter-inverted", "fans-swapped"),
        phrases=("mode",),
    ),
    # ---------------------------------------------------------------- init.kaiming_normal
    fresh(
        "hsai-kaiming-normal-variance-unsquared-gain",
        "init.kaiming_normal",
        "(shared idea, new code) a rewrite computes the variance as gain / fan and draws std = np.sqrt(variance): "
        "Var(W) = gain^2 / fan, so the std is sqrt(gain) / sqrt(fan) instead of gain / sqrt(fan)",
        (
            _KN,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    fan = fan_in if mode == 'fan_in' else fan_out\n"
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    variance = gain / fan\n"
            "    weight = rng.normal(0.0, np.sqrt(variance), size=shape)\n",
        ),
        expect=("gain-under-root", "root-scope"),
        phrases=("gain",),
    ),
    fresh(
        "hsai-kaiming-normal-fans-dict-gain-without-a",
        "init.kaiming_normal",
        "(shared idea, new code) a rewrite keeps the fans in a dict keyed by mode and calls calculate_gain("
        "nonlinearity) without a: leaky_relu then uses the default slope 0.01, not the a given (sqrt(5) gives a "
        "gain of sqrt(1/3), not about sqrt(2))",
        (
            _KN,
            "    fans = dict(zip(('fan_in', 'fan_out'), fan_in_and_fan_out(shape)))\n"
            "    gain = calculate_gain(nonlinearity)\n"
            "    weight = rng.normal(0.0, gain / math.sqrt(fans[mode]), size=shape)\n",
        ),
        expect=("a-ignored", "gain-arguments"),
        phrases=("slope",),
    ),
    fresh(
        "hsai-kaiming-normal-root-as-power-one-half",
        "init.kaiming_normal",
        "(shared idea, new code) a rewrite writes std = gain / fan ** 1 / 2 for gain / sqrt(fan): ** binds first, "
        "so it is gain / fan / 2, far too small for any fan above 4",
        (
            _KN,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    fan = fan_in if mode == 'fan_in' else fan_out\n"
            "    std = calculate_gain(nonlinearity, a) / fan ** 1 / 2\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("operator-precedence", "precedence"),
        phrases=("sqrt",),
    ),
    # ---------------------------------------------------------------- gradcheck.relative_error
    fresh(
        "hsai-relative-error-loop-abs-of-sum",
        "gradcheck.relative_error",
        "(shared idea, new code) a Python loop over the flattened pairs keeps the worst ratio but divides by "
        "abs(x + y) instead of abs(x) + abs(y): entries of opposite signs get a tiny denominator (opposite "
        "gradients score far above 1)",
        (
            _RELERR,
            "    a = np.asarray(a, dtype=np.float64)\n"
            "    b = np.asarray(b, dtype=np.float64)\n"
            "    worst = 0.0\n"
            "    for x, y in zip(a.ravel(), b.ravel()):\n"
            "        worst = max(worst, abs(x - y) / max(1e-8, abs(x + y)))\n"
            "    return float(worst)\n",
        ),
        expect=("abs-of-sum",),
        phrases=("|a| + |b|",),
    ),
    fresh(
        "hsai-relative-error-denominator-larger-magnitude",
        "gradcheck.relative_error",
        "(shared idea, new code) a rewrite scales each difference by the larger magnitude, np.maximum(|a|, |b|), "
        "another textbook relative error: the specified one divides by |a| + |b|, so its values are up to twice "
        "smaller",
        (
            _RELERR,
            "    a = np.asarray(a, dtype=np.float64)\n"
            "    b = np.asarray(b, dtype=np.float64)\n"
            "    if a.size == 0 and b.size == 0:\n"
            "        return 0.0\n"
            "    scale = np.maximum(np.abs(a), np.abs(b))\n"
            "    return float(np.max(np.abs(a - b) / np.maximum(1e-8, scale)))\n",
        ),
        # added after reading output (tag-vocabulary audit): max-denominator
        expect=("formula-wrong", "max-denominator"),
        phrases=("|a| + |b|",),
    ),
    fresh(
        "hsai-relative-error-max-difference-over-max-scale",
        "gradcheck.relative_error",
        "(shared idea, new code) a rewrite takes the largest difference over the largest scale, max|a - b| / "
        "max(|a| + |b|): a wrong small entry among large ones is hidden; the ratio is per entry, then the max",
        (
            _RELERR,
            "    a = np.asarray(a, dtype=np.float64)\n"
            "    b = np.asarray(b, dtype=np.float64)\n"
            "    if a.size == 0 and b.size == 0:\n"
            "        return 0.0\n"
            "    worst_diff = np.abs(a - b).max()\n"
            "    worst_scale = (np.abs(a) + np.abs(b)).max()\n"
            "    return float(worst_diff / max(1e-8, worst_scale))\n",
        ),
        expect=("not-per-coordinate", "norm-not-entrywise"),
        phrases=("entry",),
    ),
    # ---------------------------------------------------------------- gradcheck.numerical_gradient
    fresh(
        "hsai-numgrad-cs231n-notes-one-sided",
        "gradcheck.numerical_gradient",
        "(shared idea, new code) a port of the CS231n notes' eval_numerical_gradient evaluates fx = f(x) once and "
        "takes (f(x + h) - fx) / h per entry: a one-sided difference with O(h) error, where the centred (f(x + h) - "
        "f(x - h)) / 2h is asked for",
        (
            _NUMGRAD,
            "    fx = float(f(x))  # the value at the original point\n"
            "    for index in np.ndindex(*x.shape):\n"
            "        old_value = x[index]\n"
            "        x[index] = old_value + h\n"
            "        fxh = float(f(x))\n"
            "        x[index] = old_value\n"
            "        grad[index] = (fxh - fx) / h\n",
        ),
        expect=("forward-difference",),
        phrases=("central", "x - h"),
    ),
    fresh(
        "hsai-numgrad-probes-rows-of-first-axis",
        "gradcheck.numerical_gradient",
        "(shared idea, new code) a rewrite tested on vectors loops i over range(len(x)) and moves x[i] by h: for a "
        "matrix x[i] is a whole row, so each probe moves a row at once and grad[i] gets the row's summed "
        "derivative in every entry",
        (
            _NUMGRAD,
            "    for i in range(len(x)):\n"
            "        saved = x[i].copy()\n"
            "        x[i] = saved + h\n"
            "        f_plus = float(f(x))\n"
            "        x[i] = saved - h\n"
            "        f_minus = float(f(x))\n"
            "        x[i] = saved\n"
            "        grad[i] = (f_plus - f_minus) / (2 * h)\n",
        ),
        expect=("perturbs-rows",),
        phrases=("entry",),
    ),
    fresh(
        "hsai-numgrad-step-back-by-h-only",
        "gradcheck.numerical_gradient",
        "(shared idea, new code) a rewrite moves the entry with += h, then -= h for the minus probe: that puts it "
        "back at x, not at x - h, so f_minus = f(x) and the quotient over 2h is half the derivative; step back by "
        "2 * h",
        (
            _NUMGRAD,
            "    for index in np.ndindex(*x.shape):\n"
            "        original = x[index]\n"
            "        x[index] += h\n"
            "        f_plus = float(f(x))\n"
            "        x[index] -= h\n"
            "        f_minus = float(f(x))\n"
            "        x[index] = original\n"
            "        grad[index] = (f_plus - f_minus) / (2 * h)\n",
        ),
        expect=("probe-at-x", "half"),
        phrases=("x - h",),
    ),
    # ---------------------------------------------------------------- optimizers.AdamW
    fresh(
        "hsai-adamw-paper-port-decay-without-lr",
        "optimizers.AdamW",
        "(shared idea, new code) a step() ported from Loshchilov & Hutter's Algorithm 2 (m_hat, v_hat) subtracts "
        "weight_decay * p beside the Adam step, as the paper writes it with its schedule multiplier: PyTorch's (and "
        "this) AdamW shrinks by lr * weight_decay * p",
        (
            _ADAMW_END,
            _ADAMW_END + "\n"
            "    def step(self) -> None:\n"
            '        """AdamW as in Loshchilov & Hutter, Algorithm 2."""\n'
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            m = beta1 * state['exp_avg'] + (1.0 - beta1) * g\n"
            "            v = beta2 * state['exp_avg_sq'] + (1.0 - beta2) * g * g\n"
            "            state['exp_avg'], state['exp_avg_sq'] = m, v\n"
            "            if self.amsgrad:\n"
            "                state['max_exp_avg_sq'] = np.maximum(state['max_exp_avg_sq'], v)\n"
            "                v = state['max_exp_avg_sq']\n"
            "            m_hat = m / (1.0 - beta1**self.t)\n"
            "            v_hat = v / (1.0 - beta2**self.t)\n"
            "            p.data -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps) + self.weight_decay * p.data\n",
        ),
        expect=("adamw-decay-without-lr",),
        phrases=("lr",),
    ),
    fresh(
        "hsai-adamw-step-amsgrad-maximum-not-kept",
        "optimizers.AdamW",
        "(shared idea, new code) an AdamW step() override takes v = np.maximum(state['max_exp_avg_sq'], v) for "
        "amsgrad but never stores it: the running maximum stays at zero, so amsgrad=True is plain AdamW",
        (
            _ADAMW_END,
            _ADAMW_END + "\n"
            "    def step(self) -> None:\n"
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            p.data *= 1.0 - self.lr * self.weight_decay\n"
            "            g = _grad(p)\n"
            "            state['exp_avg'] = beta1 * state['exp_avg'] + (1.0 - beta1) * g\n"
            "            state['exp_avg_sq'] = beta2 * state['exp_avg_sq'] + (1.0 - beta2) * g**2\n"
            "            v = state['exp_avg_sq']\n"
            "            if self.amsgrad:\n"
            "                v = np.maximum(state['max_exp_avg_sq'], v)\n"
            "            m_hat = state['exp_avg'] / (1.0 - beta1**self.t)\n"
            "            v_hat = v / (1.0 - beta2**self.t)\n"
            "            p.data -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)\n",
        ),
        expect=("amsgrad-ignored", "state-not-saved"),
        phrases=("max_exp_avg_sq",),
    ),
    fresh(
        "hsai-adamw-decay-scales-gradient",
        "optimizers.AdamW",
        "(shared idea, new code) _decay returns the gradient times (1 - lr * weight_decay) and leaves p alone: "
        "decoupled decay shrinks the weights themselves, p *= 1 - lr * weight_decay, and passes g on unchanged "
        "(a scaled gradient is all but undone by Adam's normalisation)",
        (
            _ADAMW_DECAY,
            "        shrink = 1.0 - self.lr * self.weight_decay\n        return shrink * g\n",
        ),
        expect=("adamw-decays-gradient", "weight-decay-ignored"),
        phrases=("p",),
    ),
    # ---------------------------------------------------------------- optimizers.Adadelta
    fresh(
        "hsai-adadelta-zeiler-names-gradient-average-not-stored",
        "optimizers.Adadelta",
        "(shared idea, new code) "
        "a rewrite in Zeiler's names copies the state into E_g2 and E_dx2, updates both, but writes back only "
        "state['acc_delta']: the gradient average square_avg stays at zero, so every step divides by the current "
        "gradient's size alone, (1 - rho) g^2",
        (
            _ADADELTA,
            "        rho, eps = self.rho, self.eps\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            "            E_g2 = state['square_avg']\n"
            "            E_dx2 = state['acc_delta']\n"
            "            E_g2 = rho * E_g2 + (1.0 - rho) * g**2\n"
            "            dx = -np.sqrt(E_dx2 + eps) / np.sqrt(E_g2 + eps) * g\n"
            "            E_dx2 = rho * E_dx2 + (1.0 - rho) * dx**2\n"
            "            state['acc_delta'] = E_dx2\n"
            "            p.data += self.lr * dx\n",
        ),
        # the last tag added after reading output
        expect=("state-not-saved", "state-reset"),
        phrases=("square_avg",),
    ),
    fresh(
        "hsai-adadelta-step-before-gradient-average",
        "optimizers.Adadelta",
        "(shared idea, new code) a rewrite with an rms() helper computes the step from the old averages and updates "
        "both at the end: the gradient average must include the current g^2 before dividing (the first step is "
        "then sqrt(eps) / sqrt(eps) * g = g, far too large)",
        (
            _ADADELTA,
            "        def rms(avg: np.ndarray) -> np.ndarray:\n"
            "            return np.sqrt(avg + self.eps)\n"
            "\n"
            "        rho = self.rho\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            "            delta = rms(state['acc_delta']) / rms(state['square_avg']) * g\n"
            "            state['square_avg'] = rho * state['square_avg'] + (1.0 - rho) * g * g\n"
            "            state['acc_delta'] = rho * state['acc_delta'] + (1.0 - rho) * delta * delta\n"
            "            p.data -= self.lr * delta\n",
        ),
        # added after reading output (tag-vocabulary audit): adadelta-stale-average
        expect=("accumulator-after-step", "order-changed", "adadelta-stale-average"),
        phrases=("before",),
    ),
    fresh(
        "hsai-adadelta-keras-port-step-average-weights-swapped",
        "optimizers.Adadelta",
        "(shared idea, new code) a port of Keras's Adadelta (a, d_a, update) writes the step average as (1 - rho) * "
        "d_a + rho * update^2: the weights are swapped, so the average forgets the past steps (rho of the new step, "
        "1 - rho of the memory)",
        (
            _ADADELTA,
            "        rho = self.rho\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            "            a, d_a = state['square_avg'], state['acc_delta']\n"
            "            new_a = rho * a + (1.0 - rho) * np.square(g)\n"
            "            update = g * np.sqrt(d_a + self.eps) / np.sqrt(new_a + self.eps)\n"
            "            p.data -= self.lr * update\n"
            "            new_d_a = (1.0 - rho) * d_a + rho * np.square(update)\n"
            "            state['square_avg'], state['acc_delta'] = new_a, new_d_a\n",
        ),
        expect=("rho-swapped", "average-arguments-swapped"),
        phrases=("rho",),
    ),
    # ---------------------------------------------------------------- optimizers.Adagrad
    fresh(
        "hsai-adagrad-count-at-end-with-t-minus-one",
        "optimizers.Adagrad",
        "(shared idea, new code) a CS231n-cache rewrite increments self.t at the end of step() but keeps the "
        "docstring's (t - 1): at the first step t is still 0, so the rate is lr / (1 - lr_decay) and every step is "
        "decayed one count too little",
        (
            _ADAGRAD,
            "        lr_t = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            "            state['sum'] += g**2\n"
            "            p.data -= lr_t * g / (np.sqrt(state['sum']) + self.eps)\n"
            "        self.t += 1\n",
        ),
        expect=("lr-decay-off-by-one", "step-count-off-by-one"),
        phrases=("t - 1",),
    ),
    fresh(
        "hsai-adagrad-dx-is-grad-decay-in-place",
        "optimizers.Adagrad",
        "(shared idea, new code) a CS231n-style rewrite names dx = p.grad and adds the L2 term with dx += "
        "weight_decay * p: dx is p.grad itself, so step() writes the decay into the parameter's gradient (a second "
        "step before zero_grad decays twice)",
        (
            _ADAGRAD,
            "        self.t += 1\n"
            "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            dx = p.grad\n"
            "            if self.weight_decay != 0:\n"
            "                dx += self.weight_decay * p.data\n"
            "            cache = state['sum'] + dx * dx\n"
            "            state['sum'] = cache\n"
            "            p.data -= clr * dx / (np.sqrt(cache) + self.eps)\n",
        ),
        expect=("modifies-grad", "aliasing"),
        phrases=("p.grad",),
    ),
    fresh(
        "hsai-adagrad-step-lr-without-parentheses",
        "optimizers.Adagrad",
        "(shared idea, new code) a rewrite types the decayed rate as self.lr / 1 + self.lr_decay * (self.t - 1): "
        "without brackets the decay is added to lr instead of dividing it, so with lr_decay > 0 the rate grows",
        (
            _ADAGRAD,
            "        self.t += 1\n"
            "        step_lr = self.lr / 1 + self.lr_decay * (self.t - 1)\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            "            state['sum'] = state['sum'] + np.square(g)\n"
            "            p.data -= step_lr * g / (np.sqrt(state['sum']) + self.eps)\n",
        ),
        expect=("lr-decay-precedence", "operator-precedence"),
        phrases=("lr_decay",),
    ),
    # ---------------------------------------------------------------- optimizers.SGD / RMSprop / Adam
    fresh(
        "hsai-sgd-torch-port-buffer-starts-at-zeros",
        "optimizers.SGD",
        "(shared idea, new code) a port of torch's sgd with d_p starts the momentum buffer at zeros and always "
        "applies momentum * buf + (1 - dampening) * d_p: the first buffer is then dampened, (1 - dampening) g, "
        "where PyTorch starts it at g itself",
        (
            _SGD,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            d_p = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                d_p = d_p + self.weight_decay * p.data\n"
            "            if self.momentum != 0:\n"
            "                if state['momentum_buffer'] is None:\n"
            "                    state['momentum_buffer'] = np.zeros_like(d_p)\n"
            "                buf = self.momentum * state['momentum_buffer'] + (1.0 - self.dampening) * d_p\n"
            "                state['momentum_buffer'] = buf\n"
            "                d_p = d_p + self.momentum * buf if self.nesterov else buf\n"
            "            p.data -= self.lr * d_p\n",
        ),
        expect=("dampening-on-first-step",),
        phrases=("dampening", "first"),
    ),
    fresh(
        "hsai-rmsprop-hinton-decay-written-in",
        "optimizers.RMSprop",
        "(shared idea, new code) a rewrite from Hinton's lecture 6e writes the decay in, rho = 0.9 "
        "(MeanSquare = 0.9 MeanSquare + 0.1 g^2), instead of self.alpha: the alpha argument (default 0.99) is "
        "ignored",
        (
            _RMSPROP,
            "        rho = 0.9  # Hinton, lecture 6e: MeanSquare = 0.9 MeanSquare + 0.1 g^2\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            "            state['square_avg'] = rho * state['square_avg'] + (1.0 - rho) * g**2\n"
            "            if self.centered:\n"
            "                state['grad_avg'] = rho * state['grad_avg'] + (1.0 - rho) * g\n"
            "                var = np.maximum(state['square_avg'] - state['grad_avg'] ** 2, 0.0)\n"
            "                avg = np.sqrt(var) + self.eps\n"
            "            else:\n"
            "                avg = np.sqrt(state['square_avg']) + self.eps\n"
            "            if self.momentum > 0:\n"
            "                buf = self.momentum * state['momentum_buffer'] + g / avg\n"
            "                state['momentum_buffer'] = buf\n"
            "                p.data -= self.lr * buf\n"
            "            else:\n"
            "                p.data -= self.lr * g / avg\n",
        ),
        expect=("hyperparameter-ignored",),
        phrases=("alpha",),
    ),
    fresh(
        "hsai-adam-corrected-notation-eps-under-root",
        "optimizers.Adam",
        "(shared idea, new code) a rewrite in m_hat / v_hat notation divides by np.sqrt(v_hat + eps): eps belongs "
        "outside the root, sqrt(v_hat) + eps; under it, it acts as an eps of 1e-4 and damps steps of small "
        "gradients",
        (
            _ADAM,
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = self._decay(p, g)\n"
            "            state['exp_avg'] = beta1 * state['exp_avg'] + (1 - beta1) * g\n"
            "            state['exp_avg_sq'] = beta2 * state['exp_avg_sq'] + (1 - beta2) * np.square(g)\n"
            "            if self.amsgrad:\n"
            "                state['max_exp_avg_sq'] = np.maximum(state['max_exp_avg_sq'], state['exp_avg_sq'])\n"
            "                v = state['max_exp_avg_sq']\n"
            "            else:\n"
            "                v = state['exp_avg_sq']\n"
            "            m_hat = state['exp_avg'] / (1 - beta1**self.t)\n"
            "            v_hat = v / (1 - beta2**self.t)\n"
            "            p.data -= self.lr * m_hat / np.sqrt(v_hat + self.eps)\n",
        ),
        expect=("eps-inside-sqrt",),
        phrases=("eps",),
    ),
    # ---------------------------------------------------------------- training
    fresh(
        "hsai-minibatches-index-array-targets-sliced-in-order",
        "training.minibatches",
        "(shared idea, new code) "
        "a rewrite shuffles an index array and takes X[idx] for each batch, but slices the targets in stored order, "
        "y[start:start + size]: with shuffle=True the inputs and targets of a batch no longer belong together",
        (
            _MINIBATCHES,
            "    indices = np.arange(len(X))\n"
            "    if shuffle:\n"
            "        indices = rng.permutation(len(X))\n"
            "    size = len(X) if batch_size is None else batch_size\n"
            "    for start in range(0, len(X), max(size, 1)):\n"
            "        idx = indices[start : start + size]\n"
            "        batches.append((X[idx], y[start : start + size]))\n",
        ),
        expect=("unpaired-shuffle",),
        phrases=("pair",),
    ),
    fresh(
        "hsai-minibatches-count-of-full-batches",
        "training.minibatches",
        "(shared idea, new code) a rewrite counts the batches as n_batches = len(X) // size and loops b over "
        "range(n_batches): when size does not divide N the remainder samples are never visited; the last batch "
        "must hold them",
        (
            _MINIBATCHES,
            "    if shuffle:\n"
            "        perm = rng.permutation(len(X))\n"
            "        X, y = X[perm], y[perm]\n"
            "    size = batch_size or len(X)\n"
            "    n_batches = len(X) // size\n"
            "    for b in range(n_batches):\n"
            "        batches.append((X[b * size : (b + 1) * size], y[b * size : (b + 1) * size]))\n",
        ),
        expect=("drops-last-batch", "remainder-batch"),
        phrases=("remainder", "last batch"),
    ),
    fresh(
        "hsai-fit-zero-grad-once-per-epoch",
        "training.fit",
        "(shared idea, new code) "
        "a rewrite calls optimizer.zero_grad() once at the start of each epoch, before the batch loop: the "
        "gradients of every batch of the epoch pile up, so each step uses the sum of all the epoch's batch "
        "gradients so far; zero them before every batch",
        (
            _FIT,
            "    for _ in range(epochs):\n"
            "        optimizer.zero_grad()\n"
            "        epoch_total = 0.0\n"
            "        for xb, yb in minibatches(X, y, batch_size, shuffle, rng):\n"
            "            loss = loss_fn.forward(model.forward(xb), yb)\n"
            "            model.backward(loss_fn.backward())\n"
            "            optimizer.step()\n"
            "            epoch_total += float(loss) * len(xb)\n"
            "        history.append(epoch_total / len(X))\n",
        ),
        expect=("zero-grad-missing", "zero-grad"),
        phrases=("zero_grad",),
    ),
    fresh(
        "hsai-fit-history-last-batch-loss",
        "training.fit",
        "(shared idea, new code) a rewrite appends the loss of the epoch's last batch to the history, as a progress "
        "print would show it: the epoch's value is the mean over all samples, batch losses weighted by batch size",
        (
            _FIT,
            "    for epoch in range(epochs):\n"
            "        for X_batch, y_batch in minibatches(X, y, batch_size=batch_size, shuffle=shuffle, rng=rng):\n"
            "            optimizer.zero_grad()\n"
            "            loss = loss_fn.forward(model.forward(X_batch), y_batch)\n"
            "            model.backward(loss_fn.backward())\n"
            "            optimizer.step()\n"
            "        history.append(float(loss))\n",
        ),
        expect=("last-batch-loss",),
        phrases=("mean",),
    ),
    # ---------------------------------------------------------------- models
    fresh(
        "hsai-sequential-forward-loop-feeds-input-to-every-layer",
        "models.Sequential",
        "(shared idea, new code) "
        "a rewrite keeps the running value in out but calls out = layer.forward(x) in the loop: every layer gets the "
        "network's input x, so the output is the last layer applied to x alone; each layer must get the previous "
        "layer's output, layer.forward(out)",
        (
            _SEQ_FORWARD,
            "        out = x\n        for layer in self.layers:\n            out = layer.forward(x)\n        x = out\n",
        ),
        expect=("forward-not-chained",),
        phrases=("previous",),
    ),
    fresh(
        "hsai-perceptron-fit-mistakes-counted-over-all-epochs",
        "models.Perceptron",
        "(shared idea, new code) a rewrite sets mistakes = 0 once, before the epoch loop, and adds each update's "
        "mistake: after the first mistake the count never returns to 0, so fit never reports convergence; count "
        "each epoch's mistakes afresh",
        (
            _PERCEPTRON_FIT,
            "        mistakes = 0\n"
            "        for _ in range(max_epochs):\n"
            "            for x, target in zip(X, y, strict=True):\n"
            "                mistakes += self.update(x, target) != 0.0\n"
            "            if mistakes == 0:\n"
            "                return True\n",
        ),
        expect=("mistakes-not-reset", "counter-not-reset"),
        phrases=("reset", "epoch"),
    ),
    # ---------------------------------------------------------------- early stopping
    fresh(
        "hsai-early-stopping-validation-forward-in-train-mode",
        "early_stopping.fit_early_stopping",
        "(shared idea, new code) a rewrite computes the validation loss itself, loss_fn.forward(model.forward("
        "X_val), y_val), without eval mode: Dropout drops and BatchNorm uses (and updates) batch statistics during "
        "validation; use evaluate_loss",
        (
            _EARLY,
            "    best_loss = float('inf')\n"
            "    best_state = None\n"
            "    bad_epochs = 0\n"
            "    for epoch in range(1, max_epochs + 1):\n"
            "        history.train_losses += fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)\n"
            "        val_loss = float(loss_fn.forward(model.forward(np.asarray(X_val)), np.asarray(y_val)))\n"
            "        history.val_losses.append(val_loss)\n"
            "        if val_loss < best_loss - min_delta:\n"
            "            best_loss = val_loss\n"
            "            history.best_epoch = epoch\n"
            "            bad_epochs = 0\n"
            "            if restore_best:\n"
            "                best_state = copy_state(model)\n"
            "        else:\n"
            "            bad_epochs += 1\n"
            "            if bad_epochs >= patience:\n"
            "                history.stopped_epoch = epoch\n"
            "                break\n"
            "    if restore_best and best_state is not None:\n"
            "        load_state(model, best_state)\n",
        ),
        expect=("validation-in-train-mode", "train-eval"),
        phrases=("eval",),
    ),
    fresh(
        "hsai-early-stopping-keras-restore-only-on-stop",
        "early_stopping.fit_early_stopping",
        "(shared idea, new code) "
        "a Keras-like rewrite (wait, best, best_weights) restores the best weights only when patience runs out, "
        "inside the stopping branch: a run that reaches max_epochs keeps the last epoch's weights although "
        "restore_best asks for the best ones",
        (
            _EARLY,
            "    best = float('inf')\n"
            "    wait = 0\n"
            "    best_weights = None\n"
            "    for epoch in range(1, max_epochs + 1):\n"
            "        history.train_losses.extend(fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng))\n"
            "        current = evaluate_loss(model, loss_fn, X_val, y_val)\n"
            "        history.val_losses.append(current)\n"
            "        if current < best - min_delta:\n"
            "            best, wait = current, 0\n"
            "            history.best_epoch = epoch\n"
            "            if restore_best:\n"
            "                best_weights = copy_state(model)\n"
            "        else:\n"
            "            wait += 1\n"
            "            if wait >= patience:\n"
            "                history.stopped_epoch = epoch\n"
            "                if restore_best and best_weights is not None:\n"
            "                    load_state(model, best_weights)\n"
            "                break\n",
        ),
        expect=("not-restored", "restores-last"),
        phrases=("max_epochs",),
    ),
]
