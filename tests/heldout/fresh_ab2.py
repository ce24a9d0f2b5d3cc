"""Held-apart set AB, part 2: fresh student bugs in the optimizers, init, training, models, gradcheck and early
stopping, written blind after sets A to AA had been seen.

Set AB part 2 was written blind, at the same time as part 1 (activations, losses and layers, fresh_ab.py, which its
author did not read): its author read the reference (reference/*.py), docs/api.md, tests/heldout/_edits.py, the
format, docstrings, ids and descriptions of sets P to Z and AA, the ``expect`` tags of the catalogue (graders/mutants)
and of tests/heldout (for the tag vocabulary only), and of tests/test_feedback_generalisation.py only its FAMILIES and
SETS dicts (and its ``_changes``, ``catalogue()`` and ``EVERY`` to test for copies, which printed the ids of the
bugs copied). The author never read the diagnosis (graders/judging, graders/reporting, graders/running,
graders/selfcheck, graders/runner.py), nnlab/, tests/evidence.py, the feedback audit, the mistake, crash, diagnosis
and feedback tests, benchmarks/, /work/tools/*, the grader's feedback or its output, and graded none of these bugs.
Written under a short deadline.

About 100 candidates (101) were written in seven rounds. The (component, _changes) test reported 60 of them as
textual copies of catalogue mutants or earlier held-apart bugs (most of the first ideas that come to mind for these
components, such as momentum as a moving average, Adagrad's t counted per parameter, zero_grad once per epoch, step
before backward, a generator parameters(), unweighted or last-batch epoch losses, the Perceptron's sign and >= 0
threshold, Python's max on arrays, early stopping that ignores restore_best or validates before training); those were
dropped and replaced. Two more were dropped by the author as not clearly mistakes under docs/api.md:
fan_in_and_fan_out through np.prod (the empty product is the float 1.0; only the fans' types change and api.md does
not require ints) and minibatches written as a generator (api.md describes drawing the permutation at the call as
what "the reference" does). Every remaining edit was run beside the reference with a script of the author's own on
small inputs (two parameters of different shapes over six steps of varying gradients, with and without momentum,
Nesterov, dampening, weight decay, lr_decay, centered, amsgrad and non-default eps, betas, rho and alpha; 2-D, 3-D and
4-D init shapes with gains, slopes, modes and nonlinearities; minibatches with and without shuffling and remainder
batches; fit and early stopping with mini-batches, shuffling, a seeded default generator, stale gradients,
restore_best off and several patiences; a nested Sequential with Dropout and a duck-typed layer; a transposed input and
a closure over the caller's array for numerical_gradient) and changed a result or raised. Some show only in a corner
the API still fixes: RMSprop's momentum key only with centered and momentum together, Adagrad's rewritten lr only
with lr_decay, fit's zero_grad after step only with gradients left over before fit, the Perceptron checking
predict after each epoch only when max_epochs cuts the run short, the unseeded generators only under manual_seed,
the reshape probes only for a non-contiguous x.

Classes covered: numpy semantics (``np.sqrt(..., out=)`` into Adagrad's sum, ``dict.fromkeys`` sharing one zeros array
between Adam's moments, ``x.reshape(-1)`` that is a copy for a non-contiguous x, ``astype`` that always copies,
``rng.random(*shape)`` in np.random.rand's convention, ``rng.normal`` without size broadcast into the weight,
``np.max`` of the numerator before the division), Python semantics (a mutable default argument collecting
parameters, ``and``/``or`` precedence in SGD's Nesterov check, ``return`` indented into a loop in Sequential's forward
and train and the Perceptron's fit, the buffer stored only in one branch), order of updates and state (L2 term after
SGD's momentum, AdamW's decay after Adam's step, Adam's corrected moment stored back, Adadelta's eps stored in the
average, RMSprop's average started at the first square, zero_grad after step, the Perceptron testing predict after the
epoch), state keys and hyper-parameters (RMSprop's velocity under the centered mean's key, Adadelta's numerator reading
the denominator's state, Adagrad's decayed rate written into lr, AdamW's weight decay hidden from Adam's gate, AdamW
decaying p.grad, the Perceptron's random start), formulas
remembered wrongly (Adam's efficient form with eps-hat, Adadelta's ratio without roots, RMSprop's eps added to the
step, Glorot's fan sum as sum(shape), Kaiming's draws re-centred, the relative error's global numerator), layouts and
shapes (a convolution weight read as (in, out, kH, kW), Kaiming drawn as the im2col matrix), and code that does not fit
together (a new permutation per mini-batch, np.array_split by batch count, early stopping's break outside the patience
test and stopped_epoch set after the loop). Ids start with ``hsab-``. The ``expect`` tags and ``phrases`` were decided
from the misconception alone, before any grading, from the existing vocabulary.

Blind rate: measured with part 1 (fresh_ab.py's docstring has the figures of the whole set). In this part: 32/39
named, 37 caught, 2 flagged (SGD's first velocity not stored, read as state reset, the right diagnosis under another
tag; Kaiming's single draw broadcast, read as a draw not centred and with uniform tails: wrong). Two bugs were dropped
after grading as outside what the graders check: fit's and early stopping's fresh unseeded generators, which show only
under ``manual_seed``, and docs/api.md says the graders never call it; neither was caught.
"""

