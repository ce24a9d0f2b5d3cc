# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different training loop found by red-teaming the release checker (round 3).


# minibatches as a generator function: lazy, the permutation is drawn at the first batch.
def minibatches(X, y, batch_size=None, shuffle=False, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    index = np.arange(len(X))
    if shuffle:
        index = (default_generator() if rng is None else rng).permutation(len(X))
    step = batch_size or len(X)
    for start in range(0, len(X), max(step, 1)):
        rows = index[start : start + step]
        yield X[rows], y[rows]


# fit keeping the batch losses and sizes, and the epoch loss as np.average(..., weights=sizes).
def fit(model, loss_fn, optimizer, X, y, epochs=10, batch_size=None, shuffle=False, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    rng = default_generator() if rng is None else rng
    history = []
    for _ in range(epochs):
        losses, sizes = [], []
        for xb, yb in minibatches(X, y, batch_size, shuffle, rng):
            optimizer.zero_grad()
            losses.append(float(loss_fn.forward(model.forward(xb), yb)))
            model.backward(loss_fn.backward())
            optimizer.step()
            sizes.append(len(xb))
        history.append(float(np.average(losses, weights=sizes)))
    return history
