# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders (round 2). The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (trn_fit_droplast_kwarg) ----
# MODULE: training
# COMPONENTS: minibatches,fit
# A consistent torch-DataLoader-like pair: minibatches has an extra keyword argument with a
# default (drop_last=False, as DataLoader), and fit passes every option by keyword, including
# drop_last=False explicitly (the API.md behaviour: keep the smaller last batch).
def minibatches(X, y, batch_size=None, shuffle=False, rng=None, drop_last=False):
    X, y = np.asarray(X), np.asarray(y)
    n = len(X)
    order = (np.random.default_rng() if rng is None else rng).permutation(n) if shuffle else np.arange(n)
    size = n if batch_size is None else batch_size
    stop = n - n % size if drop_last else n
    return iter([(X[order[i:i + size]], y[order[i:i + size]]) for i in range(0, stop, size)])


def fit(model, loss_fn, optimizer, X, y, epochs=10, batch_size=None, shuffle=False, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    rng = np.random.default_rng() if rng is None else rng
    history = []
    for _ in range(epochs):
        total = 0.0
        for xb, yb in minibatches(X, y, batch_size=batch_size, shuffle=shuffle, rng=rng, drop_last=False):
            optimizer.zero_grad()
            loss = loss_fn.forward(model.forward(xb), yb)
            model.backward(loss_fn.backward())
            optimizer.step()
            total += float(loss) * len(xb)
        history.append(total / len(X))
    return history
