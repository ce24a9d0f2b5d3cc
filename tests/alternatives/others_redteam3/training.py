# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders. The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (trn_minibatches_namedtuple) ----
# MODULE: training
# COMPONENTS: minibatches
# minibatches yielding namedtuples Batch(X, y): each item is a 2-tuple (isinstance tuple,
# unpacks as `for X_batch, y_batch in ...`) with named fields as a bonus.
from collections import namedtuple

Batch = namedtuple("Batch", ["X", "y"])


def minibatches(X, y, batch_size=None, shuffle=False, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    order = np.arange(len(X))
    if shuffle:
        order = (np.random.default_rng() if rng is None else rng).permutation(len(X))
    size = len(X) if batch_size is None else batch_size
    return iter([Batch(X[order[i : i + size]], y[order[i : i + size]]) for i in range(0, len(X), size)])
