# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders. The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (trn_minibatches_split) ----
# MODULE: training
# COMPONENTS: minibatches,fit
# minibatches: a generator over np.split of the (shuffled) index array at multiples of
# batch_size, with rng.shuffle of the index array in place; fit with math.fsum and an explicit
# sample counter (the epoch mean is the sum of loss*n over the samples seen).
import math


def minibatches(X, y, batch_size=None, shuffle=False, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    idx = np.arange(len(X))
    if shuffle:
        (np.random.default_rng() if rng is None else rng).shuffle(idx)
    size = batch_size or max(len(X), 1)
    for part in np.split(idx, np.arange(size, len(X), size)):
        if len(part):
            yield X[part], y[part]


def fit(model, loss_fn, optimizer, X, y, epochs=10, batch_size=None, shuffle=False, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    history = []
    epoch = 0
    while epoch < epochs:
        terms, seen = [], 0
        for xb, yb in minibatches(X, y, batch_size=batch_size, shuffle=shuffle, rng=rng):
            optimizer.zero_grad()
            value = loss_fn.forward(model.forward(xb), yb)
            model.backward(loss_fn.backward())
            optimizer.step()
            terms.append(value * len(xb))
            seen += len(xb)
        history.append(math.fsum(terms) / seen)
        epoch += 1
    return history
