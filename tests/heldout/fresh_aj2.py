"""Held-apart set AJ, second half: student bugs in optimizers, init, training, models, gradcheck and early
stopping, written blind by a helper session, aimed at realism (the mistakes real students make, in their own code).

Written blind by a helper session under a short deadline (about 40 minutes), at the same time as the other half
(activations, layers and losses), whose file this author did not read. Read: reference/optimizers.py, init.py,
training.py, models.py, gradcheck.py, early_stopping.py and base.py's Parameter, Module and Optimizer (and the class
names of layers and losses, to build test networks), tests/heldout/_edits.py, the docstrings (up to their "Blind
rate" paragraph) and first bugs of fresh_ai.py and fresh_ai2.py (for the format; the _solution helper is copied from
fresh_ai2.py, and the AdamW step() override's anchor idea with it), the ids, components, descriptions, ``expect`` and
``phrases`` of the catalogue and of ``EVERY`` (dumped per component to a scratch file: the tag counts per component
were read for all, the descriptions grepped for the tags chosen), and of tests/test_feedback_generalisation.py only
SETS, FAMILIES and ``_changes``. Not read: docs/api.md (no time; the reference docstrings were the specification),
the diagnosis and grading code (graders/judging, graders/reporting, graders/running, graders/selfcheck,
graders/runner.py), nnlab/ beyond importing it, tests/evidence.py, tests/feedback_audit.py, the mistake, crash,
diagnosis and feedback tests, benchmarks/, /work/tools/* beyond the two briefs, the other half's file, and any
grader feedback or output. None of these bugs was graded.

About 60 ideas were considered, 52 written, 51 kept. Dropped or replaced: Sequential.train() setting layer.training
= True instead of calling layer.train() (it only differs for a Sequential nested in a Sequential, since no reference
layer overrides train(); replaced by eval() leaving the container's own flag); four edits that the copy check
(``_changes``) found equal to earlier bugs and that were rewritten in a different student style: a receptive field
of shape[2] * shape[3] for 4-D weights only (now shape[2] * shape[-1]), shape[-2] * shape[-1] (same), a backward
over range(len - 1, 0, -1) (now a reversed copy and a short range), parameters() appending each layer's list (now
skipping the empty ones as well) and an eval() loop over the layers (now by index). Not written: a numerical
gradient over x.flatten() (a copy: its undone form x.reshape(-1) is still wrong for non-contiguous inputs, so the
slip could not be undone cleanly), a gradient probe with x + h * e arrays (f no longer gets x itself, a second
deviation), Adagrad's eps under the root (differences far below any tolerance at ordinary scales), RMSprop with lr
inside the momentum buffer and CS231n's v = mu v - lr g SGD (equal to the reference while lr is constant), and
AdamW skipping 1-D parameters (already written in nearly that form before).

Rewrites: all 51 replace a whole solution block or method body (or add an AdamW step() after _decay) in a
student's own style, each with exactly one slip: fans by a 2-D/else split, a kernel-axis loop, star unpacking and
np.prod; Xavier from the paper's sqrt(6 / (fan_in + fan_out)), from the variance, from the shape, from Keras's
fan_avg, with standard_normal draws; Kaiming torch-style with a fans tuple, with the gain by hand, with
rng.uniform(high=...), with a mode test, from the variance; relative errors as a zip loop, with separate numerator
and denominator, as a mean; numerical gradients as CS231n's nditer loop, with += h / -= h probes, over range(len(x));
three AdamW step() overrides in torch's _single_tensor_adamw order and a two-line _decay; Adadelta in Zeiler's names
(E[g^2], E[dx^2], dx) three times and with local names once; Adagrad in CS231n's cache style (in place) three times;
a torch.optim.SGD port with d_p and buf, an index-based SGD with a conditional expression; a centred RMSprop with
local v; Adam in m_hat / v_hat notation; minibatches with a while loop and with an index array; fit with a list of
batch losses and with the batches drawn above the epoch loop; Sequential's backward, parameters() and eval();
Perceptron.update with np.dot and fit with a converged flag; early stopping in Keras's names (wait, best,
best_weights) three times. The short ones (three lines or fewer) are Sequential's backward and eval(), AdamW's
_decay and three of the fans.

Sharing, honestly: all 51 share an earlier bug's misconception (in new code), so every description starts
"(shared idea, new code)"; the ``expect`` tags were taken from the earlier bugs with the same misconception. The
mechanisms the author did not see among earlier bugs of the same component (from the dump's descriptions, not
exhaustively checked) are few: np.prod's float 1.0 for an empty kernel left as the fan's type, shape[2] *
shape[-1] as the kernel size, rng.uniform(high=bound) with low left at 0, mode == 'in', the AdamW counter inside the
parameter loop, AdamW's decay with the bias-corrected rate in _decay, the SGD buffer that is p.grad itself updated in
place, and parameters() skipping parameterless layers; the misconceptions behind them are all earlier ones.

Classes covered: shapes and axes (kernel axes fixed, a loop's range one short, fan_out without the receptive field,
fans read off the shape, probes over rows), types (numpy scalars for ints), formulas and constants (brackets around
the fan sum and the fan average, the uniform bound from variance / 3, variance for std, gain under the root, fan for
sqrt(fan), a |a| - |b| numerator, / 2 * h), hyper-parameters ignored or inverted (a not passed, fan chosen then not
used, the gain by hand or hard-coded for ReLU, a misspelt mode, dampening for 1 - dampening, rho's weights swapped,
lr decay bracket and count), numpy defaults (uniform's low), reductions (last entry, mean for max), probes (back at
x), state between steps (AdamW's order and counter, Adadelta's lr in the accumulator and locals not stored, Adagrad's
cache before the decay, the SGD buffer aliasing the gradient, RMSprop's old mean, Adam's first moment not stored),
state between batches and epochs (batch losses unweighted, an iterator used up by the first epoch, a converged flag
never reset), pairing and randomness (two permutations, numpy's global generator), containers (a layer skipped in
backward, a nested parameter list, the container's flag), the perceptron's step at 0, and early stopping's patience,
best_epoch and saved weights.
Components: fan_in_and_fan_out 4, xavier_uniform 3, xavier_normal 3, kaiming_uniform 4, kaiming_normal 4;
relative_error 3, numerical_gradient 3; AdamW 4, Adadelta 4, Adagrad 3, SGD 2, RMSprop 1, Adam 1; minibatches 2,
fit 2; Sequential 3, Perceptron 2; fit_early_stopping 3.

Checks: every edit applies and its module imports (each bug, and the reference, materialised as a copy of the
reference package with the edit, imported under its own name); every ``old`` occurs once in its reference module;
ids are new and unique; every ``expect`` tag is in the existing vocabulary; no textual copy (``_changes`` against
the catalogue and ``EVERY``). A script in /tmp ran, for each bug, the reference, the bug and the bug with its slip
undone (a text replacement in ``new``, or a reordering of two lines) and compared them (np.allclose, rtol 1e-9,
dtypes, shapes and Python types equal): fans of (5, 3), (4, 3, 3, 2), (2, 6, 3), (64, 32), (3, 2, 2, 2, 2), (7, 7)
and (8, 4, 3, 3) with their types; Xavier on those shapes with gain 1, 5/3 and sqrt(2); Kaiming with (a, mode,
nonlinearity) = (0, fan_in, leaky_relu), (sqrt(5), fan_in, leaky_relu), (0.2, fan_out, leaky_relu), (0, fan_in,
relu), (0, fan_out, tanh), (0, fan_in, linear), each from a fresh seeded generator; relative errors of close (3, 4)
arrays, opposite arrays, zeros, +-1e-10, empty arrays, a 1 % change, one wrong small entry among large ones, a sign
flip and one wrong entry of a matrix; numerical gradients of a sine-weighted cubic plus a product on (3,), (2, 3),
(2, 2, 2), (4, 3) and a transposed (4, 3) view, with x compared afterwards; five steps of every optimizer on
parameters (3, 4) and (5,) with alternating shrinking gradients at scales 1 and 1e-3 written into p.grad after
zero_grad, the parameters and p.grad after each step and a sixth step without zero_grad (SGD plain, momentum,
dampening 0.3, Nesterov with and without weight decay, weight decay; Adagrad plain, lr_decay 0.1, weight decay,
accumulator 0.5; RMSprop plain, centred, momentum, centred with momentum and weight decay; Adadelta default, lr 0.5,
rho 0.5 with weight decay; Adam plain, amsgrad, weight decay, betas (0.5, 0.9); AdamW those and amsgrad with weight
decay 0.3); minibatches of 7 samples with batch sizes None, 1, 2, 3, 7, 10, shuffled and not, and once from the
seeded default generator; fit (SGD momentum 0.9, MSE, three epochs) of Linear-Tanh-Linear with batch sizes None, 3,
2, 1, shuffled and not, history and weights; Sequential forward, backward, parameter gradients, training flags after
eval() and train() and the parameter list, with and without Dropout; the Perceptron with lr 1 and 0.1, max_epochs 1,
2, 3, 100 on a separable set and on XOR; early stopping with six (patience, lr, min_delta, restore_best, max_epochs,
Dropout, shuffle) settings, batches of 4, histories, best and stopped epochs and final weights. Every undone slip
matched the reference on every configuration; every bug changed a result on some (most on many, none only on
extreme values); only the nested parameters() bug raises (in the test's own use of the list). Some need the
configuration their mistake is about: a kernel with more or fewer than two sides (the fans), gain != 1 (gain under
the root), a != 0 or another nonlinearity (a not passed, the gain by hand or hard-coded), mode='fan_out' (fan_in
used), opposite signs (|a| - |b|), a matrix input (rows), several parameters (AdamW's counter), lr != 1 (Adadelta's
accumulator), weight decay (Adagrad's cache), lr_decay (Adagrad's count), dampening or momentum (SGD), centred
(RMSprop), a batch size that does not divide N (fit's unweighted mean), shuffle (two permutations, the global
generator), a run that stops (patience) and an improvement not in the last epoch (the saved weights). The
``expect`` tags and ``phrases`` were chosen from the misconception alone, before any grading, from the existing
vocabulary. Ids start with ``hsaj-``.

Dropped after grading: hsaj-fans-np-prod-not-cast-to-int (both fans left as numpy numbers from np.prod, a float
1.0 for a dense weight's receptive field): docs/api.md promises the values of the fans, not Python ints, so numbers
of equal value are no mistake under the rubric, and the grader rightly took no points (as set AG's second half had
decided when it dropped the same idea before writing).
Blind rate (graded in the sandbox, isolated, before anybody read the feedback; set AI had been taught):
50/50 named (100 %), 50 caught (the dropped bug was not caught), 6 flagged with another bug class's tag: 5 the right
diagnosis under another name (fan_out without the kernel read as the receptive field left out of a fan, the kernel
as its first and last sides, Adadelta's and Adam's state never stored back read as a state reset, Adagrad's squares
taken before the weight decay) and 1 wrong claim (a loop over the kernel axes stopping one early, read on a Conv1d
weight, where it leaves no kernel axis at all, as the receptive field left out of both fans; the 2-D and 3-D kernels
show it partial). See fresh_aj.py for the whole set.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant, reference_folder

from ._edits import held_apart_bug

fresh = partial(held_apart_bug, "hsaj-")  # set AJ


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
_SEQ_BACKWARD = _solution("models", "class Sequential(", "def backward(self")
_PERCEPTRON_UPDATE = _solution("models", "class Perceptron", "def update(self")
_PERCEPTRON_FIT = _solution("models", "class Perceptron", "def fit(self")
_EARLY = _solution("early_stopping", "def fit_early_stopping(")
_SEQ_EVAL = "        self.training = False\n        for layer in self.layers:\n            layer.eval()\n"
_SEQ_PARAMETERS = "        return [p for layer in self.layers for p in layer.parameters()]\n"


def _adamw_step(decay_first: str, loop_head: str, denom: str, decay_last: str = "") -> str:
    """An AdamW step() override in torch's _single_tensor_adamw order, with the given pieces."""
    return (
        _ADAMW_END + "\n"
        "    def step(self) -> None:\n"
        "        beta1, beta2 = self.betas\n" + loop_head + "            g = _grad(p)\n" + decay_first + ""
        "            exp_avg = beta1 * state['exp_avg'] + (1.0 - beta1) * g\n"
        "            exp_avg_sq = beta2 * state['exp_avg_sq'] + (1.0 - beta2) * g * g\n"
        "            state['exp_avg'], state['exp_avg_sq'] = exp_avg, exp_avg_sq\n"
        "            if self.amsgrad:\n"
        "                state['max_exp_avg_sq'] = np.maximum(state['max_exp_avg_sq'], exp_avg_sq)\n"
        "                exp_avg_sq = state['max_exp_avg_sq']\n"
        "            bias_correction1 = 1.0 - beta1**self.t\n"
        "            bias_correction2 = 1.0 - beta2**self.t\n"
        "            step_size = self.lr / bias_correction1\n" + denom + ""
        "            p.data -= step_size * exp_avg / denom\n" + decay_last
    )


