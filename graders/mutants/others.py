"""Mutants of the reference models, training and gradcheck: realistic student bugs.

See graders/mutants/__init__.py for the format.
"""

from . import Mutant
from .activations import span

_PREDICT = "        predictions = (scores > 0).astype(np.float64)"
_UPDATE_PREDICTION = "        prediction = 1.0 if float(x @ self.weight + self.bias) > 0 else 0.0"
_UPDATE_WEIGHT = "        self.weight = self.weight + self.lr * error * x"
_UPDATE_BIAS = "        self.bias = self.bias + self.lr * error"
_FIT_LOOP = """            if mistakes == 0:
                return True
        ### END SOLUTION
        return False"""
_BACKWARD = """        for layer in reversed(self.layers):
            grad_y = layer.backward(grad_y)"""
_SLICES = "    for start in range(0, len(X), max(size, 1)):"
_SHUFFLE = "        X, y = X[order], y[order]"
_FIT_BATCHES = "        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):"
_PROBE = """        x[index] = original  # restore exactly: no accumulated round-off
        grad[index] = (f_plus - f_minus) / (2 * h)"""
_RATIO = "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))"
# fit's loop over the epochs, each with its weighted total, as the reference writes it.
_FIT_EPOCHS = (
    "    for _ in range(epochs):\n"
    "        total = 0.0\n"
    "        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):\n"
    "            optimizer.zero_grad()\n"
    "            output = model.forward(X_batch)\n"
    "            loss = loss_fn.forward(output, y_batch)\n"
    "            model.backward(loss_fn.backward())\n"
    "            optimizer.step()\n"
    "            total += float(loss) * len(X_batch)\n"
    "        history.append(total / len(X))"
)

_PERCEPTRON_SAMPLES = (
    "            for x, target in zip(X, y, strict=True):\n                if self.update(x, target) != 0.0:\n"
)

MUTANTS: list[Mutant] = [
    # ------------------------------------------------------------------ Perceptron
    Mutant(
        "perceptron-predict-step-at-zero",
        "models.Perceptron",
        "predict classifies a score of exactly 0 as 1 (>= instead of >)",
        _PREDICT,
        "        predictions = (scores >= 0).astype(np.float64)",
        ("step-at-zero",),
    ),
    Mutant(
        "perceptron-update-step-at-zero",
        "models.Perceptron",
        "update's own prediction uses >= 0, so a zero score counts as class 1",
        _UPDATE_PREDICTION,
        "        prediction = 1.0 if float(x @ self.weight + self.bias) >= 0 else 0.0",
        ("step-at-zero",),
    ),
    Mutant(
        "perceptron-updates-on-correct",
        "models.Perceptron",
        "always pushes towards the target (w += lr (2t - 1) x), even on correct samples",
        _UPDATE_WEIGHT + "\n" + _UPDATE_BIAS,
        "        self.weight = self.weight + self.lr * (2 * float(target) - 1) * x\n"
        "        self.bias = self.bias + self.lr * (2 * float(target) - 1)",
        ("updates-on-correct",),
    ),
    Mutant(
        "perceptron-error-sign-flipped",
        "models.Perceptron",
        "error = prediction - target",
        "        error = float(target) - prediction",
        "        error = prediction - float(target)",
        ("error-sign-flipped",),
    ),
    Mutant(
        "perceptron-lr-ignored",
        "models.Perceptron",
        "forgets the learning rate in the update",
        _UPDATE_WEIGHT + "\n" + _UPDATE_BIAS,
        "        self.weight = self.weight + error * x\n        self.bias = self.bias + error",
        ("lr-ignored",),
    ),
    Mutant(
        "perceptron-bias-not-updated",
        "models.Perceptron",
        "updates the weights but never the bias",
        _UPDATE_BIAS,
        "        self.bias = self.bias",
        ("bias-not-updated",),
    ),
    Mutant(
        "perceptron-delta-rule",
        "models.Perceptron",
        "updates with the raw score instead of the prediction (Adaline's rule)",
        "        error = float(target) - prediction",
        "        error = float(target) - prediction\n"
        "        raw = float(target) - float(x @ self.weight + self.bias)\n"
        "        self.weight = self.weight + self.lr * (raw - error) * x\n"
        "        self.bias = self.bias + self.lr * (raw - error)",
        ("delta-rule",),
    ),
    Mutant(
        "perceptron-fit-never-stops-early",
        "models.Perceptron",
        "runs all max_epochs and only then reports whether the last epoch was clean",
        _FIT_LOOP,
        """        ### END SOLUTION
        return mistakes == 0""",
        ("fit-no-early-stop",),
    ),
    Mutant(
        "perceptron-fit-always-true",
        "models.Perceptron",
        "returns True after the first epoch whatever happened",
        "            if mistakes == 0:\n                return True",
        "            return True",
        ("fit-return-value", "no-convergence"),
    ),
    Mutant(
        "perceptron-fit-one-epoch-short",
        "models.Perceptron",
        "loops over range(max_epochs - 1)",
        "        for _ in range(max_epochs):",
        "        for _ in range(max_epochs - 1):",
        ("fit-epochs",),
    ),
    # ------------------------------------------------------------------ Sequential
    Mutant(
        "sequential-backward-forward-order",
        "models.Sequential",
        "backward visits the layers first to last",
        _BACKWARD,
        """        for layer in self.layers:
            grad_y = layer.backward(grad_y)""",
        ("backward-order",),
    ),
    Mutant(
        "sequential-backward-not-chained",
        "models.Sequential",
        "hands every layer the original upstream gradient",
        _BACKWARD,
        """        upstream = grad_y
        for layer in reversed(self.layers):
            grad_y = layer.backward(upstream)""",
        ("backward-not-chained",),
    ),
    Mutant(
        "sequential-forward-not-chained",
        "models.Sequential",
        "applies every layer to the input and keeps the last result",
        "        for layer in self.layers:\n            x = layer.forward(x)",
        "        inputs = x\n        for layer in self.layers:\n            x = layer.forward(inputs)",
        ("forward-not-chained",),
    ),
    Mutant(
        "sequential-eval-not-propagated",
        "models.Sequential",
        "eval() sets the container's flag but not the layers'",
        """        self.training = False
        for layer in self.layers:
            layer.eval()""",
        "        self.training = False",
        ("train-eval",),
    ),
    Mutant(
        "sequential-eval-sets-layer-flags",
        "models.Sequential",
        "eval() assigns every layer's flag instead of calling its eval(): a nested Sequential's layers stay in "
        "training mode",
        """        self.training = False
        for layer in self.layers:
            layer.eval()""",
        """        self.training = False
        for layer in self.layers:
            layer.training = False""",
        ("train-eval",),
    ),
    Mutant(
        "sequential-backward-steps-defined-in-loop",
        "models.Sequential",
        "backward first defines one step function per layer in a loop (def step(g): return layer.backward(g)) and "
        "then runs them: each function looks layer up when it runs, after the loop, so all call the first layer",
        _BACKWARD,
        """        steps = []
        for layer in reversed(self.layers):

            def step(g):
                return layer.backward(g)

            steps.append(step)
        for step in steps:
            grad_y = step(grad_y)""",
        ("late-binding-closure",),
    ),
    Mutant(
        "sequential-parameters-getattr-names",
        "models.Sequential",
        "parameters() looks each layer up for the attributes named weight and bias (getattr, hasattr) instead of "
        "calling layer.parameters(): layers that name their parameters otherwise contribute nothing",
        "        return [p for layer in self.layers for p in layer.parameters()]",
        '        names = ("weight", "bias")  # what a layer calls its parameters\n'
        "        return [getattr(layer, n) for layer in self.layers for n in names if hasattr(layer, n)]",
        ("parameters-by-attribute-name",),
    ),
    Mutant(
        "sequential-parameters-reversed",
        "models.Sequential",
        "lists the parameters of the last layer first",
        "        return [p for layer in self.layers for p in layer.parameters()]",
        "        return [p for layer in reversed(self.layers) for p in layer.parameters()]",
        ("parameters-order",),
    ),
    # ------------------------------------------------------------------ minibatches
    Mutant(
        "minibatches-drops-last-batch",
        "training.minibatches",
        "stops before the smaller last batch",
        _SLICES,
        "    for start in range(0, len(X) - size + 1, max(size, 1)):",
        ("drops-last-batch",),
    ),
    Mutant(
        "minibatches-unpaired-shuffle",
        "training.minibatches",
        "shuffles X and y with two different permutations",
        _SHUFFLE,
        "        X, y = X[order], y[rng.permutation(len(y))]",
        ("unpaired-shuffle",),
    ),
    Mutant(
        "minibatches-shuffle-ignored",
        "training.minibatches",
        "never shuffles",
        "    if shuffle:\n        order",
        "    if False:\n        order",
        ("shuffle-ignored",),
    ),
    Mutant(
        "minibatches-fixed-seed",
        "training.minibatches",
        "draws the permutation from a new generator with a fixed seed",
        "        order = rng.permutation(len(X))",
        "        order = np.random.default_rng(0).permutation(len(X))",
        ("rng-ignored", "same-permutation"),
    ),
    Mutant(
        "minibatches-permutation-per-batch",
        "training.minibatches",
        "draws a new permutation for every batch",
        "        batches.append((X[start : start + size], y[start : start + size]))",
        "        if shuffle:\n            order = rng.permutation(len(X))\n"
        "            X, y = X[order], y[order]\n"
        "        batches.append((X[start : start + size], y[start : start + size]))",
        ("not-a-permutation",),
    ),
    # ------------------------------------------------------------------ fit
    Mutant(
        "fit-batch-unpacked-into-training-set",
        "training.fit",
        "each batch is unpacked with `X, y = batch` inside the batch loop: the names of the training set now hold "
        "the batch, so after the first epoch fit trains on its last batch alone",
        """        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):
            optimizer.zero_grad()
            output = model.forward(X_batch)
            loss = loss_fn.forward(output, y_batch)
            model.backward(loss_fn.backward())
            optimizer.step()
            total += float(loss) * len(X_batch)
        history.append(total / len(X))""",
        """        n_samples = len(X)
        for batch in minibatches(X, y, batch_size, shuffle, rng):
            X, y = batch  # this batch's inputs and targets
            optimizer.zero_grad()
            output = model.forward(X)
            loss = loss_fn.forward(output, y)
            model.backward(loss_fn.backward())
            optimizer.step()
            total += float(loss) * len(X)
        history.append(total / n_samples)""",
        ("name-shadowed",),
    ),
    Mutant(
        "fit-batches-unpacked-with-their-indices",
        "training.fit",
        "the batch loop unpacks three values, `for X_batch, y_batch, _ in minibatches(...)`, as if each batch came "
        "with the indices it was drawn from; minibatches yields (X_batch, y_batch) pairs",
        "        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):\n",
        "        for X_batch, y_batch, _ in minibatches(X, y, batch_size, shuffle, rng):\n",
        ("unpacks-wrong-arity",),
    ),
    Mutant(
        "fit-unweighted-mean",
        "training.fit",
        "averages the batch losses without weighting by batch size",
        "            total += float(loss) * len(X_batch)\n        history.append(total / len(X))",
        "            total += float(loss)\n        history.append(total / -(-len(X) // (batch_size or len(X))))",
        ("unweighted-mean",),
    ),
    Mutant(
        "fit-no-zero-grad",
        "training.fit",
        "never resets the gradients",
        "            optimizer.zero_grad()\n",
        "",
        ("zero-grad-missing",),
    ),
    Mutant(
        "fit-step-before-backward",
        "training.fit",
        "steps before backpropagating",
        "            model.backward(loss_fn.backward())\n            optimizer.step()",
        "            optimizer.step()\n            model.backward(loss_fn.backward())",
        ("call-order",),
    ),
    Mutant(
        "fit-batch-size-ignored",
        "training.fit",
        "always trains on the full batch",
        _FIT_BATCHES,
        "        for X_batch, y_batch in minibatches(X, y, None, shuffle, rng):",
        ("batch-size-ignored",),
    ),
    Mutant(
        "fit-shuffle-not-passed",
        "training.fit",
        "forgets to pass shuffle and rng on to minibatches",
        _FIT_BATCHES,
        "        for X_batch, y_batch in minibatches(X, y, batch_size):",
        ("shuffle-ignored",),
    ),
    Mutant(
        "fit-new-generator-per-epoch",
        "training.fit",
        "makes a fresh seeded generator every epoch, ignoring rng",
        _FIT_BATCHES,
        "        for X_batch, y_batch in minibatches(\n"
        "            X, y, batch_size, shuffle, np.random.default_rng(0)\n"
        "        ):",
        ("rng-ignored", "same-permutation"),
    ),
    # ------------------------------------------------------------------ numerical_gradient
    Mutant(
        "numgrad-forward-difference",
        "gradcheck.numerical_gradient",
        "uses the one-sided difference (f(x + h) - f(x)) / h",
        _PROBE,
        """        x[index] = original
        grad[index] = (f_plus - float(f(x))) / h""",
        ("forward-difference",),
    ),
    Mutant(
        "numgrad-divided-by-h",
        "gradcheck.numerical_gradient",
        "divides the central difference by h instead of 2h",
        _PROBE,
        """        x[index] = original
        grad[index] = (f_plus - f_minus) / h""",
        ("central-over-h", "times-two"),
    ),
    Mutant(
        "numgrad-not-restored",
        "gradcheck.numerical_gradient",
        "never puts the probed entry back",
        _PROBE,
        "        grad[index] = (f_plus - f_minus) / (2 * h)",
        ("not-restored",),
    ),
    Mutant(
        "numgrad-restored-by-arithmetic",
        "gradcheck.numerical_gradient",
        "moves x[i] by +h, -2h, +h instead of assigning the saved value back",
        """        x[index] = original + h
        f_plus = float(f(x))
        x[index] = original - h
        f_minus = float(f(x))
        x[index] = original  # restore exactly: no accumulated round-off""",
        """        x[index] += h
        f_plus = float(f(x))
        x[index] -= 2 * h
        f_minus = float(f(x))
        x[index] += h""",
        ("not-restored",),
    ),
    Mutant(
        "numgrad-h-ignored",
        "gradcheck.numerical_gradient",
        "uses a hard-coded step instead of h",
        "    grad = np.zeros(x.shape, dtype=np.float64)",
        "    grad = np.zeros(x.shape, dtype=np.float64)\n    h = 1e-5",
        ("h-ignored",),
    ),
    # ------------------------------------------------------------------ relative_error
    Mutant(
        "relerr-mean-not-max",
        "gradcheck.relative_error",
        "averages the ratios instead of taking the largest",
        "    return float(np.max(ratio))",
        "    return float(np.mean(ratio))",
        ("mean-not-max",),
    ),
    Mutant(
        "relerr-no-floor",
        "gradcheck.relative_error",
        "divides by |a| + |b| without the 1e-8 floor",
        _RATIO,
        "    ratio = np.abs(a - b) / (np.abs(a) + np.abs(b))",
        ("no-floor",),
    ),
    Mutant(
        "relerr-missing-abs",
        "gradcheck.relative_error",
        "forgets the absolute value of the difference",
        _RATIO,
        "    ratio = (a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))",
        ("missing-abs",),
    ),
    Mutant(
        "relerr-abs-of-sum",
        "gradcheck.relative_error",
        "divides by |a + b| instead of |a| + |b|",
        _RATIO,
        "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a + b))",
        ("abs-of-sum",),
    ),
]

