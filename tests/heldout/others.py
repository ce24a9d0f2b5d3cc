"""Held-apart bugs of the rest: initialisers, the training loop, models, gradient checking and
early stopping."""

from __future__ import annotations

from ._edits import bug, span

_EPOCH_PHRASES = ("every epoch", "each epoch", "per epoch")

INIT = [
    bug(
        "ho-fans-receptive-field-summed",
        "init.fan_in_and_fan_out",
        "the receptive field is kH + kW (a sum of the kernel sides) instead of kH * kW",
        (
            "    receptive_field = math.prod(shape[2:])\n",
            "    receptive_field = sum(shape[2:]) if len(shape) > 2 else 1\n",
        ),
        expect=("receptive-field-summed",),
        phrases=("product", "kH * kW", "kH*kW", "multiplied"),
    ),
    bug(
        "ho-xavier-uniform-fans-multiplied",
        "init.xavier_uniform",
        "the variance is 2 / (fan_in * fan_out): the fans multiplied where Glorot adds them",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    bound = math.sqrt(3.0) * std",
            "    std = gain * math.sqrt(2.0 / (fan_in * fan_out))\n    bound = math.sqrt(3.0) * std",
        ),
        expect=("formula-operator",),  # added after reading output
        phrases=("fan_in + fan_out", "sum of the fans", "average of the fans"),
    ),
    bug(
        "ho-xavier-normal-std-times-sqrt3",
        "init.xavier_normal",
        "the normal's standard deviation carries the uniform's sqrt(3): "
        "std = sqrt(3) * gain * sqrt(2 / (fan_in + fan_out))",
        (
            "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = math.sqrt(3.0) * gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
            "    weight = rng.normal(0.0, std, size=shape)\n",
        ),
        expect=("uniform-normal-confused",),
        phrases=("sqrt(3)", "uniform bound", "uniform's bound"),
    ),
    bug(
        "ho-kaiming-uniform-gain-under-root",
        "init.kaiming_uniform",
        "std = sqrt(gain / fan): the gain is put under the square root (as if it were the variance's factor)",
        (
            "    std = gain / math.sqrt(fan)\n    bound = math.sqrt(3.0) * std\n",
            "    std = math.sqrt(gain / fan)\n    bound = math.sqrt(3.0) * std\n",
        ),
        expect=("root-scope",),  # added after reading output
        phrases=("gain^2", "gain squared", "gain / sqrt(fan)", "gain/sqrt(fan)", "sqrt(gain"),
    ),
    bug(
        "ho-kaiming-normal-fresh-generator",
        "init.kaiming_normal",
        "draws from np.random.default_rng(), a new unseeded generator, instead of the rng argument",
        (
            "    std = gain / math.sqrt(fan)\n    weight = rng.normal(0.0, std, size=shape)\n",
            "    std = gain / math.sqrt(fan)\n    weight = np.random.default_rng().normal(0.0, std, size=shape)\n",
        ),
        expect=("rng-ignored",),
        phrases=("rng argument", "the rng passed", "given rng"),
    ),
]

