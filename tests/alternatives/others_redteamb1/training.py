# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders (round 2). The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (trn_default_rng_idiom) ----
# MODULE: training
# COMPONENTS: minibatches,fit
# Both functions normalise rng with np.random.default_rng(rng), which returns a Generator
# unchanged and makes a fresh one from None (so fit's one generator serves the whole run);
# minibatches draws rng.permutation only when shuffling, and yields (X, y) index views via a
# generator expression; fit unpacks batches by position and sums with math.fsum.
import math as _math


def minibatches(X, y, batch_size=None, shuffle=False, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    idx = np.random.default_rng(rng).permutation(len(X)) if shuffle else None
    if idx is not None:
        X, y = X[idx], y[idx]
    k = batch_size or len(X)
    return ((X[s:s + k], y[s:s + k]) for s in range(0, len(X), k))


def fit(model, loss_fn, optimizer, X, y, epochs=10, batch_size=None, shuffle=False, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    rng = np.random.default_rng(rng)
    history = []
    for _ in range(epochs):
        terms = []
        for batch in minibatches(X, y, batch_size, shuffle, rng):
            optimizer.zero_grad()
            out = model.forward(batch[0])
            loss = loss_fn.forward(out, batch[1])
            model.backward(loss_fn.backward())
            optimizer.step()
            terms.append(float(loss) * len(batch[0]))
        history.append(_math.fsum(terms) / len(X))
    return history