# Found by red-teaming (/tmp/redteam/layers): bugs the rubric missed or charged to the wrong
# component. minibatches must leave the caller's arrays alone; its bugs cost minibatches, not fit
# (fit runs with a correct minibatches); Perceptron.fit is True only after an epoch without
# mistakes; numerical_gradient probes x itself (closures, transposed views) and returns float64.
MUTANTS += [
    # ------------------------------------------------------------------ minibatches: the caller's data
    Mutant(
        "minibatches-shuffles-caller-arrays",
        "training.minibatches",
        "shuffles X and y in place with rng.shuffle (same generator state for both, so pairs stay pairs)",
        "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n" + _SHUFFLE,
        "        state = rng.bit_generator.state\n"
        "        rng.shuffle(X)\n"
        "        rng.bit_generator.state = state\n"
        "        rng.shuffle(y)",
        ("shuffles-in-place",),
    ),
    Mutant(
        "minibatches-permutes-caller-rows",
        "training.minibatches",
        "writes the permuted rows back into X and y (X[:] = X[order])",
        _SHUFFLE,
        "        X[:], y[:] = X[order], y[order]",
        ("shuffles-in-place",),
    ),
    # ------------------------------------------------------------------ minibatches bugs fit must not pay for
    Mutant(
        "minibatches-sgd-squeezed",
        "training.minibatches",
        "batch_size=1 yields single samples X[i], without the batch axis",
        "        batches.append((X[start : start + size], y[start : start + size]))",
        "        if size == 1:\n"
        "            batches.append((X[start], y[start]))\n"
        "        else:\n"
        "            batches.append((X[start : start + size], y[start : start + size]))",
        ("batch-axis-dropped", "wrong-type"),
    ),
    Mutant(
        "minibatches-array-split",
        "training.minibatches",
        "np.array_split into ceil(N / k) batches: the sizes come out even, not k, k, ..., rest",
        _SLICES + "\n        batches.append((X[start : start + size], y[start : start + size]))",
        "    n = -(-len(X) // max(size, 1))\n"
        "    for X_batch, y_batch in zip(np.array_split(X, n), np.array_split(y, n), strict=True):\n"
        "        batches.append((X_batch, y_batch))",
        ("uneven-batches", "batch-sizes"),
    ),
    # ------------------------------------------------------------------ fit: its own batching
    Mutant(
        "fit-batches-drawn-once",
        "training.fit",
        "draws the batches once before the epoch loop: every epoch the same order",
        "    for _ in range(epochs):\n        total = 0.0\n" + _FIT_BATCHES,
        "    batches = list(minibatches(X, y, batch_size, shuffle, rng))\n"
        "    for _ in range(epochs):\n"
        "        total = 0.0\n"
        "        for X_batch, y_batch in batches:",
        ("same-permutation",),
    ),
    # ------------------------------------------------------------------ Perceptron.fit: convergence
    Mutant(
        "perceptron-fit-converged-by-predict",
        "models.Perceptron",
        "after each epoch also returns True when predict(X) == y (one epoch before a clean epoch)",
        "            if mistakes == 0:\n                return True",
        "            if mistakes == 0 or np.all(self.predict(X) == y):\n                return True",
        ("fit-true-too-early",),
    ),
    Mutant(
        "perceptron-fit-returns-accuracy-check",
        "models.Perceptron",
        "when max_epochs runs out, returns whether predict(X) == y instead of False",
        "        ### END SOLUTION\n        return False",
        "        ### END SOLUTION\n        return bool(np.all(self.predict(X) == y))",
        ("fit-true-too-early",),
    ),
    # ------------------------------------------------------------------ numerical_gradient: probes x itself
    Mutant(
        "numgrad-perturbs-copies",
        "gradcheck.numerical_gradient",
        "calls f on perturbed copies of x, so an f that reads x directly never sees a probe",
        "        x[index] = original + h\n"
        "        f_plus = float(f(x))\n"
        "        x[index] = original - h\n"
        "        f_minus = float(f(x))\n",
        "        x_plus = x.copy()\n"
        "        x_plus[index] = original + h\n"
        "        f_plus = float(f(x_plus))\n"
        "        x_minus = x.copy()\n"
        "        x_minus[index] = original - h\n"
        "        f_minus = float(f(x_minus))\n",
        ("perturbs-copy",),
    ),
    Mutant(
        "numgrad-converts-x-first",
        "gradcheck.numerical_gradient",
        "starts with x = np.array(x, dtype=float), a copy: the probes never reach the caller's x",
        "    grad = np.zeros(x.shape, dtype=np.float64)",
        "    x = np.array(x, dtype=np.float64)\n    grad = np.zeros(x.shape, dtype=np.float64)",
        ("perturbs-copy",),
    ),
    Mutant(
        "numgrad-flat-reshape",
        "gradcheck.numerical_gradient",
        "probes x.reshape(-1), which is a copy (not a view) when x is not contiguous (e.g. W.T)",
        "    for index in np.ndindex(x.shape):\n"
        "        original = x[index]\n"
        "        x[index] = original + h\n"
        "        f_plus = float(f(x))\n"
        "        x[index] = original - h\n"
        "        f_minus = float(f(x))\n" + _PROBE,
        "    flat, grad_flat = x.reshape(-1), grad.reshape(-1)\n"
        "    for i in range(flat.size):\n"
        "        original = flat[i]\n"
        "        flat[i] = original + h\n"
        "        f_plus = float(f(x))\n"
        "        flat[i] = original - h\n"
        "        f_minus = float(f(x))\n"
        "        flat[i] = original\n"
        "        grad_flat[i] = (f_plus - f_minus) / (2 * h)",
        ("perturbs-copy",),
    ),
    # ------------------------------------------------------------------ numerical_gradient: float64 results
    Mutant(
        "numgrad-zeros-like",
        "gradcheck.numerical_gradient",
        "grad = np.zeros_like(x): the result takes x's dtype (float32 for a float32 x)",
        "    grad = np.zeros(x.shape, dtype=np.float64)",
        "    grad = np.zeros_like(x)",
        ("float32",),
    ),
    Mutant(
        "numgrad-grad-from-x-copy",
        "gradcheck.numerical_gradient",
        "grad = x.copy(), every entry then overwritten: the result keeps x's dtype",
        "    grad = np.zeros(x.shape, dtype=np.float64)",
        "    grad = x.copy()",
        ("float32",),
    ),
]

# Round 2 red team: bugs that escaped (/tmp/redteam2/bugs2). With shuffle, minibatches permutes the samples
# whatever batch_size, and only with shuffle (not whenever an rng is given); Perceptron.fit(max_epochs=0) runs
# no epoch; relative_error's result does not depend on where a (nan) entry sits.
_BATCHING = (
    "    if shuffle:\n"
    "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n"
    + _SHUFFLE
    + "\n    size = len(X) if batch_size is None else batch_size\n"
    + _SLICES
    + "\n        batches.append((X[start : start + size], y[start : start + size]))"
)
_CUT_IN_ORDER = "    size = len(X) if batch_size is None else batch_size\n" + _SLICES + "\n"

_EPOCHS = """        for _ in range(max_epochs):
            mistakes = 0
            for x, target in zip(X, y, strict=True):
                if self.update(x, target) != 0.0:
                    mistakes += 1
"""

MUTANTS += [
    # ------------------------------------------------------------------ minibatches: shuffle semantics
    Mutant(
        "minibatches-full-batch-not-shuffled",
        "training.minibatches",
        "skips the shuffle when batch_size is None (one batch: 'the order does not matter')",
        "    if shuffle:\n        order",
        "    if shuffle and batch_size is not None:\n        order",
        ("shuffle-ignored",),
    ),
    Mutant(
        "minibatches-shuffles-when-rng-given",
        "training.minibatches",
        "shuffles whenever an rng is passed, even with shuffle=False",
        "    if shuffle:\n        order",
        "    if shuffle or rng is not None:\n        order",
        ("shuffles-when-rng-given", "order-changed"),
    ),
    Mutant(
        "minibatches-shuffles-batch-order",
        "training.minibatches",
        "cuts the batches in stored order, then shuffles the order of the batches",
        _BATCHING,
        _CUT_IN_ORDER + "        batches.append((X[start : start + size], y[start : start + size]))\n"
        "    if shuffle:\n"
        "        batches = [batches[i] for i in rng.permutation(len(batches))]",
        ("shuffles-batch-order", "shuffle-ignored"),
    ),
    Mutant(
        "minibatches-shuffles-within-batches",
        "training.minibatches",
        "cuts the batches in stored order, then shuffles the samples inside each batch",
        _BATCHING,
        _CUT_IN_ORDER + "        X_batch, y_batch = X[start : start + size], y[start : start + size]\n"
        "        if shuffle:\n"
        "            inner = rng.permutation(len(X_batch))\n"
        "            X_batch, y_batch = X_batch[inner], y_batch[inner]\n"
        "        batches.append((X_batch, y_batch))",
        ("shuffles-within-batches", "shuffle-ignored"),
    ),
    # ------------------------------------------------------------------ Perceptron.fit: the epoch budget
    Mutant(
        "perceptron-fit-do-while",
        "models.Perceptron",
        "tests the epoch budget after the epoch (do-while): max_epochs=0 still runs one epoch of updates",
        _EPOCHS + _FIT_LOOP,
        _EPOCHS.replace(
            "        for _ in range(max_epochs):\n", "        epoch = 0\n        while True:\n            epoch += 1\n"
        )
        + "            if mistakes == 0:\n"
        "                return True\n"
        "            if epoch >= max_epochs:\n"
        "                break\n"
        "        ### END SOLUTION\n"
        "        return False",
        ("fit-epochs",),
    ),
    # ------------------------------------------------------------------ fit: zero_grad in the wrong place
    Mutant(
        "fit-zero-grad-before-step",
        "training.fit",
        "calls zero_grad() between backward and step: every step sees zero gradients",
        "            optimizer.zero_grad()\n"
        "            output = model.forward(X_batch)\n"
        "            loss = loss_fn.forward(output, y_batch)\n"
        "            model.backward(loss_fn.backward())\n"
        "            optimizer.step()",
        "            output = model.forward(X_batch)\n"
        "            loss = loss_fn.forward(output, y_batch)\n"
        "            model.backward(loss_fn.backward())\n"
        "            optimizer.zero_grad()\n"
        "            optimizer.step()",
        ("call-order",),
    ),
    # ------------------------------------------------------------------ relative_error: nan
    Mutant(
        "relerr-python-max",
        "gradcheck.relative_error",
        "Python's max over the ratios: a nan (a nan gradient) is hidden unless it comes first",
        "    return float(np.max(ratio))",
        "    return float(max(ratio.ravel()))",
        ("nan-hidden",),
    ),
    Mutant(
        "relerr-max-with-nan-first",
        "gradcheck.relative_error",
        "a running maximum started at the first ratio: nan only when the first entry is nan",
        "    return float(np.max(ratio))",
        "    worst = ratio.flat[0]\n"
        "    for value in ratio.flat:\n"
        "        if value > worst:\n"
        "            worst = value\n"
        "    return float(worst)",
        ("nan-hidden",),
    ),
    Mutant(
        "relerr-running-max-new-ratio-first",
        "gradcheck.relative_error",
        "worst = max(r, worst) over the ratios: Python's max keeps its first argument unless the second is larger, "
        "so a nan is replaced by the next ratio and survives only when it is last",
        "    return float(np.max(ratio))",
        "    worst = 0.0\n    for r in ratio.ravel():\n        worst = max(r, worst)\n    return float(worst)",
        ("nan-hidden",),
    ),
    # ------------------------------------------------------------------ relative_error: the last ratio kept
    Mutant(
        "relerr-last-ratio-assigned",
        "gradcheck.relative_error",
        "a loop over ratio.flat assigns result = value where it meant the largest so far: the last entry's ratio",
        "    return float(np.max(ratio))",
        "    result = 0.0\n    for value in ratio.flat:\n        result = value\n    return float(result)",
        ("assigned-not-accumulated",),
    ),
    # ------------------------------------------------------------------ relative_error: returned inside the loop
    Mutant(
        "relerr-return-inside-loop",
        "gradcheck.relative_error",
        "a loop over the entries keeps the running maximum but returns inside the loop: the first entry's ratio",
        "    return float(np.max(ratio))",
        "    worst = 0.0\n    for r in ratio.ravel():\n        worst = max(worst, float(r))\n        return worst",
        ("return-inside-loop",),
    ),
]

