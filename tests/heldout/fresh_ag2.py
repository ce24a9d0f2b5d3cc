"""Held-apart set AG, second half: student bugs in optimizers, init, training, models, gradcheck and early
stopping, written blind by a helper session, aimed at realism (the mistakes real students make, in their code).

Written blind by a helper session under a short deadline (about 45 minutes). Its author read the reference
(reference/optimizers.py, init.py, training.py, models.py, gradcheck.py, early_stopping.py and base.py's Parameter and
zero_grad), docs/api.md, tests/heldout/_edits.py, the docstrings and first bugs of fresh_af.py and fresh_af2.py (for
the format), the ids, components, ``expect`` tags (and, for about forty bugs near its own ideas, the descriptions and
phrases) of the catalogue and of every earlier held-apart set (``EVERY``), and of tests/test_feedback_generalisation.py
only its FAMILIES and SETS dicts and ``_changes``. The author never read the diagnosis (graders/judging,
graders/reporting, graders/running, graders/selfcheck, graders/runner.py), nnlab/ beyond importing it,
tests/evidence.py, the feedback audit, the mistake, crash, diagnosis and feedback tests, benchmarks/, /work/tools/*
(but its two briefs), fresh_ag.py (the other half of set AG, written at the same time), nor any grader feedback or
output, and graded none of these bugs.

About 70 ideas were considered against the roughly 1 800 earlier bugs of these eighteen components; 38 were drafted
and written and 37 are kept. Dropped before writing: Adam's paper form with eps under the root and RMSprop or
Adadelta with eps moved inside or outside a root (changes of about 1e-7 on ordinary gradients), an AdamW that decays
after the Adam step (differs by lr^2 * weight_decay), fan_in_and_fan_out through np.prod (a float 1.0 for matrices:
an int-valued float, no mistake the author could defend), a minibatches turned into a generator (the checks become
lazy, which docs/api.md describes for the reference but does not promise), an RMSprop momentum buffer scaled by lr
(equal to the reference while lr is constant), a relative_error loop with Python's max (it only differs on nan).
Dropped after writing: Sequential.backward as a while loop that feeds every layer the container's grad_y (it raises on
any network whose layers change the width, i.e. on ordinary inputs); it became the PyTorch-style train(mode) below.
Changed after the copy check: fit's batches = minibatches(...) made once before the epochs had the same ``_changes``
as an earlier bug (it became batch_list = list(minibatches(...)), every epoch the same order), and
Sequential.parameters' append loop was rewritten as an index loop.

Rewrites: all 37 replace a whole method or function body (step, _decay, an initialiser's body, minibatches, fit,
Perceptron.update and fit, Sequential.train/eval and parameters, numerical_gradient, relative_error,
fit_early_stopping) in a student's own style: CS231n's velocity v = mu * v - lr * dx, PyTorch ports (torch.optim.SGD's
d_p, RMSprop's in-place mul_/addcmul_/lerp_, the functional _single_tensor_adamw, nn.Module's train(mode) and eval()
as train(False)), Andrew Ng's v/s/v_corrected notation, Zeiler's E[g^2]/RMS[dx] notation, Loshchilov and Hutter's
Algorithm 2 copied literally, beginners' loops over np.ndindex coordinates, state kept in dicts of the student's own
(keyed by index or by id(p)), in-place moment updates, an AdamW that zeroes Adam's weight_decay and overrides step(),
Keras-like early stopping (wait, best_weights), CS231n's np.nditer gradient check, an index-order minibatch rewrite and
np.array_split. Seven are short bodies (the six initialisers, three to six lines, and AdamW's two-line _decay). Each
has exactly one mistake (Hinton-style RMSprop momentum and the Zeiler-notation lr show one misconception in two
consistent lines).

Sharing, honestly: this half does NOT meet the aim of at most half. By the author's search of the earlier ids and
descriptions of the same components, 36 of the 37 share an earlier bug's misconception (in new code), marked "(shared
idea, new code)" in their descriptions, or have an earlier bug's effect: the AdamW whose own step reads the zeroed
self.weight_decay never decays, as hc-adamw-weight-decay-not-passed-on; the np.nditer backup it[0] is a view of x, an
aliasing backup as hl-numgrad-backup-is-alias; the train(mode) port leaves the layers in training mode like the
earlier eval-not-propagated bugs. The one idea not found among earlier ids or descriptions: fit's per-epoch mean
divided by a samples-seen counter that is set once before the epoch loop while the total is reset every epoch. New in
their place rather than idea: RMSprop's reversed lerp (seen before in Adam only), Nesterov's in-place add into p.grad
(earlier bugs modify p.grad through the weight decay), AdamW's decoupled value stored under a new name.

Classes covered: aliasing and in-place updates (p.grad changed by Nesterov's +=, np.maximum's result thrown away, the
nditer view kept as a backup, a flattened copy probed), formulas misremembered (dampening as the gradient's weight, the
first correction with beta2, lerp weights swapped and reversed, sqrt(v - m) without the square, momentum before the
normalisation, He's sqrt(6 / fan) times the gain, the affine map [-1, 2b - 1), variance ** 1 / 2, |a + b|, relative to
b alone), hyper-parameters misread or ignored (the decay counted from t, clr computed and unused,
initial_accumulator_value, eps only in the denominator, lr folded into Adadelta's accumulator, the nonlinearity fixed,
AdamW's lr missing and its decay read from a zeroed name), order of operations (the first moment before the weight
decay), layout (the weight read as (in, out)), state and control flow (velocity started at zeros, counters and flags
set once outside the epoch loop, batches listed once, load_state only in the stop branch, rng not passed on), pairing
(targets sliced by position), batch sizes (np.array_split), the kink (sign mapped to 0.5 at a zero score), train/eval
(train(mode) ignoring mode), list structure (append for extend). Components: SGD 3, Adagrad 3, RMSprop 3, Adadelta 2,
Adam 3, AdamW 3; fan_in_and_fan_out 2, xavier_uniform 1, xavier_normal 1, kaiming_uniform 1, kaiming_normal 1;
minibatches 2, fit 2, Perceptron 2, Sequential 2, numerical_gradient 2, relative_error 2, fit_early_stopping 2.

Checks: every edit applies (nnlab.graders.mutants.apply) and its module imports; no edit has the same component and
``_changes`` as a catalogue mutant or an earlier held-apart bug, every id is new and unique, and every ``expect`` tag is
an existing one. The author's script ran each bug, and each bug with its slip undone, beside the reference: five steps
of each optimizer on two parameters of shapes (3, 4) and (5,) with shrinking random gradients, checking the parameters
after every step and that p.grad is unchanged, with lr 0.1 (RMSprop 0.01, Adadelta 1 and 0.5), momentum 0.9 and 0.5,
dampening 0.3, Nesterov with and without weight decay, weight_decay 0.1 and 0.5, lr_decay 0.1,
initial_accumulator_value 0.5, centered with and without momentum, rho 0.5, amsgrad, betas (0.5, 0.9); the
initialisers on (5, 3), (4, 3, 3, 2), (2, 6, 3) and (64, 32) with a seeded generator, gain 1 and 1.7, a = 0.2, both
modes, leaky_relu, relu, tanh and linear, and the fans (with their types) of 2- to 5-D shapes; minibatches of 7 samples
with batch sizes None, 1, 2, 3, 7 and 10, shuffled and not, and the caller's arrays unchanged; fit (SGD with momentum,
three epochs, MSE) on a Linear-Tanh-Linear Sequential with batch sizes None, 3, 2 and 1, shuffled and not; a
Perceptron with lr 1 and 0.1 on a small separable set (fit, predict and single updates); Sequential forward, backward,
parameters and gradients on Linear-ReLU-Linear-Tanh, and train/eval with a Dropout layer (flags and an evaluation
forward); numerical gradients of a sine-weighted cubic plus a product on shapes (3,), (2, 3), (2, 2, 2) and of a
closure over a weight, with x restored exactly; relative errors of close arrays, opposite arrays, zeros, tiny entries,
empty arrays and mixed signs; early stopping with patience 1, 2, 3 and 10, min_delta 0.01, restore_best on and off,
shuffled batches with a given rng, lr 0.05 and 0.6. Every undone slip matched the reference on every configuration;
every bug changed a result on at least one and raised on none; each ran in a few hundredths of a second. Some need the
configuration their mistake is about: dampening > 0 (the CS231n velocity), Nesterov (the in-place add), lr_decay > 0,
initial_accumulator_value > 0, centered (the lerp and the unsquared mean), momentum (RMSprop's raw-gradient buffer),
lr != 1 (Adadelta's accumulator), amsgrad, weight_decay > 0 (Adam's first moment), a nonlinearity other than
leaky_relu/relu (kaiming_normal), a convolution weight (the fans' loop), shuffle (the unpaired targets, the listed
batches, the rng left out), a batch size that does not divide N (array_split), a run that reaches max_epochs (the
restore), a Dropout layer in evaluation (train(mode)). The ``expect`` tags and ``phrases`` were decided from the
misconception alone, before any grading, from the existing vocabulary. Ids start with ``hsag-``.

Blind rate (graded in the sandbox, isolated, before anybody read the feedback; set AF had been taught):
35/37 named (95 %), 37 caught, 2 flagged with another bug class's tag, both read as wrong claims: Adam's amsgrad maximum
never stored (np.maximum without out=) read as the denominator reading the wrong state key, and numerical_gradient's
saved value a view of x (so the second probe lands on x) explained as x[i] -= h after x[i] += h.
The whole set: 67/73 named (92 %), 73 caught, 4 flagged, 2 the right diagnosis under another tag and 2 wrong claims
(65/73 named with no wrong claim, 89 %); the first half: 32/36, 36 caught, 2 flagged.
Taught afterwards, by two helpers (the classes, not the edits; each with catalogue mutants of its own): the whole
set caught and named, 0 misleading.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant, reference_folder

from ._edits import held_apart_bug

fresh = partial(held_apart_bug, "hsag-")  # set AG


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
_ADAMW_INIT = (
    "        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)\n"
)
_FANS = _solution("init", "def fan_in_and_fan_out(")
_XAVIER_UNIFORM = _solution("init", "def xavier_uniform(")
_XAVIER_NORMAL = _solution("init", "def xavier_normal(")
_KAIMING_UNIFORM = _solution("init", "def kaiming_uniform(")
_KAIMING_NORMAL = _solution("init", "def kaiming_normal(")
_MINIBATCHES = _solution("training", "def minibatches(")
_FIT = _solution("training", "def fit(")
_NUMGRAD = _solution("gradcheck", "def numerical_gradient(")
_RELERR = _solution("gradcheck", "def relative_error(")
_EARLY_STOPPING = _solution("early_stopping", "def fit_early_stopping(")
_SEQUENTIAL_PARAMETERS = (
    "        return [p for layer in self.layers for p in layer.parameters()]\n"  # not an exercise block
)
_SEQUENTIAL_TRAIN_EVAL = (  # not an exercise block
    "    def train(self) -> Sequential:\n"
    '        """Training mode for the container and every layer (Dropout drops, BatchNorm updates)."""\n'
    "        self.training = True\n"
    "        for layer in self.layers:\n"
    "            layer.train()\n"
    "        return self\n"
    "\n"
    "    def eval(self) -> Sequential:\n"
    '        """Evaluation mode for the container and every layer."""\n'
    "        self.training = False\n"
    "        for layer in self.layers:\n"
    "            layer.eval()\n"
    "        return self\n"
)
_PERCEPTRON_UPDATE = _solution("models", "class Perceptron", "def update(self")
_PERCEPTRON_FIT = _solution("models", "class Perceptron", "def fit(self")


SGD = [
    fresh(
        "hsag-sgd-cs231n-velocity-from-zeros-dampens-first-step",
        "optimizers.SGD",
        "(shared idea, new code) a rewrite in the CS231n form keeps v = -lr * buffer (v = mu * v - lr * g, p += v; "
        "Nesterov as p += mu * v - lr * g) and starts v at zeros, so the first step already goes through the "
        "dampened update v = -lr * (1 - dampening) * g; PyTorch's buffer starts at the undampened gradient (v = -lr "
        "* g at the first step), dampening only weighs the later gradients",
        (
            _SGD,
            "        for i, p in enumerate(self.params):\n"
            "            dx = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                dx = dx + self.weight_decay * p.data\n"
            "            if self.momentum == 0:\n"
            "                p.data -= self.lr * dx\n"
            "                continue\n"
            "            # CS231n: v = mu * v - learning_rate * dx ; x += v\n"
            '            v = self.state[i].get("v")\n'
            "            if v is None:\n"
            "                v = np.zeros_like(dx)\n"
            "            v = self.momentum * v - self.lr * (1.0 - self.dampening) * dx\n"
            '            self.state[i]["v"] = v\n'
            "            if self.nesterov:\n"
            "                p.data += self.momentum * v - self.lr * dx\n"
            "            else:\n"
            "                p.data += v\n",
        ),
        expect=("dampening-on-first-step",),
        phrases=("dampening", "first step"),
    ),
    fresh(
        "hsag-sgd-torch-port-nesterov-added-into-grad-in-place",
        "optimizers.SGD",
        "(shared idea, new code) a port of torch.optim.SGD takes d_p = p.grad and writes the Nesterov look-ahead as "
        "d_p += momentum * buf (PyTorch's non-in-place grad.add(buf, alpha=momentum) read as add_): without weight "
        "decay d_p is p.grad itself, so step() adds momentum * buf into the caller's gradient; step must leave p.grad "
        "as it was (d_p = d_p + momentum * buf)",
        (
            _SGD,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            d_p = p.grad\n"
            "            if self.weight_decay != 0:\n"
            "                d_p = d_p + self.weight_decay * p.data\n"
            "            if self.momentum != 0:\n"
            '                buf = state["momentum_buffer"]\n'
            "                if buf is None:\n"
            "                    buf = np.array(d_p, dtype=np.float64)\n"
            "                else:\n"
            "                    buf = self.momentum * buf + (1.0 - self.dampening) * d_p\n"
            '                state["momentum_buffer"] = buf\n'
            "                if self.nesterov:\n"
            "                    d_p += self.momentum * buf  # grad.add(buf, alpha=momentum)\n"
            "                else:\n"
            "                    d_p = buf\n"
            "            p.data = p.data - self.lr * d_p\n",
        ),
        expect=("modifies-grad", "aliasing"),
        phrases=("in place", "p.grad"),
    ),
    fresh(
        "hsag-sgd-velocity-dict-new-gradient-weighted-by-dampening",
        "optimizers.SGD",
        "(shared idea, new code) a rewrite keeps the velocities in a dict of its own and reads 'dampening' as the "
        "weight of the new gradient: v = momentum * v + dampening * g; with the default dampening 0 the velocity "
        "never takes in another gradient after the first step; the new gradient's weight is 1 - dampening",
        (
            _SGD,
            '        if not hasattr(self, "velocities"):\n'
            "            self.velocities = {}\n"
            "        for k, p in enumerate(self.params):\n"
            "            grad = _grad(p)\n"
            "            if self.weight_decay:\n"
            "                grad = grad + self.weight_decay * p.data\n"
            "            if not self.momentum:\n"
            "                p.data -= self.lr * grad\n"
            "                continue\n"
            "            if k not in self.velocities:\n"
            "                self.velocities[k] = grad.copy()\n"
            "            else:\n"
            "                self.velocities[k] = self.momentum * self.velocities[k] + self.dampening * grad\n"
            "            v = self.velocities[k]\n"
            "            step = grad + self.momentum * v if self.nesterov else v\n"
            "            p.data -= self.lr * step\n",
        ),
        expect=("dampening-inverted",),
        phrases=("1 - dampening", "(1 - dampening)"),
    ),
]

ADAGRAD = [
    fresh(
        "hsag-adagrad-cache-rewrite-lr-decay-counted-from-t",
        "optimizers.Adagrad",
        "(shared idea, new code) a rewrite increments the step count first and then decays the rate with it, lr / "
        "(1 + t * lr_decay): the first step is already decayed; t counts from 1, the rate is lr / (1 + (t - 1) * "
        "lr_decay) (only visible with lr_decay > 0)",
        (
            _ADAGRAD,
            "        self.t += 1\n"
            "        for i, p in enumerate(self.params):\n"
            "            grad = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                grad = grad + self.weight_decay * p.data\n"
            '            cache = self.state[i]["sum"] + grad**2\n'
            '            self.state[i]["sum"] = cache\n'
            "            lr_t = self.lr / (1.0 + self.t * self.lr_decay)\n"
            "            p.data -= lr_t * grad / (np.sqrt(cache) + self.eps)\n",
        ),
        expect=("lr-decay-off-by-one", "step-count-off-by-one"),
        phrases=("t - 1", "first step"),
    ),
    fresh(
        "hsag-adagrad-coordinate-loop-steps-with-base-lr",
        "optimizers.Adagrad",
        "(shared idea, new code) a beginner's rewrite loops over every coordinate with np.ndindex, computes the "
        "decayed rate clr before the loop, but writes self.lr in the update line: lr_decay never acts; the step is "
        "clr * g / (sqrt(s) + eps)",
        (
            _ADAGRAD,
            "        self.t += 1\n"
            "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            '            G = state["sum"]\n'
            "            new_data = p.data.copy()\n"
            "            for idx in np.ndindex(g.shape):\n"
            "                G[idx] += g[idx] ** 2\n"
            "                new_data[idx] -= self.lr * g[idx] / (np.sqrt(G[idx]) + self.eps)\n"
            "            p.data = new_data\n",
        ),
        expect=("lr-decay-ignored",),
        phrases=("lr_decay",),
    ),
    fresh(
        "hsag-adagrad-accumulators-by-id-start-at-zeros",
        "optimizers.Adagrad",
        "(shared idea, new code) a rewrite keeps its accumulators in a dict keyed by id(p), created at the first step "
        "with np.zeros_like(g): initial_accumulator_value is never used (the sum must start at it, "
        "np.full_like(g, initial_accumulator_value))",
        (
            _ADAGRAD,
            "        self.t += 1\n"
            "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n"
            '        if not hasattr(self, "G"):\n'
            "            self.G = {}\n"
            "        for p in self.params:\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            "            key = id(p)\n"
            "            if key not in self.G:\n"
            "                self.G[key] = np.zeros_like(g)\n"
            "            self.G[key] = self.G[key] + g * g\n"
            "            p.data -= clr * g / (np.sqrt(self.G[key]) + self.eps)\n",
        ),
        # added after reading output (tag-vocabulary audit): initial-accumulator-ignored
        expect=("hyperparameter-ignored", "initial-accumulator-ignored"),
        phrases=("initial_accumulator_value", "initial accumulator"),
    ),
]

RMSPROP = [
    fresh(
        "hsag-rmsprop-torch-port-grad-avg-lerp-reversed",
        "optimizers.RMSprop",
        "(shared idea, new code: the reversed lerp was seen in Adam) a port of torch.optim.RMSprop with in-place "
        "state updates writes grad_avg.lerp_(grad, 1 - alpha) as grad_avg += (1 - alpha) * (grad_avg - grad), the "
        "difference reversed: the centered mean moves away from the gradient, m <- (2 - alpha) m - (1 - alpha) g, "
        "so the variance v - m^2 is wrong (only with centered=True); it is m += (1 - alpha) * (g - m)",
        (
            _RMSPROP,
            "        alpha = self.alpha\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            grad = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                grad = grad + self.weight_decay * p.data\n"
            '            square_avg = state["square_avg"]\n'
            "            square_avg *= alpha  # square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)\n"
            "            square_avg += (1.0 - alpha) * grad * grad\n"
            "            if self.centered:\n"
            '                grad_avg = state["grad_avg"]\n'
            "                grad_avg += (1.0 - alpha) * (grad_avg - grad)  # grad_avg.lerp_(grad, 1 - alpha)\n"
            "                avg = np.sqrt(np.maximum(square_avg - grad_avg * grad_avg, 0.0)) + self.eps\n"
            "            else:\n"
            "                avg = np.sqrt(square_avg) + self.eps\n"
            "            if self.momentum > 0:\n"
            '                buf = state["momentum_buffer"]\n'
            "                buf *= self.momentum\n"
            "                buf += grad / avg\n"
            "                p.data -= self.lr * buf\n"
            "            else:\n"
            "                p.data -= self.lr * grad / avg\n",
        ),
        expect=("sign-flipped", "centered-variance-formula"),
        phrases=("lerp", "grad_avg", "sign"),
    ),
    fresh(
        "hsag-rmsprop-coordinate-loop-centered-mean-not-squared",
        "optimizers.RMSprop",
        "(shared idea, new code) a beginner's rewrite updates every coordinate in an np.ndindex loop and writes the "
        "centered variance as v[i] - m[i], forgetting the square of the running mean: the denominator is "
        "sqrt(v - m) instead of sqrt(v - m^2) (only with centered=True)",
        (
            _RMSPROP,
            "        a = self.alpha\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            '            v, m, b = state["square_avg"], state["grad_avg"], state["momentum_buffer"]\n'
            "            step = np.zeros_like(g)\n"
            "            for i in np.ndindex(g.shape):\n"
            "                v[i] = a * v[i] + (1.0 - a) * g[i] * g[i]\n"
            "                if self.centered:\n"
            "                    m[i] = a * m[i] + (1.0 - a) * g[i]\n"
            "                    denom = np.sqrt(max(v[i] - m[i], 0.0)) + self.eps\n"
            "                else:\n"
            "                    denom = np.sqrt(v[i]) + self.eps\n"
            "                if self.momentum > 0:\n"
            "                    b[i] = self.momentum * b[i] + g[i] / denom\n"
            "                    step[i] = b[i]\n"
            "                else:\n"
            "                    step[i] = g[i] / denom\n"
            "            p.data -= self.lr * step\n",
        ),
        expect=("centered-mean-not-squared",),
        phrases=("m^2", "squared mean", "square of the mean", "grad_avg ** 2", "grad_avg**2"),
    ),
    fresh(
        "hsag-rmsprop-hinton-momentum-on-raw-gradient-divided-at-step",
        "optimizers.RMSprop",
        "(shared idea, new code) a rewrite from lecture notes keeps momentum on the raw gradient, b = momentum * b + "
        "g, and divides only at the update, p -= lr * b / rms: PyTorch's buffer accumulates the normalised gradient, "
        "b = momentum * b + g / rms, and the step is lr * b (the two differ as soon as rms changes between steps)",
        (
            _RMSPROP,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            '            state["square_avg"] = self.alpha * state["square_avg"] + (1.0 - self.alpha) * np.square(g)\n'
            "            if self.centered:\n"
            '                state["grad_avg"] = self.alpha * state["grad_avg"] + (1.0 - self.alpha) * g\n'
            '                spread = np.maximum(state["square_avg"] - np.square(state["grad_avg"]), 0.0)\n'
            "                rms = np.sqrt(spread) + self.eps\n"
            "            else:\n"
            '                rms = np.sqrt(state["square_avg"]) + self.eps\n'
            "            if self.momentum > 0:\n"
            '                state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + g\n'
            '                p.data -= self.lr * state["momentum_buffer"] / rms\n'
            "            else:\n"
            "                p.data -= self.lr * g / rms\n",
        ),
        expect=("momentum-before-scaling",),
        phrases=("g / avg", "normalised", "normalized", "raw gradient"),
    ),
]

ADADELTA = [
    fresh(
        "hsag-adadelta-zeiler-notation-accumulates-lr-scaled-update",
        "optimizers.Adadelta",
        "(shared idea, new code) a rewrite in Zeiler's notation (E[g^2], RMS[g], RMS[dx], dx = -RMS[dx] / RMS[g] * "
        "g, x += dx) folds lr into dx before accumulating it: E[dx^2] averages (lr * delta)^2, so with lr != 1 the "
        "next steps' numerator is wrong; acc_delta averages the unscaled delta and lr only scales the update",
        (
            _ADADELTA,
            "        rho, eps = self.rho, self.eps\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            '            E_g2 = rho * state["square_avg"] + (1.0 - rho) * g**2\n'
            "            RMS_g = np.sqrt(E_g2 + eps)\n"
            '            RMS_dx = np.sqrt(state["acc_delta"] + eps)\n'
            "            dx = -self.lr * (RMS_dx / RMS_g) * g\n"
            '            E_dx2 = rho * state["acc_delta"] + (1.0 - rho) * dx**2\n'
            '            state["square_avg"], state["acc_delta"] = E_g2, E_dx2\n'
            "            p.data += dx\n",
        ),
        expect=("adadelta-accumulates-scaled-step", "lr-applied-twice", "adadelta-lr-in-accumulator"),
        phrases=("unscaled", "learning rate"),
    ),
    fresh(
        "hsag-adadelta-rewrite-eps-only-under-the-denominator",
        "optimizers.Adadelta",
        "(shared idea, new code) a rewrite thinks eps only guards the division and writes delta = sqrt(u) / "
        "sqrt(v + eps) * g: acc_delta u starts at 0, so every delta is 0 and the parameters never move; eps in the "
        "numerator, sqrt(u + eps), is what starts the process",
        (
            _ADADELTA,
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = g + self.weight_decay * p.data\n"
            '            v = self.rho * state["square_avg"] + (1.0 - self.rho) * g * g\n'
            '            u = state["acc_delta"]\n'
            "            delta = np.sqrt(u) / np.sqrt(v + self.eps) * g\n"
            '            state["square_avg"] = v\n'
            '            state["acc_delta"] = self.rho * u + (1.0 - self.rho) * delta * delta\n'
            "            p.data -= self.lr * delta\n",
        ),
        expect=("adadelta-eps-numerator-missing", "all-zero", "does-not-converge"),
        phrases=("eps", "numerator"),
    ),
]

ADAM = [
    fresh(
        "hsag-adam-ng-notation-first-correction-with-beta2",
        "optimizers.Adam",
        "(shared idea, new code) a rewrite in Andrew Ng's notation (v, s, v_corrected, s_corrected) copies the "
        "second correction's line for the first one: v_corrected = v / (1 - beta2^t); the first moment is corrected "
        "by 1 - beta1^t, so the early steps are far too large",
        (
            _ADAM,
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        t = self.t\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            dw = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                dw = self._decay(p, dw)\n"
            '            v = beta1 * state["exp_avg"] + (1.0 - beta1) * dw\n'
            '            s = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * np.square(dw)\n'
            '            state["exp_avg"], state["exp_avg_sq"] = v, s\n'
            "            if self.amsgrad:\n"
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], s)\n'
            '                s = state["max_exp_avg_sq"]\n'
            "            v_corrected = v / (1.0 - beta2**t)\n"
            "            s_corrected = s / (1.0 - beta2**t)\n"
            "            p.data -= self.lr * v_corrected / (np.sqrt(s_corrected) + self.eps)\n",
        ),
        expect=("bias-correction-betas-swapped",),
        phrases=("beta1^t", "beta1**t", "1 - beta1"),
    ),
    fresh(
        "hsag-adam-in-place-moments-amsgrad-maximum-discarded",
        "optimizers.Adam",
        "(shared idea, new code) a rewrite updates the moments in place (m *= beta1; m += ...) and writes the "
        "amsgrad maximum as np.maximum(v_max, v) on a line of its own, as if it worked in place: the result is "
        "thrown away, v_max stays zero and the denominator is eps alone, so every amsgrad step is enormous; it needs "
        "out=v_max or an assignment",
        (
            _ADAM,
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        bc1 = 1.0 - beta1**self.t\n"
            "        bc2 = 1.0 - beta2**self.t\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            g = _grad(p)\n"
            "            if self.weight_decay != 0:\n"
            "                g = self._decay(p, g)\n"
            '            m, v, v_max = state["exp_avg"], state["exp_avg_sq"], state["max_exp_avg_sq"]\n'
            "            m *= beta1\n"
            "            m += (1.0 - beta1) * g\n"
            "            v *= beta2\n"
            "            v += (1.0 - beta2) * g**2\n"
            "            if self.amsgrad:\n"
            "                np.maximum(v_max, v)\n"
            "                v = v_max\n"
            "            p.data -= self.lr / bc1 * m / (np.sqrt(v / bc2) + self.eps)\n",
        ),
        expect=("amsgrad-ignored", "result-discarded", "state-reset"),
        phrases=("out=", "never stored", "not stored", "max_exp_avg_sq", "discarded"),
    ),
    fresh(
        "hsag-adam-rewrite-first-moment-before-weight-decay",
        "optimizers.Adam",
        "(shared idea, new code) a rewrite updates the first moment right after reading the gradient and adds the "
        "L2 term only afterwards, before the second moment: m averages the raw gradient and the decay reaches only "
        "v (only visible with weight_decay > 0); both moments take g = grad + weight_decay * p",
        (
            _ADAM,
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        step_size = self.lr / (1.0 - beta1**self.t)\n"
            "        root_bc2 = (1.0 - beta2**self.t) ** 0.5\n"
            "        for p, state in zip(self.params, self.state, strict=True):\n"
            "            grad = _grad(p)\n"
            '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * grad\n'
            "            if self.weight_decay != 0:\n"
            "                grad = self._decay(p, grad)\n"
            '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * grad * grad\n'
            '            v = state["exp_avg_sq"]\n'
            "            if self.amsgrad:\n"
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)\n'
            '                v = state["max_exp_avg_sq"]\n'
            '            p.data -= step_size * state["exp_avg"] / (np.sqrt(v) / root_bc2 + self.eps)\n',
        ),
        expect=("weight-decay-not-accumulated", "order-changed"),
        phrases=("weight decay", "first moment", "raw gradient"),
    ),
]

ADAMW = [
    fresh(
        "hsag-adamw-own-step-decays-with-zeroed-weight-decay",
        "optimizers.AdamW",
        "a rewrite gives Adam weight_decay=0 (so it adds no L2 term), keeps the real value as "
        "self.decoupled_weight_decay and overrides step() to shrink the weights before super().step(), but the "
        "shrink reads self.weight_decay, which it just set to 0: AdamW never decays; the factor is "
        "1 - lr * decoupled_weight_decay",
        (
            _ADAMW_INIT,
            "        # weight_decay=0 for Adam, so that it adds no L2 term; the decoupled decay is done in step()\n"
            "        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=0.0, amsgrad=amsgrad)\n"
            "        self.decoupled_weight_decay = float(weight_decay)\n"
            "\n"
            "    def step(self) -> None:\n"
            "        for p in self.params:\n"
            "            p.data *= 1.0 - self.lr * self.weight_decay\n"
            "        super().step()\n",
        ),
        expect=("weight-decay-ignored", "hyperparameter-ignored"),
        phrases=("never decays", "no decay", "weight_decay"),
    ),
    fresh(
        "hsag-adamw-functional-port-lerp-weights-swapped",
        "optimizers.AdamW",
        "(shared idea, new code) AdamW overrides step() with a port of torch's functional _single_tensor_adamw and "
        "writes exp_avg.lerp_(grad, 1 - beta1) as beta1 * grad + (1 - beta1) * exp_avg, the lerp's weight put on the "
        "old average: m keeps only a tenth of its past and takes 0.9 of the new gradient; m <- beta1 * m + "
        "(1 - beta1) * g",
        (
            _ADAMW_DECAY,
            _ADAMW_DECAY + "\n"
            "    def step(self) -> None:\n"
            '        """torch.optim.adamw._single_tensor_adamw, one parameter at a time."""\n'
            "        beta1, beta2 = self.betas\n"
            "        self.t += 1\n"
            "        bias_correction1 = 1.0 - beta1**self.t\n"
            "        bias_correction2_sqrt = (1.0 - beta2**self.t) ** 0.5\n"
            "        step_size = self.lr / bias_correction1\n"
            "        for param, state in zip(self.params, self.state, strict=True):\n"
            "            grad = _grad(param)\n"
            "            param.data = param.data * (1.0 - self.lr * self.weight_decay)\n"
            '            exp_avg = beta1 * grad + (1.0 - beta1) * state["exp_avg"]  # exp_avg.lerp_(grad, 1 - beta1)\n'
            '            exp_avg_sq = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * grad * grad\n'
            '            state["exp_avg"], state["exp_avg_sq"] = exp_avg, exp_avg_sq\n'
            "            if self.amsgrad:\n"
            '                state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], exp_avg_sq)\n'
            '                exp_avg_sq = state["max_exp_avg_sq"]\n'
            "            denom = np.sqrt(exp_avg_sq) / bias_correction2_sqrt + self.eps\n"
            "            param.data = param.data - step_size * exp_avg / denom\n",
        ),
        expect=("beta1-swapped",),
        phrases=("beta1", "lerp"),
    ),
    fresh(
        "hsag-adamw-paper-decay-without-lr",
        "optimizers.AdamW",
        "(shared idea, new code) _decay copies Loshchilov and Hutter's Algorithm 2 literally, theta <- theta - "
        "eta_t * lambda * theta with the schedule multiplier eta_t = 1, and writes p.data -= weight_decay * p.data: "
        "the learning rate is missing, so the weights shrink by 1 - weight_decay per step instead of "
        "1 - lr * weight_decay",
        (
            _ADAMW_DECAY,
            "        # Loshchilov & Hutter, Algorithm 2, line 12: theta_t <- theta_t-1 - eta_t * lambda * theta_t-1\n"
            "        p.data -= self.weight_decay * p.data\n"
            "        return g\n",
        ),
        expect=("adamw-decay-without-lr",),
        phrases=("learning rate", "lr * weight_decay"),
    ),
]

INIT = [
    fresh(
        "hsag-fans-weight-layout-read-as-in-out",
        "init.fan_in_and_fan_out",
        "(shared idea, new code) a rewrite unpacks the weight as in_features, out_features, *kernel = shape, the "
        "layout of W in x @ W from the lecture notes, where PyTorch's layout is (out, in, *kernel): fan_in and "
        "fan_out come out swapped for every non-square weight",
        (
            _FANS,
            "    in_features, out_features, *kernel = shape\n"
            "    receptive_field = 1\n"
            "    for k in kernel:\n"
            "        receptive_field *= k\n"
            "    fan_in = in_features * receptive_field\n"
            "    fan_out = out_features * receptive_field\n",
        ),
        expect=("fans-swapped",),
        phrases=("swapped", "(out, in"),
    ),
    fresh(
        "hsag-fans-loop-multiplies-fan-in-only",
        "init.fan_in_and_fan_out",
        "(shared idea, new code) a loop rewrite starts from fan_in = shape[1], fan_out = shape[0] and multiplies "
        "only fan_in by each kernel size: a convolution weight's fan_out misses its receptive field "
        "(C_out instead of C_out * kH * kW)",
        (
            _FANS,
            "    fan_in = shape[1]\n    fan_out = shape[0]\n    for size in shape[2:]:\n        fan_in *= size\n",
        ),
        expect=("receptive-field-ignored", "receptive-field-partial", "fan-out-wrong-axis"),
        phrases=("receptive field", "fan_out"),
    ),
    fresh(
        "hsag-xavier-uniform-affine-map-subtracts-one",
        "init.xavier_uniform",
        "(shared idea, new code) a rewrite draws u = rng.random(shape) in [0, 1) and maps it to [-b, b) as "
        "u * 2 * limit - 1: the 1 is subtracted unscaled, so the draws lie in [-1, 2b - 1), not centred; the map is "
        "(2 * u - 1) * limit",
        (
            _XAVIER_UNIFORM,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    limit = gain * math.sqrt(6.0 / (fan_in + fan_out))\n"
            "    u = rng.random(size=shape)  # U[0, 1)\n"
            "    weight = u * 2.0 * limit - 1.0\n",
        ),
        expect=("not-centred", "uniform-bound", "operator-precedence"),
        phrases=("centred", "centered", "2u - 1", "2 * u - 1", "[-b, b]"),
    ),
    fresh(
        "hsag-xavier-normal-variance-to-power-one-over-two",
        "init.xavier_normal",
        "(shared idea, new code) a rewrite computes the variance gain^2 * 2 / (fan_in + fan_out) and takes its root "
        "as variance ** 1 / 2, which is variance / 2: the standard deviation is half the variance instead of its "
        "square root (variance ** 0.5)",
        (
            _XAVIER_NORMAL,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    variance = gain**2 * 2.0 / (fan_in + fan_out)\n"
            "    weight = rng.standard_normal(size=shape) * variance**1 / 2\n",
        ),
        expect=("operator-precedence", "precedence", "sqrt-missing", "variance-as-std"),
        phrases=("sqrt", "square root", "precedence"),
    ),
    fresh(
        "hsag-kaiming-uniform-he-bound-sqrt6-times-gain",
        "init.kaiming_uniform",
        "(shared idea, new code) a rewrite copies He et al.'s ReLU bound sqrt(6 / fan) and multiplies it by the gain "
        "as well: the gain already holds ReLU's sqrt(2), so the factor 2 is counted twice; the bound is "
        "gain * sqrt(3 / fan)",
        (
            _KAIMING_UNIFORM,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            '    fan = {"fan_in": fan_in, "fan_out": fan_out}[mode]\n'
            "    gain = calculate_gain(nonlinearity, a)\n"
            "    bound = gain * math.sqrt(6.0 / fan)  # He et al.: U(-sqrt(6 / fan), sqrt(6 / fan))\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
        ),
        expect=("gain-twice", "formula-constant", "uniform-bound"),
        phrases=("sqrt(3", "counted twice", "gain already"),
    ),
    fresh(
        "hsag-kaiming-normal-gain-of-leaky-relu-hard-coded",
        "init.kaiming_normal",
        "(shared idea, new code) a rewrite writes calculate_gain('leaky_relu', a), the default nonlinearity, instead "
        "of calculate_gain(nonlinearity, a): kaiming_normal(..., nonlinearity='tanh' or 'linear') still gets the "
        "ReLU-like gain",
        (
            _KAIMING_NORMAL,
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            '    fan = fan_in if mode == "fan_in" else fan_out\n'
            '    std = calculate_gain("leaky_relu", a) / math.sqrt(fan)\n'
            "    weight = std * rng.standard_normal(size=shape)\n",
        ),
        expect=("nonlinearity-ignored", "hyperparameter-ignored"),
        phrases=("nonlinearity",),
    ),
]

TRAINING = [
    fresh(
        "hsag-minibatches-index-rewrite-targets-sliced-unpermuted",
        "training.minibatches",
        "(shared idea, new code) a rewrite draws an index order (a permutation or np.arange), cuts it into slices "
        "and takes X[rows], but slices y by position, y[start:start + step]: with shuffle the targets keep their "
        "stored order and no longer match their inputs; both must be indexed with rows",
        (
            _MINIBATCHES,
            "    n = len(X)\n"
            "    order = rng.permutation(n) if shuffle else np.arange(n)\n"
            "    step = n if batch_size is None else batch_size\n"
            "    for start in range(0, n, step):\n"
            "        rows = order[start : start + step]\n"
            "        batches.append((X[rows], y[start : start + step]))\n",
        ),
        expect=("unpaired-shuffle",),
        phrases=("pair", "same permutation"),
    ),
    fresh(
        "hsag-minibatches-array-split-into-ceil-count",
        "training.minibatches",
        "(shared idea, new code) a rewrite shuffles an index array in place, counts the batches as "
        "ceil(N / batch_size) and cuts with np.array_split, which spreads the remainder over all batches (7 samples "
        "in batches of 3 give 3, 2, 2 instead of 3, 3, 1): only the last batch may be smaller",
        (
            _MINIBATCHES,
            "    size = len(X) if batch_size is None else batch_size\n"
            "    indices = np.arange(len(X))\n"
            "    if shuffle:\n"
            "        rng.shuffle(indices)\n"
            "    n_batches = int(np.ceil(len(X) / size))\n"
            "    for chunk in np.array_split(indices, n_batches):\n"
            "        batches.append((X[chunk], y[chunk]))\n",
        ),
        expect=("batch-sizes", "uneven-batches", "remainder-batch"),
        phrases=("array_split", "remainder", "batch size"),
    ),
    fresh(
        "hsag-fit-seen-counter-not-reset-per-epoch",
        "training.fit",
        "a rewrite averages each epoch by the samples it has seen, but initialises the counter seen = 0 once, "
        "before the epoch loop, while the loss total is reset every epoch: from the second epoch the mean is divided "
        "by every sample seen so far (2N, 3N, ...); seen must be reset with the total",
        (
            _FIT,
            "    seen = 0\n"
            "    for _ in range(epochs):\n"
            "        running = 0.0\n"
            "        for xb, yb in minibatches(X, y, batch_size, shuffle, rng):\n"
            "            optimizer.zero_grad()\n"
            "            loss = loss_fn.forward(model.forward(xb), yb)\n"
            "            model.backward(loss_fn.backward())\n"
            "            optimizer.step()\n"
            "            running += float(loss) * len(xb)\n"
            "            seen += len(xb)\n"
            "        history.append(running / seen)\n",
        ),
        expect=("counter-not-reset", "total-not-reset", "loss-denominator"),
        phrases=("reset", "every epoch", "each epoch"),
    ),
    fresh(
        "hsag-fit-batches-listed-once-before-epochs",
        "training.fit",
        "(shared idea, new code) a rewrite materialises the batches once, batch_list = list(minibatches(...)), "
        "before the epoch loop, to 'save work': with shuffle every epoch visits the same batches in the same order "
        "(one permutation for the whole run); minibatches must be called every epoch so that each epoch gets a "
        "new order from the shared rng",
        (
            _FIT,
            "    batch_list = list(minibatches(X, y, batch_size, shuffle, rng))\n"
            "    for _ in range(epochs):\n"
            "        epoch_total = 0.0\n"
            "        for inputs, targets in batch_list:\n"
            "            optimizer.zero_grad()\n"
            "            predictions = model.forward(inputs)\n"
            "            batch_loss = loss_fn.forward(predictions, targets)\n"
            "            model.backward(loss_fn.backward())\n"
            "            optimizer.step()\n"
            "            epoch_total += len(inputs) * float(batch_loss)\n"
            "        history.append(epoch_total / len(X))\n",
        ),
        expect=("same-permutation", "shuffle-ignored"),
        phrases=("every epoch", "each epoch", "same order", "new order"),
    ),
]

MODELS = [
    fresh(
        "hsag-perceptron-update-sign-mapped-to-classes",
        "models.Perceptron",
        "(shared idea, new code) update predicts with the sign, mapped to classes as (np.sign(score) + 1) / 2: a "
        "score of exactly 0 (every sample at the start, when weight and bias are 0) predicts 0.5, so the error is "
        "+-0.5 and the update is half a step; a zero score predicts class 0",
        (
            _PERCEPTRON_UPDATE,
            "        score = x @ self.weight + self.bias\n"
            "        prediction = (np.sign(score) + 1.0) / 2.0  # sign in {-1, 1} -> class in {0, 1}\n"
            "        error = float(target) - float(prediction)\n"
            "        self.weight = self.weight + self.lr * error * x\n"
            "        self.bias = self.bias + self.lr * error\n",
        ),
        expect=("step-at-zero", "kink-value"),
        phrases=("0.5", "exactly 0", "zero score", "score of 0"),
    ),
    fresh(
        "hsag-perceptron-fit-clean-flag-set-once",
        "models.Perceptron",
        "(shared idea, new code) fit keeps a flag clean = True set once, before the epoch loop, and clears it on a "
        "mistake: after the first mistake no later epoch can look clean, so fit runs all max_epochs and returns "
        "False even on separable data; the flag must be set again at the start of every epoch",
        (
            _PERCEPTRON_FIT,
            "        clean = True\n"
            "        for _ in range(max_epochs):\n"
            "            for i in range(len(X)):\n"
            "                if self.update(X[i], y[i]) != 0.0:\n"
            "                    clean = False\n"
            "            if clean:\n"
            "                return True\n",
        ),
        expect=("mistakes-not-reset", "counter-not-reset", "fit-return-value"),
        phrases=("reset", "every epoch", "each epoch"),
    ),
    fresh(
        "hsag-sequential-torch-train-mode-not-passed-to-layers",
        "models.Sequential",
        "a student porting PyTorch writes train(self, mode=True) and eval() as return self.train(False), as "
        "torch.nn.Module does, but the loop in train() calls layer.train() whatever mode says: eval() sets the "
        "container's flag only, every layer stays in training mode (Dropout keeps dropping, BatchNorm keeps using and "
        "updating batch statistics); with mode False each layer needs layer.eval()",
        (
            _SEQUENTIAL_TRAIN_EVAL,
            "    def train(self, mode: bool = True) -> Sequential:\n"
            '        """Training mode for the container and every layer; train(False) is evaluation (PyTorch)."""\n'
            "        self.training = bool(mode)\n"
            "        for layer in self.layers:\n"
            "            layer.train()\n"
            "        return self\n"
            "\n"
            "    def eval(self) -> Sequential:\n"
            '        """Evaluation mode for the container and every layer."""\n'
            "        return self.train(False)\n",
        ),
        expect=("train-eval", "dropout-active-in-eval"),
        phrases=("eval()", "evaluation mode", "training mode"),
    ),
    fresh(
        "hsag-sequential-parameters-appends-each-list",
        "models.Sequential",
        "(shared idea, new code) parameters() is written as an index loop that appends each layer's parameters() to "
        "one list: the result is a list of lists (one per layer, empty ones for activations) instead of the flat "
        "list an optimizer needs; extend, not append",
        (
            _SEQUENTIAL_PARAMETERS,
            "        all_params = []\n"
            "        for i in range(len(self.layers)):\n"
            "            all_params.append(self.layers[i].parameters())\n"
            "        return all_params\n",
        ),
        expect=("parameters-nested", "list-extend-not-append"),
        phrases=("flat", "nested", "list of lists", "extend"),
    ),
]

GRADCHECK = [
    fresh(
        "hsag-numgrad-nditer-saved-value-is-a-view",
        "gradcheck.numerical_gradient",
        "a CS231n-style rewrite walks x with np.nditer and saves the entry as oldval = it[0]: that is a 0-d view of "
        "x, not a copy, so after x[ix] = oldval + h it holds x + h; the minus probe lands on x itself (the "
        "derivative comes out as (f(x + h) - f(x)) / 2h, about half) and the 'restore' writes x + h - h back, "
        "not exactly x; the saved value must be a copy (x[ix] or float(it[0]))",
        (
            _NUMGRAD,
            '    it = np.nditer(x, flags=["multi_index"])\n'
            "    while not it.finished:\n"
            "        ix = it.multi_index\n"
            "        oldval = it[0]\n"
            "        x[ix] = oldval + h\n"
            "        fxph = float(f(x))\n"
            "        x[ix] = oldval - h\n"
            "        fxmh = float(f(x))\n"
            "        x[ix] = oldval\n"
            "        grad[ix] = (fxph - fxmh) / (2 * h)\n"
            "        it.iternext()\n",
        ),
        expect=(
            "aliasing",
            "probe-wrong-point",
            "not-restored",
            # the last tag added after reading output
            "probe-at-x",
        ),
        phrases=("view", "copy", "alias"),
    ),
    fresh(
        "hsag-numgrad-probes-a-flattened-copy",
        "gradcheck.numerical_gradient",
        "(shared idea, new code) a flat-index rewrite perturbs flat_x = x.flatten() and calls f(x): flatten returns "
        "a copy, so f never sees the probes and every derivative is 0; a view (x.reshape(-1) of a contiguous x) "
        "or indexing x itself is needed",
        (
            _NUMGRAD,
            "    flat_x = x.flatten()\n"
            "    flat_grad = grad.reshape(-1)\n"
            "    for i in range(flat_x.size):\n"
            "        saved = flat_x[i]\n"
            "        flat_x[i] = saved + h\n"
            "        up = float(f(x))\n"
            "        flat_x[i] = saved - h\n"
            "        down = float(f(x))\n"
            "        flat_x[i] = saved\n"
            "        flat_grad[i] = (up - down) / (2 * h)\n",
        ),
        expect=("perturbs-copy", "copy-not-view"),
        phrases=("flatten", "copy", "view"),
    ),
    fresh(
        "hsag-relerr-where-floor-on-abs-of-sum",
        "gradcheck.relative_error",
        "(shared idea, new code) a rewrite floors the denominator with np.where(scale < 1e-8, 1e-8, scale) but "
        "builds scale as |a + b|: entries of opposite signs nearly cancel and entries of equal size and opposite "
        "sign hit the floor; the denominator is |a| + |b|",
        (
            _RELERR,
            "    a = np.asarray(a, dtype=np.float64)\n"
            "    b = np.asarray(b, dtype=np.float64)\n"
            "    if a.size == 0 and b.size == 0:\n"
            "        return 0.0\n"
            "    diff = np.abs(a - b)\n"
            "    scale = np.abs(a + b)\n"
            "    scale = np.where(scale < 1e-8, 1e-8, scale)\n"
            "    return float((diff / scale).max())\n",
        ),
        expect=("abs-of-sum",),
        phrases=("|a| + |b|", "abs(a) + abs(b)"),
    ),
    fresh(
        "hsag-relerr-gradcheck-relative-to-numerical",
        "gradcheck.relative_error",
        "(shared idea, new code) a rewrite thinks of b as the trusted numerical gradient and divides by it alone, "
        "|a - b| / max(1e-8, |b|): the relative error is symmetric, |a - b| / max(1e-8, |a| + |b|), and comes out "
        "about twice as large (or far larger where b is small) with b alone",
        (
            _RELERR,
            "    analytic = np.asarray(a, dtype=np.float64)\n"
            "    numeric = np.asarray(b, dtype=np.float64)\n"
            "    if analytic.size == 0 and numeric.size == 0:\n"
            "        return 0.0\n"
            "    errors = np.abs(analytic - numeric) / np.maximum(1e-8, np.abs(numeric))\n"
            "    return float(errors.max())\n",
        ),
        expect=("relative-to-a", "formula-wrong"),
        phrases=("|a| + |b|", "symmetric"),
    ),
]

EARLY_STOPPING = [
    fresh(
        "hsag-early-stopping-restores-in-the-stop-branch",
        "early_stopping.fit_early_stopping",
        "(shared idea, new code) a rewrite puts load_state(model, snapshot) inside the branch where patience runs "
        "out, just before break: a run that reaches max_epochs without stopping keeps its last weights although "
        "restore_best asks for the best ones; restore after the loop, whether or not training stopped early",
        (
            _EARLY_STOPPING,
            '    best_val = float("inf")\n'
            "    snapshot = None\n"
            "    bad_epochs = 0\n"
            "    for epoch in range(1, max_epochs + 1):\n"
            "        train_loss = fit(model, loss_fn, optimizer, X, y, 1, batch_size, shuffle, rng)[0]\n"
            "        val_loss = evaluate_loss(model, loss_fn, X_val, y_val)\n"
            "        history.train_losses.append(train_loss)\n"
            "        history.val_losses.append(val_loss)\n"
            "        if val_loss < best_val - min_delta:\n"
            "            best_val = val_loss\n"
            "            history.best_epoch = epoch\n"
            "            bad_epochs = 0\n"
            "            if restore_best:\n"
            "                snapshot = copy_state(model)\n"
            "            continue\n"
            "        bad_epochs += 1\n"
            "        if bad_epochs >= patience:\n"
            "            history.stopped_epoch = epoch\n"
            "            if restore_best and snapshot is not None:\n"
            "                load_state(model, snapshot)\n"
            "            break\n",
        ),
        expect=("restore-best-ignored", "restores-last"),
        phrases=("max_epochs", "whether or not", "also when"),
    ),
    fresh(
        "hsag-early-stopping-keras-rewrite-fit-without-rng",
        "early_stopping.fit_early_stopping",
        "(shared idea, new code) a Keras-like rewrite (wait, best, best_weights) calls fit(model, loss_fn, "
        "optimizer, X, y, epochs=1, batch_size=batch_size, shuffle=shuffle) and leaves rng out: with shuffle every "
        "epoch's order comes from the default generator instead of the rng the caller passed",
        (
            _EARLY_STOPPING,
            '    best = float("inf")\n'
            "    best_weights = None\n"
            "    wait = 0\n"
            "    for epoch in range(1, max_epochs + 1):\n"
            "        losses = fit(model, loss_fn, optimizer, X, y, epochs=1, batch_size=batch_size, shuffle=shuffle)\n"
            "        history.train_losses.append(losses[-1])\n"
            "        current = evaluate_loss(model, loss_fn, X_val, y_val)\n"
            "        history.val_losses.append(current)\n"
            "        if current < best - min_delta:\n"
            "            best = current\n"
            "            history.best_epoch = epoch\n"
            "            wait = 0\n"
            "            if restore_best:\n"
            "                best_weights = copy_state(model)\n"
            "        else:\n"
            "            wait += 1\n"
            "            if wait >= patience:\n"
            "                history.stopped_epoch = epoch\n"
            "                break\n"
            "    if restore_best and best_weights is not None:\n"
            "        load_state(model, best_weights)\n",
        ),
        expect=("rng-ignored",),
        phrases=("rng",),
    ),
]

FRESH_AG2: list[Mutant] = [
    *SGD,
    *ADAGRAD,
    *RMSPROP,
    *ADADELTA,
    *ADAM,
    *ADAMW,
    *INIT,
    *TRAINING,
    *MODELS,
    *GRADCHECK,
    *EARLY_STOPPING,
]
