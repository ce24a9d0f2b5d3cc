# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders (round 2). The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (trn_fit_len_batches) ----
# MODULE: training
# COMPONENTS: minibatches,fit
# A consistent pair where minibatches returns a list (a valid iterable of pairs) and fit indexes
# it: len(batches) and batches[i] (weights each batch loss by its size). Correct with its own
# minibatches; relies on the list (an API.md minibatches may be any iterable).
def minibatches(X, y, batch_size=None, shuffle=False, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    if shuffle:
        p = (rng if rng is not None else np.random.default_rng()).permutation(len(X))
        X, y = X[p], y[p]
    k = len(X) if batch_size is None else batch_size
    return [(X[i:i + k], y[i:i + k]) for i in range(0, len(X), k)]


def fit(model, loss_fn, optimizer, X, y, epochs=10, batch_size=None, shuffle=False, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    rng = rng if rng is not None else np.random.default_rng()
    history = []
    for _ in range(epochs):
        batches = minibatches(X, y, batch_size, shuffle, rng)
        losses, sizes = np.zeros(len(batches)), np.zeros(len(batches))
        for i in range(len(batches)):
            xb, yb = batches[i]
            optimizer.zero_grad()
            losses[i] = loss_fn.forward(model.forward(xb), yb)
            model.backward(loss_fn.backward())
            optimizer.step()
            sizes[i] = len(xb)
        history.append(float(losses @ sizes / sizes.sum()))
    return history