# Red team, round 3 (the release's self-checker): each also fails the checker on its own component.
MUTANTS += [
    Mutant(
        "perceptron-predict-sign",
        "models.Perceptron",
        "predict returns np.sign(scores): -1.0 for class 0 (and 0.0 at a zero score)",
        "        predictions = (scores > 0).astype(np.float64)",
        "        predictions = np.sign(scores)",
        ("minus-one-labels",),
    ),
    Mutant(
        "sequential-backward-skips-first",
        "models.Sequential",
        "backward loops over reversed(self.layers[1:]): the first layer gets no backward",
        "        for layer in reversed(self.layers):\n            grad_y = layer.backward(grad_y)",
        "        for layer in reversed(self.layers[1:]):\n            grad_y = layer.backward(grad_y)",
        ("backward-skips-layer", "composition", "call-order"),
    ),
    Mutant(
        "minibatches-choice-with-replacement",
        "training.minibatches",
        "shuffles with rng.choice(N, N), which draws with replacement: some samples twice, some never",
        "        order = rng.permutation(len(X))",
        "        order = rng.choice(len(X), len(X))",
        ("not-a-permutation",),
    ),
    Mutant(
        "fit-returns-last-batch-loss",
        "training.fit",
        "each epoch's entry is the loss of its last batch, not the mean over the epoch",
        "        history.append(total / len(X))",
        "        history.append(float(loss))",
        ("last-batch-loss",),
    ),
    Mutant(
        "fit-total-not-reset",
        "training.fit",
        "the running total starts at 0 once, before the epochs: each epoch's loss includes the earlier ones",
        "    for _ in range(epochs):\n        total = 0.0\n",
        "    total = 0.0\n    for _ in range(epochs):\n",
        ("total-not-reset", "no-convergence"),
    ),
    Mutant(
        "numgrad-loops-over-rows",
        "gradcheck.numerical_gradient",
        "for i in range(len(x)): x[i] perturbs a whole row of a matrix at once",
        "    for index in np.ndindex(x.shape):",
        "    for index in range(len(x)):",
        ("perturbs-rows", "gradcheck-formula"),
    ),
    Mutant(
        "numgrad-slices-along-first-axis",
        "gradcheck.numerical_gradient",
        "probes a slice x[i : i + 1] of the first axis, saved as a copy: right for a vector, but for a matrix the "
        "slice is a whole row, moved by h at once, and every entry of the row gets the row's summed derivative",
        "    for index in np.ndindex(x.shape):\n"
        "        original = x[index]\n"
        "        x[index] = original + h\n"
        "        f_plus = float(f(x))\n"
        "        x[index] = original - h\n"
        "        f_minus = float(f(x))\n"
        "        x[index] = original  # restore exactly: no accumulated round-off\n",
        "    for index in range(x.shape[0]):\n"
        "        part = x[index : index + 1]  # a view: moving it moves x\n"
        "        saved = part.copy()\n"
        "        part += h\n"
        "        f_plus = float(f(x))\n"
        "        part -= 2 * h\n"
        "        f_minus = float(f(x))\n"
        "        part[...] = saved\n",
        ("perturbs-rows",),
    ),
]

# Issue 11: classic mistakes the catalogue lacked, each named by a simulation of it (the loop of
# Perceptron.fit replayed over the submission's update, Sequential's loops run on local doubles,
# fit's training replayed, numerical_gradient's probes and relative_error's formulas recomputed).
MUTANTS += [
    # ------------------------------------------------------------------ Perceptron.fit
    Mutant(
        "perceptron-fit-mistakes-not-reset",
        "models.Perceptron",
        "sets mistakes = 0 once, before the epoch loop: after one mistake no epoch looks clean",
        "        for _ in range(max_epochs):\n            mistakes = 0\n",
        "        mistakes = 0\n        for _ in range(max_epochs):\n",
        ("mistakes-not-reset",),
    ),
    Mutant(
        "perceptron-fit-one-epoch-extra",
        "models.Perceptron",
        "loops over range(max_epochs + 1): one epoch beyond the budget",
        "        for _ in range(max_epochs):",
        "        for _ in range(max_epochs + 1):",
        ("fit-epochs",),
    ),
    # ------------------------------------------------------------------ Sequential
    Mutant(
        "sequential-backward-returns-upstream",
        "models.Sequential",
        "backward runs every layer but returns the grad_y it was given",
        _BACKWARD,
        """        upstream = grad_y
        for layer in reversed(self.layers):
            grad_y = layer.backward(grad_y)
        grad_y = upstream""",
        ("backward-returns-upstream",),
    ),
    Mutant(
        "sequential-backward-result-dropped",
        "models.Sequential",
        "calls layer.backward(grad_y) without keeping its result",
        _BACKWARD,
        """        for layer in reversed(self.layers):
            layer.backward(grad_y)""",
        ("backward-not-chained",),
    ),
    Mutant(
        "sequential-forward-reversed",
        "models.Sequential",
        "forward applies the layers last to first",
        "        for layer in self.layers:\n            x = layer.forward(x)",
        "        for layer in reversed(self.layers):\n            x = layer.forward(x)",
        ("forward-order",),
    ),
    Mutant(
        "sequential-forward-skips-last",
        "models.Sequential",
        "forward loops over range(len(self.layers) - 1): the last layer never runs",
        "        for layer in self.layers:\n            x = layer.forward(x)",
        "        for i in range(len(self.layers) - 1):\n            x = self.layers[i].forward(x)",
        ("forward-skips-layer",),
    ),
    # ------------------------------------------------------------------ minibatches
    Mutant(
        "minibatches-empty-last-batch",
        "training.minibatches",
        "loops over range(0, len(X) + 1, size): an empty batch when batch_size divides N",
        _SLICES,
        "    for start in range(0, len(X) + 1, max(size, 1)):",
        ("empty-last-batch",),
    ),
    Mutant(
        "minibatches-stops-one-batch-early",
        "training.minibatches",
        "loops over range(0, len(X) - size, size): the last batch, full or not, is never yielded",
        _SLICES,
        "    for start in range(0, len(X) - size, max(size, 1)):",
        ("drops-last-batch",),
    ),
    Mutant(
        "minibatches-remainder-twice",
        "training.minibatches",
        "appends the remainder after the loop, which already yielded it: the last smaller batch comes twice",
        _SLICES + "\n        batches.append((X[start : start + size], y[start : start + size]))",
        _SLICES
        + "\n        batches.append((X[start : start + size], y[start : start + size]))\n"
        + "    if len(X) % max(size, 1):\n"
        + "        rest = len(X) % max(size, 1)\n"
        + "        batches.append((X[-rest:], y[-rest:]))",
        ("duplicated-last-batch",),
    ),
    # ------------------------------------------------------------------ fit
    Mutant(
        "fit-loss-not-averaged",
        "training.fit",
        "reports each epoch's summed loss (loss times batch size), never divided by len(X)",
        "        history.append(total / len(X))",
        "        history.append(total)",
        ("loss-not-averaged",),
    ),
    Mutant(
        "fit-zero-grad-once",
        "training.fit",
        "calls zero_grad() once, before the epochs: the gradients of every batch pile up",
        "    for _ in range(epochs):\n        total = 0.0\n" + _FIT_BATCHES + "\n            optimizer.zero_grad()\n",
        "    optimizer.zero_grad()\n    for _ in range(epochs):\n        total = 0.0\n" + _FIT_BATCHES + "\n",
        ("zero-grad-missing", "call-order"),
    ),
    Mutant(
        "fit-zero-grad-after-epoch",
        "training.fit",
        "clears the gradients once an epoch is done (zero_grad() after the batch loop, next to the history), not "
        "before each batch: within an epoch the gradients of its batches pile up",
        _FIT_EPOCHS,
        _FIT_EPOCHS.replace("            optimizer.zero_grad()\n", "")
        + "\n        optimizer.zero_grad()  # a clean start for the next epoch",
        ("zero-grad-missing",),
    ),
    # ------------------------------------------------------------------ numerical_gradient
    Mutant(
        "numgrad-backward-difference",
        "gradcheck.numerical_gradient",
        "uses the one-sided difference (f(x) - f(x - h)) / h",
        _PROBE,
        """        x[index] = original
        grad[index] = (float(f(x)) - f_minus) / h""",
        ("forward-difference",),
    ),
    Mutant(
        "numgrad-first-entry-only",
        "gradcheck.numerical_gradient",
        "breaks out of the loop after the first entry (a misplaced break)",
        _PROBE,
        _PROBE + "\n        break",
        ("first-entry-only",),
    ),
    # ------------------------------------------------------------------ relative_error
    Mutant(
        "relerr-denominator-without-abs",
        "gradcheck.relative_error",
        "divides by max(1e-8, a + b): no absolute values in the denominator",
        _RATIO,
        "    ratio = np.abs(a - b) / np.maximum(1e-8, a + b)",
        ("denominator-no-abs",),
    ),
    Mutant(
        "relerr-norm-ratio",
        "gradcheck.relative_error",
        "the norm form ||a - b|| / (||a|| + ||b||) over whole arrays instead of the largest entry-wise ratio",
        _RATIO + "\n    return float(np.max(ratio))",
        "    ratio = np.linalg.norm(a - b) / max(1e-8, np.linalg.norm(a) + np.linalg.norm(b))\n    return float(ratio)",
        ("norm-not-entrywise",),
    ),
]

# Issue 11, round 2 (D7): classes of mistake the held-apart set showed unnamed, each written here
# another way: a slice boundary off by one, the history at batch granularity, backward handed the
# loss, update's prediction without the bias, parameters() as one list per layer.
MUTANTS += [
    Mutant(
        "minibatches-slice-end-one-past",
        "training.minibatches",
        "cuts X[start : start + size + 1]: each batch also takes the next batch's first sample",
        "        batches.append((X[start : start + size], y[start : start + size]))",
        "        end = start + size + 1\n        batches.append((X[start:end], y[start:end]))",
        ("slice-off-by-one",),
    ),
    Mutant(
        "fit-history-running-mean-per-batch",
        "training.fit",
        "appends the running weighted mean after every batch instead of once per epoch",
        "            total += float(loss) * len(X_batch)\n        history.append(total / len(X))",
        "            total += float(loss) * len(X_batch)\n            history.append(total / len(X))",
        ("history-per-batch",),
    ),
    Mutant(
        "fit-backward-of-the-forward-loss",
        "training.fit",
        "hands model.backward the loss recomputed by loss_fn.forward, not loss_fn.backward()",
        "            model.backward(loss_fn.backward())",
        "            model.backward(loss_fn.forward(output, y_batch))",
        ("exception",),
        phrases=("loss_fn.backward()", "gradient of the loss"),
    ),
    Mutant(
        "perceptron-update-score-weights-only",
        "models.Perceptron",
        "update's prediction is np.dot(self.weight, x) > 0: the bias left out (predict keeps it)",
        _UPDATE_PREDICTION,
        "        prediction = float(np.dot(self.weight, x) > 0)",
        ("bias-ignored",),
    ),
    Mutant(
        "sequential-parameters-per-layer-lists",
        "models.Sequential",
        "parameters() appends each layer's list: a list of lists",
        "        return [p for layer in self.layers for p in layer.parameters()]",
        "        found = []\n        for layer in self.layers:\n            found.append(layer.parameters())\n"
        "        return found",
        ("parameters-nested",),
    ),
    Mutant(
        "perceptron-predict-threshold-at-one-half",
        "models.Perceptron",
        "predict is np.where(scores >= 0.5, 1.0, 0.0): the score read as a probability",
        _PREDICT,
        "        predictions = np.where(scores >= 0.5, 1.0, 0.0)",
        ("threshold-half",),
    ),
    Mutant(
        "perceptron-fit-visits-reversed",
        "models.Perceptron",
        "fit visits the samples last to first (X[::-1]) instead of in their given order",
        "            for x, target in zip(X, y, strict=True):",
        "            for x, target in zip(X[::-1], y[::-1], strict=True):",
        ("visit-order",),
    ),
    Mutant(
        "numgrad-first-probe-unmoved",
        "gradcheck.numerical_gradient",
        "evaluates f_plus before moving x[i]: the first probe is at x, not x + h",
        "        x[index] = original + h\n        f_plus = float(f(x))\n",
        "        f_plus = float(f(x))\n",
        ("probe-at-x",),
    ),
]

