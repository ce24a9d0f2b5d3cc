"""Drill T: student bugs in training, gradient checking, early stopping and the models, written by a teaching session.

This is not a blind measurement: the author of these bugs also teaches the grader to name them (a drill before
held-apart set AA). The author read reference/*.py, docs/api.md, the catalogue's and the earlier sets' bugs of these
components (to write none of them again) and the tag vocabulary. Ids start with ``drill-t-``.

Classes aimed at: numpy and Python semantics (``np.asarray`` taken for a copy,
``m.name = ...`` for ``setattr``, a loop variable rebound instead of its attribute, ``np.max`` for ``np.maximum``,
``hasattr`` on the wrong object, a recursive helper that starts empty, dtypes forced to float32 or float), hyper-
parameters and defaults (Perceptron's ``lr`` and ``max_epochs``, numerical_gradient's ``h`` replaced by
``sqrt(eps)``, a given ``rng`` replaced by the shared one), interactions (fit skipping short batches or batches of
one, targets reshaped like the output, the gradient scaled by the batch's share, gradients clipped, a container
that skips its super constructor or switches only its trainable layers, parameters() listing the data arrays)
and formulas remembered wrongly (relative error over ``hypot``, in percent, its minimum; a numerical gradient's
magnitude; the loss gradient negated or doubled in fit).

Dropped after grading as not mistakes the grader measures: minibatches written as a generator (lazy; the
alternatives in tests/alternatives do it and keep full marks), minibatches casting class labels to float64 (the
API's float64 rule makes it arguable) and early stopping accepting patience=0 (argument checks are not graded: the
alternatives skip them). Two more were copies by check_set's measure (a reversed-slice eval(), a return moved into
train()'s loop).
"""

from __future__ import annotations

from functools import partial

from ._edits import held_apart_bug, span

drill = partial(held_apart_bug, "drill-t-")


