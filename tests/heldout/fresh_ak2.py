"""Held-apart set AK, second half: student bugs in optimizers, init, training, models, gradcheck and early
stopping, written blind by a helper session, aimed at realism (the mistakes real students make, in their own code).

Written blind by a helper session under a short deadline (about 50 minutes), at the same time as the other half
(activations, layers and losses), whose file this author did not read. Read: reference/optimizers.py, init.py,
training.py, models.py, gradcheck.py, early_stopping.py and base.py's Parameter, Module and Optimizer (and the
constructors of Linear, Dropout, Tanh and MSELoss, to build test networks), tests/heldout/_edits.py, the docstring of
fresh_aj2.py up to its "Blind rate" paragraph and its helpers and first three bugs (for the format; the _solution
helper and the idea of an AdamW step() added after _decay are copied from there), the ids, components, descriptions,
``expect`` and ``phrases`` of the catalogue and of every held-apart module (dumped per component to a scratch file:
the tag counts per component were read for all, the descriptions grepped for the chosen mechanisms and tags), the
Mutant class and apply() of nnlab.graders.mutants, OBSERVATIONS in graders/results.py, and of
tests/test_feedback_generalisation.py only SETS, FAMILIES, EVERY and ``_changes`` (the short UNMENDED, UNCAUGHT and
UNCOVERED tables between them were printed with them). Not read: docs/api.md (the
reference docstrings were the specification), fresh_aj.py (only fresh_aj2.py was opened), the diagnosis and grading
code (graders/judging, graders/reporting, graders/running, graders/selfcheck, graders/runner.py), tests/evidence.py,
tests/feedback_audit.py, the mistake, crash, diagnosis and feedback tests, benchmarks/, the other half's file, and any
grader output. None of these bugs was graded.

About 60 ideas were considered, 56 written (58 versions), 48 kept. Dropped: a reversed() iterator kept in
Sequential.__init__ and used up by the first backward (a textual copy of an earlier bug); three written and working
but cut to stay within the brief's count, choosing the most covered misconceptions (the relative error as the largest
difference over the largest magnitude, kaiming_normal's mode test inverted, SGD's velocity started at zeros so the
first step is dampened). Rewritten after the copy check (``_changes``) found them equal to earlier bugs: xavier_normal's
variance as scale (now var * rng.standard_normal(shape)); AdamW's _decay returning super()._decay (twice a copy,
replaced by an AdamW step() without AMSGrad); Sequential.backward skipping the first layer (reversed(layers[1:]), then
layers[-1:0:-1], both copies) and a backward that reverses self.layers in place (a copy), replaced by a backward that
feeds every layer the upstream gradient; predict with np.heaviside(scores, 1.0) (a copy), replaced by (np.sign + 1) /
2. Not written: Adagrad's eps under the root and RMSprop's CS231n v = mu v - lr g forms (equal to the reference at
ordinary scales or while lr is constant), a lazy minibatches generator (no tag names laziness, and results only differ
when two calls are interleaved), a Keras state saved as references to p.data (restoring it also loses BatchNorm's
buffers, a second deviation).

Rewrites: all 48 replace a whole solution block (a function or method body) in a student's own style with exactly one
slip, or add a whole AdamW step() override after _decay: fans from numel with //, a 2-D/else split, a power of the
first kernel side; Xavier from rng.random, from the variance, from Keras's fan_avg, with standard_normal, with a
floor-divided mean fan, with Keras's truncation; Kaiming from He-uniform's sqrt(6 / fan), with a dict by mode, with
an if a: test, from sqrt(gain / fan), with rng.normal(std), from the paper's 2 / ((1 + a^2) fan); the relative error
as Ng's norm ratio and as a zip loop; numerical gradients as CS231n's nditer loop, with += h / -= h probes and on
copies; SGD as a torch.optim port twice; Adagrad in CS231n's cache style three times; RMSprop with local v, m, buf
three times; Adadelta in Zeiler's notation three times; Adam in m_hat / v_hat notation twice (AdamW inherits Adam's
step(), so these two change AdamW as well, as any student's Adam would); three AdamW step() overrides in the paper's
Algorithm 2 order; minibatches as CS231n's batch count and with np.array_split; fit with a weighted total and a seen
count twice; Sequential's forward and backward; Perceptron's predict, update (np.dot) and fit; early stopping in
Keras's names three times. The short ones (four lines or fewer) are the three fans and Sequential's forward and
backward.

Sharing, honestly: all 48 share an earlier bug's misconception (in new code), so every description starts "(shared
idea, new code)"; the ``expect`` tags were chosen from the misconception and checked against the tags of earlier bugs
of the same component. Found among earlier bugs of the same component (by grep of the dump's descriptions): every
misconception here, several in close mechanisms: fans from the total divided by the wrong axis, the (in, out) reading
of a weight, square kernels, the half-width (r - 0.5) uniform, the fan average (floor-divided and bracketed), the
truncated normal, He-uniform with the gain, a = 0 as unset, loc for scale, the paper's leaky formula, Ng's norm ratio
(an earlier id has the same name with another prefix), the abs of the sum, nditer loops, += h / -= h probes, probes on
copies, Adagrad's lazy zeros and per-parameter count, AMSGrad over the corrected v, AdamW's decay after the step and
without lr, np.array_split, zero_grad per epoch, rng not passed, the unchained forward and backward, the sign mapped
to 0/1, signed errors that cancel, Keras's restore-only-on-stop and 0-based epochs. Mechanisms not found by grep
(not exhaustive): alpha read as pandas' ewm smoothing factor, TensorFlow's sqrt(v + eps) in RMSprop, Keras's
np.less(current - min_delta, best) without its sign flip, np.array_split given the batch size itself, a Keras-order
2-D unpack only for dense weights, AdamW's decay without lr from the paper's Algorithm 2 line (eta = 1), and the
AdamW override that drops AMSGrad because the paper has none.

Classes covered: shapes and axes (fans swapped by division and by unpacking, a square-kernel receptive field, the
unpacked fans of Kaiming), formulas and constants (half-width uniform, gain under the root twice, fan_avg not halved,
He's 6 with the gain, the paper's leaky formula, a norm for an entry-wise ratio, the abs of a sum), numpy conventions
(a variance as a scale factor, rng.normal's first argument, np.array_split's int, floor division), ported conventions
(Keras's dense layout, truncated normal, min_delta sign, restore-on-stop, 0-based epochs; TensorFlow's eps; pandas'
alpha; Zeiler's minus sign and missing lr; Loshchilov and Hutter's lambda without lr and without AMSGrad; CS231n's
batch count), hyper-parameters ignored (nonlinearity for a = 0, initial_accumulator_value, Adadelta's lr, the bias's
lr, the rng given to fit, AMSGrad), state between calls and aliasing (p.grad written by += in SGD, Adam's stored
moment corrected in place, x not restored, probes on copies), step counting (Adagrad's t and t per parameter), order
(decay after momentum, AdamW's decay after the step, momentum before scaling, AMSGrad on the corrected v), the minus
probe back at x, loop structure (an assignment one indent short, a result not fed on, zero_grad per epoch, the last
batch dropped), the step at 0 and signed errors.
Components: fan_in_and_fan_out 3, xavier_uniform 3, xavier_normal 3, kaiming_uniform 3, kaiming_normal 3;
relative_error 2, numerical_gradient 3; SGD 2, Adagrad 3, RMSprop 3, Adadelta 3, Adam 2, AdamW 3; minibatches 2,
fit 2; Sequential 2, Perceptron 3; fit_early_stopping 3.

Checks: every edit applies (``nnlab.graders.mutants.apply`` into a fresh folder made a package) and its modules import;
every ``old`` occurs once in its reference module; ids are new and unique; every ``expect`` tag is in the existing
vocabulary and none is only an observation; no textual copy (``_changes`` against the catalogue and every earlier
held-apart module); ruff check and ruff format --check. A script in /tmp ran, for each bug, the reference, the bug and
the bug with its slip undone (a text replacement in ``new``, or the moved line put back) and compared every result
(np.allclose with rtol 1e-9, shapes, dtypes and Python types equal): fans of (5, 3), (3, 4), (4, 3, 3, 2), (2, 6, 3),
(64, 32), (3, 2, 2, 2, 2), (7, 7), (8, 4, 3, 5) and (6, 2, 3); Xavier on those with gain 1, 5/3 and sqrt(2); Kaiming
with (a, mode, nonlinearity) = (0, fan_in, leaky_relu), (sqrt(5), fan_in, leaky_relu), (0.2, fan_out, leaky_relu),
(0, fan_in, relu), (0, fan_out, tanh), (0, fan_in, linear), (0, fan_in, selu), each from a fresh seeded generator;
numerical gradients of a sine-weighted cubic plus a product on (3,), (2, 3), (2, 2, 2), (4, 3) and a transposed view,
and of a CS231n-style closure that ignores its argument, with the arrays compared afterwards; relative errors of
close arrays, opposite arrays, zeros, +-1e-10, empty arrays, a 1 % change, one wrong small entry among large ones, a
sign flip and one wrong entry of a matrix; six steps of every optimizer (26 settings: SGD plain, momentum, dampening,
Nesterov with and without weight decay, weight decay, momentum with weight decay; Adagrad plain, lr_decay, weight
decay, initial accumulator; RMSprop plain, centred, momentum, all three with weight decay; Adadelta default, lr 0.5,
rho 0.5 with weight decay; Adam plain, amsgrad, weight decay, betas (0.5, 0.9); AdamW default, amsgrad with weight
decay 0.3, weight decay 0, lr 0.1 with betas (0.5, 0.9)) on parameters (3, 4) and (5,) with alternating shrinking
gradients at scales 1 and 1e-3 added after zero_grad, the last step without new gradients, parameters and gradients
after every step; minibatches of 7 samples with batch sizes None, 1, 2, 3, 7, 10, shuffled and not, X compared
afterwards, and once from the seeded default generator; fit (SGD momentum 0.9, MSE, three epochs) of
Linear-Tanh-Linear with batch sizes None, 3, 2, 1, shuffled and not, with and without an rng, history and weights;
Sequential (with and without Dropout) forward, backward twice, parameter gradients, caller arrays, the parameter
count, training flags after eval() and train(), and a one-layer network; the Perceptron with lr 1, 0.1 and 0.5,
max_epochs 1, 2, 3, 100 on a separable set, an AND-like set and XOR, its weights, bias and type, predictions, and a
zero-score prediction; early stopping with eight (patience, lr, min_delta, restore_best, max_epochs, Dropout, shuffle)
settings on two validation sets, batches of 4, histories, best and stopped epochs, final weights and mode. Every
undone slip matched the reference on every configuration; every bug changed a result on some. Some need the
configuration their mistake is about: a non-square weight (fans swapped), a non-square kernel, gain != 1 (gain inside
the root), an odd fan_in + fan_out (the floor-divided mean), a nonlinearity other than the leaky ReLU family, a
closure that ignores its argument (probes on copies), opposite signs (abs of the sum), weight decay with momentum or a
second step without zero_grad (SGD), lr_decay (Adagrad's counts), initial_accumulator_value != 0, momentum (RMSprop's
buffer), lr != 1 (Adadelta's lr), amsgrad (Adam's maximum, AdamW's override), a batch size that does not divide N,
an rng with shuffle (fit), lr != 1 (the bias), a zero score, min_delta > 0 with a small rise, and a run that reaches
max_epochs after an earlier best. The ``expect`` tags and ``phrases`` were chosen from the misconception alone,
before anything was graded, from the existing vocabulary. Ids start with ``hsak-``.

Blind rate (graded in the sandbox, isolated, before anybody read the feedback; set AJ had been taught):
42/48 named (88 %), 48 caught, none flagged with another bug class's tag. Unnamed: xavier_uniform drawn as
(u - 1/2) * limit (its std read as half the rule's, with an operator-precedence guess that the sentence calls a
guess), kaiming_uniform taking a = 0 as ReLU's and the He paper's leaky formula in kaiming_normal (nonlinearity
ignored: the std's factor was not read), and three whose right diagnosis came under a tag no mutant expected yet:
AMSGrad's maximum of the corrected v (amsgrad-max-of-corrected), Adam's m corrected in place
(corrected-moment-stored), and an AdamW step without AMSGrad (amsgrad-ignored+state-reset, a joint tag of two
mistakes the case cannot tell apart). That gap in the measure (a claim under a tag outside the vocabulary counts
neither as naming nor as misleading) was closed after this grading; the rates here are by the rule of the time.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant, reference_folder

from ._edits import held_apart_bug

fresh = partial(held_apart_bug, "hsak-")  # set AK


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
_SEQ_BACKWARD = _solution("models", "class Sequential(", "def backward(self")
_PERCEPTRON_PREDICT = _solution("models", "class Perceptron", "def predict(self")
_PERCEPTRON_UPDATE = _solution("models", "class Perceptron", "def update(self")
_PERCEPTRON_FIT = _solution("models", "class Perceptron", "def fit(self")
_EARLY = _solution("early_stopping", "def fit_early_stopping(")


def _sgd(decay_first: str, decay_last: str = "", first: str = "                    buf = g.copy()\n") -> str:
    """SGD in torch.optim's names (d_p, buf) with the weight decay where the arguments put it."""
    return (
        "        for p, state in zip(self.params, self.state, strict=True):\n"
        "            g = _grad(p)\n" + decay_first + "            if self.momentum != 0:\n"
        "                buf = state['momentum_buffer']\n"
        "                if buf is None:\n" + first + "                else:\n"
        "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n"
        "                state['momentum_buffer'] = buf\n"
        "                if self.nesterov:\n"
        "                    g = g + self.momentum * buf\n"
        "                else:\n"
        "                    g = buf\n" + decay_last + "            p.data -= self.lr * g\n"
    )


