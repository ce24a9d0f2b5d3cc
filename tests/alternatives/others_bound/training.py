"""minibatches over np.split of an index array; fit takes its batcher as a keyword argument
bound at definition time (so it does not look up the module's minibatches when called)."""

import numpy as np


def minibatches(X, y, batch_size=None, shuffle=False, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    order = np.arange(len(X))
    if shuffle:
        order = (rng if rng is not None else np.random.default_rng()).permutation(len(X))
    size = batch_size or len(X)
    return [(X[part], y[part]) for part in np.split(order, range(size, len(X), size))]


def fit(model, loss_fn, optimizer, X, y, epochs=10, batch_size=None, shuffle=False, rng=None, batches=minibatches):
    rng = np.random.default_rng() if rng is None else rng
    history = []
    for _ in range(epochs):
        total, count = 0.0, 0
        for X_batch, y_batch in batches(X, y, batch_size, shuffle, rng):
            optimizer.zero_grad()
            loss = loss_fn.forward(model.forward(X_batch), y_batch)
            model.backward(loss_fn.backward())
            optimizer.step()
            total += float(loss) * len(X_batch)
            count += len(X_batch)
        history.append(total / count)
    return history