TRAINING = [
    drill(
        "drill-t-minibatches-inputs-float32",
        "training.minibatches",
        "X is converted to float32 to save memory: the batches must keep the data as given (float64)",
        (
            '    X = np.asarray(X)\n    y = np.asarray(y)\n    _check_pair(X, y, "minibatches")\n',
            '    X = np.asarray(X, dtype=np.float32)\n    y = np.asarray(y)\n    _check_pair(X, y, "minibatches")\n',
        ),
        expect=("float32",),
        phrases=("float32", "dtype"),
    ),
    drill(
        "drill-t-minibatches-skips-single-sample-batches",
        "training.minibatches",
        (
            "a batch of one sample is skipped ('BatchNorm cannot train on one sample'): batch_size=1 gives no batch "
            "at all and a remainder of one sample is lost; every sample must come once"
        ),
        (
            "        batches.append((X[start : start + size], y[start : start + size]))\n",
            "        if len(X[start : start + size]) > 1:\n"
            "            batches.append((X[start : start + size], y[start : start + size]))\n",
        ),
        expect=("drops-last-batch", "remainder-batch"),
        phrases=("one sample", "batch_size=1", "remainder"),
    ),
    drill(
        "drill-t-minibatches-given-rng-replaced",
        "training.minibatches",
        (
            "with shuffle the shared generator is always taken (the `rng is None` test dropped): a generator passed "
            "as rng is ignored"
        ),
        (
            "    if shuffle and rng is None:\n        rng = default_generator()\n",
            "    if shuffle:\n        rng = default_generator()\n",
        ),
        expect=("rng-ignored",),
        phrases=("rng", "generator"),
    ),
    drill(
        "drill-t-fit-at-least-one-epoch",
        "training.fit",
        (
            "the epochs run over range(max(epochs, 1)) ('always train a little'): epochs=0 must train nothing and "
            "return []"
        ),
        ("    for _ in range(epochs):\n", "    for _ in range(max(epochs, 1)):\n"),
        expect=("fit-epochs", "epochs-off-by-one"),
        phrases=("epochs=0", "epoch"),
    ),
    drill(
        "drill-t-fit-gradient-weighted-by-batch-share",
        "training.fit",
        (
            "the loss gradient is multiplied by len(X_batch) / len(X), the batch's share of the data ('so the batches "
            "add up to the full gradient'): each step is that much too small; backward takes loss_fn.backward() as is"
        ),
        (
            "            model.backward(loss_fn.backward())\n",
            "            model.backward(loss_fn.backward() * len(X_batch) / len(X))\n",
        ),
        expect=("divided-by-batch-size", "grad-divided-by-batch"),
        phrases=("len(x)", "scaled", "share"),
    ),
    drill(
        "drill-t-fit-targets-reshaped-like-output",
        "training.fit",
        (
            "the targets are reshaped to the output's shape before the loss ('so they match'): class labels (n,) "
            "cannot take the (n, C) shape of the scores; the loss takes y_batch as given"
        ),
        (
            "            loss = loss_fn.forward(output, y_batch)\n",
            "            loss = loss_fn.forward(output, y_batch.reshape(output.shape))\n",
        ),
        expect=("target-reshaped",),
        phrases=("reshape", "labels", "target"),
    ),
    drill(
        "drill-t-fit-clips-gradients",
        "training.fit",
        (
            "fit clips every gradient to [-1, 1] before the step ('for stability'): gradient clipping is not part of "
            "fit; the optimizer must see the gradients backward computed"
        ),
        (
            "            optimizer.step()\n",
            "            for p in model.parameters():\n"
            "                np.clip(p.grad, -1.0, 1.0, out=p.grad)\n"
            "            optimizer.step()\n",
        ),
        expect=("gradient-clipped",),
        phrases=("clip",),
    ),
    drill(
        "drill-t-fit-skips-short-last-batch",
        "training.fit",
        (
            "a batch shorter than batch_size is skipped (PyTorch's drop_last): the remainder samples never train nor "
            "count in the epoch loss; every batch minibatches yields is used"
        ),
        (
            "            optimizer.zero_grad()\n",
            "            if batch_size is not None and len(X_batch) < batch_size:\n"
            "                continue\n"
            "            optimizer.zero_grad()\n",
        ),
        expect=("drops-last-batch", "remainder-batch"),
        phrases=("last batch", "remainder", "smaller"),
    ),
    drill(
        "drill-t-fit-loss-backward-given-arguments",
        "training.fit",
        (
            "the loss's backward is called with the output and targets, loss_fn.backward(output, y_batch): the API's "
            "backward takes no argument (forward saved what it needs)"
        ),
        (
            "            model.backward(loss_fn.backward())\n",
            "            model.backward(loss_fn.backward(output, y_batch))\n",
        ),
        expect=("loss-backward-arguments",),
        phrases=("no argument",),
    ),
    drill(
        "drill-t-fit-gradient-sign-flipped",
        "training.fit",
        (
            "the loss gradient is negated before backward ('descend: go against the gradient'): the optimizer's step "
            "already subtracts lr * grad, so negating it climbs the loss; backward takes loss_fn.backward() as is"
        ),
        (
            "            model.backward(loss_fn.backward())\n",
            "            model.backward(-loss_fn.backward())\n",
        ),
        expect=("sign-flipped",),
        phrases=("sign", "climb", "negat"),
    ),
    drill(
        "drill-t-fit-gradient-doubled",
        "training.fit",
        (
            "the loss gradient is multiplied by 2 before backward ('the derivative of the square brings down a 2'): "
            "the loss's backward already holds its own derivative; backward takes loss_fn.backward() as is"
        ),
        (
            "            model.backward(loss_fn.backward())\n",
            "            model.backward(2 * loss_fn.backward())\n",
        ),
        expect=("times-two",),
        phrases=("factor 2", "twice", "times 2"),
    ),
    drill(
        "drill-t-minibatches-batches-from-the-end",
        "training.minibatches",
        (
            "the batch starts run backwards (reversed(range(0, len(X), size))): the remainder batch comes first and "
            "the samples are visited last batch first; without shuffle the batches come in stored order"
        ),
        (
            "    for start in range(0, len(X), max(size, 1)):\n",
            "    for start in reversed(range(0, len(X), max(size, 1))):\n",
        ),
        expect=("order-changed", "visit-order"),
        phrases=("order", "reverse"),
    ),
]

