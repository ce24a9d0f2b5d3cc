"""minibatches yielding views (np.array_split at the batch boundaries); fit with its own
per-run generator."""

import numpy as np


def minibatches(X, y, batch_size=None, shuffle=False, rng=None):
    if shuffle:
        permutation = (rng or np.random.default_rng()).permutation(len(X))
        X, y = X[permutation], y[permutation]
    if batch_size is None:
        yield X, y
        return
    cuts = list(range(batch_size, len(X), batch_size))
    yield from zip(np.array_split(X, cuts), np.array_split(y, cuts), strict=False)


def fit(model, loss_fn, optimizer, X, y, epochs=10, batch_size=None, shuffle=False, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    history = []
    for _epoch in range(epochs):
        total = 0.0
        for xb, yb in minibatches(X, y, batch_size=batch_size, shuffle=shuffle, rng=rng):
            optimizer.zero_grad()
            out = model.forward(xb)
            value = float(loss_fn.forward(out, yb))
            model.backward(loss_fn.backward())
            optimizer.step()
            total += value * xb.shape[0]
        history.append(total / X.shape[0])
    return history
