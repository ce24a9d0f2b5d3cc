# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders (round 2). The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (trn_fit_own_permutation) ----
# MODULE: training
# COMPONENTS: fit
# fit that draws each epoch's permutation itself (rng.permutation(len(X)), exactly the draw
# minibatches would make) and asks minibatches for the in-order batches of the permuted data:
# the same batches, from the same generator, as minibatches(X, y, batch_size, shuffle, rng).
def fit(model, loss_fn, optimizer, X, y, epochs=10, batch_size=None, shuffle=False, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    if rng is None:
        rng = np.random.default_rng()
    history = []
    for _ in range(epochs):
        if shuffle:
            order = rng.permutation(len(X))
            Xe, ye = X[order], y[order]
        else:
            Xe, ye = X, y
        total = 0.0
        for xb, yb in minibatches(Xe, ye, batch_size):
            optimizer.zero_grad()
            loss = loss_fn.forward(model.forward(xb), yb)
            model.backward(loss_fn.backward())
            optimizer.step()
            total += float(loss) * len(xb)
        history.append(total / len(X))
    return history


# ---- correct alternative (trn_minibatches_fisher_yates) ----
# MODULE: training
# COMPONENTS: minibatches
# minibatches with a hand-written Fisher-Yates shuffle driven by rng.integers (one permutation
# per call, from the given generator), batches gathered with index lists into new arrays and
# returned as a list; batch_size=None handled as len(X).
def minibatches(X, y, batch_size=None, shuffle=False, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    n = len(X)
    order = list(range(n))
    if shuffle:
        if rng is None:
            rng = np.random.default_rng()
        for i in range(n - 1, 0, -1):
            j = int(rng.integers(0, i + 1))
            order[i], order[j] = order[j], order[i]
    size = n if batch_size is None else int(batch_size)
    out = []
    start = 0
    while start < n:
        chunk = order[start:start + size]
        out.append((X[chunk], y[chunk]))
        start += size
    return out