_ADAMW_LOOP = "        self.t += 1\n        for p, state in zip(self.params, self.state, strict=True):\n"
_ADAMW_DECAY_FIRST = "            p.data *= 1.0 - self.lr * self.weight_decay\n"
_ADAMW_DENOM = "            denom = np.sqrt(exp_avg_sq) / bias_correction2**0.5 + self.eps\n"


def _adadelta(update_v: str, delta: str, update_u: str, move: str = "            p.data -= self.lr * dx\n") -> str:
    """Adadelta in Zeiler's names (E[g^2], E[dx^2], dx) with the given lines."""
    return (
        "        rho, eps = self.rho, self.eps\n"
        "        for p, state in zip(self.params, self.state, strict=True):\n"
        "            g = _grad(p)\n"
        "            if self.weight_decay != 0:\n"
        "                g = g + self.weight_decay * p.data\n" + update_v + delta + update_u + move
    )


_ZEILER_V = "            state['square_avg'] = rho * state['square_avg'] + (1 - rho) * g**2\n"
_ZEILER_DX = "            dx = np.sqrt(state['acc_delta'] + eps) / np.sqrt(state['square_avg'] + eps) * g\n"
_ZEILER_U = "            state['acc_delta'] = rho * state['acc_delta'] + (1 - rho) * dx**2\n"