_SGD_DECAY = "            if self.weight_decay != 0:\n                g = g + self.weight_decay * p.data\n"


def _adagrad(count: str, lr_line: str, init: str = "") -> str:
    """Adagrad in CS231n's cache style (the accumulator updated in place), with the given step counting."""
    return (
        count + "        for p, state in zip(self.params, self.state, strict=True):\n"
        "            g = _grad(p)\n"
        "            if self.weight_decay != 0:\n"
        "                g = g + self.weight_decay * p.data\n" + init + "            cache = state['sum']\n"
        "            cache += g * g\n" + lr_line + "            p.data -= lr_t * g / (np.sqrt(cache) + self.eps)\n"
    )


_ADAGRAD_LR = "            lr_t = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n"


def _rmsprop(square: str, denoms: tuple[str, str], move: str) -> str:
    """RMSprop with local names v, m and buf, written back into the state."""
    return (
        "        for p, state in zip(self.params, self.state, strict=True):\n"
        "            g = _grad(p)\n"
        "            if self.weight_decay != 0:\n"
        "                g = g + self.weight_decay * p.data\n" + square + "            state['square_avg'] = v\n"
        "            if self.centered:\n"
        "                m = self.alpha * state['grad_avg'] + (1 - self.alpha) * g\n"
        "                state['grad_avg'] = m\n" + denoms[0] + "            else:\n" + denoms[1] + move
    )