GRADCHECK = [
    drill(
        "drill-t-numgrad-step-from-machine-epsilon",
        "gradcheck.numerical_gradient",
        (
            "the step is sqrt(machine epsilon) ('the optimal step'), overriding h: the probes must move by the h "
            "given (and sqrt(eps) is the one-sided difference's step)"
        ),
        (
            "    grad = np.zeros(x.shape, dtype=np.float64)\n",
            "    grad = np.zeros(x.shape, dtype=np.float64)\n    h = np.sqrt(np.finfo(np.float64).eps)\n",
        ),
        expect=("h-ignored", "hyperparameter-ignored"),
        phrases=("step", "eps"),
    ),
    drill(
        "drill-t-numgrad-magnitude-of-difference",
        "gradcheck.numerical_gradient",
        "each entry is abs(f_plus - f_minus) / (2h): the sign of the derivative is lost; it is (f_plus - f_minus) / 2h",
        (
            "        grad[index] = (f_plus - f_minus) / (2 * h)\n",
            "        grad[index] = abs(f_plus - f_minus) / (2 * h)\n",
        ),
        expect=("sign-lost",),
        phrases=("sign", "abs"),
    ),
    drill(
        "drill-t-relerr-hypot-denominator",
        "gradcheck.relative_error",
        "the denominator is np.hypot(a, b) = sqrt(a^2 + b^2) instead of |a| + |b|: every ratio comes out too large",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.hypot(a, b))\n",
        ),
        expect=("formula-wrong", "loss-denominator"),
        phrases=("|a| + |b|", "denominator"),
    ),
    drill(
        "drill-t-relerr-min-not-max",
        "gradcheck.relative_error",
        "returns the smallest entry-wise ratio (np.min): the relative error is the largest one",
        ("    return float(np.max(ratio))\n", "    return float(np.min(ratio))\n"),
        expect=("min-max-confused", "mean-not-max"),
        phrases=("largest", "smallest"),
    ),
    drill(
        "drill-t-relerr-np-max-for-maximum",
        "gradcheck.relative_error",
        (
            "the floor is written np.max(1e-8, |a| + |b|): np.max reduces one array (its second argument is the axis); "
            "the element-wise floor is np.maximum"
        ),
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.abs(a - b) / np.max(1e-8, np.abs(a) + np.abs(b))\n",
        ),
        expect=("max-for-maximum", "python-max-on-array"),
        phrases=("np.maximum",),
    ),
    drill(
        "drill-t-relerr-in-percent",
        "gradcheck.relative_error",
        "the error is returned in percent (times 100): the relative error is the ratio itself",
        ("    return float(np.max(ratio))\n", "    return float(100 * np.max(ratio))\n"),
        expect=("formula-constant", "times-two"),
        phrases=("100", "percent"),
    ),
]