def _adagrad(lr_line: str, body: str) -> str:
    """Adagrad in CS231n's cache style: the accumulator updated in place."""
    return (
        "        self.t += 1\n"
        + lr_line
        + (
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            cache = state['sum']\n"
        )
        + body
    )


_ADAGRAD_LR = "        lr_t = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n"
_ADAGRAD_BODY = (
    "            if self.weight_decay != 0:\n"
    "                g = g + self.weight_decay * p.data\n"
    "            cache += g**2\n"
    "            p.data -= lr_t * g / (np.sqrt(cache) + self.eps)\n"
)


def _early(test: str, improve: str, wait: str) -> str:
    """Early stopping in Keras's names (wait, best, best_weights) with the given improvement test and branches."""
    return (
        "    best = np.inf\n"
        "    best_weights = None\n"
        "    wait = 0\n"
        "    for epoch in range(1, max_epochs + 1):\n"
        "        losses = fit(model, loss_fn, optimizer, X, y, epochs=1, batch_size=batch_size, shuffle=shuffle, "
        "rng=rng)\n"
        "        history.train_losses.append(losses[0])\n"
        "        current = evaluate_loss(model, loss_fn, X_val, y_val)\n"
        "        history.val_losses.append(current)\n"
        + test
        + improve
        + wait
        + "    if restore_best and best_weights is not None:\n"
        "        load_state(model, best_weights)\n"
    )


_EARLY_TEST = "        if current < best - min_delta:\n"
_EARLY_IMPROVE = (
    "            best = current\n"
    "            history.best_epoch = epoch\n"
    "            wait = 0\n"
    "            if restore_best:\n"
    "                best_weights = copy_state(model)\n"
)
_EARLY_WAIT = (
    "        else:\n"
    "            wait += 1\n"
    "            if wait >= patience:\n"
    "                history.stopped_epoch = epoch\n"
    "                break\n"
)

