# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders. The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (trn_fit_class) ----
# MODULE: training
# COMPONENTS: fit
# fit through a small Trainer class with extra keyword arguments (verbose, callbacks); the
# per-epoch mean computed with np.average(weights=batch sizes); returns a numpy array.
class _Trainer:
    def __init__(self, model, loss_fn, optimizer):
        self.model, self.loss_fn, self.optimizer = model, loss_fn, optimizer

    def batch(self, xb, yb):
        self.optimizer.zero_grad()
        out = self.model.forward(xb)
        value = self.loss_fn.forward(out, yb)
        self.model.backward(self.loss_fn.backward())
        self.optimizer.step()
        return float(value)


def fit(model, loss_fn, optimizer, X, y, epochs=10, batch_size=None, shuffle=False, rng=None,
        verbose=False, callbacks=()):
    trainer = _Trainer(model, loss_fn, optimizer)
    rng = np.random.default_rng() if rng is None else rng
    history = []
    for epoch in range(epochs):
        losses, sizes = [], []
        for xb, yb in minibatches(X, y, batch_size=batch_size, shuffle=shuffle, rng=rng):
            losses.append(trainer.batch(xb, yb))
            sizes.append(len(xb))
        history.append(np.average(losses, weights=sizes))
        for cb in callbacks:
            cb(epoch, history[-1])
        if verbose:
            print(f"epoch {epoch + 1}: {history[-1]:.4f}")
    return np.array(history)


# ---- correct alternative (trn_minibatches_iterable) ----
# MODULE: training
# COMPONENTS: minibatches
# minibatches returning a DataLoader-like iterable object (__iter__ and __len__, no __next__):
# `for X_batch, y_batch in minibatches(...)` works, len() gives the number of batches. The
# permutation is drawn once, at call time.
class BatchList:
    def __init__(self, pairs):
        self._pairs = pairs

    def __iter__(self):
        return iter(self._pairs)

    def __len__(self):
        return len(self._pairs)


def minibatches(X, y, batch_size=None, shuffle=False, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    order = np.arange(len(X))
    if shuffle:
        order = (np.random.default_rng() if rng is None else rng).permutation(len(X))
    size = len(X) if batch_size is None else batch_size
    return BatchList([(X[order[i : i + size]], y[order[i : i + size]]) for i in range(0, len(X), size)])