from __future__ import annotations

from functools import partial

from nnlab.graders.mutants import Mutant

from ._edits import held_apart_bug, span

fresh = partial(held_apart_bug, "hsab-")  # set AB


OPTIMIZERS = [
    fresh(
        "hsab-sgd-nesterov-check-without-parentheses",
        "optimizers.SGD",
        "the Nesterov check is written `nesterov and momentum <= 0 or dampening != 0`: `and` binds tighter than "
        "`or`, so any non-zero dampening raises a ValueError even without Nesterov; the condition is "
        "nesterov and (momentum <= 0 or dampening != 0)",
        (
            "        if nesterov and (momentum <= 0 or dampening != 0):\n",
            "        if nesterov and momentum <= 0 or dampening != 0:\n",
        ),
        expect=("operator-precedence", "precedence", "valid-input-refused"),
        phrases=("dampening",),
    ),
    fresh(
        "hsab-sgd-decay-added-after-momentum",
        "optimizers.SGD",
        "the L2 term is added to the direction after the momentum block: the velocity accumulates the raw gradient "
        "and only the step sees weight_decay * p; the decayed gradient g = grad + weight_decay * p is what enters "
        "the momentum buffer",
        span(
            "optimizers",
            (
                "            if self.weight_decay != 0:\n"
                "                g = g + self.weight_decay * p.data\n"
                "            if self.momentum != 0:\n",
                "            if self.momentum != 0:\n",
            ),
            (
                "            p.data -= self.lr * g\n",
                "            if self.weight_decay != 0:\n"
                "                g = g + self.weight_decay * p.data\n"
                "            p.data -= self.lr * g\n",
            ),
        ),
        expect=("weight-decay-after-momentum", "order-changed"),
        phrases=("decay",),
    ),
    fresh(
        "hsab-adagrad-decayed-rate-written-into-lr",
        "optimizers.Adagrad",
        "the decayed rate is stored back into self.lr: every step decays the rate already decayed by the steps "
        "before (lr / prod of (1 + (k - 1) lr_decay)) and the lr attribute changes; lr_t = lr / (1 + (t - 1) "
        "lr_decay) is computed from the constructor's lr into a local",
        span(
            "optimizers",
            (
                "        clr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n",
                "        self.lr = self.lr / (1.0 + (self.t - 1) * self.lr_decay)\n",
            ),
            (
                '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
                '            p.data -= self.lr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
            ),
        ),
        expect=("lr-decay-compounded", "hyperparameter-overwritten"),
        phrases=("lr",),
    ),
    fresh(
        "hsab-adadelta-numerator-reads-square-avg",
        "optimizers.Adadelta",
        "the numerator's RMS reads square_avg (copied from the denominator's line) instead of acc_delta: the ratio "
        "is 1 and the step is plain lr * g; delta = sqrt(u + eps) / sqrt(v + eps) * g with u the running average "
        "of squared updates",
        (
            '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n',
            '            delta = np.sqrt(state["square_avg"] + self.eps) / std * g\n',
        ),
        expect=("copy-paste-wrong-state", "copy-paste"),
        phrases=("acc_delta",),
    ),
    fresh(
        "hsab-adadelta-eps-stored-in-average",
        "optimizers.Adadelta",
        "eps is added into the stored square average at every step, where it piles up towards eps / (1 - rho): "
        "it belongs under the root only, sqrt(v + eps), with v the plain running average of g^2",
        (
            '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g\n'
            '            std = np.sqrt(state["square_avg"] + self.eps)\n',
            '            state["square_avg"] = rho * state["square_avg"] + (1.0 - rho) * g * g + self.eps\n'
            '            std = np.sqrt(state["square_avg"])\n',
        ),
        expect=("eps-accumulated-in-state",),
        phrases=("eps",),
    ),
    fresh(
        "hsab-adadelta-ratio-of-mean-squares",
        "optimizers.Adadelta",
        "the step scales g by (u + eps) / (v + eps), the ratio of the mean squares: Adadelta's ratio is of root "
        "mean squares, sqrt(u + eps) / sqrt(v + eps)",
        (
            '            std = np.sqrt(state["square_avg"] + self.eps)\n'
            '            delta = np.sqrt(state["acc_delta"] + self.eps) / std * g\n',
            '            std = state["square_avg"] + self.eps\n'
            '            delta = (state["acc_delta"] + self.eps) / std * g\n',
        ),
        expect=("sqrt-missing",),
    ),
    fresh(
        "hsab-adam-corrected-moment-stored",
        "optimizers.Adam",
        "the bias-corrected first moment m / (1 - beta1^t) is stored back into exp_avg (and the step uses lr): the "
        "next step averages an already corrected value and corrects it again; the state keeps the raw average "
        "and only the step divides by 1 - beta1^t",
        span(
            "optimizers",
            ("        step_size = self.lr / bias_correction1\n", "        step_size = self.lr\n"),
            (
                '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n',
                '            state["exp_avg"] = (beta1 * state["exp_avg"] + (1.0 - beta1) * g) / bias_correction1\n',
            ),
        ),
        # added after reading output (tag-vocabulary audit): corrected-moment-stored
        expect=("saved-state-overwritten", "bias-correction-twice", "corrected-moment-stored"),
        phrases=("bias",),
    ),
    fresh(
        "hsab-adam-state-fromkeys-one-array",
        "optimizers.Adam",
        "the state is built with dict.fromkeys(keys, _zeros_like(p)), which gives every key the same array, and "
        "the moments are updated in place: m, v and v_max are one buffer that both updates write into; each key "
        "needs its own zeros",
        span(
            "optimizers",
            (
                "        self.state = [\n"
                '            {"exp_avg": _zeros_like(p), "exp_avg_sq": _zeros_like(p), '
                '"max_exp_avg_sq": _zeros_like(p)}\n'
                "            for p in self.params\n"
                "        ]\n",
                "        self.state = [\n"
                '            dict.fromkeys(("exp_avg", "exp_avg_sq", "max_exp_avg_sq"), _zeros_like(p)) '
                "for p in self.params\n"
                "        ]\n",
            ),
            (
                '            state["exp_avg"] = beta1 * state["exp_avg"] + (1.0 - beta1) * g\n'
                '            state["exp_avg_sq"] = beta2 * state["exp_avg_sq"] + (1.0 - beta2) * g * g\n',
                '            state["exp_avg"] *= beta1\n'
                '            state["exp_avg"] += (1.0 - beta1) * g\n'
                '            state["exp_avg_sq"] *= beta2\n'
                '            state["exp_avg_sq"] += (1.0 - beta2) * g * g\n',
            ),
        ),
        expect=("aliasing", "saved-state-overwritten"),
        phrases=("fromkeys",),
    ),
    fresh(
        "hsab-adamw-decay-hidden-from-adam-step",
        "optimizers.AdamW",
        "AdamW passes weight_decay=0 to Adam (so that Adam adds no L2 term) and keeps the decay in its own "
        "attribute: Adam.step calls _decay only when self.weight_decay != 0, so the decoupled decay never runs; "
        "keep weight_decay and override only _decay",
        span(
            "optimizers",
            (
                "        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, "
                "amsgrad=amsgrad)\n",
                "        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=0.0, amsgrad=amsgrad)\n"
                "        self.decoupled_weight_decay = float(weight_decay)\n",
            ),
            (
                "        p.data *= 1.0 - self.lr * self.weight_decay\n",
                "        p.data *= 1.0 - self.lr * self.decoupled_weight_decay\n",
            ),
        ),
        expect=("weight-decay-ignored", "hyperparameter-ignored"),
        phrases=("weight_decay",),
    ),
    fresh(
        "hsab-adamw-decay-after-adam-step",
        "optimizers.AdamW",
        "the decoupled decay is applied after Adam's update, p <- (p - step) (1 - lr * weight_decay): AdamW shrinks "
        "the parameter first and then takes Adam's step, p <- p (1 - lr * weight_decay) - step, so the step "
        "itself is not decayed",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n        ### END SOLUTION\n",
            "        return g\n"
            "        ### END SOLUTION\n"
            "\n"
            "    def step(self) -> None:\n"
            '        """Adam\'s step, then the decoupled decay."""\n'
            "        super().step()\n"
            "        for p in self.params:\n"
            "            p.data *= 1.0 - self.lr * self.weight_decay\n",
        ),
        expect=("adamw-decay-after-step", "order-changed"),
        phrases=("before",),
    ),
    fresh(
        "hsab-sgd-first-velocity-not-stored",
        "optimizers.SGD",
        "the buffer is written back into the state only in the else branch: the first step's velocity (b = g) is "
        "never stored, so the buffer stays None and every step starts again from b = g, which turns momentum off; "
        "store the buffer after both branches",
        (
            "                if buf is None:\n"
            "                    buf = g.copy()  # the first step starts the velocity at the gradient\n"
            "                else:\n"
            "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n"
            '                state["momentum_buffer"] = buf\n',
            "                if buf is None:\n"
            "                    buf = g.copy()  # the first step starts the velocity at the gradient\n"
            "                else:\n"
            "                    buf = self.momentum * buf + (1.0 - self.dampening) * g\n"
            '                    state["momentum_buffer"] = buf\n',
        ),
        # the last tag added after reading output
        expect=("state-not-saved", "update-in-one-branch", "momentum-ignored", "state-reset"),
        phrases=("momentum_buffer",),
    ),
    fresh(
        "hsab-rmsprop-momentum-in-grad-avg-key",
        "optimizers.RMSprop",
        "the momentum velocity is kept under the key 'grad_avg', the centered mean's: with centered=True and "
        "momentum both write the same entry, so the mean gradient is mixed with the velocity; the velocity has "
        "its own state, momentum_buffer",
        (
            '                state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + g / avg\n'
            '                p.data -= self.lr * state["momentum_buffer"]\n',
            '                state["grad_avg"] = self.momentum * state["grad_avg"] + g / avg\n'
            '                p.data -= self.lr * state["grad_avg"]\n',
        ),
        expect=("state-key-mismatch", "copy-paste-wrong-state"),
        phrases=("grad_avg",),
    ),
    fresh(
        "hsab-rmsprop-eps-added-to-step",
        "optimizers.RMSprop",
        "the update is typed as lr * g / sqrt(v) + eps: eps is added to the step (subtracted from every weight) "
        "instead of to the denominator, and a coordinate whose gradient has always been 0 gives 0 / 0 = nan; "
        "avg = sqrt(v) + eps, then p <- p - lr * g / avg",
        span(
            "optimizers",
            (
                '                avg = np.sqrt(state["square_avg"]) + self.eps\n',
                '                avg = np.sqrt(state["square_avg"])\n',
            ),
            (
                "                p.data -= self.lr * (g / avg)\n",
                "                p.data -= self.lr * g / avg + self.eps\n",
            ),
        ),
        # added after reading output (tag-vocabulary audit): eps-missing
        expect=("eps-added-to-step", "operator-precedence", "eps-missing"),
        phrases=("eps",),
    ),
    fresh(
        "hsab-adam-efficient-form-eps",
        "optimizers.Adam",
        "Adam is written in the paper's 'efficient' form, step size lr * sqrt(1 - beta2^t) / (1 - beta1^t) over "
        "sqrt(v) + eps: eps is then effectively scaled by sqrt(1 - beta2^t), so the step differs where sqrt(v) is "
        "comparable with eps; the API (PyTorch) divides by sqrt(v) / sqrt(1 - beta2^t) + eps",
        span(
            "optimizers",
            (
                "        step_size = self.lr / bias_correction1\n",
                "        step_size = self.lr * bias_correction2**0.5 / bias_correction1\n",
            ),
            (
                "            denom = np.sqrt(v) / bias_correction2_sqrt + self.eps\n",
                "            denom = np.sqrt(v) + self.eps\n",
            ),
        ),
        expect=("adam-eps-hat", "eps-inside-correction"),
        phrases=("eps",),
    ),
    fresh(
        "hsab-adagrad-root-computed-into-sum",
        "optimizers.Adagrad",
        "the root is taken with np.sqrt(state['sum'], out=state['sum']) to save an array: the accumulator itself "
        "is replaced by its square root, so the next step adds g^2 to sqrt(s) instead of to s; compute the root "
        "into a new array",
        (
            '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
            '            std = np.sqrt(state["sum"], out=state["sum"])\n'
            "            p.data -= clr * (g / (std + self.eps))\n",
        ),
        expect=("aliasing", "saved-state-overwritten"),
        phrases=("out=",),
    ),
    fresh(
        "hsab-rmsprop-average-started-at-first-square",
        "optimizers.RMSprop",
        "the square average is started at the first squared gradient (while it is still all zeros) to avoid the "
        "zero start's bias: RMSprop has no such correction, v starts at 0 and the first step is "
        "v = (1 - alpha) g^2",
        (
            '            state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n',
            '            if not state["square_avg"].any():\n'
            '                state["square_avg"] = g * g\n'
            "            else:\n"
            '                state["square_avg"] = a * state["square_avg"] + (1.0 - a) * g * g\n',
        ),
        expect=("average-started-at-first-value", "state-not-initialised"),
        phrases=("zero",),
    ),
    fresh(
        "hsab-adamw-decay-applied-to-grad",
        "optimizers.AdamW",
        "the decoupled decay multiplies p.grad in place (p.grad *= 1 - lr * weight_decay) instead of p: the "
        "weights are never shrunk (Adam's step barely feels a rescaled gradient) and step() changes p.grad; the "
        "decay is p <- p (1 - lr * weight_decay), on the parameter",
        (
            "        p.data *= 1.0 - self.lr * self.weight_decay\n        return g\n",
            "        p.grad *= 1.0 - self.lr * self.weight_decay\n"
            "        return np.asarray(p.grad, dtype=np.float64)\n",
        ),
        expect=("adamw-decays-gradient", "modifies-grad", "grad-for-data"),
        phrases=("p.grad",),
    ),
]