EARLY_STOPPING = [
    drill(
        "drill-t-es-running-var-not-saved",
        "early_stopping.fit_early_stopping",
        (
            "the buffers saved are ('running_mean',) only: BatchNorm's running_var is neither saved nor restored, "
            "so the best epoch comes back with the last epoch's running variance"
        ),
        (
            'BUFFER_NAMES = ("running_mean", "running_var")',
            'BUFFER_NAMES = ("running_mean",)',
        ),
        expect=("buffers-not-restored", "not-restored"),
        phrases=("running_var", "running"),
    ),
    drill(
        "drill-t-es-load-rebinds-loop-variable",
        "early_stopping.fit_early_stopping",
        (
            "load_state writes p = saved.copy(): that rebinds the loop variable and leaves the parameter alone, so "
            "the best weights are never put back; assign p.data"
        ),
        ("        p.data = saved.copy()\n", "        p = saved.copy()\n"),
        expect=("restores-last", "restore-best-ignored", "view-rebound"),
        phrases=("p.data", "last epoch", "rebind"),
    ),
    drill(
        "drill-t-es-buffers-set-as-attribute-name",
        "early_stopping.fit_early_stopping",
        (
            "load_state writes m.name = saved.copy(): that sets an attribute called 'name', not the buffer whose "
            "name the variable holds (setattr(m, name, ...)): the running statistics are not restored"
        ),
        ("            setattr(m, name, saved.copy())\n", "            m.name = saved.copy()\n"),
        expect=("buffers-not-restored", "not-restored"),
        phrases=("setattr", "running"),
    ),
    drill(
        "drill-t-es-buffers-looked-up-on-model",
        "early_stopping.fit_early_stopping",
        (
            "copy_state tests hasattr(model, name) instead of hasattr(m, name): a container has no running_mean, so "
            "no BatchNorm buffer inside it is saved"
        ),
        (
            "for name in BUFFER_NAMES if hasattr(m, name)}",
            "for name in BUFFER_NAMES if hasattr(model, name)}",
        ),
        expect=("buffers-not-restored", "state-not-saved", "not-restored"),
        phrases=("running", "buffer"),
    ),
    drill(
        "drill-t-es-modules-start-empty",
        "early_stopping.fit_early_stopping",
        (
            "_modules starts with found = [] instead of [model]: a module is never listed itself, only through its "
            "parent, and the recursion ends at the leaves with nothing: no BatchNorm buffer is saved or restored"
        ),
        ("    found = [model]\n", "    found = []\n"),
        expect=("buffers-not-restored", "state-not-saved", "not-restored"),
        phrases=("running", "buffer"),
    ),
    drill(
        "drill-t-es-copy-state-asarray",
        "early_stopping.fit_early_stopping",
        (
            "copy_state saves np.asarray(p.data), taken for a copy: asarray returns the same array, which the "
            "optimizer then updates in place, so the 'best' weights follow the training"
        ),
        (
            "    params = [np.array(p.data, copy=True) for p in model.parameters()]\n",
            "    params = [np.asarray(p.data) for p in model.parameters()]\n",
        ),
        expect=("saved-state-stale", "aliasing", "restores-last"),
        phrases=("copy", "in place"),
    ),
    drill(
        "drill-t-es-patience-against-epoch",
        "early_stopping.fit_early_stopping",
        (
            "the stop test compares the epoch number with patience (epoch >= patience) instead of the count of "
            "epochs without improvement: the first stalled epoch after epoch patience stops training"
        ),
        ("            if waited >= patience:\n", "            if epoch >= patience:\n"),
        expect=("patience-never-reached", "patience-not-reset"),
        phrases=("patience", "without improvement"),
    ),
]