# Issue 11, round 3 (G5): a slice bound that is a length or a batch number, a call's arguments in the
# wrong order, a statement at the wrong loop level, a list changed in place across calls. Each is
# named by a simulation of that class (slice bounds, replayed loops, the layers list after a call).
MUTANTS += [
    Mutant(
        "minibatches-slice-to-the-end",
        "training.minibatches",
        "each batch is X[start:]: the slice runs to the end of the data, not to start + size",
        "        batches.append((X[start : start + size], y[start : start + size]))",
        "        batches.append((X[start:], y[start:]))",
        ("slice-bounds",),
    ),
    Mutant(
        "minibatches-batch-number-as-start",
        "training.minibatches",
        "the loop counts batches, and the batch number k is used as the slice's start: X[k : k + size]",
        _SLICES + "\n        batches.append((X[start : start + size], y[start : start + size]))",
        "    for k in range(-(-len(X) // max(size, 1))):\n        batches.append((X[k : k + size], y[k : k + size]))",
        ("slice-bounds",),
    ),
    Mutant(
        "fit-loss-target-first",
        "training.fit",
        "the loss is computed as loss_fn.forward(y_batch, model.forward(X_batch)): target first",
        "            output = model.forward(X_batch)\n            loss = loss_fn.forward(output, y_batch)",
        "            loss = loss_fn.forward(y_batch, model.forward(X_batch))",
        ("fit-arguments",),
    ),
    Mutant(
        "perceptron-fit-count-reset-per-sample",
        "models.Perceptron",
        "mistakes = 0 sits inside the sample loop: only the epoch's last sample decides whether it was clean",
        "            mistakes = 0\n            for x, target in zip(X, y, strict=True):\n",
        "            for x, target in zip(X, y, strict=True):\n                mistakes = 0\n",
        ("fit-true-too-early",),
    ),
    Mutant(
        "perceptron-fit-false-inside-epoch-loop",
        "models.Perceptron",
        "return False is indented into the epoch loop: fit gives up after the first epoch with a mistake",
        _FIT_LOOP,
        "            if mistakes == 0:\n                return True\n            return False\n"
        "        ### END SOLUTION\n        return False",
        ("fit-epochs",),
    ),
    Mutant(
        "sequential-backward-reverses-an-alias",
        "models.Sequential",
        "backward reverses `layers = self.layers`, an alias of the list, not a copy: self.layers is reversed too",
        _BACKWARD,
        "        layers = self.layers\n        layers.reverse()\n        for layer in layers:\n"
        "            grad_y = layer.backward(grad_y)",
        ("mutates-layers",),
    ),
    Mutant(
        "perceptron-fit-counts-every-sample",
        "models.Perceptron",
        "mistakes += 1 is dedented out of the `if`: every sample counts as a mistake, so no epoch is clean",
        "                if self.update(x, target) != 0.0:\n                    mistakes += 1\n",
        "                self.update(x, target)\n                mistakes += 1\n",
        ("counts-every-sample",),
    ),
    Mutant(
        "perceptron-fit-clean-test-before-samples",
        "models.Perceptron",
        "the clean-epoch test sits above the sample loop, where the count is still 0: fit returns True at once",
        "            mistakes = 0\n            for x, target in zip(X, y, strict=True):\n"
        "                if self.update(x, target) != 0.0:\n                    mistakes += 1\n"
        "            if mistakes == 0:\n                return True\n",
        "            mistakes = 0\n            if mistakes == 0:\n                return True\n"
        "            for x, target in zip(X, y, strict=True):\n"
        "                if self.update(x, target) != 0.0:\n                    mistakes += 1\n",
        ("fit-true-too-early",),
    ),
    Mutant(
        "fit-divides-by-last-batch",
        "training.fit",
        "the epoch's total is divided by len(y_batch), the last batch's size, not by len(X)",
        "        history.append(total / len(X))",
        "        history.append(total / len(y_batch))",
        ("loss-denominator",),
    ),
    Mutant(
        "fit-adds-batch-losses-unweighted",
        "training.fit",
        "total += float(loss): each batch's mean loss added once, not times its size, then divided by len(X)",
        "            total += float(loss) * len(X_batch)",
        "            total += float(loss)",
        ("unweighted-mean",),
    ),
    Mutant(
        "fit-backward-gets-output",
        "training.fit",
        "model.backward(output): the model's output handed back instead of the loss's gradient",
        "            model.backward(loss_fn.backward())",
        "            loss_fn.backward()\n            model.backward(output)",
        ("fit-arguments",),
    ),
    Mutant(
        "fit-minibatches-arguments-out-of-order",
        "training.fit",
        "minibatches(X, y, shuffle, batch_size, rng): batch_size and shuffle passed in each other's place",
        _FIT_BATCHES,
        _FIT_BATCHES.replace(
            "minibatches(X, y, batch_size, shuffle, rng)", "minibatches(X, y, shuffle, batch_size, rng)"
        ),
        ("fit-arguments",),
    ),
    Mutant(
        "fit-always-shuffles",
        "training.fit",
        "minibatches(X, y, batch_size, True, rng): shuffles whatever shuffle says",
        _FIT_BATCHES,
        _FIT_BATCHES.replace("minibatches(X, y, batch_size, shuffle, rng)", "minibatches(X, y, batch_size, True, rng)"),
        ("shuffle-ignored",),
    ),
    Mutant(
        "sequential-parameters-reverses-layers",
        "models.Sequential",
        "parameters() calls self.layers.reverse() and walks the list backwards: right once, the list reversed",
        "        return [p for layer in self.layers for p in layer.parameters()]",
        "        self.layers.reverse()\n"
        "        return [p for layer in reversed(self.layers) for p in layer.parameters()]",
        ("mutates-layers",),
    ),
    Mutant(
        "perceptron-update-weight-step-without-x",
        "models.Perceptron",
        "the weights move by lr * error, like the bias: x left out of the weights' update",
        _UPDATE_WEIGHT,
        "        self.weight = self.weight + self.lr * error",
        ("update-without-x",),
    ),
    Mutant(
        "sequential-forward-returns-in-loop",
        "models.Sequential",
        "forward returns inside the loop: only the first layer runs",
        "        for layer in self.layers:\n            x = layer.forward(x)\n",
        "        for layer in self.layers:\n            return layer.forward(x)\n",
        ("forward-skips-layer",),
    ),
    Mutant(
        "sequential-backward-pops-layers",
        "models.Sequential",
        "backward pops the layers off self.layers, last first: the list is empty after one backward",
        _BACKWARD,
        "        while self.layers:\n            grad_y = self.layers.pop().backward(grad_y)",
        ("mutates-layers",),
    ),
]

# Issue 11, set B's misses generalised (G6): the central difference divided by a wrong power of h,
# relative_error as one ratio of whole-array sums, and two empty arrays (docs/api.md: 0.0).
MUTANTS += [
    Mutant(
        "numgrad-divided-by-two-only",
        "gradcheck.numerical_gradient",
        "divides the central difference by 2 and forgets h: (f_plus - f_minus) / 2",
        _PROBE,
        _PROBE.replace("/ (2 * h)", "/ 2"),
        ("numgrad-divisor",),
    ),
    Mutant(
        "numgrad-over-h-times-two",
        "gradcheck.numerical_gradient",
        "writes (f_plus - f_minus) / h * 2: read left to right, it multiplies by 2 instead of dividing",
        _PROBE,
        _PROBE.replace("/ (2 * h)", "/ h * 2"),
        ("numgrad-divisor",),
    ),
    Mutant(
        "relerr-sum-over-sum",
        "gradcheck.relative_error",
        "sums the differences and divides by the sum of |a| + |b|: one ratio for the whole arrays",
        _RATIO + "\n    return float(np.max(ratio))",
        "    total = np.sum(np.abs(a) + np.abs(b))\n    return float(np.sum(np.abs(a - b)) / max(1e-8, total))",
        ("norm-not-entrywise",),
    ),
]

# Issue 11, set C's misses generalised (G3): loops that count from 1, an update computed and never
# stored or assigned where it accumulates, a flag tested against None, a method named but not called.
MUTANTS += [
    Mutant(
        "minibatches-while-from-one",
        "training.minibatches",
        "a while loop whose batch start begins at 1, as with 1-based indices: sample 0 is never used",
        _SLICES + "\n        batches.append((X[start : start + size], y[start : start + size]))\n",
        "    start = 1\n    while start < len(X):\n"
        "        batches.append((X[start : start + size], y[start : start + size]))\n"
        "        start += max(size, 1)\n",
        ("starts-at-one",),
    ),
    Mutant(
        "sequential-forward-index-from-one",
        "models.Sequential",
        "forward loops over range(1, len(self.layers)): the first layer never runs",
        "        for layer in self.layers:\n            x = layer.forward(x)\n",
        "        for i in range(1, len(self.layers)):\n            x = self.layers[i].forward(x)\n",
        ("forward-skips-layer",),
    ),
    Mutant(
        "perceptron-weight-update-to-local",
        "models.Perceptron",
        "the new weights go to a local name, weight = self.weight + lr * error * x, never stored on self",
        _UPDATE_WEIGHT,
        "        weight = self.weight + self.lr * error * x  # noqa: F841",
        ("result-discarded",),
    ),
    Mutant(
        "perceptron-update-sample-normalised-first",
        "models.Perceptron",
        "update first scales the sample to unit length, x = x / np.linalg.norm(x) ('normalise the inputs'), so the "
        "prediction and the step both use x / ||x||: the rule steps by lr * error * x",
        _UPDATE_PREDICTION,
        "        x = x / np.linalg.norm(x)  # normalise the input\n" + _UPDATE_PREDICTION,
        ("input-normalised",),
    ),
    Mutant(
        "perceptron-fit-pocket-by-accuracy",
        "models.Perceptron",
        "fit keeps the weights that classify the most training samples after an epoch (predict(X) == y counted, "
        "the pocket algorithm) and, when no epoch is clean, leaves those in the model instead of the last weights",
        *span(
            "models",
            (
                "        for _ in range(max_epochs):\n            mistakes = 0\n",
                "        best_right, pocket = -1, (self.weight.copy(), self.bias)\n"
                "        for _ in range(max_epochs):\n            mistakes = 0\n",
            ),
            (
                _FIT_LOOP,
                """            if mistakes == 0:
                return True
            right = int(np.sum(self.predict(X) == y))
            if right > best_right:  # the best weights so far go in the pocket
                best_right, pocket = right, (self.weight.copy(), self.bias)
        self.weight, self.bias = pocket
        ### END SOLUTION
        return False""",
            ),
        ),
        ("pocket-weights",),
    ),
    Mutant(
        "perceptron-weight-assigned",
        "models.Perceptron",
        "the weight update is weight = lr * error * x: assigned, the old weights overwritten",
        _UPDATE_WEIGHT,
        "        self.weight = self.lr * error * x",
        ("assigned-not-accumulated",),
    ),
    Mutant(
        "minibatches-shuffle-compared-with-none",
        "training.minibatches",
        "the shuffle flag is tested with `!= None`: shuffle=False still shuffles (and no rng was made for it)",
        "    if shuffle:\n        order = rng",
        "    if shuffle != None:  # noqa: E711\n        order = rng",
        ("flag-tested-against-none",),
    ),
    Mutant(
        "minibatches-chooses-rows",
        "training.minibatches",
        "the order is drawn as rng.choice(X, len(X), replace=False): shuffled rows, then used as indices",
        "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n",
        "        order = rng.choice(X, len(X), replace=False)\n",
        ("permutes-values-not-indices",),
    ),
    Mutant(
        "relerr-python-max-floor-last",
        "gradcheck.relative_error",
        "the floor is taken with Python's max(|a| + |b|, 1e-8): a whole array compared with a number",
        _RATIO,
        "    ratio = np.abs(a - b) / max(np.abs(a) + np.abs(b), 1e-8)",
        ("python-max-on-array",),
    ),
    Mutant(
        "relerr-floor-hundred",
        "gradcheck.relative_error",
        "the floor is written 1e2 (a minus sign lost): every denominator is at least 100, so errors look small",
        _RATIO,
        _RATIO.replace("np.maximum(1e-8,", "np.maximum(1e2,"),
        ("floor-wrong-magnitude",),
    ),
    Mutant(
        "relerr-floor-clipped-at-10e-8",
        "gradcheck.relative_error",
        "the denominator is floored with np.clip(|a| + |b|, 10e-8, None), 10e-8 meant as 1e-8: in scientific "
        "notation it is 10 x 1e-8 = 1e-7, a floor ten times too large",
        _RATIO,
        "    ratio = np.abs(a - b) / np.clip(np.abs(a) + np.abs(b), 10e-8, None)  # the 1e-8 floor",
        ("floor-wrong-magnitude",),
    ),
    Mutant(
        "fit-epochs-from-one",
        "training.fit",
        "the epoch loop runs over range(1, epochs): one epoch fewer than asked",
        "    for _ in range(epochs):\n        total = 0.0\n",
        "    for _ in range(1, epochs):\n        total = 0.0\n",
        ("fit-epochs",),
    ),
    Mutant(
        "fit-step-forgotten",
        "training.fit",
        "the loop never calls optimizer.step(): the gradients are computed and the weights never move",
        "            optimizer.step()\n            total += float(loss) * len(X_batch)\n",
        "            total += float(loss) * len(X_batch)\n",
        ("method-not-called",),
    ),
]