OTHERS = [
    fresh(
        "hsab-minibatches-array-split-by-count",
        "training.minibatches",
        "the data is cut with np.array_split into len(X) // batch_size nearly equal parts: when batch_size does "
        "not divide N the remainder is spread over the first batches (10 samples, batch_size 3: 4, 3, 3) instead "
        "of batches of batch_size and a smaller last one (3, 3, 3, 1)",
        (
            "    for start in range(0, len(X), max(size, 1)):\n"
            "        batches.append((X[start : start + size], y[start : start + size]))\n",
            "    count = max(len(X) // size, 1)\n"
            "    batches.extend(zip(np.array_split(X, count), np.array_split(y, count)))\n",
        ),
        expect=("batch-sizes", "uneven-batches", "remainder-batch"),
        phrases=("array_split",),
    ),
    fresh(
        "hsab-minibatches-permutation-per-batch",
        "training.minibatches",
        "a new permutation is drawn before every batch, and each batch is sliced from a different order: some "
        "samples land in several batches of the epoch and others in none; draw one permutation per call, before "
        "slicing",
        (
            "    if shuffle:\n"
            "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n"
            "        X, y = X[order], y[order]\n"
            "    size = len(X) if batch_size is None else batch_size\n"
            "    for start in range(0, len(X), max(size, 1)):\n",
            "    size = len(X) if batch_size is None else batch_size\n"
            "    for start in range(0, len(X), max(size, 1)):\n"
            "        if shuffle:\n"
            "            order = rng.permutation(len(X))\n"
            "            X, y = X[order], y[order]\n",
        ),
        expect=("not-a-permutation", "entries-skipped"),
        phrases=("permutation",),
    ),
    fresh(
        "hsab-numgrad-probes-through-reshape",
        "gradcheck.numerical_gradient",
        "the entries are probed through x.reshape(-1), which is a view of x only when x is contiguous: for a "
        "transposed or strided x it is a copy, the probes never reach the x that f sees and the gradient is all "
        "zeros; perturb x itself, x[index] over np.ndindex(x.shape)",
        (
            "    for index in np.ndindex(x.shape):\n"
            "        original = x[index]\n"
            "        x[index] = original + h\n"
            "        f_plus = float(f(x))\n"
            "        x[index] = original - h\n"
            "        f_minus = float(f(x))\n"
            "        x[index] = original  # restore exactly: no accumulated round-off\n"
            "        grad[index] = (f_plus - f_minus) / (2 * h)\n",
            "    flat_x = x.reshape(-1)\n"
            "    flat_grad = grad.reshape(-1)\n"
            "    for i in range(flat_x.size):\n"
            "        original = flat_x[i]\n"
            "        flat_x[i] = original + h\n"
            "        f_plus = float(f(x))\n"
            "        flat_x[i] = original - h\n"
            "        f_minus = float(f(x))\n"
            "        flat_x[i] = original\n"
            "        flat_grad[i] = (f_plus - f_minus) / (2 * h)\n",
        ),
        expect=("copy-not-view", "perturbs-copy", "non-contiguous-input"),
        phrases=("copy",),
    ),
    fresh(
        "hsab-early-stopping-stopped-epoch-set-after-loop",
        "early_stopping.fit_early_stopping",
        "stopped_epoch is set after the loop to the last epoch run, also when all max_epochs ran: it stays None "
        "unless patience ran out, and is then the epoch after which training stopped",
        (
            "            if waited >= patience:\n"
            "                history.stopped_epoch = epoch\n"
            "                break\n"
            "    if restore_best and best_state is not None:\n",
            "            if waited >= patience:\n"
            "                break\n"
            "    history.stopped_epoch = epoch\n"
            "    if restore_best and best_state is not None:\n",
        ),
        expect=("stopped-epoch",),
        phrases=("none",),
    ),
    fresh(
        "hsab-xavier-uniform-random-unpacked-shape",
        "init.xavier_uniform",
        "the draws come from rng.random(*shape), np.random.rand's calling convention: Generator.random takes the "
        "shape as one tuple (its second argument is the dtype), so it raises; rng.uniform(-bound, bound, "
        "size=shape) or rng.random(shape)",
        (
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n"
            "    weight = rng.uniform(-bound, bound, size=shape)\n",
            "    bound = math.sqrt(3.0) * std  # U(-b, b) has variance b^2 / 3\n"
            "    weight = (2.0 * rng.random(*shape) - 1.0) * bound\n",
        ),
        expect=("rand-unpacked-shape", "wrong-shape"),
        phrases=("tuple",),
    ),
    fresh(
        "hsab-xavier-normal-fans-from-shape-sum",
        "init.xavier_normal",
        "fan_in + fan_out is taken as sum(shape), right for a Linear weight (out, in) only: for a convolution "
        "weight the fans are in * prod(k) and out * prod(k), whose sum is (in + out) * prod(k), not "
        "in + out + kH + kW",
        (
            "    fan_in, fan_out = fan_in_and_fan_out(shape)\n"
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain * math.sqrt(2.0 / sum(shape))\n    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("receptive-field-ignored", "sum-for-product"),
        phrases=("receptive",),
    ),
    fresh(
        "hsab-kaiming-uniform-drawn-as-matrix",
        "init.kaiming_uniform",
        "the weights are drawn as the im2col matrix (out, in * prod(k)): a convolution weight must come back in "
        "the shape asked for, (out, in, kH, kW); draw size=shape",
        (
            "    bound = math.sqrt(3.0) * std\n    weight = rng.uniform(-bound, bound, size=shape)\n",
            "    bound = math.sqrt(3.0) * std\n"
            "    weight = rng.uniform(-bound, bound, size=(shape[0], math.prod(shape[1:])))\n",
        ),
        expect=("wrong-shape", "drawn-flattened"),
        phrases=("shape",),
    ),
    fresh(
        "hsab-kaiming-normal-one-draw-broadcast",
        "init.kaiming_normal",
        "translating PyTorch's tensor.normal_(0, std), one number is drawn (rng.normal without size) and "
        "broadcast into the array: every weight has the same value; draw size=shape independent values",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain / math.sqrt(fan)\n    weight = np.empty(shape)\n    weight[...] = rng.normal(0.0, std)\n",
        ),
        expect=("draw-broadcast", "wrong-shape"),
        phrases=("size",),
    ),
    fresh(
        "hsab-relerr-numerator-maximum-first",
        "gradcheck.relative_error",
        "the numerator is reduced first, np.max(|a - b|) / max(1e-8, |a_i| + |b_i|): the largest difference of "
        "the arrays is divided by every entry's magnitude, so the result is the largest difference over the "
        "smallest magnitude; take the entry-wise ratios, then their maximum",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.max(np.abs(a - b)) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
        ),
        expect=("norm-not-entrywise", "reduction-over-whole-array"),
        phrases=("entry",),
    ),
    fresh(
        "hsab-fans-conv-weight-read-in-out",
        "init.fan_in_and_fan_out",
        "a weight with kernel axes is read as (in, out, kH, kW), the transposed-convolution layout: for a "
        "convolution weight fan_in and fan_out come out swapped; nnlab's (PyTorch's) Conv2d weight is "
        "(out, in, kH, kW), so fan_in = in * prod(k) and fan_out = out * prod(k) for every weight",
        (
            "    fan_in = shape[1] * receptive_field\n    fan_out = shape[0] * receptive_field\n",
            "    if len(shape) > 2:\n"
            "        fan_in, fan_out = shape[0] * receptive_field, shape[1] * receptive_field\n"
            "    else:\n"
            "        fan_in, fan_out = shape[1], shape[0]\n",
        ),
        expect=("fans-swapped", "axes-permuted", "transposed-shape"),
        phrases=("(out, in",),
    ),
    fresh(
        "hsab-perceptron-fit-returns-inside-sample-loop",
        "models.Perceptron",
        "the `if mistakes == 0: return True` test is indented into the sample loop: fit returns True as soon as "
        "the first samples of an epoch are classified correctly, before the epoch is finished; test once per "
        "epoch, after the last sample",
        (
            "                    mistakes += 1\n            if mistakes == 0:\n                return True\n",
            "                    mistakes += 1\n                if mistakes == 0:\n                    return True\n",
        ),
        expect=("return-inside-loop", "fit-true-too-early"),
        phrases=("epoch",),
    ),
    fresh(
        "hsab-sequential-train-returns-inside-loop",
        "models.Sequential",
        "`return self` is indented into train()'s loop: only the first layer is switched back to training mode "
        "(Dropout and BatchNorm further on stay in eval); return after the loop",
        (
            "        self.training = True\n"
            "        for layer in self.layers:\n"
            "            layer.train()\n"
            "        return self\n",
            "        self.training = True\n"
            "        for layer in self.layers:\n"
            "            layer.train()\n"
            "            return self\n",
        ),
        expect=("return-inside-loop", "train-eval", "layer-skipped"),
        phrases=("first layer",),
    ),
    fresh(
        "hsab-numgrad-float-copy-probed",
        "gradcheck.numerical_gradient",
        "x is first converted with x.astype(np.float64), which always copies: the probes move the copy, so an f "
        "that reads the caller's array (f = lambda _: loss(layer.forward(X)), the usual gradient check of a "
        "parameter) never sees them and the gradient is zero; perturb the caller's x in place",
        (
            "    grad = np.zeros(x.shape, dtype=np.float64)\n",
            "    x = x.astype(np.float64)\n    grad = np.zeros(x.shape, dtype=np.float64)\n",
        ),
        expect=("perturbs-copy", "copy-not-view"),
        phrases=("copy",),
    ),
    fresh(
        "hsab-early-stopping-break-outside-patience-test",
        "early_stopping.fit_early_stopping",
        "the break is indented one level out, under else instead of under `if waited >= patience`: training stops "
        "at the first epoch without improvement whatever patience is (and stopped_epoch stays None when "
        "patience > 1); break only when patience runs out",
        (
            "                history.stopped_epoch = epoch\n                break\n",
            "                history.stopped_epoch = epoch\n            break\n",
        ),
        expect=("patience-never-reached", "hyperparameter-ignored", "stopped-epoch"),
        phrases=("patience",),
    ),
    fresh(
        "hsab-fit-zero-grad-after-step",
        "training.fit",
        "zero_grad is called after step, at the end of each batch, instead of first: the first step of fit adds "
        "whatever gradient the parameters held before (a previous backward or gradient check); zero the gradients "
        "before each forward",
        (
            "            optimizer.zero_grad()\n"
            "            output = model.forward(X_batch)\n"
            "            loss = loss_fn.forward(output, y_batch)\n"
            "            model.backward(loss_fn.backward())\n"
            "            optimizer.step()\n",
            "            output = model.forward(X_batch)\n"
            "            loss = loss_fn.forward(output, y_batch)\n"
            "            model.backward(loss_fn.backward())\n"
            "            optimizer.step()\n"
            "            optimizer.zero_grad()\n",
        ),
        expect=("call-order", "zero-grad"),
        phrases=("zero_grad",),
    ),
    fresh(
        "hsab-perceptron-fit-checks-predictions-after-epoch",
        "models.Perceptron",
        "fit ends when predict classifies every sample correctly after an epoch, whatever mistakes the epoch "
        "made: the API's fit returns True after the first epoch in which update made no mistake, one epoch later",
        (
            "            mistakes = 0\n"
            "            for x, target in zip(X, y, strict=True):\n"
            "                if self.update(x, target) != 0.0:\n"
            "                    mistakes += 1\n"
            "            if mistakes == 0:\n",
            "            for x, target in zip(X, y, strict=True):\n"
            "                self.update(x, target)\n"
            "            if np.all(self.predict(X) == y):\n",
        ),
        expect=("fit-true-too-early", "fit-return-value"),
        phrases=("epoch",),
    ),
    fresh(
        "hsab-sequential-forward-returns-inside-loop",
        "models.Sequential",
        "`return x` is indented into forward's loop: the container returns the first layer's output and the other "
        "layers never run; return after the loop",
        (
            "        for layer in self.layers:\n"
            "            x = layer.forward(x)\n"
            "        ### END SOLUTION\n"
            "        return x\n",
            "        for layer in self.layers:\n            x = layer.forward(x)\n            return x\n"
            "        ### END SOLUTION\n",
        ),
        expect=("return-inside-loop", "forward-skips-layer", "layer-skipped"),
        phrases=("first layer",),
    ),
    fresh(
        "hsab-kaiming-normal-recentred",
        "init.kaiming_normal",
        "the draws are re-centred, weight - weight.mean(), to give an exact zero mean: the entries are then no "
        "longer independent N(0, std^2) draws (the variance shrinks by a factor (n - 1) / n, a single-entry "
        "weight becomes 0); return the draws as they are",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain / math.sqrt(fan)\n"
            "    weight = rng.normal(0.0, std, size=shape)\n"
            "    weight = weight - weight.mean()\n",
        ),
        expect=("sample-recentred", "preprocessing-added"),
        phrases=("mean",),
    ),
    fresh(
        "hsab-perceptron-random-initial-weights",
        "models.Perceptron",
        "the weights start at small random values (np.random.randn * 0.01), the habit of neural networks: the "
        "perceptron's weights start at zeros (and its bias at 0.0), which the rule and the API assume",
        (
            "        self.weight = np.zeros(self.n_features, dtype=np.float64)\n",
            "        self.weight = np.random.randn(self.n_features) * 0.01\n",
        ),
        expect=("state-not-initialised", "default-changed"),
        phrases=("zeros",),
    ),
    fresh(
        "hsab-sequential-parameters-mutable-default",
        "models.Sequential",
        "parameters() collects into a default argument, def parameters(self, params=[]): the default list is "
        "created once and shared by every call, so each call appends the parameters again (and every Sequential "
        "adds its own); build a new list in each call",
        (
            "    def parameters(self) -> list[Parameter]:\n"
            '        """Every layer\'s parameters, concatenated in layer order."""\n'
            "        return [p for layer in self.layers for p in layer.parameters()]\n",
            "    def parameters(self, params=[]) -> list[Parameter]:\n"
            '        """Every layer\'s parameters, concatenated in layer order."""\n'
            "        for layer in self.layers:\n"
            "            params.extend(layer.parameters())\n"
            "        return params\n",
        ),
        expect=("mutable-default-argument", "state-kept-between-calls"),
        phrases=("default",),
    ),
]


FRESH_AB2: list[Mutant] = [*OPTIMIZERS, *OTHERS]
