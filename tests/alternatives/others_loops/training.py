"""minibatches as a generator over index lists, fit with explicit accumulation."""

import numpy as np


def minibatches(X, y, batch_size=None, shuffle=False, rng=None):
    n = len(X)
    indices = list(range(n))
    if shuffle:
        if rng is None:
            rng = np.random.default_rng()
        rng.shuffle(indices)  # one permutation of the indices, shared by X and y
    size = n if batch_size is None else batch_size
    start = 0
    while start < n:
        chosen = indices[start : start + size]
        yield np.take(X, chosen, axis=0), np.take(y, chosen, axis=0)
        start += size


def fit(model, loss_fn, optimizer, X, y, epochs=10, batch_size=None, shuffle=False, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    history = []
    for _ in range(epochs):
        seen = 0
        weighted = 0.0
        for X_batch, y_batch in minibatches(X, y, batch_size=batch_size, shuffle=shuffle, rng=rng):
            optimizer.zero_grad()
            prediction = model.forward(X_batch)
            loss = loss_fn.forward(prediction, y_batch)
            grad = loss_fn.backward()
            model.backward(grad)
            optimizer.step()
            weighted += loss * len(X_batch)
            seen += len(X_batch)
        history.append(weighted / seen)
    return history