MODELS = [
    drill(
        "drill-t-sequential-super-init-missing",
        "models.Sequential",
        (
            "the constructor never calls super().__init__(): the container has no training attribute until train() "
            "or eval() is called; a module is in training mode right after construction"
        ),
        ("        super().__init__()\n        self.layers = list(layers)\n", "        self.layers = list(layers)\n"),
        expect=("train-eval", "state-not-initialised"),
        phrases=("training", "construct", "super"),
    ),
    drill(
        "drill-t-sequential-eval-only-trainable-layers",
        "models.Sequential",
        (
            "eval() switches only the layers that have parameters ('only trainable layers have a mode'): Dropout "
            "has none, so it keeps dropping in eval mode; every layer must be switched"
        ),
        (
            "        self.training = False\n        for layer in self.layers:\n            layer.eval()\n",
            "        self.training = False\n        for layer in self.layers:\n"
            "            if layer.parameters():\n                layer.eval()\n",
        ),
        expect=("train-eval", "dropout-active-in-eval"),
        phrases=("dropout", "eval"),
    ),
    drill(
        "drill-t-perceptron-bias-starts-at-one",
        "models.Perceptron",
        (
            "the bias starts at 1.0 (the constant input x0 = 1 of the bias taken for its weight): the bias weight "
            "starts at 0.0 like the other weights"
        ),
        ("        self.bias = 0.0\n", "        self.bias = 1.0\n"),
        expect=("state-not-initialised",),
        phrases=("0.0", "bias should start"),
    ),
    drill(
        "drill-t-perceptron-weight-float32",
        "models.Perceptron",
        "the weights start as float32 zeros: the API's weight is a float64 array",
        (
            "        self.weight = np.zeros(self.n_features, dtype=np.float64)\n",
            "        self.weight = np.zeros(self.n_features, dtype=np.float32)\n",
        ),
        expect=("float32", "wrong-type"),
        phrases=("float64", "float32"),
    ),
    drill(
        "drill-t-perceptron-max-epochs-default-10",
        "models.Perceptron",
        "fit's default max_epochs is 10: the API's default is 100, so data needing more epochs returns False",
        (
            "    def fit(self, X: np.ndarray, y: np.ndarray, max_epochs: int = 100) -> bool:\n",
            "    def fit(self, X: np.ndarray, y: np.ndarray, max_epochs: int = 10) -> bool:\n",
        ),
        expect=("default-changed",),
        phrases=("max_epochs", "default", "100"),
    ),
    drill(
        "drill-t-perceptron-lr-default-tenth",
        "models.Perceptron",
        "the default learning rate is 0.1: the API's default is lr=1.0 (the weights come out ten times smaller)",
        (
            "    def __init__(self, n_features: int, lr: float = 1.0) -> None:\n",
            "    def __init__(self, n_features: int, lr: float = 0.1) -> None:\n",
        ),
        expect=("default-changed",),
        phrases=("lr", "default", "1.0"),
    ),
    drill(
        "drill-t-perceptron-update-returns-scaled-error",
        "models.Perceptron",
        (
            "update folds the learning rate into the error (error = lr * (target - prediction)) and returns it: "
            "the returned error must be target - prediction, one of -1, 0, 1"
        ),
        span(
            "models",
            (
                "        error = float(target) - prediction\n",
                "        error = self.lr * (float(target) - prediction)\n",
            ),
            (
                "        self.weight = self.weight + self.lr * error * x\n"
                "        self.bias = self.bias + self.lr * error\n",
                "        self.weight = self.weight + error * x\n        self.bias = self.bias + error\n",
            ),
        ),
        expect=("times-lr", "wrong-error"),
        phrases=("lr", "error", "returns"),
    ),
    drill(
        "drill-t-perceptron-predict-heaviside-one",
        "models.Perceptron",
        "predict uses np.heaviside(scores, 1.0): a score of exactly 0 predicts 1.0, where the API predicts 0.0",
        (
            "        predictions = (scores > 0).astype(np.float64)\n",
            "        predictions = np.heaviside(scores, 1.0)\n",
        ),
        expect=("step-at-zero",),
        phrases=("exactly 0", "zero"),
    ),
    drill(
        "drill-t-sequential-parameters-data-arrays",
        "models.Sequential",
        (
            "parameters() lists each parameter's data array (p.data) instead of the parameter: an optimizer then has "
            "no .grad to read and the list is not the layers' parameters"
        ),
        (
            "        return [p for layer in self.layers for p in layer.parameters()]\n",
            "        return [p.data for layer in self.layers for p in layer.parameters()]\n",
        ),
        expect=("parameters-data-arrays", "wrong-type"),
        phrases=("p.data", "parameter objects", ".grad"),
    ),
    drill(
        "drill-t-perceptron-predict-bias-column",
        "models.Perceptron",
        (
            "predict adds the bias as a column (bias * np.ones((N, 1))): (N,) + (N, 1) broadcasts to (N, N), so "
            "predict returns a matrix; the scores are X @ weight + bias, shape (N,)"
        ),
        (
            "        scores = X @ self.weight + self.bias\n",
            "        scores = X @ self.weight + self.bias * np.ones((len(X), 1))\n",
        ),
        expect=("broadcast-wrong-axis", "prediction-shape", "wrong-shape"),
        phrases=("broadcast", "(n, n)", "column"),
    ),
]

DRILL_T = TRAINING + GRADCHECK + EARLY_STOPPING + MODELS