# Issue 11, set D's misses generalised (G6): batch_size read as a count of batches, a mode switch that
# returns None, probes taken at one point, argmax for max, the floor as a cap, the optimizer's method on the
# model, the gradient rescaled, losses weighted by the argument, a loop left without True, the +-1
# convention in update, predict handed one sample.
MUTANTS += [
    Mutant(
        "minibatches-batch-size-as-count-ceil",
        "training.minibatches",
        "batch_size read as the number of batches: each batch holds ceil(len(X) / batch_size) samples",
        "    size = len(X) if batch_size is None else batch_size\n",
        "    size = len(X) if batch_size is None else -(-len(X) // batch_size)\n",
        ("batch-size-as-count",),
    ),
    Mutant(
        "sequential-train-returns-none",
        "models.Sequential",
        "train() sets every mode, then returns None where `return self` belongs",
        "            layer.train()\n        return self\n",
        "            layer.train()\n        return None\n",
        ("returns-none",),
    ),
    Mutant(
        "numgrad-plus-probe-after-move",
        "gradcheck.numerical_gradient",
        "x is moved to original + h and then to original - h before f_plus is read: both probes at x - h",
        "        x[index] = original + h\n        f_plus = float(f(x))\n        x[index] = original - h\n",
        "        x[index] = original + h\n        x[index] = original - h\n        f_plus = float(f(x))\n",
        ("probe-before-move",),
    ),
    Mutant(
        "relerr-argmax-method",
        "gradcheck.relative_error",
        "returns ratio.argmax(), the flat index of the largest ratio, instead of its value",
        "    return float(np.max(ratio))\n",
        "    return float(ratio.argmax())\n",
        ("argmax-for-max",),
    ),
    Mutant(
        "relerr-floor-clipped-from-above",
        "gradcheck.relative_error",
        "the floor is np.clip(|a| + |b|, None, 1e-8): a cap at 1e-8, so every ratio explodes",
        _RATIO,
        "    ratio = np.abs(a - b) / np.clip(np.abs(a) + np.abs(b), None, 1e-8)",
        ("floor-with-minimum",),
    ),
    Mutant(
        "fit-zero-grad-on-model-as-well",
        "training.fit",
        "fit calls model.zero_grad() before optimizer.zero_grad() (a PyTorch habit): nnlab's modules have none",
        "            optimizer.zero_grad()\n",
        "            model.zero_grad()\n            optimizer.zero_grad()\n",
        ("zero-grad-on-model",),
    ),
    Mutant(
        "fit-gradient-averaged-again",
        "training.fit",
        "the loss gradient is divided by len(y_batch) in a local before backward: the loss already averages",
        "            model.backward(loss_fn.backward())\n",
        "            grad = loss_fn.backward()\n            model.backward(grad / len(y_batch))\n",
        ("divided-by-batch-size",),
    ),
    Mutant(
        "fit-loss-weighted-by-argument",
        "training.fit",
        "each batch's loss is weighted by the batch_size argument (len(X) when None), not by len(X_batch)",
        "            total += float(loss) * len(X_batch)\n",
        "            total += float(loss) * (batch_size or len(X))\n",
        ("batch-size-weight",),
    ),
    Mutant(
        "perceptron-fit-flag-then-break",
        "models.Perceptron",
        "a clean epoch sets converged = True and breaks, but fit still returns False after the loop",
        _FIT_LOOP,
        _FIT_LOOP.replace(
            "                return True", "                converged = True  # noqa: F841\n                break"
        ),
        ("fit-return-value",),
    ),
    Mutant(
        "perceptron-update-sign-of-score",
        "models.Perceptron",
        "update predicts np.sign(score): -1 for a negative score, the +-1 convention, where targets are 0/1",
        _UPDATE_PREDICTION,
        "        prediction = float(np.sign(x @ self.weight + self.bias))",
        ("minus-one-labels",),
    ),
    Mutant(
        "perceptron-update-predict-first-entry",
        "models.Perceptron",
        "update takes self.predict(x)[0] on the single sample x: predict wants a batch (N, n_features)",
        _UPDATE_PREDICTION,
        "        prediction = float(self.predict(x)[0])",
        ("predict-on-one-sample",),
    ),
]

# Issue 11, set E generalised (G6): update's signed errors summed instead of the mistakes counted.
MUTANTS += [
    Mutant(
        "perceptron-fit-total-error-at-most-zero",
        "models.Perceptron",
        "fit keeps the epoch's total error (mistakes += error) and calls a total <= 0 clean: -1s cancel +1s",
        "                if self.update(x, target) != 0.0:\n"
        "                    mistakes += 1\n"
        "            if mistakes == 0:\n",
        "                error = self.update(x, target)\n"
        "                mistakes = mistakes + error\n"
        "            if mistakes <= 0:\n",
        ("mistakes-cancel",),
    ),
    Mutant(
        "minibatches-array-split-into-full-batch-count",
        "training.minibatches",
        "np.array_split into len(X) // size parts: the remainder is spread over the batches, no smaller last one",
        _SLICES + "\n        batches.append((X[start : start + size], y[start : start + size]))",
        "    parts = max(len(X) // max(size, 1), 1)\n"
        "    batches = list(zip(np.array_split(X, parts), np.array_split(y, parts)))",
        ("remainder-batch",),
    ),
    Mutant(
        "fit-gradient-kept-not-backpropagated",
        "training.fit",
        "the loss's gradient is stored in a variable that nothing hands to model.backward: no parameter moves",
        "            model.backward(loss_fn.backward())\n",
        "            grad_output = loss_fn.backward()  # noqa: F841\n",
        ("model-backward-missing",),
    ),
    Mutant(
        "sequential-forward-outputs-collected-unused",
        "models.Sequential",
        "forward collects each layer's output of x in a list it never returns: x itself comes back",
        "        for layer in self.layers:\n            x = layer.forward(x)",
        "        outputs = [layer.forward(x) for layer in self.layers]  # noqa: F841",
        ("forward-not-chained",),
    ),
    Mutant(
        "numgrad-plus-divided-alone",
        "gradcheck.numerical_gradient",
        "the central difference typed f_plus / (2 * h) - f_minus: only the first probe is divided",
        "        grad[index] = (f_plus - f_minus) / (2 * h)",
        "        grad[index] = f_plus / (2 * h) - f_minus",
        ("precedence",),
    ),
    Mutant(
        "numgrad-plus-probe-two-steps",
        "gradcheck.numerical_gradient",
        "the first probe is put at original + 2h, the second at original - h: 3h apart, divided by 2h",
        "        x[index] = original + h\n",
        "        x[index] = original + 2 * h\n",
        ("probe-wrong-point",),
    ),
    Mutant(
        "minibatches-take-along-columns",
        "training.minibatches",
        "the permutation is applied with np.take(X, order, axis=1): X's columns are reordered, not its samples",
        _SHUFFLE,
        "        X, y = np.take(X, order, axis=1), y[order]",
        ("permutes-wrong-axis",),
    ),
    Mutant(
        "fit-breaks-after-first-epoch",
        "training.fit",
        "a break after the epoch's loss is recorded: fit trains one epoch whatever epochs says",
        "        history.append(total / len(X))\n",
        "        history.append(total / len(X))\n        break\n",
        ("fit-epochs",),
    ),
    Mutant(
        "perceptron-predict-dot-weight-first",
        "models.Perceptron",
        "predict computes np.dot(self.weight, X): the weight first, so the batch's samples meet its features",
        "        scores = X @ self.weight + self.bias\n",
        "        scores = np.dot(self.weight, X) + self.bias\n",
        ("matmul-order",),
    ),
]

# Round 2 (set F's classes, each a different edit from the held-apart bugs): a loop whose step is off by
# one, a loss recomputed after the step.
MUTANTS += [
    Mutant(
        "minibatches-starts-step-one-short",
        "training.minibatches",
        "the batch starts advance by size - 1: consecutive batches share a sample",
        _SLICES,
        "    for start in range(0, len(X), max(size - 1, 1)):",
        ("loop-off-by-one",),
    ),
    Mutant(
        "fit-loss-reassigned-after-step",
        "training.fit",
        "after optimizer.step() the loss is computed again with the updated weights and that one is reported",
        "            optimizer.step()\n",
        "            optimizer.step()\n            loss = loss_fn.forward(model.forward(X_batch), y_batch)\n",
        ("loss-after-step",),
    ),
    Mutant(
        "minibatches-columns-of-x",
        "training.minibatches",
        "X is cut with X[..., start:start + size]: on a 2-D X the ellipsis slices the features, not the samples",
        "        batches.append((X[start : start + size], y[start : start + size]))",
        "        batches.append((X[..., start : start + size], y[start : start + size]))",
        ("batches-along-features",),
    ),
    Mutant(
        "fit-batch-unpacked-targets-first",
        "training.fit",
        "each batch is unpacked inside the loop as y_batch, X_batch = batch: the targets go to the model",
        _FIT_BATCHES + "\n",
        "        for batch in minibatches(X, y, batch_size, shuffle, rng):\n            y_batch, X_batch = batch\n",
        ("unpacked-swapped",),
    ),
    Mutant(
        "fit-output-np-squeeze",
        "training.fit",
        "the loss is given np.squeeze(output): an (n, 1) prediction loses its axis of length 1",
        "            loss = loss_fn.forward(output, y_batch)\n",
        "            loss = loss_fn.forward(np.squeeze(output), y_batch)\n",
        ("squeezed-output",),
    ),
    Mutant(
        "fit-targets-rounded",
        "training.fit",
        "the loss is given y_batch.round(), as for class labels: regression targets lose their fractions",
        "            loss = loss_fn.forward(output, y_batch)\n",
        "            loss = loss_fn.forward(output, y_batch.round())\n",
        ("rounded-values",),
    ),
    Mutant(
        "sequential-forward-returns-every-output",
        "models.Sequential",
        "forward appends each layer's output to a list (a cache for backward) and returns that list",
        "        for layer in self.layers:\n            x = layer.forward(x)\n",
        "        outputs = []\n"
        "        for layer in self.layers:\n"
        "            x = layer.forward(x)\n"
        "            outputs.append(x)\n"
        "        x = outputs\n",
        ("returns-cache",),
    ),
    Mutant(
        "perceptron-update-multiplies-sample-by-error",
        "models.Perceptron",
        "update multiplies the sample by the error in place (x *= error) before the step: fit's rows of X change",
        _UPDATE_WEIGHT,
        "        x *= error\n        self.weight = self.weight + self.lr * x",
        ("modifies-input",),
    ),
    Mutant(
        "numgrad-store-after-loop",
        "gradcheck.numerical_gradient",
        "the store of the difference is dedented below the loop (the restore stays inside): only the last entry is set",
        _PROBE,
        "        x[index] = original  # restore exactly: no accumulated round-off\n"
        "    grad[index] = (f_plus - f_minus) / (2 * h)",
        ("assignment-outside-loop",),
    ),
    Mutant(
        "relerr-max-along-last-axis",
        "gradcheck.relative_error",
        "the largest ratio is ratio.max(axis=-1): one per row for arrays of two axes, which float() cannot take",
        "    return float(np.max(ratio))",
        "    return float(ratio.max(axis=-1))",
        ("max-over-one-axis",),
    ),
]

