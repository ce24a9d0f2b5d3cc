"""minibatches returning a list and drawing with rng.choice; fit with numpy sums."""

import numpy as np


def minibatches(X, y, batch_size=None, shuffle=False, rng=None, drop_last=False):
    X, y = np.asarray(X), np.asarray(y)
    n = X.shape[0]
    order = np.arange(n)
    if shuffle:
        rng = np.random.default_rng() if rng is None else rng
        order = rng.choice(n, size=n, replace=False)
    size = batch_size or n
    bounds = range(0, n - size + 1 if drop_last else n, size)
    return [(X[order[s : s + size]], y[order[s : s + size]]) for s in bounds]


def fit(model, loss_fn, optimizer, X, y, epochs=10, batch_size=None, shuffle=False, rng=None):
    generator = rng if rng is not None else np.random.default_rng()
    history = []
    for _ in range(epochs):
        losses, sizes = [], []
        for xb, yb in minibatches(X, y, batch_size, shuffle, generator):
            optimizer.zero_grad()
            losses.append(loss_fn.forward(model.forward(xb), yb))
            model.backward(loss_fn.backward())
            optimizer.step()
            sizes.append(len(xb))
        history.append(np.average(losses, weights=sizes))
    return history