_RMS_SQUARE = "            v = self.alpha * state['square_avg'] + (1 - self.alpha) * g**2\n"
_RMS_DENOMS = (
    "                denom = np.sqrt(np.maximum(v - m**2, 0.0)) + self.eps\n",
    "                denom = np.sqrt(v) + self.eps\n",
)
_RMS_MOVE = (
    "            if self.momentum > 0:\n"
    "                buf = self.momentum * state['momentum_buffer'] + g / denom\n"
    "                state['momentum_buffer'] = buf\n"
    "                p.data -= self.lr * buf\n"
    "            else:\n"
    "                p.data -= self.lr * g / denom\n"
)


def _zeiler(delta: str, move: str) -> str:
    """Adadelta in Zeiler's (2012) notation: E[g^2] and E[dx^2] as locals, written back into the state."""
    return (
        "        rho, eps = self.rho, self.eps\n"
        "        for p, state in zip(self.params, self.state, strict=True):\n"
        "            g = _grad(p)\n"
        "            if self.weight_decay != 0:\n"
        "                g = g + self.weight_decay * p.data\n"
        "            Eg2 = rho * state['square_avg'] + (1 - rho) * g**2\n" + delta + ""
        "            Edx2 = rho * state['acc_delta'] + (1 - rho) * dx**2\n"
        "            state['square_avg'], state['acc_delta'] = Eg2, Edx2\n" + move
    )


def _adam(corrected: str) -> str:
    """Adam in CS231n's m_hat / v_hat notation with the given bias correction and amsgrad lines."""
    return (
        "        beta1, beta2 = self.betas\n"
        "        self.t += 1\n"
        "        for p, state in zip(self.params, self.state, strict=True):\n"
        "            g = _grad(p)\n"
        "            if self.weight_decay != 0:\n"
        "                g = self._decay(p, g)\n"
        "            m = beta1 * state['exp_avg'] + (1 - beta1) * g\n"
        "            v = beta2 * state['exp_avg_sq'] + (1 - beta2) * g**2\n"
        "            state['exp_avg'], state['exp_avg_sq'] = m, v\n" + corrected + ""
        "            p.data -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)\n"
    )


def _adamw_step(before: str, move: str) -> str:
    """An AdamW step() override after _decay, in the paper's Algorithm 2 order (m_hat, v_hat)."""
    return (
        _ADAMW_END + "\n"
        "    def step(self) -> None:\n"
        "        beta1, beta2 = self.betas\n"
        "        self.t += 1\n"
        "        for p, state in zip(self.params, self.state, strict=True):\n"
        "            g = _grad(p)\n" + before + ""
        "            state['exp_avg'] = beta1 * state['exp_avg'] + (1 - beta1) * g\n"
        "            state['exp_avg_sq'] = beta2 * state['exp_avg_sq'] + (1 - beta2) * g * g\n"
        "            v = state['exp_avg_sq']\n"
        "            if self.amsgrad:\n"
        "                state['max_exp_avg_sq'] = np.maximum(state['max_exp_avg_sq'], v)\n"
        "                v = state['max_exp_avg_sq']\n"
        "            m_hat = state['exp_avg'] / (1 - beta1**self.t)\n"
        "            v_hat = v / (1 - beta2**self.t)\n" + move
    )


_ADAMW_MOVE = "            p.data -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)\n"


def _fit(zero_first: str, zero_inner: str, batches: str) -> str:
    """fit with a weighted running total and a count of the samples seen."""
    return (
        "    for epoch in range(epochs):\n" + zero_first + "        epoch_loss, seen = 0.0, 0\n"
        "        for X_batch, y_batch in " + batches + ":\n" + zero_inner + ""
        "            y_pred = model.forward(X_batch)\n"
        "            loss = loss_fn.forward(y_pred, y_batch)\n"
        "            model.backward(loss_fn.backward())\n"
        "            optimizer.step()\n"
        "            epoch_loss += float(loss) * len(X_batch)\n"
        "            seen += len(X_batch)\n"
        "        history.append(epoch_loss / seen)\n"
    )


_FIT_BATCHES = "minibatches(X, y, batch_size=batch_size, shuffle=shuffle, rng=rng)"
_FIT_ZERO = "            optimizer.zero_grad()\n"


def _keras(epochs: str, test: str, wait: str, restore: str) -> str:
    """Early stopping in Keras's EarlyStopping names (wait, best, best_weights)."""
    return (
        "    best = np.inf\n"
        "    best_weights = None\n"
        "    wait = 0\n" + epochs + ""
        "        train_loss = fit(model, loss_fn, optimizer, X, y, epochs=1, batch_size=batch_size, shuffle=shuffle, "
        "rng=rng)[0]\n"
        "        current = evaluate_loss(model, loss_fn, X_val, y_val)\n"
        "        history.train_losses.append(train_loss)\n"
        "        history.val_losses.append(current)\n" + test + ""
        "            best = current\n"
        "            history.best_epoch = epoch\n"
        "            wait = 0\n"
        "            if restore_best:\n"
        "                best_weights = copy_state(model)\n"
        "        else:\n"
        "            wait += 1\n"
        "            if wait >= patience:\n"
        "                history.stopped_epoch = epoch\n" + wait + restore
    )


_KERAS_EPOCHS = "    for epoch in range(1, max_epochs + 1):\n"
_KERAS_TEST = "        if current + min_delta < best:\n"
_KERAS_WAIT = "                break\n"
_KERAS_RESTORE = "    if restore_best and best_weights is not None:\n        load_state(model, best_weights)\n"