# Round 3 (set G's classes, each a different edit from the held-apart bugs): the perceptron's error as an
# unsigned mistake flag, zip's arguments swapped in its loop, fit's running total reset inside the batch loop,
# and fit's history entry recomputed on the whole training set after the epoch.
MUTANTS += [
    Mutant(
        "perceptron-error-absolute",
        "models.Perceptron",
        "error = abs(target - prediction): a false positive also gets +1, so its update pushes towards class 1",
        "        error = float(target) - prediction\n",
        "        error = abs(float(target) - prediction)\n",
        ("error-unsigned",),
    ),
    Mutant(
        "perceptron-fit-zip-arguments-swapped",
        "models.Perceptron",
        "fit loops over zip(y, X) but unpacks (x, target): each target goes where the sample belongs",
        "            for x, target in zip(X, y, strict=True):\n",
        "            for x, target in zip(y, X, strict=True):\n",
        ("unpacked-swapped",),
    ),
    Mutant(
        "fit-total-reset-per-batch",
        "training.fit",
        "total = 0.0 sits inside the batch loop: each batch starts the total again, so only the last batch's loss "
        "is divided by len(X)",
        "        total = 0.0\n        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):\n",
        "        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):\n            total = 0.0\n",
        ("assigned-not-accumulated",),
    ),
    Mutant(
        "fit-history-evaluated-after-epoch",
        "training.fit",
        "after the batch loop the total is recomputed as the whole training set's loss with the epoch's final "
        "weights, times len(X): the history holds that, not the batch losses the steps were taken on",
        "        history.append(total / len(X))\n",
        "        total = float(loss_fn.forward(model.forward(X), y)) * len(X)\n"
        "        history.append(total / len(X))\n",
        ("loss-after-step",),
    ),
    Mutant(
        "relerr-ravel-not-called",
        "gradcheck.relative_error",
        "a = np.asarray(a, dtype=np.float64).ravel: the method is named, not called, so a is the method itself",
        "    a = np.asarray(a, dtype=np.float64)\n",
        "    a = np.asarray(a, dtype=np.float64).ravel\n",
        ("method-not-called",),
    ),
    Mutant(
        "sequential-forward-index-to-len-inclusive",
        "models.Sequential",
        "forward indexes the layers with range(len(self.layers) + 1), as if the stop were included: the last "
        "index it reaches is one past the last layer",
        "        for layer in self.layers:\n            x = layer.forward(x)\n",
        "        for i in range(len(self.layers) + 1):\n            x = self.layers[i].forward(x)\n",
        ("loop-off-by-one",),
    ),
    Mutant(
        "minibatches-shuffle-raveled",
        "training.minibatches",
        "the shuffle reorders X.ravel()[order]: the flattened X's first len(X) entries, not its rows",
        "        X, y = X[order], y[order]\n",
        "        X, y = X.ravel()[order], y[order]\n",
        ("permutes-wrong-axis",),
        ("flattened",),
    ),
    Mutant(
        "fit-loss-gradient-taken-first",
        "training.fit",
        "grad = loss_fn.backward() is taken before loss_fn.forward(output, y_batch): the loss's gradient of a "
        "forward that has not run yet (the previous batch's, nothing at the first)",
        "            loss = loss_fn.forward(output, y_batch)\n            model.backward(loss_fn.backward())\n",
        "            grad = loss_fn.backward()\n"
        "            loss = loss_fn.forward(output, y_batch)\n"
        "            model.backward(grad)\n",
        ("call-order",),
    ),
    Mutant(
        "numgrad-counter-over-raveled-entries",
        "gradcheck.numerical_gradient",
        "the loop counts the entries of x.ravel() and uses the count as x[index]: for a matrix that is a row, "
        "and the count runs past the rows",
        "    for index in np.ndindex(x.shape):\n",
        "    for index in range(len(x.ravel())):\n",
        ("perturbs-rows",),
    ),
    Mutant(
        "numgrad-relative-step",
        "gradcheck.numerical_gradient",
        "probes at x_i * (1 +- h), a relative step, but divides by 2h: each derivative comes out times |x_i|",
        "        x[index] = original + h\n        f_plus = float(f(x))\n        x[index] = original - h\n",
        "        x[index] = original * (1 + h)\n        f_plus = float(f(x))\n        x[index] = original * (1 - h)\n",
        ("numgrad-divisor",),
    ),
]

# Set H's classes, each a different edit from the held-apart bugs: a batch's loss weighted by the entries
# of a batch array (not its samples), a loop variable that rebinds the sequence it walks, a sample skipped,
# batches kept in a list that outlives the call.
MUTANTS += [
    Mutant(
        "fit-weighted-by-target-entries",
        "training.fit",
        "each batch loss is weighted by y_batch.size, the targets' entries, not len(X_batch): with several outputs "
        "per sample every epoch's mean is that many times too large",
        "            total += float(loss) * len(X_batch)\n",
        "            total += float(loss) * y_batch.size\n",
        ("batch-size-weight",),
    ),
    # fit's history and Sequential.parameters' list kept between calls (set O: a default list history=[] and
    # params=[]), here spelt as a default dict that holds the list, a keyword-only default list, and an attribute
    # of the function (no default at all: state kept, not a default argument)
    Mutant(
        "fit-history-in-default-dict",
        "training.fit",
        "the losses live in a dict given as a keyword-only default argument, _state={}, and history = "
        "_state.setdefault('history', []): the dict is made once, so every call appends to the losses of all the "
        "earlier calls",
        *span(
            "training",
            (
                "    rng: np.random.Generator | None = None,\n) -> list[float]:\n",
                "    rng: np.random.Generator | None = None,\n    *,\n    _state: dict = {},  # noqa: B006\n"
                ") -> list[float]:\n",
            ),
            ("    history: list[float] = []\n", '    history = _state.setdefault("history", [])\n'),
        ),
        ("mutable-default-argument", "state-kept-between-calls"),
    ),
    Mutant(
        "fit-history-kept-on-the-function",
        "training.fit",
        "the list of losses is kept as an attribute of fit (made at the first call): every later call appends to it "
        "and returns the losses of all the earlier calls too",
        "    history: list[float] = []\n",
        '    history = fit.__dict__.setdefault("history", [])\n',
        ("state-kept-between-calls",),
    ),
    Mutant(
        "sequential-parameters-keyword-default-list",
        "models.Sequential",
        "parameters(self, *, _found=[]) adds the layers' parameters to a keyword-only default list: the default is "
        "made once, so every call (of every Sequential) returns one growing list",
        "    def parameters(self) -> list[Parameter]:\n"
        '        """Every layer\'s parameters, concatenated in layer order."""\n'
        "        return [p for layer in self.layers for p in layer.parameters()]\n",
        "    def parameters(self, *, _found: list[Parameter] = []) -> list[Parameter]:  # noqa: B006\n"
        '        """Every layer\'s parameters, concatenated in layer order."""\n'
        "        _found += [p for layer in self.layers for p in layer.parameters()]\n"
        "        return _found\n",
        ("mutable-default-argument",),
    ),
    Mutant(
        "minibatches-batches-kept-on-the-function",
        "training.minibatches",
        "the batch list is kept as an attribute of the function (minibatches.batches, made once): every call "
        "appends to the batches of all the earlier calls",
        "    batches: list[tuple[np.ndarray, np.ndarray]] = []\n",
        '    if not hasattr(minibatches, "batches"):\n'
        "        minibatches.batches = []\n"
        "    batches = minibatches.batches\n",
        ("state-kept-between-calls",),
    ),
    Mutant(
        "perceptron-fit-enumerate-rebinds-y",
        "models.Perceptron",
        "fit's loop is `for i, (x, y) in enumerate(zip(X, y))`: the loop variable y rebinds the targets, so the "
        "second epoch zips over one number",
        _PERCEPTRON_SAMPLES,
        "            for i, (x, y) in enumerate(zip(X, y, strict=True)):\n"
        "                if self.update(x, y) != 0.0:\n",
        ("name-shadowed",),
    ),
    Mutant(
        "perceptron-fit-skips-first-sample",
        "models.Perceptron",
        "fit's loop walks zip(X[1:], y[1:]), as if the first sample were a header: it is never updated on, and an "
        "epoch counts as clean without it",
        _PERCEPTRON_SAMPLES,
        "            for x, target in zip(X[1:], y[1:], strict=True):\n"
        "                if self.update(x, target) != 0.0:\n",
        ("loop-off-by-one",),
    ),
]

# Set H's classes in gradient checking, each a different edit from the held-apart bugs: probes set to the step
# instead of moved by it, an epsilon added to the denominator instead of a floor, a comparison returned.
MUTANTS += [
    Mutant(
        "numgrad-probe-assigned-then-stepped-back",
        "gradcheck.numerical_gradient",
        "the first probe sets the entry to h (x[i] = h) and the second steps back by 2h from there: f is probed "
        "at x_i = +-h, wherever x_i was",
        "        x[index] = original + h\n        f_plus = float(f(x))\n        x[index] = original - h\n",
        "        x[index] = h\n        f_plus = float(f(x))\n        x[index] -= 2 * h\n",
        ("probe-wrong-point",),
    ),
    Mutant(
        "relerr-small-epsilon-added",
        "gradcheck.relative_error",
        "the denominator is |a| + |b| + 1e-10, a small epsilon added instead of the floor max(1e-8, |a| + |b|)",
        "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))",
        "    ratio = np.abs(a - b) / (1e-10 + np.abs(a) + np.abs(b))",
        ("epsilon-added-not-floored",),
    ),
    Mutant(
        "relerr-returns-all-close",
        "gradcheck.relative_error",
        "returns whether every ratio is below a tolerance, np.all(ratio < 1e-6), a numpy boolean, not the "
        "largest ratio",
        "    return float(np.max(ratio))",
        "    return np.all(ratio < 1e-6)",
        ("boolean-result",),
    ),
]

# Set I's classes in training and models, each a different edit from the held-apart bugs: the history made anew
# in every epoch, an iterator kept and used up, a comprehension's clauses swapped, PyTorch's train(mode).
_SEQUENTIAL_SPAN = (
    "        self.layers = list(layers)\n"
    "\n"
    "    def forward(self, x: np.ndarray) -> np.ndarray:\n"
    "        ### BEGIN SOLUTION\n"
    "        for layer in self.layers:\n"
    "            x = layer.forward(x)\n"
    "        ### END SOLUTION\n"
    "        return x\n"
    "\n"
    "    def backward(self, grad_y: np.ndarray) -> np.ndarray:\n"
    "        ### BEGIN SOLUTION\n"
    "        for layer in reversed(self.layers):\n"
)
MUTANTS += [
    Mutant(
        "fit-history-assigned-per-epoch",
        "training.fit",
        "history = [total / len(X)] at the end of each epoch: the list is replaced, not appended to, so fit returns "
        "the last epoch's loss alone",
        "        history.append(total / len(X))\n",
        "        history = [total / len(X)]\n",
        ("history-reset",),
    ),
    Mutant(
        "sequential-backward-order-kept-as-iterator",
        "models.Sequential",
        "the constructor stores iter(self.layers[::-1]) and backward loops over it: the first backward uses the "
        "iterator up, so every later backward runs no layer",
        _SEQUENTIAL_SPAN,
        _SEQUENTIAL_SPAN.replace(
            "        self.layers = list(layers)\n",
            "        self.layers = list(layers)\n        self._reversed = iter(self.layers[::-1])\n",
        ).replace("        for layer in reversed(self.layers):\n", "        for layer in self._reversed:\n"),
        ("iterator-exhausted",),
    ),
    Mutant(
        "sequential-parameters-generator-clauses-swapped",
        "models.Sequential",
        "parameters() is list(p for p in layer.parameters() for layer in self.layers): the inner clause comes first, "
        "so layer is read before any clause defines it",
        "        return [p for layer in self.layers for p in layer.parameters()]\n",
        "        return list(p for p in layer.parameters() for layer in self.layers)\n",
        ("comprehension-order",),
    ),
    Mutant(
        "sequential-train-passes-mode",
        "models.Sequential",
        "train() calls layer.train(True), PyTorch's train(mode): the API's train() takes no argument",
        "        self.training = True\n        for layer in self.layers:\n            layer.train()\n",
        "        self.training = True\n        for layer in self.layers:\n            layer.train(True)\n",
        ("pytorch-idiom",),
    ),
    Mutant(
        "minibatches-targets-atleast-2d",
        "training.minibatches",
        "each target batch goes through np.atleast_2d to look like X_batch: labels (n,) become a row (1, n)",
        "        batches.append((X[start : start + size], y[start : start + size]))\n",
        "        batches.append((X[start : start + size], np.atleast_2d(y[start : start + size])))\n",
        ("target-reshaped",),
    ),
]