TRAINING = [
    bug(
        "ho-minibatches-slice-end-one-short",
        "training.minibatches",
        "every batch is X[start : start + size - 1]: the slice end is off by one, one sample lost per batch",
        (
            "        batches.append((X[start : start + size], y[start : start + size]))\n",
            "        batches.append((X[start : start + size - 1], y[start : start + size - 1]))\n",
        ),
        expect=("batch-sizes", "slice-off-by-one"),
        phrases=("off by one", "off-by-one", "one too few", "one sample short", "start + size", "start + batch_size"),
    ),
    bug(
        "ho-minibatches-shuffles-inputs-only",
        "training.minibatches",
        "the permutation is applied to X but not to y: the pairs are broken",
        ("        X, y = X[order], y[order]\n", "        X = X[order]\n"),
        expect=("unpaired-shuffle",),
        phrases=("pair", "same permutation", "y is not shuffled"),
    ),
    bug(
        "ho-minibatches-none-means-one",
        "training.minibatches",
        "batch_size=None is taken to mean single samples (SGD) instead of one batch of everything",
        (
            "    size = len(X) if batch_size is None else batch_size\n",
            "    size = 1 if batch_size is None else batch_size\n",
        ),
        phrases=("batch_size=None", "batch_size is None", "one batch of", "whole set", "full batch", "all samples"),
    ),
    bug(
        "ho-fit-shuffles-once",
        "training.fit",
        "the training set is permuted once before the first epoch and minibatches never shuffles: every epoch "
        "visits the samples in the same order",
        (
            "    for _ in range(epochs):\n        total = 0.0\n"
            "        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):\n",
            "    if shuffle:\n        order = rng.permutation(len(X))\n        X, y = X[order], y[order]\n"
            "    for _ in range(epochs):\n        total = 0.0\n"
            "        for X_batch, y_batch in minibatches(X, y, batch_size, False, rng):\n",
        ),
        expect=("same-permutation",),
        phrases=(*_EPOCH_PHRASES, "once"),
    ),
    bug(
        "ho-fit-backward-gets-the-loss",
        "training.fit",
        "the model's backward is handed the loss value instead of loss_fn.backward(), its gradient",
        ("            model.backward(loss_fn.backward())\n", "            model.backward(loss)\n"),
        phrases=("loss_fn.backward()", "gradient of the loss", "the loss value", "dL/d"),
    ),
    bug(
        "ho-fit-zero-grad-once-per-epoch",
        "training.fit",
        "zero_grad() is called once per epoch, before the batches: gradients pile up from batch to batch",
        (
            "        total = 0.0\n        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):\n"
            "            optimizer.zero_grad()\n",
            "        total = 0.0\n        optimizer.zero_grad()\n"
            "        for X_batch, y_batch in minibatches(X, y, batch_size, shuffle, rng):\n",
        ),
        # the last tag added after reading output
        expect=("call-order", "zero-grad-missing"),
        phrases=("every batch", "each batch", "per batch", "accumulat", "pile up"),
    ),
    bug(
        "ho-fit-history-per-batch",
        "training.fit",
        "the history gets one loss per batch instead of one mean loss per epoch",
        (
            "            total += float(loss) * len(X_batch)\n        history.append(total / len(X))\n",
            "            history.append(float(loss))\n",
        ),
        expect=("history-per-batch",),
        phrases=("one entry per epoch", "one value per epoch", "one loss per epoch", "per batch", "each batch"),
    ),
]

MODELS = [
    bug(
        "ho-perceptron-update-prediction-without-bias",
        "models.Perceptron",
        "update's own prediction leaves the bias out of the score (predict includes it)",
        (
            "        prediction = 1.0 if float(x @ self.weight + self.bias) > 0 else 0.0\n",
            "        prediction = 1.0 if float(x @ self.weight) > 0 else 0.0\n",
        ),
        expect=("bias-ignored",),
        phrases=("without the bias", "bias left out", "leaves out the bias", "include the bias"),
    ),
    bug(
        "ho-perceptron-fit-visits-samples-shuffled",
        "models.Perceptron",
        "fit visits the samples in a new random order every epoch (np.random.permutation) instead of in order",
        (
            "            for x, target in zip(X, y, strict=True):\n",
            "            order = np.random.permutation(len(X))\n"
            "            for x, target in zip(X[order], y[order], strict=True):\n",
        ),
        expect=("visit-order",),
        phrases=("in order", "stored order", "shuffl", "random order"),
    ),
    bug(
        "ho-perceptron-predict-threshold-half",
        "models.Perceptron",
        "predict thresholds the score at 0.5 (a probability's threshold) instead of 0",
        (
            "        predictions = (scores > 0).astype(np.float64)\n",
            "        predictions = (scores > 0.5).astype(np.float64)\n",
        ),
        expect=("threshold-half",),
        phrases=("0.5 instead of 0", "threshold 0.5", "threshold of 0.5", "> 0.5", "threshold at 0"),
    ),
    bug(
        "ho-sequential-backward-returns-in-loop",
        "models.Sequential",
        "backward returns inside the loop: only the last layer's backward runs",
        (
            "        for layer in reversed(self.layers):\n            grad_y = layer.backward(grad_y)\n",
            "        for layer in reversed(self.layers):\n            return layer.backward(grad_y)\n",
        ),
        expect=("call-order",),
        phrases=("only the last layer", "return inside", "every layer", "first iteration"),
    ),
    bug(
        "ho-sequential-parameters-nested",
        "models.Sequential",
        "parameters() returns one list per layer (a list of lists) instead of one flat list of parameters",
        (
            "        return [p for layer in self.layers for p in layer.parameters()]\n",
            "        return [layer.parameters() for layer in self.layers]\n",
        ),
        expect=("parameters-nested",),
        phrases=("flat", "list of lists", "nested", "one list per layer"),
    ),
    bug(
        "ho-sequential-train-not-propagated",
        "models.Sequential",
        "train() sets the container's flag and leaves the layers in whatever mode they were",
        (
            "        self.training = True\n        for layer in self.layers:\n"
            "            layer.train()\n        return self\n",
            "        self.training = True\n        return self\n",
        ),
        expect=("train-eval",),
        phrases=("every layer", "each layer", "the layers' mode"),
    ),
]