FRESH_AK2: list[Mutant] = [
    # ---------------------------------------------------------------- init.fan_in_and_fan_out
    fresh(
        "hsak-fans-numel-divided-by-the-wrong-side",
        "init.fan_in_and_fan_out",
        "(shared idea, new code) a rewrite counts the weights, numel = math.prod(shape), and divides a side out: "
        "fan_in = numel // shape[1] and fan_out = numel // shape[0], the wrong way round (numel / out is what each "
        "output sees, the fan in): every fan is swapped for a non-square weight",
        (
            _FANS,
            "    numel = math.prod(shape)\n    fan_in = numel // shape[1]\n    fan_out = numel // shape[0]\n",
        ),
        expect=("fans-swapped",),
    ),
    fresh(
        "hsak-fans-dense-shape-unpacked-in-keras-order",
        "init.fan_in_and_fan_out",
        "(shared idea, new code) a rewrite with a special case for dense weights unpacks fan_in, fan_out = shape "
        "as Keras's (in, out) kernels would have it; a PyTorch weight is (out, in), so a Linear weight's fans are "
        "swapped while convolution weights come out right",
        (
            _FANS,
            "    if len(shape) == 2:\n"
            "        fan_in, fan_out = shape\n"
            "    else:\n"
            "        receptive_field = math.prod(shape[2:])\n"
            "        fan_in = shape[1] * receptive_field\n"
            "        fan_out = shape[0] * receptive_field\n",
        ),
        expect=("fans-swapped", "unpacked-swapped"),
    ),
    fresh(
        "hsak-fans-kernel-side-to-the-power-of-dims",
        "init.fan_in_and_fan_out",
        "(shared idea, new code) a rewrite assumes square (cubic) kernels and writes the receptive field as "
        "shape[2] ** (len(shape) - 2): a (3, 5) kernel counts 9 instead of 15; the receptive field is the product "
        "of every kernel side",
        (
            _FANS,
            "    receptive_field = shape[2] ** (len(shape) - 2) if len(shape) > 2 else 1\n"
            "    fan_in = shape[1] * receptive_field\n"
            "    fan_out = shape[0] * receptive_field\n",
        ),
        expect=("square-only-index", "receptive-field-partial"),
        phrases=("receptive field",),
    ),
    # ---------------------------------------------------------------- init.xavier_uniform
    fresh(
        "hsak-xavier-uniform-random-minus-half-times-limit",
        "init.xavier_uniform",
        "(shared idea, new code) a rewrite draws rng.random(shape) and centres it as (r - 0.5) * limit with "
        "limit = gain * sqrt(6 / (fan_in + fan_out)): r - 0.5 spans only [-0.5, 0.5), so the weights lie in "
        "[-limit/2, limit/2) with half the intended standard deviation; it needs (2r - 1) * limit",
        (
            _XU,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    limit = gain * math.sqrt(6.0 / (fan_in + fan_out))\n"
            "    weight = (rng.random(shape) - 0.5) * limit\n",
        ),
        expect=("uniform-bound", "half"),
    ),
    fresh(
        "hsak-xavier-uniform-gain-inside-the-root-of-the-variance",
        "init.xavier_uniform",
        "(shared idea, new code) a rewrite from the variance, var = 2 / (fan_in + fan_out), writes the bound as "
        "sqrt(3 * gain * var): the gain scales the standard deviation, so it belongs outside the root "
        "(gain * sqrt(3 * var)); inside it the tanh gain 5/3 only scales the weights by sqrt(5/3)",
        (
            _XU,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    var = 2.0 / (fan_in + fan_out)\n"
            "    bound = math.sqrt(3.0 * gain * var)\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
        ),
        expect=("gain-under-root", "root-scope"),
    ),
    fresh(
        "hsak-xavier-uniform-keras-fan-avg-not-halved",
        "init.xavier_uniform",
        "(shared idea, new code) a port of Keras's VarianceScaling(mode='fan_avg', distribution='uniform'), "
        "limit = sqrt(3 * scale / n), sets n = fan_in + fan_out and forgets that fan_avg is their mean: the bound "
        "is sqrt(3 / (fan_in + fan_out)), 1/sqrt(2) of Glorot's sqrt(6 / (fan_in + fan_out))",
        (
            _XU,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    fan_avg = fan_in + fan_out\n"
            "    limit = gain * math.sqrt(3.0 / fan_avg)\n"
            "    weight = rng.uniform(-limit, limit, size=shape)\n",
        ),
        expect=("formula-constant", "uniform-bound"),
    ),
    # ---------------------------------------------------------------- init.xavier_normal
    fresh(
        "hsak-xavier-normal-variance-passed-as-scale",
        "init.xavier_normal",
        "(shared idea, new code) a rewrite computes the variance, var = gain**2 * 2 / (fan_in + fan_out), and "
        "scales standard normal draws by it, var * rng.standard_normal(shape): a factor times N(0, 1) has that "
        "factor as its standard deviation, so the weights get std var instead of sqrt(var)",
        (
            _XN,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    var = gain**2 * 2.0 / (fan_in + fan_out)\n"
            "    weight = var * rng.standard_normal(shape)\n",
        ),
        expect=("variance-as-std",),
    ),
    fresh(
        "hsak-xavier-normal-fan-avg-floor-divided",
        "init.xavier_normal",
        "(shared idea, new code) a rewrite through the mean fan, fan_avg = (fan_in + fan_out) // 2 and std = "
        "gain / sqrt(fan_avg), floor-divides: when fan_in + fan_out is odd (a 3x4 weight: 7 // 2 = 3) the fan "
        "is rounded down and the standard deviation comes out too large",
        (
            _XN,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    fan_avg = (fan_in + fan_out) // 2\n"
            "    std = gain / math.sqrt(fan_avg)\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("floor-division", "integer-division"),
    ),
    fresh(
        "hsak-xavier-normal-keras-truncated-at-two-std",
        "init.xavier_normal",
        "(shared idea, new code) a port of Keras's glorot_normal redraws every weight beyond two standard "
        "deviations (a truncated normal) without Keras's 0.8796 rescaling: the weights' spread shrinks to about "
        "0.88 std; PyTorch's xavier_normal_ is a plain normal",
        (
            _XN,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
            "    weight = rng.normal(0.0, std, size=shape)\n"
            "    outside = np.abs(weight) > 2 * std\n"
            "    while outside.any():\n"
            "        weight[outside] = rng.normal(0.0, std, size=int(outside.sum()))\n"
            "        outside = np.abs(weight) > 2 * std\n",
        ),
        expect=("truncated-normal",),
    ),
    # ---------------------------------------------------------------- init.kaiming_uniform
    fresh(
        "hsak-kaiming-uniform-he-six-times-gain",
        "init.kaiming_uniform",
        "(shared idea, new code) a rewrite takes He-uniform's bound sqrt(6 / fan) from a formula sheet and also "
        "multiplies by calculate_gain: the 6 already holds ReLU's factor 2 (3 * gain^2), so the gain counts twice "
        "and ReLU weights come out sqrt(2) too wide; the bound is gain * sqrt(3 / fan)",
        (
            _KU,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    fan = fan_in if mode == 'fan_in' else fan_out\n"
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    bound = gain * math.sqrt(6.0 / fan)\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
        ),
        expect=("gain-twice", "formula-constant"),
    ),
    fresh(
        "hsak-kaiming-uniform-fans-unpacked-swapped",
        "init.kaiming_uniform",
        "(shared idea, new code) a rewrite picks the fan from a dict by mode but unpacks fan_out, fan_in = "
        "fan_in_and_fan_out(shape), the wrong order: mode='fan_in' uses the fan out and the other way round",
        (
            _KU,
            "    fan_out, fan_in = fan_in_and_fan_out(shape)\n"
            "    fan = {'fan_in': fan_in, 'fan_out': fan_out}[mode]\n"
            "    bound = math.sqrt(3.0) * calculate_gain(nonlinearity, a) / math.sqrt(fan)\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
        ),
        expect=("unpacked-swapped", "fans-swapped"),
    ),
    fresh(
        "hsak-kaiming-uniform-zero-slope-means-relu",
        "init.kaiming_uniform",
        "(shared idea, new code) a rewrite reads a = 0 as 'no leaky slope, so plain ReLU' and writes "
        "gain = calculate_gain(nonlinearity, a) if a else sqrt(2): with the default a = 0 the nonlinearity is "
        "ignored, so tanh, linear or selu weights get ReLU's gain",
        (
            _KU,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    fan = fan_in if mode == 'fan_in' else fan_out\n"
            "    if a:\n"
            "        gain = calculate_gain(nonlinearity, a)\n"
            "    else:\n"
            "        gain = math.sqrt(2.0)\n"
            "    bound = gain * math.sqrt(3.0 / fan)\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
        ),
        expect=("nonlinearity-ignored", "zero-taken-as-unset"),
    ),
    # ---------------------------------------------------------------- init.kaiming_normal
    fresh(
        "hsak-kaiming-normal-root-of-gain-over-fan",
        "init.kaiming_normal",
        "(shared idea, new code) a rewrite writes std = sqrt(gain / fan), putting the gain under the root "
        "unsquared: the variance is gain^2 / fan, so the std is gain / sqrt(fan) (ReLU's weights come out "
        "2**0.25 instead of sqrt(2) times 1 / sqrt(fan))",
        (
            _KN,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    fan = fan_in if mode == 'fan_in' else fan_out\n"
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    std = math.sqrt(gain / fan)\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("gain-under-root", "root-scope"),
    ),
    fresh(
        "hsak-kaiming-normal-std-passed-as-loc",
        "init.kaiming_normal",
        "(shared idea, new code) a rewrite calls rng.normal(std, size=shape), taking the first argument for the "
        "spread: numpy's first parameter is the mean (loc), so the weights are N(std, 1), centred on std with "
        "unit spread",
        (
            _KN,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    fan = fan_in if mode == 'fan_in' else fan_out\n"
            "    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)\n"
            "    weight = rng.normal(std, size=shape)\n",
        ),
        expect=("normal-loc-for-scale", "not-centred"),
    ),
    fresh(
        "hsak-kaiming-normal-paper-leaky-formula",
        "init.kaiming_normal",
        "(shared idea, new code) a rewrite ports He et al.'s formula Var = 2 / ((1 + a^2) fan) as it stands: it "
        "is the leaky-ReLU case only, so the nonlinearity argument is ignored and tanh, sigmoid or linear layers "
        "get the ReLU-family gain",
        (
            _KN,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    fan = fan_in if mode == 'fan_in' else fan_out\n"
            "    std = math.sqrt(2.0 / ((1 + a**2) * fan))\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("nonlinearity-ignored",),
    ),
    # ---------------------------------------------------------------- gradcheck.relative_error
    fresh(
        "hsak-relerr-ng-norm-ratio",
        "gradcheck.relative_error",
        "(shared idea, new code) a rewrite from Andrew Ng's gradient-checking exercise returns "
        "||a - b|| / (||a|| + ||b||) with np.linalg.norm: one norm over the whole array dilutes a single wrong "
        "entry among many right ones; the specified error is the largest entry-wise ratio",
        (
            _RELERR,
            "    a = np.asarray(a, dtype=np.float64)\n"
            "    b = np.asarray(b, dtype=np.float64)\n"
            "    if a.size == 0 and b.size == 0:\n"
            "        return 0.0\n"
            "    numerator = np.linalg.norm(a - b)\n"
            "    denominator = max(1e-8, np.linalg.norm(a) + np.linalg.norm(b))\n"
            "    return float(numerator / denominator)\n",
        ),
        expect=("norm-not-entrywise", "not-per-coordinate"),
        phrases=("entry",),
    ),
    fresh(
        "hsak-relerr-loop-abs-of-sum",
        "gradcheck.relative_error",
        "(shared idea, new code) a zip loop over the ravelled pairs divides by max(1e-8, abs(x + y)), the size "
        "of the sum, not the sum of the sizes abs(x) + abs(y): entries of opposite signs cancel in the "
        "denominator and their error blows up",
        (
            _RELERR,
            "    a = np.asarray(a, dtype=np.float64)\n"
            "    b = np.asarray(b, dtype=np.float64)\n"
            "    worst = 0.0\n"
            "    for x, y in zip(a.ravel(), b.ravel(), strict=True):\n"
            "        worst = max(worst, abs(x - y) / max(1e-8, abs(x + y)))\n"
            "    return float(worst)\n",
        ),
        expect=("abs-of-sum", "formula-wrong"),
        phrases=("|a| + |b|",),
    ),
    # ---------------------------------------------------------------- gradcheck.numerical_gradient
    fresh(
        "hsak-numgrad-nditer-without-restore",
        "gradcheck.numerical_gradient",
        "(shared idea, new code) CS231n's eval_numerical_gradient written from memory with np.nditer forgets the "
        "x[ix] = oldval line: every entry is left at oldval - h, so later probes are taken around a shifted "
        "point and the caller's x comes back changed",
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
            "        grad[ix] = (fxph - fxmh) / (2 * h)\n"
            "        it.iternext()\n",
        ),
        expect=("not-restored",),
        phrases=("restore",),
    ),
    fresh(
        "hsak-numgrad-minus-h-back-to-x",
        "gradcheck.numerical_gradient",
        "(shared idea, new code) a rewrite probes with x[i] += h, then x[i] -= h for the minus side: that only "
        "returns to x, so f_minus is f(x) and (f(x + h) - f(x)) / 2h is half a forward difference; the minus "
        "probe needs x[i] -= 2 * h",
        (
            _NUMGRAD,
            "    for index in np.ndindex(*x.shape):\n"
            "        x[index] += h\n"
            "        f_plus = float(f(x))\n"
            "        x[index] -= h\n"
            "        f_minus = float(f(x))\n"
            "        grad[index] = (f_plus - f_minus) / (2 * h)\n",
        ),
        expect=("probe-at-x", "half", "forward-difference"),
    ),
    fresh(
        "hsak-numgrad-probes-on-copies",
        "gradcheck.numerical_gradient",
        "(shared idea, new code) a rewrite builds x_plus = x.copy() and x_minus = x.copy() and probes those: f "
        "must see x itself perturbed in place (CS231n's f = lambda _: net.loss(X) reads the weights it closes "
        "over), so a function of the shared array sees no change and every gradient is 0",
        (
            _NUMGRAD,
            "    for index in np.ndindex(x.shape):\n"
            "        x_plus = x.copy()\n"
            "        x_plus[index] += h\n"
            "        x_minus = x.copy()\n"
            "        x_minus[index] -= h\n"
            "        grad[index] = (float(f(x_plus)) - float(f(x_minus))) / (2 * h)\n",
        ),
        expect=("perturbs-copy", "copy-not-view"),
        phrases=("in place",),
    ),
    # ---------------------------------------------------------------- optimizers.SGD
    fresh(
        "hsak-sgd-torch-port-decay-added-in-place-to-grad",
        "optimizers.SGD",
        "(shared idea, new code) a torch.optim.SGD port writes the weight decay as g += weight_decay * p.data, "
        "but g = _grad(p) is p.grad's own array: the step writes into p.grad, so the decay piles up in the "
        "gradient and a second step without zero_grad decays twice; it needs g = g + ...",
        (_SGD, _sgd("            if self.weight_decay != 0:\n                g += self.weight_decay * p.data\n")),
        expect=("modifies-grad", "aliasing"),
    ),
    fresh(
        "hsak-sgd-torch-port-decay-after-momentum",
        "optimizers.SGD",
        "(shared idea, new code) a torch.optim.SGD port adds weight_decay * p to the direction after the "
        "momentum block, just before p -= lr * d: the decay never enters the velocity buffer (torch adds it to "
        "d_p first), so with momentum the decay is not accumulated",
        (_SGD, _sgd("", decay_last=_SGD_DECAY)),
        expect=("weight-decay-after-momentum", "weight-decay-not-accumulated"),
    ),
    # ---------------------------------------------------------------- optimizers.Adagrad
    fresh(
        "hsak-adagrad-cache-lr-decay-counts-from-t",
        "optimizers.Adagrad",
        "(shared idea, new code) a cache-style rewrite decays the rate as lr / (1 + t * lr_decay) with t already "
        "incremented: the first step is already decayed; PyTorch's rate is lr / (1 + (t - 1) * lr_decay)",
        (
            _ADAGRAD,
            _adagrad("        self.t += 1\n", "            lr_t = self.lr / (1.0 + self.t * self.lr_decay)\n"),
        ),
        expect=("lr-decay-off-by-one", "step-count-off-by-one"),
    ),
    fresh(
        "hsak-adagrad-cache-step-counted-per-parameter",
        "optimizers.Adagrad",
        "(shared idea, new code) a cache-style rewrite increments self.t inside the loop over the parameters: "
        "with several parameters the count runs ahead (two parameters: t = 1, 2 in the first step), so lr_decay "
        "shrinks the rate per parameter, not per step",
        (
            _ADAGRAD,
            _adagrad("", "            self.t += 1\n" + _ADAGRAD_LR),
        ),
        expect=("t-counted-per-parameter", "step-count-per-parameter"),
    ),
    fresh(
        "hsak-adagrad-cache-lazy-zeros",
        "optimizers.Adagrad",
        "(shared idea, new code) a cache-style rewrite creates the accumulator lazily as torch once did, "
        "state['sum'] = np.zeros_like(p.data) at the first step: initial_accumulator_value is ignored, so the "
        "first steps are larger than specified",
        (
            _ADAGRAD,
            _adagrad(
                "        self.t += 1\n",
                _ADAGRAD_LR,
                init="            if self.t == 1:\n                state['sum'] = np.zeros_like(p.data)\n",
            ),
        ),
        # the last tag added after reading output (a claim read right after set AK's grading)
        expect=("hyperparameter-ignored", "initial-accumulator-ignored"),
        phrases=("initial_accumulator_value",),
    ),
    # ---------------------------------------------------------------- optimizers.RMSprop
    fresh(
        "hsak-rmsprop-alpha-as-pandas-smoothing-factor",
        "optimizers.RMSprop",
        "(shared idea, new code) a rewrite reads alpha as pandas' ewm smoothing factor, the new value's weight: "
        "v = (1 - alpha) * v + alpha * g**2, so with alpha = 0.99 v is nearly the last squared gradient; in "
        "PyTorch alpha is the weight of the old average",
        (
            _RMSPROP,
            _rmsprop(
                "            v = (1 - self.alpha) * state['square_avg'] + self.alpha * g**2\n", _RMS_DENOMS, _RMS_MOVE
            ),
        ),
        expect=("alpha-swapped",),
    ),
    fresh(
        "hsak-rmsprop-tf-eps-inside-root",
        "optimizers.RMSprop",
        "(shared idea, new code) a rewrite with TensorFlow's denominator sqrt(v + eps) (and sqrt(v - m^2 + eps) "
        "when centred): PyTorch adds eps after the root, sqrt(v) + eps; for small gradients (1e-3) the steps "
        "differ by tens of percent",
        (
            _RMSPROP,
            _rmsprop(
                _RMS_SQUARE,
                (
                    "                denom = np.sqrt(np.maximum(v - m**2, 0.0) + self.eps)\n",
                    "                denom = np.sqrt(v + self.eps)\n",
                ),
                _RMS_MOVE,
            ),
        ),
        expect=("eps-inside-sqrt",),
    ),
    fresh(
        "hsak-rmsprop-momentum-on-raw-gradient",
        "optimizers.RMSprop",
        "(shared idea, new code) a rewrite keeps a plain momentum buffer of gradients, buf = momentum * buf + g, "
        "and divides when stepping, p -= lr * buf / denom: PyTorch's buffer accumulates the already scaled "
        "steps g / denom, so old gradients are rescaled by today's denominator here",
        (
            _RMSPROP,
            _rmsprop(
                _RMS_SQUARE,
                _RMS_DENOMS,
                _RMS_MOVE.replace("+ g / denom\n", "+ g\n").replace("self.lr * buf\n", "self.lr * buf / denom\n"),
            ),
        ),
        expect=("momentum-before-scaling",),
    ),
    # ---------------------------------------------------------------- optimizers.Adadelta
    fresh(
        "hsak-adadelta-zeiler-eps-after-roots",
        "optimizers.Adadelta",
        "(shared idea, new code) a Zeiler-notation rewrite writes RMS as sqrt(E) + eps, Adam's habit, in both "
        "places: dx = (sqrt(E[dx^2]) + eps) / (sqrt(E[g^2]) + eps) * g; with E[dx^2] = 0 the first steps are "
        "about eps / RMS(g) instead of sqrt(eps) / RMS(g), a thousand times too small",
        (
            _ADADELTA,
            _zeiler(
                "            dx = (np.sqrt(state['acc_delta']) + eps) / (np.sqrt(Eg2) + eps) * g\n",
                "            p.data -= self.lr * dx\n",
            ),
        ),
        expect=("adadelta-eps-outside-sqrt", "eps-outside-sqrt"),
    ),
    fresh(
        "hsak-adadelta-zeiler-negative-update-subtracted",
        "optimizers.Adadelta",
        "(shared idea, new code) a rewrite copies Zeiler's dx = -RMS[dx] / RMS[g] * g with its minus sign but "
        "then steps p -= lr * dx as in the other optimizers: the two minus signs cancel and every step climbs "
        "the loss (gradient ascent)",
        (
            _ADADELTA,
            _zeiler(
                "            dx = -np.sqrt(state['acc_delta'] + eps) / np.sqrt(Eg2 + eps) * g\n",
                "            p.data -= self.lr * dx\n",
            ),
        ),
        expect=("sign-flipped", "ascent"),
    ),
    fresh(
        "hsak-adadelta-zeiler-paper-without-lr",
        "optimizers.Adadelta",
        "(shared idea, new code) a rewrite follows Zeiler's Algorithm 1, x += dx, which has no learning rate: "
        "PyTorch keeps lr (default 1.0) as an overall scale, p -= lr * dx, so any other lr is ignored",
        (
            _ADADELTA,
            _zeiler(
                "            dx = np.sqrt(state['acc_delta'] + eps) / np.sqrt(Eg2 + eps) * g\n",
                "            p.data -= dx\n",
            ),
        ),
        expect=("adadelta-lr-ignored", "lr-ignored"),
    ),
    # ---------------------------------------------------------------- optimizers.Adam
    fresh(
        "hsak-adam-amsgrad-max-of-corrected-v",
        "optimizers.Adam",
        "(shared idea, new code) an m_hat / v_hat rewrite takes the AMSGrad maximum over the bias-corrected "
        "v_hat and stores that: PyTorch keeps the maximum of the raw v and divides it by 1 - beta2^t; early "
        "large corrected values (v_hat = g^2 at step 1) dominate the maximum here",
        (
            _ADAM,
            _adam(
                "            m_hat = m / (1 - beta1**self.t)\n"
                "            v_hat = v / (1 - beta2**self.t)\n"
                "            if self.amsgrad:\n"
                "                state['max_exp_avg_sq'] = np.maximum(state['max_exp_avg_sq'], v_hat)\n"
                "                v_hat = state['max_exp_avg_sq']\n"
            ),
        ),
        # the last tag added after reading output (a claim read right after set AK's grading)
        expect=("amsgrad-wrong-operand", "amsgrad-max-of-corrected"),
    ),
    fresh(
        "hsak-adam-first-moment-corrected-in-place",
        "optimizers.Adam",
        "(shared idea, new code) an m_hat / v_hat rewrite stores m in the state and then corrects it in place, "
        "m /= 1 - beta1^t: m is the stored array, so the saved first moment is bias-corrected too and the "
        "correction compounds step after step",
        (
            _ADAM,
            _adam(
                "            if self.amsgrad:\n"
                "                state['max_exp_avg_sq'] = np.maximum(state['max_exp_avg_sq'], v)\n"
                "                v = state['max_exp_avg_sq']\n"
                "            m /= 1 - beta1**self.t\n"
                "            m_hat = m\n"
                "            v_hat = v / (1 - beta2**self.t)\n"
            ),
        ),
        # the last tag added after reading output (a claim read right after set AK's grading)
        expect=("aliasing", "saved-state-overwritten", "corrected-moment-stored"),
    ),
    # ---------------------------------------------------------------- optimizers.AdamW
    fresh(
        "hsak-adamw-step-decays-after-the-update",
        "optimizers.AdamW",
        "(shared idea, new code) a step() override in the paper's m_hat / v_hat form shrinks the weights after "
        "the Adam update, p -= lr * wd * p on the new p: the decay belongs to the weights before the step "
        "(PyTorch multiplies p by 1 - lr * wd first)",
        (
            _ADAMW_END,
            _adamw_step("", _ADAMW_MOVE + "            p.data -= self.lr * self.weight_decay * p.data\n"),
        ),
        expect=("adamw-decay-after-step", "order-changed"),
    ),
    fresh(
        "hsak-adamw-step-paper-lambda-without-lr",
        "optimizers.AdamW",
        "(shared idea, new code) a step() override ports Loshchilov and Hutter's Algorithm 2 line 12, "
        "theta -= eta * (alpha * m_hat / (sqrt(v_hat) + eps) + lambda * theta), with the schedule eta = 1: the "
        "decay is weight_decay * p without the learning rate; PyTorch decays by lr * weight_decay * p",
        (
            _ADAMW_END,
            _adamw_step(
                "",
                "            p.data -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps) + self.weight_decay * p.data\n",
            ),
        ),
        expect=("adamw-decay-without-lr",),
    ),
    fresh(
        "hsak-adamw-step-paper-algorithm-without-amsgrad",
        "optimizers.AdamW",
        "(shared idea, new code) a step() override copied from Loshchilov and Hutter's Algorithm 2, which has no "
        "AMSGrad, divides by the bias-corrected exp_avg_sq always: the amsgrad flag is ignored, and with "
        "amsgrad=True the running maximum is neither kept nor used",
        (
            _ADAMW_END,
            _adamw_step("            p.data *= 1.0 - self.lr * self.weight_decay\n", _ADAMW_MOVE).replace(
                "            if self.amsgrad:\n"
                "                state['max_exp_avg_sq'] = np.maximum(state['max_exp_avg_sq'], v)\n"
                "                v = state['max_exp_avg_sq']\n",
                "",
            ),
        ),
        expect=("amsgrad-ignored", "hyperparameter-ignored"),
    ),
    # ---------------------------------------------------------------- training.minibatches
    fresh(
        "hsak-minibatches-cs231n-iterations-floor",
        "training.minibatches",
        "(shared idea, new code) a rewrite counts the batches like CS231n's Solver, n // size, and slices an "
        "index order: the last, smaller batch is dropped when the batch size does not divide N (and a batch "
        "size above N yields no batch at all)",
        (
            _MINIBATCHES,
            "    n = len(X)\n"
            "    order = rng.permutation(n) if shuffle else np.arange(n)\n"
            "    size = n if batch_size is None else batch_size\n"
            "    for b in range(n // size):\n"
            "        idx = order[b * size : (b + 1) * size]\n"
            "        batches.append((X[idx], y[idx]))\n",
        ),
        expect=("drops-last-batch", "remainder-batch"),
    ),
    fresh(
        "hsak-minibatches-array-split-by-batch-size",
        "training.minibatches",
        "(shared idea, new code) a rewrite calls np.array_split(X, size): an int second argument is the number "
        "of sections, not their size, so 7 samples with batch_size=3 come as 3 batches of 3, 2, 2 and "
        "batch_size=None (size N) as N batches of one",
        (
            _MINIBATCHES,
            "    if shuffle:\n"
            "        order = rng.permutation(len(X))\n"
            "        X, y = X[order], y[order]\n"
            "    size = len(X) if batch_size is None else batch_size\n"
            "    batches = list(zip(np.array_split(X, size), np.array_split(y, size), strict=True))\n",
        ),
        expect=("batch-size-as-count", "uneven-batches"),
    ),
    # ---------------------------------------------------------------- training.fit
    fresh(
        "hsak-fit-zero-grad-at-epoch-start",
        "training.fit",
        "(shared idea, new code) a rewrite clears the gradients once at the top of each epoch, before the batch "
        "loop: within an epoch every batch's backward adds to the gradients of the batches before it, so the "
        "steps after the first use summed gradients",
        (_FIT, _fit("        optimizer.zero_grad()\n", "", _FIT_BATCHES)),
        expect=("zero-grad-missing", "call-order"),
    ),
    fresh(
        "hsak-fit-rng-not-handed-to-minibatches",
        "training.fit",
        "(shared idea, new code) a rewrite calls minibatches(X, y, batch_size=batch_size, shuffle=shuffle) "
        "without rng=rng: minibatches then shuffles from the default generator, so the generator the caller "
        "passed is ignored and a seeded run is not reproducible from it",
        (_FIT, _fit("", _FIT_ZERO, "minibatches(X, y, batch_size=batch_size, shuffle=shuffle)")),
        expect=("rng-ignored",),
    ),
    # ---------------------------------------------------------------- models.Sequential
    fresh(
        "hsak-sequential-forward-rebind-outside-loop",
        "models.Sequential",
        "(shared idea, new code) forward writes out = layer.forward(x) in the loop and x = out after it (one "
        "indent short): every layer is fed the network's input, not the previous layer's output, and only the "
        "last layer's output is returned",
        (_SEQ_FORWARD, "        for layer in self.layers:\n            out = layer.forward(x)\n        x = out\n"),
        expect=("forward-not-chained",),
    ),
    fresh(
        "hsak-sequential-backward-every-layer-gets-the-upstream-gradient",
        "models.Sequential",
        "(shared idea, new code) backward keeps a separate name for the result, grad_x = layer.backward(grad_y), "
        "but never feeds it on: every layer receives the loss's gradient grad_y instead of the gradient of the "
        "layer after it, so only the last layer's parameter gradients are right",
        (
            _SEQ_BACKWARD,
            "        grad_x = grad_y\n"
            "        for layer in reversed(self.layers):\n"
            "            grad_x = layer.backward(grad_y)\n"
            "        grad_y = grad_x\n",
        ),
        expect=("backward-not-chained",),
    ),
    # ---------------------------------------------------------------- models.Perceptron
    fresh(
        "hsak-perceptron-sign-mapped-to-zero-one",
        "models.Perceptron",
        "(shared idea, new code) predict maps the sign to the labels, (np.sign(scores) + 1) / 2, turning -1 and "
        "+1 into 0 and 1: np.sign(0) is 0, so a score of exactly 0 predicts 0.5, which is no class; the "
        "perceptron's step is 0 there",
        (
            _PERCEPTRON_PREDICT,
            "        scores = X @ self.weight + self.bias\n        predictions = (np.sign(scores) + 1.0) / 2.0\n",
        ),
        expect=("step-at-zero", "kink-value"),
    ),
    fresh(
        "hsak-perceptron-bias-updated-without-lr",
        "models.Perceptron",
        "(shared idea, new code) an update rewrite with np.dot moves the weights by lr * error * x but the bias "
        "by error alone, thinking of the bias as a weight whose input is 1 and forgetting the rate: with lr != 1 "
        "the bias moves 1 / lr times too far",
        (
            _PERCEPTRON_UPDATE,
            "        score = np.dot(self.weight, x) + self.bias\n"
            "        prediction = 1.0 if score > 0 else 0.0\n"
            "        error = float(target) - prediction\n"
            "        self.weight = self.weight + self.lr * error * x\n"
            "        self.bias = float(self.bias + error)\n",
        ),
        expect=("lr-ignored", "hyperparameter-ignored"),
    ),
    fresh(
        "hsak-perceptron-fit-signed-errors-summed",
        "models.Perceptron",
        "(shared idea, new code) fit sums the errors update returns, total += self.update(x, target), and stops "
        "when the total is 0: a false positive (-1) and a false negative (+1) in one epoch cancel, so it stops "
        "with mistakes left; the mistakes are counted by abs or != 0",
        (
            _PERCEPTRON_FIT,
            "        for _ in range(max_epochs):\n"
            "            total = 0.0\n"
            "            for x, target in zip(X, y, strict=True):\n"
            "                total += self.update(x, target)\n"
            "            if total == 0:\n"
            "                return True\n",
        ),
        expect=("mistakes-cancel", "fit-true-too-early"),
    ),
    # ---------------------------------------------------------------- early_stopping.fit_early_stopping
    fresh(
        "hsak-early-keras-min-delta-sign",
        "early_stopping.fit_early_stopping",
        "(shared idea, new code) a port of Keras's EarlyStopping tests np.less(current - min_delta, best) without "
        "Keras's min_delta *= -1 for mode 'min': an epoch counts as improving when it is below best + min_delta, "
        "so small increases of the validation loss reset the patience",
        (
            _EARLY,
            _keras(_KERAS_EPOCHS, "        if np.less(current - min_delta, best):\n", _KERAS_WAIT, _KERAS_RESTORE),
        ),
        expect=("min-delta-sign",),
    ),
    fresh(
        "hsak-early-keras-restores-only-when-stopped",
        "early_stopping.fit_early_stopping",
        "(shared idea, new code) a port of Keras's EarlyStopping restores the best weights inside the stopping "
        "branch only (as Keras did before 2.11): a run that reaches max_epochs keeps its last weights even when "
        "an earlier epoch was better",
        (
            _EARLY,
            _keras(
                _KERAS_EPOCHS,
                _KERAS_TEST,
                "                if restore_best and best_weights is not None:\n"
                "                    load_state(model, best_weights)\n" + _KERAS_WAIT,
                "",
            ),
        ),
        expect=("restores-last", "not-restored"),
    ),
    fresh(
        "hsak-early-keras-epochs-from-zero",
        "early_stopping.fit_early_stopping",
        "(shared idea, new code) a Keras-style rewrite loops for epoch in range(max_epochs), Keras's 0-based epoch "
        "index, and records it: best_epoch and stopped_epoch are one less than the specified 1-based epochs "
        "(val_losses[best_epoch - 1] is the wrong epoch's loss)",
        (_EARLY, _keras("    for epoch in range(max_epochs):\n", _KERAS_TEST, _KERAS_WAIT, _KERAS_RESTORE)),
        expect=("best-epoch-off-by-one", "stopped-epoch"),
    ),
]
