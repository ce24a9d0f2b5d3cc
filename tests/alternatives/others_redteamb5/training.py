# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders (round 2). The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (trn_fit_train_mode) ----
# MODULE: training
# COMPONENTS: fit
# fit in PyTorch style: model.train() once before the loop, batch_size=None passed on as
# len(X) (the same single batch), each epoch's batches materialised with list(...), the epoch
# mean kept as an incremental weighted mean (mean += (loss - mean) * n / seen), history as a
# numpy array converted with tolist().
def fit(model, loss_fn, optimizer, X, y, epochs=10, batch_size=None, shuffle=False, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    rng = np.random.default_rng() if rng is None else rng
    size = len(X) if batch_size is None else batch_size
    if hasattr(model, "train"):
        model.train()
    history = np.zeros(epochs)
    for epoch in range(epochs):
        mean, seen = 0.0, 0
        for xb, yb in list(minibatches(X, y, size, shuffle, rng)):
            optimizer.zero_grad()
            out = model.forward(xb)
            loss = float(loss_fn.forward(out, yb))
            model.backward(loss_fn.backward())
            optimizer.step()
            seen += len(xb)
            mean += (loss - mean) * len(xb) / seen
        history[epoch] = mean
    return history.tolist()


# ---- correct alternative (trn_minibatches_zip) ----
# MODULE: training
# COMPONENTS: minibatches
# minibatches returning a zip object over two np.split lists (the cut points at multiples of
# batch_size); the shuffle applies one rng.permutation to both arrays at call time.
def minibatches(X, y, batch_size=None, shuffle=False, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    if shuffle:
        perm = (np.random.default_rng() if rng is None else rng).permutation(X.shape[0])
        X, y = X[perm], y[perm]
    step = X.shape[0] if batch_size is None else batch_size
    cuts = list(range(step, X.shape[0], step))
    return zip(np.split(X, cuts), np.split(y, cuts))