# Set I's classes in gradient checking, each a different edit from the held-apart bugs: indices that walk the
# shape reversed, arrays rounded to float32, a nan cleaned up where a floor belongs, a default step changed.
MUTANTS += [
    Mutant(
        "numgrad-ndindex-of-reversed-shape",
        "gradcheck.numerical_gradient",
        "the loop walks np.ndindex(*reversed(x.shape)), as if the last axis came first: for a non-square x the "
        "indices run past an axis",
        "    for index in np.ndindex(x.shape):\n",
        "    for index in np.ndindex(*reversed(x.shape)):\n",
        ("index-order-reversed",),
    ),
    Mutant(
        "relerr-float32-astype",
        "gradcheck.relative_error",
        "the arrays are cast with .astype(np.float32) to save memory: errors below about 1e-7 are rounded away",
        "    a = np.asarray(a, dtype=np.float64)\n    b = np.asarray(b, dtype=np.float64)\n",
        "    a, b = np.asarray(a).astype(np.float32), np.asarray(b).astype(np.float32)\n",
        ("float32",),
    ),
    Mutant(
        "relerr-nan-ratios-zeroed",
        "gradcheck.relative_error",
        "divides by |a| + |b| without the floor, then sets the nan ratios (0/0) to 0: entries below the floor but "
        "not 0 give ratios up to 1",
        _RATIO,
        "    ratio = np.abs(a - b) / (np.abs(a) + np.abs(b))\n    ratio[np.isnan(ratio)] = 0.0",
        ("no-floor",),
    ),
    Mutant(
        "numgrad-default-step-too-large",
        "gradcheck.numerical_gradient",
        "the default step is h = 1e-3, taken as safer than 1e-5: the h^2 term of the central difference shows",
        "def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5)",
        "def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-3)",
        ("default-changed",),
    ),
]

# Set J, taught by class of mistake: each a different edit of a misconception set J showed.
MUTANTS += [
    Mutant(
        "minibatches-last-batch-shifted-back",
        "training.minibatches",
        "every batch is made full: the last batch's start is moved back to len(X) - size, so it repeats the end of "
        "the batch before it instead of holding the remainder",
        _SLICES + "\n        batches.append((X[start : start + size], y[start : start + size]))",
        _SLICES + "\n        start = max(min(start, len(X) - size), 0)  # every batch full, up to the end"
        "\n        batches.append((X[start : start + size], y[start : start + size]))",
        ("remainder-batch",),
    ),
    Mutant(
        "minibatches-permutation-of-one-sample-length",
        "training.minibatches",
        "the shuffle draws rng.permutation(len(X[0])), the length of one sample (its features), not of the data: "
        "X[order] keeps only the first D samples",
        "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n",
        "        order = rng.permutation(len(X[0]))  # one index per entry\n",
        ("permutes-wrong-axis",),
    ),
    Mutant(
        "fit-gradient-scaled-by-its-rows",
        "training.fit",
        "the loss's gradient is multiplied by its number of rows before backward ('per-sample gradients, summed'): "
        "the mean's 1/N is taken back, every step N times too large",
        "            model.backward(loss_fn.backward())\n",
        "            grad = loss_fn.backward()\n"
        "            model.backward(grad * grad.shape[0])  # summed over the batch\n",
        ("times-batch-size",),
    ),
    Mutant(
        "fit-inputs-scaled-to-unit-range",
        "training.fit",
        "fit rescales every feature of X to [0, 1] (min-max) before training: the model learns on other inputs than "
        "the ones it is given",
        "    for _ in range(epochs):\n        total = 0.0\n",
        "    X = (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0))  # features in [0, 1]\n"
        "    for _ in range(epochs):\n        total = 0.0\n",
        ("preprocessing-added",),
    ),
    Mutant(
        "sequential-backward-only-trainable-layers",
        "models.Sequential",
        "backward runs only the layers that have parameters, collected in a list first: a layer without any "
        "(an activation) no longer turns its output gradient into its input gradient",
        _BACKWARD,
        "        trainable = [layer for layer in self.layers if len(layer.parameters()) > 0]\n"
        "        for layer in reversed(trainable):\n            grad_y = layer.backward(grad_y)",
        ("backward-skips-layer",),
    ),
    Mutant(
        "sequential-layers-appended-as-one",
        "models.Sequential",
        "the constructor appends the *layers tuple to an empty list: self.layers holds one tuple, not the layers",
        "        self.layers = list(layers)\n",
        "        self.layers = []\n        self.layers.append(layers)  # keep the layers given\n",
        ("varargs-wrapped",),
    ),
    Mutant(
        "perceptron-predict-bias-compared-as-threshold",
        "models.Perceptron",
        "predict fires where X @ weight > bias, the bias read as Rosenblatt's threshold, while update moves it as a "
        "bias",
        _PREDICT,
        "        predictions = (X @ self.weight > self.bias).astype(np.float64)  # fire above the threshold",
        ("bias-sign-as-threshold",),
    ),
    Mutant(
        "perceptron-fit-frozen-epoch-predictions",
        "models.Perceptron",
        "fit predicts every sample once at the start of the epoch, then corrects the weights sample by sample with "
        "those predictions: the batch perceptron, whose predictions never see the epoch's earlier corrections",
        _PERCEPTRON_SAMPLES + "                    mistakes += 1\n",
        "            predictions = self.predict(X)  # the epoch's predictions, made once\n"
        "            for x, target, prediction in zip(X, y, predictions, strict=True):\n"
        "                error = float(target) - prediction\n"
        "                if error != 0.0:\n"
        "                    self.weight = self.weight + self.lr * error * x\n"
        "                    self.bias = self.bias + self.lr * error\n"
        "                    mistakes += 1\n",
        ("batch-perceptron",),
    ),
    Mutant(
        "perceptron-fit-reinitialises",
        "models.Perceptron",
        "fit calls self.__init__ first ('a fresh start'): the weight and bias it was given are reset to zeros",
        "        for _ in range(max_epochs):\n            mistakes = 0\n",
        "        self.__init__(self.n_features, self.lr)  # a fresh start\n"
        "        for _ in range(max_epochs):\n            mistakes = 0\n",
        ("state-reset",),
    ),
]

# Set K, taught by class of mistake: each a different edit of a misconception set K showed.
MUTANTS += [
    Mutant(
        "numgrad-loop-stops-one-short",
        "gradcheck.numerical_gradient",
        "the loop counts the entries with range(x.size - 1), one short, and unravels the count into an index: the "
        "last entry is never probed and its derivative stays 0",
        "    for index in np.ndindex(x.shape):\n",
        "    for flat in range(x.size - 1):\n        index = np.unravel_index(flat, x.shape)\n",
        ("entries-skipped",),
    ),
    Mutant(
        "relerr-floor-on-each-magnitude",
        "gradcheck.relative_error",
        "each magnitude gets its own floor, max(1e-8, |a|) + max(1e-8, |b|), where the floor belongs on the sum",
        _RATIO,
        "    ratio = np.abs(a - b) / (np.maximum(1e-8, np.abs(a)) + np.maximum(1e-8, np.abs(b)))",
        ("floor-scope",),
    ),
    Mutant(
        "relerr-abs-in-place",
        "gradcheck.relative_error",
        "|a| is taken in a's own memory, np.abs(a, out=a), to save an array: np.asarray made no copy, so the "
        "caller's a is overwritten by its magnitudes",
        _RATIO,
        "    diff = np.abs(a - b)\n"
        "    np.abs(a, out=a)  # |a| in a's own memory: no temporary array\n"
        "    ratio = diff / np.maximum(1e-8, a + np.abs(b))",
        ("modifies-input",),
    ),
    Mutant(
        "minibatches-last-batch-runs-to-the-end",
        "training.minibatches",
        "the loop makes len(X) // size batches and the last one runs to the end of the data, X[start:]: the "
        "remainder rides with the last full batch instead of making a smaller batch of its own",
        _SLICES + "\n        batches.append((X[start : start + size], y[start : start + size]))",
        "    count = max(len(X) // max(size, 1), 1)\n"
        "    for k in range(count):\n"
        "        start = k * size\n"
        "        end = len(X) if k == count - 1 else start + size  # the last batch takes what is left\n"
        "        batches.append((X[start:end], y[start:end]))",
        ("remainder-batch",),
    ),
    Mutant(
        "fit-none-batch-size-defaults-to-16",
        "training.fit",
        "fit gives batch_size=None a default of its own before the epochs ('None: use a sensible mini-batch'), "
        "where None means one batch of the whole training set",
        "    history: list[float] = []\n    ### BEGIN SOLUTION\n",
        "    history: list[float] = []\n    ### BEGIN SOLUTION\n"
        "    if batch_size is None:\n        batch_size = 16  # no size given: a sensible mini-batch\n",
        ("none-means-full-batch",),
    ),
    Mutant(
        "fit-backward-started-from-a-unit-seed",
        "training.fit",
        "backpropagation is started from a seed of ones shaped like the output ('the chain rule starts from "
        "dL/dL = 1'), where model.backward takes dL/doutput, what loss_fn.backward() returns",
        "            model.backward(loss_fn.backward())\n",
        "            seed = np.ones(np.shape(output))  # the chain rule starts from dL/dL = 1\n"
        "            model.backward(seed)\n",
        ("seed-gradient-ones",),
    ),
    Mutant(
        "perceptron-fit-lr-decayed-each-epoch",
        "models.Perceptron",
        "fit decays the learning rate after every epoch, self.lr *= 0.9 ('finer steps as training settles'): the "
        "perceptron rule steps by the constant lr",
        _FIT_LOOP,
        "            self.lr = self.lr * 0.9  # decay: finer steps as training settles\n" + _FIT_LOOP,
        ("lr-schedule-added",),
    ),
    Mutant(
        "perceptron-fit-keeps-average-of-updates",
        "models.Perceptron",
        "fit ends on the average of the weights after each update that changed them (a 'smoothed' perceptron), "
        "where it keeps the weights the rule ended with",
        "        for _ in range(max_epochs):\n            mistakes = 0\n"
        + _PERCEPTRON_SAMPLES
        + "                    mistakes += 1\n            if mistakes == 0:\n                return True\n",
        "        steps = []  # the weights after every correction\n"
        "        for _ in range(max_epochs):\n            mistakes = 0\n"
        + _PERCEPTRON_SAMPLES
        + "                    mistakes += 1\n"
        "                    steps.append(np.append(self.weight, self.bias))\n"
        "            if mistakes == 0:\n"
        "                if steps:  # smooth out the last corrections\n"
        "                    mean = np.mean(steps, axis=0)\n"
        "                    self.weight, self.bias = mean[:-1], float(mean[-1])\n"
        "                return True\n",
        ("averaged-weights",),
    ),
    Mutant(
        "perceptron-predict-sign-shifted-to-0-1",
        "models.Perceptron",
        "predict maps np.sign's -1/+1 onto 0/1 with (sign(scores) + 1) / 2, so a score of exactly 0 predicts 0.5",
        _PREDICT,
        "        predictions = (np.sign(scores) + 1.0) / 2.0  # -1/+1 mapped onto 0/1",
        # np.heaviside(scores, 0.5) gives the same numbers on every input: the feedback names both, as step-at-zero
        ("sign-for-step", "step-at-zero"),
    ),
    Mutant(
        "perceptron-fit-returns-clean-epoch-index",
        "models.Perceptron",
        "fit returns the index of the clean epoch ('which epoch converged'), where it returns the bool True",
        "        for _ in range(max_epochs):\n            mistakes = 0\n"
        + _PERCEPTRON_SAMPLES
        + "                    mistakes += 1\n            if mistakes == 0:\n                return True\n",
        "        for epoch in range(max_epochs):\n            mistakes = 0\n"
        + _PERCEPTRON_SAMPLES
        + "                    mistakes += 1\n"
        "            if mistakes == 0:\n"
        "                return epoch  # the epoch that converged\n",
        ("fit-return-value",),
    ),
    Mutant(
        "sequential-eval-toggles-mode",
        "models.Sequential",
        "eval() flips the mode, self.training = not self.training, and puts the layers in the mode it flipped to: "
        "a second eval() switches everything back to training",
        "        self.training = False\n        for layer in self.layers:\n            layer.eval()\n",
        "        self.training = not self.training  # flip between the modes\n"
        "        for layer in self.layers:\n"
        "            layer.train() if self.training else layer.eval()\n",
        ("train-eval",),
    ),
    Mutant(
        "sequential-parameters-yields",
        "models.Sequential",
        "parameters() yields each layer's parameters (yield from), which makes it a generator function: it returns "
        "a one-pass iterator, not a list",
        "        return [p for layer in self.layers for p in layer.parameters()]\n",
        "        for layer in self.layers:\n            yield from layer.parameters()\n",
        ("returns-iterator",),
    ),
]