GRADCHECK = [
    bug(
        "ho-numgrad-second-probe-at-x",
        "gradcheck.numerical_gradient",
        "the second probe subtracts h from the already moved entry (x[i] -= h), so f_minus is f(x): half the "
        "forward difference",
        ("        x[index] = original - h\n", "        x[index] -= h\n"),
        expect=("probe-at-x",),
        phrases=("x - h", "2h", "2 * h", "x itself", "back to x"),
    ),
    bug(
        "ho-numgrad-difference-reversed",
        "gradcheck.numerical_gradient",
        "the central difference is (f(x - h) - f(x + h)) / 2h",
        (
            "        grad[index] = (f_plus - f_minus) / (2 * h)\n",
            "        grad[index] = (f_minus - f_plus) / (2 * h)\n",
        ),
        expect=("sign-flipped",),
        phrases=("sign",),
    ),
    bug(
        "ho-relerr-relative-to-first",
        "gradcheck.relative_error",
        "the difference is divided by |a| alone: not symmetric in a and b",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a))\n",
        ),
        expect=("relative-to-a",),
        phrases=("|a| + |b|", "symmetric"),
    ),
    bug(
        "ho-relerr-larger-magnitude",
        "gradcheck.relative_error",
        "divides by max(|a|, |b|), another textbook's definition, instead of |a| + |b|",
        (
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))\n",
            "    ratio = np.abs(a - b) / np.maximum(1e-8, np.maximum(np.abs(a), np.abs(b)))\n",
        ),
        # added after reading output (tag-vocabulary audit): max-denominator
        expect=("max-denominator",),
        phrases=("|a| + |b|", "sum of the magnitudes", "max(|a|, |b|)"),
    ),
    bug(
        "ho-relerr-returns-the-array",
        "gradcheck.relative_error",
        "returns the array of entry-wise ratios instead of the largest one",
        ("    return float(np.max(ratio))\n", "    return ratio\n"),
        expect=("wrong-type",),
        phrases=("largest", "a float", "one number", "single number"),
    ),
]

_ES_LOOP = "    for epoch in range(1, max_epochs + 1):\n"

EARLY_STOPPING = [
    bug(
        "ho-early-stopping-best-loss-never-updated",
        "early_stopping.fit_early_stopping",
        "an improvement updates best_epoch and the patience count but not best_loss, which stays inf",
        (
            "            best_loss, history.best_epoch, waited = val_loss, epoch, 0\n",
            "            history.best_epoch, waited = epoch, 0\n",
        ),
        expect=("best-loss-not-updated",),
        phrases=("best loss", "best_loss", "best so far", "best validation loss"),
    ),
    bug(
        "ho-early-stopping-tests-patience-before-counting",
        "early_stopping.fit_early_stopping",
        "a stalled epoch tests waited >= patience before counting itself: training stops one epoch late",
        (
            "            waited += 1\n            if waited >= patience:\n"
            "                history.stopped_epoch = epoch\n                break\n",
            "            if waited >= patience:\n                history.stopped_epoch = epoch\n"
            "                break\n            waited += 1\n",
        ),
        expect=("patience-off-by-one",),
        phrases=("one epoch late", "one epoch too late", "off by one"),
    ),
    bug(
        "ho-early-stopping-saves-before-the-epoch",
        "early_stopping.fit_early_stopping",
        "the state is copied before each epoch's training, so an improving epoch keeps the weights it started from",
        span(
            "early_stopping",
            (
                _ES_LOOP,
                _ES_LOOP + "        before = copy_state(model) if restore_best else None\n",
            ),
            ("                best_state = copy_state(model)\n", "                best_state = before\n"),
        ),
        expect=("restores-wrong-epoch",),
        phrases=("previous epoch", "before the epoch", "one epoch earlier", "started from"),
    ),
    bug(
        "ho-early-stopping-stopped-epoch-never-set",
        "early_stopping.fit_early_stopping",
        "stops when patience runs out but never records stopped_epoch",
        (
            "            if waited >= patience:\n"
            "                history.stopped_epoch = epoch\n                break\n",
            "            if waited >= patience:\n                break\n",
        ),
        phrases=("stopped_epoch",),
    ),
    bug(
        "ho-early-stopping-one-epoch-short",
        "early_stopping.fit_early_stopping",
        "the epochs run over range(1, max_epochs): one fewer than max_epochs",
        (_ES_LOOP, "    for epoch in range(1, max_epochs):\n"),
        expect=("max-epochs-off-by-one",),
        phrases=("one epoch short", "one epoch too few", "off by one", "max_epochs - 1", "range(1, max_epochs)"),
    ),
]

HELDOUT = [*INIT, *TRAINING, *MODELS, *GRADCHECK, *EARLY_STOPPING]
