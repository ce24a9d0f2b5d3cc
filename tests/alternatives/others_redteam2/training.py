# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders. The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (trn_minibatches_iterator_class) ----
# MODULE: training
# COMPONENTS: minibatches
# minibatches as a class-based iterator (__iter__ + __next__); the permutation drawn in
# __init__ (at call time) with rng.random(N).argsort().
class _Batches:
    def __init__(self, X, y, batch_size, shuffle, rng):
        self.X, self.y = np.asarray(X), np.asarray(y)
        n = len(self.X)
        if shuffle:
            rng = np.random.default_rng() if rng is None else rng
            self.order = rng.random(n).argsort(kind="stable")
        else:
            self.order = np.arange(n)
        self.size = n if batch_size is None else batch_size
        self.start = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.start >= len(self.order) or self.size == 0:
            raise StopIteration
        idx = self.order[self.start : self.start + self.size]
        self.start += self.size
        return self.X[idx], self.y[idx]


def minibatches(X, y, batch_size=None, shuffle=False, rng=None):
    return _Batches(X, y, batch_size, shuffle, rng)


# ---- correct alternative (trn_namedtuple_fit) ----
# MODULE: training
# COMPONENTS: fit
# A consistent submission: minibatches yields namedtuples Batch(X, y); fit unpacks them by name.
from collections import namedtuple

Batch = namedtuple("Batch", ["X", "y"])


def minibatches(X, y, batch_size=None, shuffle=False, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    order = np.arange(len(X))
    if shuffle:
        order = (np.random.default_rng() if rng is None else rng).permutation(len(X))
    size = len(X) if batch_size is None else batch_size
    return iter([Batch(X[order[i : i + size]], y[order[i : i + size]]) for i in range(0, len(X), size)])


def fit(model, loss_fn, optimizer, X, y, epochs=10, batch_size=None, shuffle=False, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    history = []
    for _ in range(epochs):
        total = 0.0
        for batch in minibatches(X, y, batch_size, shuffle, rng):
            optimizer.zero_grad()
            loss = loss_fn.forward(model.forward(batch.X), batch.y)
            model.backward(loss_fn.backward())
            optimizer.step()
            total += loss * len(batch.X)
        history.append(total / len(X))
    return history