FRESH_AJ2: list[Mutant] = [
    # ---------------------------------------------------------------- init.fan_in_and_fan_out
    fresh(
        "hsaj-fans-kernel-first-times-last-side",
        "init.fan_in_and_fan_out",
        "(shared idea, new code) a rewrite written with a square Conv2d kernel in mind takes the kernel size as "
        "shape[2] * shape[-1], the first and last kernel sides: a Conv1d weight (out, in, k) counts k * k, and a "
        "3-D kernel loses its middle side; the receptive field is the product of every axis after the first two",
        (
            _FANS,
            "    if len(shape) == 2:\n"
            "        fan_in, fan_out = shape[1], shape[0]\n"
            "    else:\n"
            "        kernel_size = shape[2] * shape[-1]\n"
            "        fan_in = shape[1] * kernel_size\n"
            "        fan_out = shape[0] * kernel_size\n",
        ),
        # the last tag added after reading output
        expect=("square-only-index", "fixed-number-of-axes", "receptive-field-partial"),
        phrases=("receptive field",),
    ),
    fresh(
        "hsaj-fans-kernel-axes-range-stops-early",
        "init.fan_in_and_fan_out",
        "(shared idea, new code) a loop over the kernel axes runs for axis in range(2, len(shape) - 1), as if "
        "range's end were inclusive: the last kernel axis is never multiplied in (a 3x3 kernel counts 3, a Conv1d "
        "kernel 1)",
        (
            _FANS,
            "    receptive_field = 1\n"
            "    for axis in range(2, len(shape) - 1):\n"
            "        receptive_field *= shape[axis]\n"
            "    fan_in = shape[1] * receptive_field\n"
            "    fan_out = shape[0] * receptive_field\n",
        ),
        expect=("receptive-field-partial", "loop-off-by-one"),
        phrases=("receptive field",),
    ),
    fresh(
        "hsaj-fans-star-unpack-fan-out-without-kernel",
        "init.fan_in_and_fan_out",
        "(shared idea, new code) a rewrite unpacks out_channels, in_channels, *kernel = shape and multiplies the "
        "kernel's size into fan_in only: each input also reaches out * kH * kW outputs, so fan_out needs the "
        "receptive field too",
        (
            _FANS,
            "    out_channels, in_channels, *kernel = shape\n"
            "    receptive_field = math.prod(kernel)\n"
            "    fan_in, fan_out = in_channels * receptive_field, out_channels\n",
        ),
        # the last tag added after reading output
        expect=("receptive-field-partial", "receptive-field-ignored"),
        phrases=("fan_out", "receptive field"),
    ),
    # ---------------------------------------------------------------- init.xavier_uniform
    fresh(
        "hsaj-xavier-uniform-sqrt-six-over-sum-precedence",
        "init.xavier_uniform",
        "(shared idea, new code) a rewrite writes the bound from the paper as gain * math.sqrt(6.0 / fan_in + "
        "fan_out) without brackets around the sum: the division binds first, so the bound is sqrt(6 / fan_in + "
        "fan_out), not sqrt(6 / (fan_in + fan_out))",
        (
            _XU,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    limit = gain * math.sqrt(6.0 / fan_in + fan_out)\n"
            "    weight = rng.uniform(-limit, limit, size=shape)\n",
        ),
        expect=("operator-precedence", "precedence"),
        phrases=("fan_in + fan_out",),
    ),
    fresh(
        "hsaj-xavier-uniform-bound-from-variance-over-three",
        "init.xavier_uniform",
        "(shared idea, new code) a rewrite from the variance gain^2 * 2 / (fan_in + fan_out) remembers 'a uniform "
        "has variance b^2 / 3' backwards and takes b = sqrt(variance / 3): the bound is sqrt(3 * variance), so "
        "the weights are three times too narrow",
        (
            _XU,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    variance = gain**2 * 2.0 / (fan_in + fan_out)\n"
            "    b = math.sqrt(variance / 3.0)\n"
            "    weight = rng.uniform(-b, b, size=shape)\n",
        ),
        expect=("uniform-bound",),
        phrases=("sqrt(3)", "b^2 / 3", "3 *"),
    ),
    fresh(
        "hsaj-xavier-uniform-fans-from-first-two-axes",
        "init.xavier_uniform",
        "(shared idea, new code) a rewrite reads the fans straight off the shape, fan_out, fan_in = shape[0], "
        "shape[1], instead of calling fan_in_and_fan_out: a convolution's kernel size is left out of both fans, "
        "so conv weights come out sqrt(kH * kW) times too wide",
        (
            _XU,
            "    fan_out, fan_in = shape[0], shape[1]\n"
            "    limit = gain * math.sqrt(6.0 / (fan_in + fan_out))\n"
            "    weight = rng.uniform(-limit, limit, size=shape)\n",
        ),
        expect=("receptive-field-ignored",),
        phrases=("receptive field", "kernel"),
    ),
    # ---------------------------------------------------------------- init.xavier_normal
    fresh(
        "hsaj-xavier-normal-standard-normal-times-variance",
        "init.xavier_normal",
        "(shared idea, new code) a rewrite computes var = gain^2 * 2 / (fan_in + fan_out) and scales standard "
        "normal draws by var: a normal is scaled by its standard deviation, sqrt(var)",
        (
            _XN,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    var = gain**2 * 2.0 / (fan_in + fan_out)\n"
            "    weight = rng.standard_normal(shape) * var\n",
        ),
        expect=("variance-as-std",),
        phrases=("standard deviation", "sqrt"),
    ),
    fresh(
        "hsaj-xavier-normal-fan-average-precedence",
        "init.xavier_normal",
        "(shared idea, new code) a rewrite with Keras's 'fan_avg' writes fan_avg = fan_in + fan_out / 2 without "
        "brackets: only fan_out is halved, so the std gain / sqrt(fan_avg) is too small",
        (
            _XN,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    fan_avg = fan_in + fan_out / 2.0\n"
            "    std = gain / math.sqrt(fan_avg)\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("operator-precedence", "precedence"),
        phrases=("(fan_in + fan_out)",),
    ),
    fresh(
        "hsaj-xavier-normal-gain-under-np-sqrt",
        "init.xavier_normal",
        "(shared idea, new code) a rewrite puts the gain inside the root, std = np.sqrt(gain * 2 / (fan_in + "
        "fan_out)): the std scales with the gain, not with its square root (5/3 for tanh becomes 1.29)",
        (
            _XN,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    std = np.sqrt(gain * 2.0 / (fan_in + fan_out))\n"
            "    weight = rng.normal(loc=0.0, scale=std, size=shape)\n",
        ),
        expect=("gain-under-root", "root-scope"),
        phrases=("gain",),
    ),
    # ---------------------------------------------------------------- init.kaiming_uniform
    fresh(
        "hsaj-kaiming-uniform-gain-without-slope",
        "init.kaiming_uniform",
        "(shared idea, new code) a torch-style rewrite calls calculate_gain(nonlinearity) without a: for "
        "leaky_relu the slope then defaults to 0.01, so a = sqrt(5) (the Linear default) or any a != 0 gets "
        "the wrong gain",
        (
            _KU,
            "    fans = fan_in_and_fan_out(shape)\n"
            "    fan = fans[0] if mode == 'fan_in' else fans[1]\n"
            "    gain = calculate_gain(nonlinearity)\n"
            "    bound = gain * math.sqrt(3.0 / fan)\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
        ),
        expect=("a-ignored", "gain-arguments"),
        phrases=("negative_slope", "calculate_gain(nonlinearity, a)"),
    ),
    fresh(
        "hsaj-kaiming-uniform-fan-chosen-then-fan-in-used",
        "init.kaiming_uniform",
        "(shared idea, new code) a rewrite picks fan by mode, then writes fan_in in the bound, gain * "
        "sqrt(3 / fan_in): mode='fan_out' has no effect",
        (
            _KU,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    fan = fan_in if mode == 'fan_in' else fan_out\n"
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    bound = gain * math.sqrt(3.0 / fan_in)\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
        ),
        expect=("mode-ignored",),
        phrases=("mode", "fan_out"),
    ),
    fresh(
        "hsaj-kaiming-uniform-high-keyword-only",
        "init.kaiming_uniform",
        "(shared idea, new code) a rewrite draws rng.uniform(high=bound, size=shape), expecting a symmetric "
        "interval: numpy's low defaults to 0, so the weights lie in [0, bound), all positive, where "
        "U(-bound, bound) is centred on 0",
        (
            _KU,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    std = calculate_gain(nonlinearity, a) / math.sqrt(fan_in if mode == 'fan_in' else fan_out)\n"
            "    bound = math.sqrt(3.0) * std\n"
            "    weight = rng.uniform(high=bound, size=shape)\n",
        ),
        expect=("not-centred", "uniform-bound"),
        phrases=("-bound", "low"),
    ),
    fresh(
        "hsaj-kaiming-uniform-gain-by-hand-leaky-formula",
        "init.kaiming_uniform",
        "(shared idea, new code) a rewrite computes He's gain by hand as sqrt(2 / (1 + a^2)), the leaky ReLU "
        "formula, whatever the nonlinearity: tanh, linear or sigmoid get sqrt(2) instead of their own gain "
        "(calculate_gain(nonlinearity, a))",
        (
            _KU,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    fan = fan_in if mode == 'fan_in' else fan_out\n"
            "    gain = math.sqrt(2.0 / (1.0 + a**2))\n"
            "    bound = math.sqrt(3.0) * gain / math.sqrt(fan)\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
        ),
        expect=("nonlinearity-ignored",),
        phrases=("nonlinearity", "calculate_gain"),
    ),
    # ---------------------------------------------------------------- init.kaiming_normal
    fresh(
        "hsaj-kaiming-normal-mode-compared-with-in",
        "init.kaiming_normal",
        "(shared idea, new code) a rewrite tests mode == 'in' (the short name) where the modes are 'fan_in' "
        "and 'fan_out': the test is never true, so every call scales by fan_out, the default mode='fan_in' "
        "included",
        (
            _KN,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    fan = fan_in if mode == 'in' else fan_out\n"
            "    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("mode-ignored", "hyperparameter-inverted"),
        phrases=("fan_in", "mode"),
    ),
    fresh(
        "hsaj-kaiming-normal-gain-unsquared-in-root",
        "init.kaiming_normal",
        "(shared idea, new code) a rewrite from the variance writes std = sqrt(gain / fan), taking the variance "
        "as gain / fan: the variance is gain^2 / fan, so the std is gain / sqrt(fan)",
        (
            _KN,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    fan = fan_in if mode == 'fan_in' else fan_out\n"
            "    std = math.sqrt(calculate_gain(nonlinearity, a) / fan)\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("gain-under-root", "root-scope"),
        phrases=("gain",),
    ),
    fresh(
        "hsaj-kaiming-normal-relu-gain-hard-coded",
        "init.kaiming_normal",
        "(shared idea, new code) a rewrite for 'He init is for ReLU' writes gain = calculate_gain('relu'): the "
        "nonlinearity and a arguments are ignored, so leaky_relu with a != 0, tanh or linear get sqrt(2)",
        (
            _KN,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    fan = fan_in if mode == 'fan_in' else fan_out\n"
            "    gain = calculate_gain('relu')\n"
            "    weight = gain / math.sqrt(fan) * rng.standard_normal(size=shape)\n",
        ),
        expect=("nonlinearity-ignored", "a-ignored"),
        phrases=("nonlinearity",),
    ),
    fresh(
        "hsaj-kaiming-normal-divides-by-fan-not-root",
        "init.kaiming_normal",
        "(shared idea, new code) a rewrite scales unit normal draws by gain / fan: the std is gain / sqrt(fan), "
        "so the weights are sqrt(fan) times too small",
        (
            _KN,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    fan = fan_in if mode == 'fan_in' else fan_out\n"
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    weight = rng.normal(0.0, 1.0, size=shape) * gain / fan\n",
        ),
        expect=("sqrt-missing",),
        phrases=("sqrt",),
    ),
    # ---------------------------------------------------------------- gradcheck.relative_error
    fresh(
        "hsaj-relerr-zip-loop-last-entry",
        "gradcheck.relative_error",
        "(shared idea, new code) a Python loop over zip(a.ravel(), b.ravel()) computes each entry's error but "
        "assigns worst = err instead of worst = max(worst, err): the function returns the last entry's error, not "
        "the largest",
        (
            _RELERR,
            "    a = np.asarray(a, dtype=np.float64)\n"
            "    b = np.asarray(b, dtype=np.float64)\n"
            "    worst = 0.0\n"
            "    for x, z in zip(a.ravel(), b.ravel(), strict=True):\n"
            "        err = abs(x - z) / max(1e-8, abs(x) + abs(z))\n"
            "        worst = err\n"
            "    return float(worst)\n",
        ),
        expect=("assigned-not-accumulated",),
        phrases=("largest", "max"),
    ),
    fresh(
        "hsaj-relerr-difference-of-magnitudes",
        "gradcheck.relative_error",
        "(shared idea, new code) a vectorised rewrite takes the numerator as np.abs(a) - np.abs(b) inside the "
        "abs, |(|a| - |b|)|: gradients of opposite sign (a = -b) then have error 0; the numerator is |a - b|",
        (
            _RELERR,
            "    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)\n"
            "    if a.size == 0:\n"
            "        return 0.0\n"
            "    num = np.abs(np.abs(a) - np.abs(b))\n"
            "    den = np.maximum(np.abs(a) + np.abs(b), 1e-8)\n"
            "    return float((num / den).max())\n",
        ),
        expect=("difference-of-magnitudes", "sign-lost"),
        phrases=("|a - b|", "sign"),
    ),
    fresh(
        "hsaj-relerr-mean-of-ratios",
        "gradcheck.relative_error",
        "(shared idea, new code) a rewrite reports np.mean of the entry-wise ratios: one wrong entry among many "
        "right ones is averaged away, where the check must report the largest entry-wise error",
        (
            _RELERR,
            "    a = np.asarray(a, dtype=np.float64)\n"
            "    b = np.asarray(b, dtype=np.float64)\n"
            "    if a.size == 0 and b.size == 0:\n"
            "        return 0.0\n"
            "    denominator = np.maximum(1e-8, np.abs(a) + np.abs(b))\n"
            "    return float(np.mean(np.abs(a - b) / denominator))\n",
        ),
        expect=("mean-not-max",),
        phrases=("largest", "max"),
    ),
    # ---------------------------------------------------------------- gradcheck.numerical_gradient
    fresh(
        "hsaj-numgrad-nditer-step-outside-brackets",
        "gradcheck.numerical_gradient",
        "(shared idea, new code) CS231n's eval_numerical_gradient with np.nditer(multi_index) writes the central "
        "difference as (fxph - fxmh) / 2 * h: without brackets this multiplies by h instead of dividing by 2h",
        (
            _NUMGRAD,
            "    it = np.nditer(x, flags=['multi_index'], op_flags=['readwrite'])\n"
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
        expect=("operator-precedence", "numgrad-divisor"),
        phrases=("2 * h", "2h"),
    ),
    fresh(
        "hsaj-numgrad-minus-probe-steps-back-to-x",
        "gradcheck.numerical_gradient",
        "(shared idea, new code) a rewrite moves the entry by += h, evaluates, then -= h for the second probe "
        "(meant -= 2 * h): the second probe is at x itself, so the result is a one-sided difference divided by "
        "2h, about half the gradient",
        (
            _NUMGRAD,
            "    for idx in np.ndindex(*x.shape):\n"
            "        saved = x[idx]\n"
            "        x[idx] += h\n"
            "        up = f(x)\n"
            "        x[idx] -= h\n"
            "        down = f(x)\n"
            "        x[idx] = saved\n"
            "        grad[idx] = (up - down) / (2.0 * h)\n",
        ),
        expect=("probe-at-x", "probe-wrong-point"),
        phrases=("x - h", "2 * h", "2h"),
    ),
    fresh(
        "hsaj-numgrad-range-len-rows",
        "gradcheck.numerical_gradient",
        "(shared idea, new code) a rewrite written for vectors loops for i in range(len(x)) and probes x[i]: for a "
        "matrix x[i] is a whole row, moved together, so every entry of a row gets the row's summed derivative; "
        "each entry must be probed alone (np.ndindex(x.shape))",
        (
            _NUMGRAD,
            "    for i in range(len(x)):\n"
            "        keep = x[i].copy()\n"
            "        x[i] = keep + h\n"
            "        f1 = f(x)\n"
            "        x[i] = keep - h\n"
            "        f2 = f(x)\n"
            "        x[i] = keep\n"
            "        grad[i] = (f1 - f2) / (2 * h)\n",
        ),
        expect=("perturbs-rows", "fixed-number-of-axes"),
        phrases=("entry", "each"),
    ),
    # ---------------------------------------------------------------- optimizers.AdamW
    fresh(
        "hsaj-adamw-step-decay-after-update",
        "optimizers.AdamW",
        "(shared idea, new code) an AdamW step() override in torch's names applies the decoupled decay, p *= 1 - lr "
        "* weight_decay, after the Adam update instead of before it: the decay then shrinks the freshly updated "
        "weights, not the weights the step started from",
        (
            _ADAMW_END,
            _adamw_step(
                "",
                _ADAMW_LOOP,
                _ADAMW_DENOM,
                "            p.data *= 1.0 - self.lr * self.weight_decay\n",
            ),
        ),
        expect=("adamw-decay-after-step", "order-changed"),
        phrases=("before",),
    ),
    fresh(
        "hsaj-adamw-step-counter-in-parameter-loop",
        "optimizers.AdamW",
        "(shared idea, new code) an AdamW step() override increments self.t inside the loop over the parameters: "
        "with several parameters t grows by their number per step, so every parameter after the first gets "
        "a wrong bias correction; t counts calls of step()",
        (
            _ADAMW_END,
            _adamw_step(
                _ADAMW_DECAY_FIRST,
                "        for p, state in zip(self.params, self.state, strict=True):\n            self.t += 1\n",
                _ADAMW_DENOM,
            ),
        ),
        expect=("t-counted-per-parameter", "step-count-per-parameter"),
        phrases=("step()", "per step", "once"),
    ),
    fresh(
        "hsaj-adamw-step-eps-inside-root",
        "optimizers.AdamW",
        "(shared idea, new code) an AdamW step() override writes the denominator as np.sqrt(v / bias_correction2 "
        "+ eps): eps goes outside the root, sqrt(v_hat) + eps, and inside it is far larger (1e-4 rather than "
        "1e-8)",
        (
            _ADAMW_END,
            _adamw_step(
                _ADAMW_DECAY_FIRST,
                _ADAMW_LOOP,
                "            denom = np.sqrt(exp_avg_sq / bias_correction2 + self.eps)\n",
            ),
        ),
        expect=("eps-inside-sqrt",),
        phrases=("eps",),
    ),
    fresh(
        "hsaj-adamw-decay-with-bias-corrected-lr",
        "optimizers.AdamW",
        "(shared idea, new code) _decay shrinks p by 1 - lr_t * weight_decay with lr_t = lr / (1 - beta1^t), "
        "the bias-corrected step size: the decoupled decay uses the plain lr, p *= 1 - lr * weight_decay",
        (
            _ADAMW_DECAY,
            "        lr_t = self.lr / (1.0 - self.betas[0] ** self.t)\n"
            "        p.data = p.data * (1.0 - lr_t * self.weight_decay)\n"
            "        return g\n",
        ),
        # added after reading output (tag-vocabulary audit): adamw-decay-with-step-size
        expect=("decay-uses-corrected-lr", "adamw-decay-with-step-size"),
        phrases=("lr * weight_decay",),
    ),
    # ---------------------------------------------------------------- optimizers.Adadelta
    fresh(
        "hsaj-adadelta-zeiler-lr-in-accumulated-update",
        "optimizers.Adadelta",
        "(shared idea, new code) Adadelta in Zeiler's names scales dx by lr before accumulating E[dx^2]: the "
        "accumulator holds the unscaled update, delta = sqrt(u + eps) / sqrt(v + eps) * g, and lr scales only "
        "the parameter step (visible with lr != 1)",
        (
            _ADADELTA,
            _adadelta(
                _ZEILER_V,
                "            dx = self.lr * np.sqrt(state['acc_delta'] + eps) / np.sqrt(state['square_avg'] + eps) "
                "* g\n",
                _ZEILER_U,
                "            p.data -= dx\n",
            ),
        ),
        expect=("adadelta-lr-in-accumulator", "adadelta-accumulates-scaled-step"),
        phrases=("lr",),
    ),
    fresh(
        "hsaj-adadelta-zeiler-rho-weights-swapped-in-grad-average",
        "optimizers.Adadelta",
        "(shared idea, new code) Adadelta in Zeiler's names averages the squared gradient as (1 - rho) * "
        "E[g^2] + rho * g^2: the weights are swapped, so with rho = 0.9 the average keeps 10 % of the past; "
        "E[dx^2] is averaged correctly",
        (
            _ADADELTA,
            _adadelta(
                "            state['square_avg'] = (1 - rho) * state['square_avg'] + rho * g**2\n",
                _ZEILER_DX,
                _ZEILER_U,
            ),
        ),
        expect=("rho-swapped", "average-arguments-swapped"),
        phrases=("rho",),
    ),
    fresh(
        "hsaj-adadelta-locals-never-stored",
        "optimizers.Adadelta",
        "(shared idea, new code) a rewrite reads Eg2 = state['square_avg'] and Edx2 = state['acc_delta'] into "
        "local names and rebinds them (Eg2 = rho * Eg2 + ...), never writing them back: the state stays at "
        "zero, so every step is Adadelta's first step",
        (
            _ADADELTA,
            "        rho, eps = self.rho, self.eps\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            "            Eg2, Edx2 = state['square_avg'], state['acc_delta']\n"
            "            Eg2 = rho * Eg2 + (1 - rho) * g * g\n"
            "            dx = np.sqrt(Edx2 + eps) / np.sqrt(Eg2 + eps) * g\n"
            "            Edx2 = rho * Edx2 + (1 - rho) * dx * dx\n"
            "            p.data -= self.lr * dx\n",
        ),
        # the last tag added after reading output
        expect=("state-not-saved", "state-not-updated", "state-reset"),
        phrases=("state",),
    ),
    fresh(
        "hsaj-adadelta-zeiler-eps-after-numerator-root",
        "optimizers.Adadelta",
        "(shared idea, new code) Adadelta in Zeiler's names writes RMS[dx] as np.sqrt(E[dx^2]) + eps: eps belongs "
        "under the root, sqrt(E[dx^2] + eps); outside it the first steps are sqrt(eps) / eps = 1000 times smaller",
        (
            _ADADELTA,
            _adadelta(
                _ZEILER_V,
                "            dx = (np.sqrt(state['acc_delta']) + eps) / np.sqrt(state['square_avg'] + eps) * g\n",
                _ZEILER_U,
            ),
        ),
        expect=("adadelta-eps-outside-sqrt", "eps-outside-sqrt"),
        phrases=("eps",),
    ),
    # ---------------------------------------------------------------- optimizers.Adagrad
    fresh(
        "hsaj-adagrad-cache-before-weight-decay",
        "optimizers.Adagrad",
        "(shared idea, new code) Adagrad in CS231n's cache style adds g^2 to the cache before adding "
        "weight_decay * p to g: the accumulator must sum the squares of the decayed gradient, the one the step "
        "uses",
        (
            _ADAGRAD,
            _adagrad(
                _ADAGRAD_LR,
                "            cache += g**2\n"
                "            if self.weight_decay != 0:\n"
                "                g = g + self.weight_decay * p.data\n"
                "            p.data -= lr_t * g / (np.sqrt(cache) + self.eps)\n",
            ),
        ),
        # the last tag added after reading output
        expect=("weight-decay-not-accumulated", "order-changed", "squares-without-decay"),
        phrases=("weight_decay",),
    ),
    fresh(
        "hsaj-adagrad-decay-bracket-closed-early",
        "optimizers.Adagrad",
        "(shared idea, new code) Adagrad in CS231n's cache style writes the decayed rate as lr / (1 + (t - 1)) * "
        "lr_decay: the bracket closes before lr_decay, so the rate is lr * lr_decay / t, and 0 with the default "
        "lr_decay = 0 (no step at all)",
        (
            _ADAGRAD,
            _adagrad("        lr_t = self.lr / (1.0 + (self.t - 1)) * self.lr_decay\n", _ADAGRAD_BODY),
        ),
        expect=("lr-decay-precedence", "operator-precedence"),
        phrases=("lr_decay",),
    ),
    fresh(
        "hsaj-adagrad-count-from-zero",
        "optimizers.Adagrad",
        "(shared idea, new code) Adagrad in CS231n's cache style increments t first and then decays the rate "
        "by lr / (1 + t * lr_decay): the first step is already decayed; PyTorch's rate is lr / (1 + (t - 1) * "
        "lr_decay), lr itself at the first step",
        (
            _ADAGRAD,
            _adagrad("        lr_t = self.lr / (1.0 + self.t * self.lr_decay)\n", _ADAGRAD_BODY),
        ),
        expect=("lr-decay-off-by-one", "step-count-off-by-one"),
        phrases=("t - 1", "first step"),
    ),
    # ---------------------------------------------------------------- optimizers.SGD
    fresh(
        "hsaj-sgd-torch-port-buffer-is-the-gradient",
        "optimizers.SGD",
        "(shared idea, new code) a port of torch.optim.SGD starts the buffer as buf = d_p (torch clones it) and "
        "then updates it in place (buf *= momentum; buf += (1 - dampening) * d_p): without weight decay d_p is "
        "p.grad itself, so the first step stores p.grad as the velocity and later steps write into the gradient",
        (
            _SGD,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            d_p = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                d_p = d_p + self.weight_decay * p.data\n"
            "            if self.momentum != 0:\n"
            "                buf = state['momentum_buffer']\n"
            "                if buf is None:\n"
            "                    buf = d_p\n"
            "                    state['momentum_buffer'] = buf\n"
            "                else:\n"
            "                    buf *= self.momentum\n"
            "                    buf += (1.0 - self.dampening) * d_p\n"
            "                if self.nesterov:\n"
            "                    d_p = d_p + self.momentum * buf\n"
            "                else:\n"
            "                    d_p = buf\n"
            "            p.data -= self.lr * d_p\n",
        ),
        # added after reading output (tag-vocabulary audit): velocity-is-gradient
        expect=("aliasing", "modifies-grad", "velocity-is-gradient"),
        phrases=("copy",),
    ),
    fresh(
        "hsaj-sgd-dampening-as-gradient-weight",
        "optimizers.SGD",
        "(shared idea, new code) a rewrite weights the new gradient by dampening instead of 1 - dampening, v = "
        "momentum * v + dampening * g: with the default dampening = 0 momentum never adds a gradient after the "
        "first step",
        (
            _SGD,
            "        for i, p in enumerate(self.params):\n"
            "            grad = _grad(p)\n"
            "            if self.weight_decay:\n"
            "                grad = grad + self.weight_decay * p.data\n"
            "            if self.momentum:\n"
            "                v = self.state[i]['momentum_buffer']\n"
            "                v = grad.copy() if v is None else self.momentum * v + self.dampening * grad\n"
            "                self.state[i]['momentum_buffer'] = v\n"
            "                grad = grad + self.momentum * v if self.nesterov else v\n"
            "            p.data = p.data - self.lr * grad\n",
        ),
        expect=("dampening-inverted",),
        phrases=("1 - dampening",),
    ),
    # ---------------------------------------------------------------- optimizers.RMSprop
    fresh(
        "hsaj-rmsprop-centered-variance-from-old-mean",
        "optimizers.RMSprop",
        "(shared idea, new code) a rewrite of centred RMSprop computes the variance v - m^2 before updating the "
        "gradient average m: the new m must be used, m <- alpha m + (1 - alpha) g first, then sqrt(v - m^2)",
        (
            _RMSPROP,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            "            v = self.alpha * state['square_avg'] + (1.0 - self.alpha) * g**2\n"
            "            state['square_avg'] = v\n"
            "            if self.centered:\n"
            "                v = np.maximum(v - state['grad_avg'] ** 2, 0.0)\n"
            "                state['grad_avg'] = self.alpha * state['grad_avg'] + (1.0 - self.alpha) * g\n"
            "            denom = np.sqrt(v) + self.eps\n"
            "            if self.momentum > 0:\n"
            "                buf = self.momentum * state['momentum_buffer'] + g / denom\n"
            "                state['momentum_buffer'] = buf\n"
            "                p.data -= self.lr * buf\n"
            "            else:\n"
            "                p.data -= self.lr * g / denom\n",
        ),
        expect=("centered-old-mean", "order-changed"),
        phrases=("grad_avg",),
    ),
    # ---------------------------------------------------------------- optimizers.Adam
    fresh(
        "hsaj-adam-m-hat-first-moment-not-stored",
        "optimizers.Adam",
        "(shared idea, new code) Adam in m_hat / v_hat notation computes m = beta1 * exp_avg + (1 - beta1) * g "
        "and v likewise but stores only v back into the state: exp_avg stays zero, so every step's m is (1 - "
        "beta1) g, momentum is lost",
        (
            _ADAM,
            "        self.t += 1\n"
            "        beta1, beta2 = self.betas\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = self._decay(p, g)\n"
            "            m = beta1 * state['exp_avg'] + (1.0 - beta1) * g\n"
            "            v = beta2 * state['exp_avg_sq'] + (1.0 - beta2) * g**2\n"
            "            state['exp_avg_sq'] = v\n"
            "            if self.amsgrad:\n"
            "                v = state['max_exp_avg_sq'] = np.maximum(state['max_exp_avg_sq'], v)\n"
            "            m_hat = m / (1.0 - beta1**self.t)\n"
            "            v_hat = v / (1.0 - beta2**self.t)\n"
            "            p.data -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)\n",
        ),
        # the last tag added after reading output
        expect=("state-not-saved", "momentum-ignored", "state-reset"),
        phrases=("exp_avg",),
    ),
    # ---------------------------------------------------------------- training.minibatches
    fresh(
        "hsaj-minibatches-two-permutations",
        "training.minibatches",
        "(shared idea, new code) a rewrite shuffles with X = X[rng.permutation(len(X))] and y = "
        "y[rng.permutation(len(y))]: two draws give two different orders, so inputs and targets are no longer "
        "paired; one permutation must index both",
        (
            _MINIBATCHES,
            "    if shuffle:\n"
            "        X = X[rng.permutation(len(X))]\n"
            "        y = y[rng.permutation(len(y))]\n"
            "    step = len(X) if batch_size is None else batch_size\n"
            "    i = 0\n"
            "    while i < len(X):\n"
            "        batches.append((X[i : i + step], y[i : i + step]))\n"
            "        i += step\n",
        ),
        expect=("unpaired-shuffle",),
        phrases=("same permutation", "pair"),
    ),
    fresh(
        "hsaj-minibatches-global-numpy-permutation",
        "training.minibatches",
        "(shared idea, new code) a rewrite with an index array shuffles it with np.random.permutation, numpy's "
        "global generator: the rng argument (and manual_seed) is ignored, so the order is not reproducible",
        (
            _MINIBATCHES,
            "    indices = np.arange(len(X))\n"
            "    if shuffle:\n"
            "        indices = np.random.permutation(indices)\n"
            "    size = batch_size or len(X)\n"
            "    for start in range(0, len(X), size):\n"
            "        chosen = indices[start : start + size]\n"
            "        batches.append((X[chosen], y[chosen]))\n",
        ),
        expect=("rng-ignored",),
        phrases=("rng",),
    ),
    # ---------------------------------------------------------------- training.fit
    fresh(
        "hsaj-fit-mean-of-batch-losses",
        "training.fit",
        "(shared idea, new code) a rewrite keeps a list of batch losses per epoch and appends np.mean(losses): "
        "every batch counts the same, so a short last batch weighs as much as a full one; the epoch's loss is "
        "weighted by batch size",
        (
            _FIT,
            "    for _epoch in range(epochs):\n"
            "        losses = []\n"
            "        for xb, yb in minibatches(X, y, batch_size=batch_size, shuffle=shuffle, rng=rng):\n"
            "            optimizer.zero_grad()\n"
            "            loss = loss_fn.forward(model.forward(xb), yb)\n"
            "            model.backward(loss_fn.backward())\n"
            "            optimizer.step()\n"
            "            losses.append(float(loss))\n"
            "        history.append(float(np.mean(losses)))\n",
        ),
        expect=("unweighted-mean", "batch-size-weight"),
        phrases=("weighted", "batch size"),
    ),
    fresh(
        "hsaj-fit-batches-made-once-before-epochs",
        "training.fit",
        "(shared idea, new code) a rewrite calls minibatches once, above the epoch loop, and loops over the "
        "result every epoch: it is an iterator, used up by the first epoch, so later epochs train on nothing "
        "and record a loss of 0",
        (
            _FIT,
            "    batches = minibatches(X, y, batch_size, shuffle, rng)\n"
            "    for _ in range(epochs):\n"
            "        running = 0.0\n"
            "        for inputs, targets in batches:\n"
            "            optimizer.zero_grad()\n"
            "            predictions = model.forward(inputs)\n"
            "            loss = loss_fn.forward(predictions, targets)\n"
            "            model.backward(loss_fn.backward())\n"
            "            optimizer.step()\n"
            "            running += float(loss) * len(inputs)\n"
            "        history.append(running / len(X))\n",
        ),
        expect=("iterator-exhausted",),
        phrases=("every epoch", "each epoch"),
    ),
    # ---------------------------------------------------------------- models.Sequential
    fresh(
        "hsaj-sequential-backward-reversed-copy-range-short",
        "models.Sequential",
        "(shared idea, new code) backward reverses the list, backwards = self.layers[::-1], and loops for k in "
        "range(len(backwards) - 1): the last entry of the reversed list, the first layer, never runs its "
        "backward (its parameters get no gradient and dL/dx is not returned)",
        (
            _SEQ_BACKWARD,
            "        backwards = self.layers[::-1]\n"
            "        for k in range(len(backwards) - 1):\n"
            "            grad_y = backwards[k].backward(grad_y)\n",
        ),
        expect=("backward-skips-layer", "loop-off-by-one"),
        phrases=("first layer",),
    ),
    fresh(
        "hsaj-sequential-parameters-append-per-layer",
        "models.Sequential",
        "(shared idea, new code) parameters() skips layers without parameters and appends each other layer's "
        "parameters() list: the result is a list of lists ([W, b] per Linear), where the optimizer needs one "
        "flat list of Parameters (extend)",
        (
            _SEQ_PARAMETERS,
            "        params = []\n"
            "        for layer in self.layers:\n"
            "            own = layer.parameters()\n"
            "            if own:\n"
            "                params.append(own)\n"
            "        return params\n",
        ),
        expect=("parameters-nested", "list-extend-not-append"),
        phrases=("flat", "extend"),
    ),
    fresh(
        "hsaj-sequential-eval-container-flag-left",
        "models.Sequential",
        "(shared idea, new code) eval() calls self.layers[i].eval() for every index but never sets the "
        "container's own training flag to False: model.training still reads True after model.eval()",
        (
            _SEQ_EVAL,
            "        for i in range(len(self.layers)):\n            self.layers[i].eval()\n",
        ),
        expect=("train-eval",),
        phrases=("self.training",),
    ),
    # ---------------------------------------------------------------- models.Perceptron
    fresh(
        "hsaj-perceptron-update-fires-at-zero",
        "models.Perceptron",
        "(shared idea, new code) update predicts with float(np.dot(w, x) + b >= 0): a score of exactly 0 "
        "predicts class 1, where the step is 1 only for a positive score (so the zero-initialised perceptron's "
        "first sample of class 0 is a mistake)",
        (
            _PERCEPTRON_UPDATE,
            "        yhat = float(np.dot(self.weight, x) + self.bias >= 0)\n"
            "        error = float(target) - yhat\n"
            "        if error:\n"
            "            self.weight = self.weight + self.lr * error * x\n"
            "            self.bias += self.lr * error\n",
        ),
        expect=("step-at-zero",),
        phrases=("> 0", "exactly 0"),
    ),
    fresh(
        "hsaj-perceptron-fit-converged-flag-before-epochs",
        "models.Perceptron",
        "(shared idea, new code) fit sets converged = True once, before the epoch loop, and clears it on each "
        "mistake: a clean epoch after any mistake is never seen, so fit runs all max_epochs and returns False "
        "unless the very first epoch is clean",
        (
            _PERCEPTRON_FIT,
            "        converged = True\n"
            "        for _epoch in range(max_epochs):\n"
            "            for i in range(len(X)):\n"
            "                if self.update(X[i], y[i]) != 0:\n"
            "                    converged = False\n"
            "            if converged:\n"
            "                return True\n",
        ),
        expect=("mistakes-not-reset", "counter-not-reset"),
        phrases=("each epoch", "every epoch", "reset"),
    ),
    # ---------------------------------------------------------------- early_stopping.fit_early_stopping
    fresh(
        "hsaj-early-stopping-keras-wait-strictly-greater",
        "early_stopping.fit_early_stopping",
        "(shared idea, new code) a Keras-style loop (wait, best, best_weights) stops when wait > patience: that "
        "is patience + 1 epochs without improvement; training stops after patience of them (wait >= patience)",
        (
            _EARLY,
            _early(
                _EARLY_TEST,
                _EARLY_IMPROVE,
                _EARLY_WAIT.replace("wait >= patience", "wait > patience"),
            ),
        ),
        expect=("patience-off-by-one",),
        phrases=("patience",),
    ),
    fresh(
        "hsaj-early-stopping-keras-best-epoch-from-list-index",
        "early_stopping.fit_early_stopping",
        "(shared idea, new code) a Keras-style loop records history.best_epoch = len(history.val_losses) - 1, the "
        "improving loss's list index: best_epoch counts epochs from 1, so it is one too small",
        (
            _EARLY,
            _early(
                _EARLY_TEST,
                _EARLY_IMPROVE.replace(
                    "history.best_epoch = epoch", "history.best_epoch = len(history.val_losses) - 1"
                ),
                _EARLY_WAIT,
            ),
        ),
        expect=("best-epoch-off-by-one",),
        phrases=("from 1",),
    ),
    fresh(
        "hsaj-early-stopping-keras-weights-saved-every-epoch",
        "early_stopping.fit_early_stopping",
        "(shared idea, new code) a Keras-style loop takes best_weights = copy_state(model) after every epoch, "
        "above the improvement test, instead of only in an improving epoch: the weights restored at the end are "
        "the last epoch's, not the best's",
        (
            _EARLY,
            _early(
                "        if restore_best:\n            best_weights = copy_state(model)\n" + _EARLY_TEST,
                "            best = current\n            history.best_epoch = epoch\n            wait = 0\n",
                _EARLY_WAIT,
            ),
        ),
        expect=("restores-last", "restores-every-epoch"),
        phrases=("best",),
    ),
]