# Set M, taught by class of mistake: each a different edit of a misconception set M showed.
MUTANTS += [
    Mutant(
        "sequential-forward-input-layer-first",
        "models.Sequential",
        "forward applies the first layer before the loop ('the input layer') and then loops over every layer, the "
        "first one included: it runs twice",
        "        for layer in self.layers:\n            x = layer.forward(x)\n",
        "        x = self.layers[0].forward(x)  # the input layer\n"
        "        for layer in self.layers:\n            x = layer.forward(x)\n",
        ("layer-applied-twice",),
    ),
    Mutant(
        "sequential-eval-returns-layers",
        "models.Sequential",
        "eval() switches the container and every layer but returns self.layers, the list, where the container "
        "itself belongs (model.eval().forward(x) fails)",
        "        for layer in self.layers:\n            layer.eval()\n        return self\n",
        "        for layer in self.layers:\n            layer.eval()\n        return self.layers  # in eval mode now\n",
        ("returns-none", "wrong-type"),
    ),
    Mutant(
        "sequential-parameters-sum-of-list",
        "models.Sequential",
        "parameters() adds up a list of the layers' lists with sum([...]) and no start: sum begins at 0, and 0 + "
        "a list raises",
        "        return [p for layer in self.layers for p in layer.parameters()]\n",
        "        return sum([layer.parameters() for layer in self.layers])\n",
        ("sum-without-start",),
    ),
    Mutant(
        "fit-batch-loss-weighted-by-data-rows",
        "training.fit",
        "each batch loss is weighted by X.shape[0], the rows of the whole training set, where the batch's own "
        "size belongs: the epoch loss is the plain sum of the batch losses",
        "            total += float(loss) * len(X_batch)\n",
        "            total += float(loss) * X.shape[0]  # weighted by the number of samples\n",
        ("batch-size-weight",),
    ),
    Mutant(
        "fit-epoch-mean-divided-by-loss-sum",
        "training.fit",
        "the epoch loss is a weighted mean written by hand with the roles exchanged: sum(loss * size) divided by "
        "the sum of the losses (the weights' total of np.average(sizes, weights=losses)), not by the sizes' total",
        *span(
            "training",
            ("        total = 0.0\n", "        total, losses = 0.0, []\n"),
            (
                "            total += float(loss) * len(X_batch)\n        history.append(total / len(X))\n",
                "            total += float(loss) * len(X_batch)\n"
                "            losses.append(float(loss))\n"
                "        history.append(total / sum(losses))  # the weighted mean\n",
            ),
        ),
        ("fit-arguments",),
    ),
    Mutant(
        "minibatches-index-shuffled-before-test",
        "training.minibatches",
        "an index array is shuffled in place with rng.shuffle before the shuffle test, and applied only when "
        "shuffling: without shuffle the generator is still used (and with rng=None there is none)",
        "    if shuffle:\n"
        "        order = rng.permutation(len(X))  # one permutation, applied to both: pairs stay pairs\n"
        "        X, y = X[order], y[order]\n",
        "    order = np.arange(len(X))\n"
        "    rng.shuffle(order)  # the sample order, shuffled\n"
        "    if shuffle:\n"
        "        X, y = X[order], y[order]\n",
        ("rng-consumed",),
    ),
    Mutant(
        "numgrad-indices-from-argwhere",
        "gradcheck.numerical_gradient",
        "the entries are enumerated with np.argwhere(x), the positions of the non-zero entries: an entry of x "
        "equal to 0 is never probed and keeps the gradient 0",
        "    for index in np.ndindex(x.shape):\n",
        "    for index in map(tuple, np.argwhere(x)):  # the position of each entry\n",
        ("entries-skipped",),
    ),
]

# Set N's classes in models and training, each a different edit from the held-apart bugs: fit switching the model
# to eval mode (after each epoch, or around the forward), minibatches written for X of two axes (a slice with `:`
# for the columns, a reshape to rows), Sequential's forward memoised on the input's values, and update counting a
# score of exactly 0 as the wrong side for either class.
MUTANTS += [
    Mutant(
        "fit-eval-mode-after-each-epoch",
        "training.fit",
        "fit switches the model to eval mode once an epoch is done ('the epoch is over: inference mode'), and never "
        "back: from the second epoch on the model trains in eval mode",
        "        history.append(total / len(X))\n",
        "        history.append(total / len(X))\n        model.eval()  # the epoch is over: inference mode\n",
        ("left-in-eval-mode",),
    ),
    Mutant(
        "fit-forward-in-eval-mode",
        "training.fit",
        "fit computes each batch's output in eval mode ('a clean output for the loss') and switches back to "
        "training mode only for backward: every forward that trains the model runs in eval mode",
        "            output = model.forward(X_batch)\n",
        "            model.eval()  # a clean output for the loss\n"
        "            output = model.forward(X_batch)\n"
        "            model.train()\n",
        ("train-eval",),
    ),
    Mutant(
        "minibatches-slices-rows-and-columns",
        "training.minibatches",
        "each batch is sliced as X[start:stop, :], rows and every column, which needs X of two axes: a 1-D X "
        "(one feature per sample) raises",
        "        batches.append((X[start : start + size], y[start : start + size]))",
        "        batches.append((X[start : start + size, :], y[start : start + size]))  # rows, all columns",
        ("fixed-number-of-axes",),
    ),
    Mutant(
        "minibatches-reshapes-to-rows",
        "training.minibatches",
        "X is reshaped to rows first, X.reshape(len(X), -1) ('a table of samples'), so the batches of X of one or "
        "three axes come out with two",
        "    batches: list[tuple[np.ndarray, np.ndarray]] = []\n",
        "    batches: list[tuple[np.ndarray, np.ndarray]] = []\n    X = X.reshape(len(X), -1)  # a table of samples\n",
        ("fixed-number-of-axes",),
    ),
    Mutant(
        "sequential-forward-memoised-by-value",
        "models.Sequential",
        "forward keeps the output of every input it saw, keyed on the input's bytes, and returns it when the same "
        "values come again: after a training step changed the weights, the same batch gets the old output",
        "        for layer in self.layers:\n            x = layer.forward(x)\n",
        '        seen = self.__dict__.setdefault("_seen", {})  # the outputs of the inputs already run\n'
        "        key = (np.shape(x), np.asarray(x).tobytes())\n"
        "        if key in seen:\n"
        "            return seen[key]\n"
        "        for layer in self.layers:\n            x = layer.forward(x)\n"
        "        seen[key] = x\n",
        ("cached-first-call",),
    ),
    Mutant(
        "perceptron-update-boundary-is-wrong-side",
        "models.Perceptron",
        "update corrects a sample whenever its score is on the wrong side of the boundary or on it, score <= 0 for "
        "target 1 and score >= 0 for target 0: a target 0 with a score of exactly 0 is moved although predict puts "
        "it in class 0",
        _UPDATE_PREDICTION + "\n        error = float(target) - prediction\n",
        "        score = float(x @ self.weight + self.bias)\n"
        "        on_wrong_side = score <= 0 if target == 1 else score >= 0  # the boundary belongs to neither class\n"
        "        error = (1.0 if target == 1 else -1.0) if on_wrong_side else 0.0\n",
        ("updates-on-correct",),
    ),
]

# Set N's classes in gradient checking, each a different edit from the held-apart bugs: the result array kept
# from one call to the next (in a module-level cache, per shape), and a result made with one axis (x.size).
_NUMGRAD_DEF = (
    "def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:\n"
)
_NUMGRAD_ZEROS = "    grad = np.zeros(x.shape, dtype=np.float64)\n"
MUTANTS += [
    Mutant(
        "numgrad-result-cached-per-shape",
        "gradcheck.numerical_gradient",
        "the result arrays are cached in a module-level dict, one per shape, to save allocations: every entry is "
        "rewritten, but two calls on x of one shape return the same array, so an earlier gradient changes",
        *span(
            "gradcheck",
            (
                _NUMGRAD_DEF,
                "_RESULTS: dict[tuple[int, ...], np.ndarray] = {}  # one result array per shape\n\n\n" + _NUMGRAD_DEF,
            ),
            (_NUMGRAD_ZEROS, "    grad = _RESULTS.setdefault(x.shape, np.zeros(x.shape, dtype=np.float64))\n"),
        ),
        ("state-kept-between-calls",),
    ),
    Mutant(
        "numgrad-result-flat",
        "gradcheck.numerical_gradient",
        "the result is made as np.zeros(x.size), one derivative per entry in a flat array: the index of an entry "
        "of a matrix x (one per axis) does not fit it",
        _NUMGRAD_ZEROS,
        "    grad = np.zeros(x.size)  # one derivative per entry\n",
        ("gradient-not-shaped-like-input",),
    ),
]

# Set O's classes in Perceptron.fit and numerical_gradient, each a different edit from the held-apart bugs: an
# epoch cut short at its first mistake (any() over a generator short-circuits, as a `break` does), and an iterator
# walked a second time after a first pass used it up (the samples' zip across epochs, the indices across passes).
_PROBE_LOOP_O = (
    "    for index in np.ndindex(x.shape):\n"
    "        original = x[index]\n"
    "        x[index] = original + h\n"
    "        f_plus = float(f(x))\n"
    "        x[index] = original - h\n"
    "        f_minus = float(f(x))\n" + _PROBE + "\n"
)
MUTANTS += [
    Mutant(
        "perceptron-fit-any-error-ends-epoch",
        "models.Perceptron",
        "an epoch is clean when not any(errors) for a generator of update's errors: any() stops at the first "
        "nonzero error, so the samples after an epoch's first mistake are never updated in that epoch",
        _EPOCHS + "            if mistakes == 0:\n                return True\n",
        "        for _ in range(max_epochs):\n"
        "            errors = (self.update(x, target) for x, target in zip(X, y, strict=True))\n"
        "            if not any(errors):  # no sample gave a nonzero error\n"
        "                return True\n",
        ("short-circuit",),
    ),
    Mutant(
        "perceptron-fit-breaks-at-first-mistake",
        "models.Perceptron",
        "the sample loop breaks at the first mistake ('this epoch is not clean anyway'): the rest of the epoch's "
        "samples are never updated, and the next epoch starts again at the first one",
        "                    mistakes += 1\n",
        "                    mistakes += 1\n                    break  # a mistake: on to the next epoch\n",
        ("short-circuit",),
    ),
    Mutant(
        "perceptron-fit-pairs-made-before-epochs",
        "models.Perceptron",
        "the sample-target pairs are made once, pairs = zip(X, y), above the epoch loop: the first epoch uses the "
        "iterator up, so the second visits no sample, counts no mistake and fit returns True",
        _EPOCHS,
        "        pairs = zip(X, y, strict=True)  # each sample with its target\n"
        + _EPOCHS.replace("zip(X, y, strict=True)", "pairs"),
        ("iterator-exhausted",),
    ),
    Mutant(
        "numgrad-minus-pass-then-plus-pass-over-a-generator",
        "gradcheck.numerical_gradient",
        "the - probes are taken in a first loop and the + probes in a second, both over one generator expression of "
        "the indices: the first loop uses it up, the second runs no iteration and the result stays zero",
        _PROBE_LOOP_O,
        "    positions = (index for index in np.ndindex(x.shape))  # every entry, lazily\n"
        "    f_minus = {}\n"
        "    for index in positions:\n"
        "        original = x[index]\n"
        "        x[index] = original - h\n"
        "        f_minus[index] = float(f(x))\n"
        "        x[index] = original\n"
        "    for index in positions:\n"
        "        original = x[index]\n"
        "        x[index] = original + h\n"
        "        f_plus = float(f(x))\n"
        "        x[index] = original\n"
        "        grad[index] = (f_plus - f_minus[index]) / (2 * h)\n",
        ("iterator-exhausted",),
    ),
    # A count or total of the epoch's mean started once, before the epochs, where each epoch starts it afresh.
    Mutant(
        "fit-batch-count-kept-across-epochs",
        "training.fit",
        "the number of batches, counted over the whole run (n_batches set once before the epochs), divides each "
        "epoch's weighted total",
        _FIT_EPOCHS,
        "    n_batches = 0\n"
        "    for _ in range(epochs):\n"
        "        total = 0.0\n"
        "        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):\n"
        "            optimizer.zero_grad()\n"
        "            output = model.forward(X_batch)\n"
        "            loss = loss_fn.forward(output, y_batch)\n"
        "            model.backward(loss_fn.backward())\n"
        "            optimizer.step()\n"
        "            total += float(loss) * len(X_batch)\n"
        "            n_batches += 1\n"
        "        history.append(total / n_batches)",
        ("counter-not-reset",),
    ),
    Mutant(
        "fit-sample-count-and-total-kept",
        "training.fit",
        "total and n_seen are both set once before the epoch loop: each epoch reports the mean over every epoch so far",
        _FIT_EPOCHS,
        "    total, n_seen = 0.0, 0\n"
        "    for _ in range(epochs):\n"
        "        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):\n"
        "            optimizer.zero_grad()\n"
        "            output = model.forward(X_batch)\n"
        "            loss = loss_fn.forward(output, y_batch)\n"
        "            model.backward(loss_fn.backward())\n"
        "            optimizer.step()\n"
        "            total += float(loss) * len(X_batch)\n"
        "            n_seen += len(X_batch)\n"
        "        history.append(total / n_seen)",
        ("counter-not-reset", "total-not-reset"),
    ),
]
