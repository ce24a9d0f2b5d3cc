# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders. The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (grd_numgrad_unravel) ----
# MODULE: gradcheck
# COMPONENTS: numerical_gradient,relative_error
# numerical_gradient over flat indices with np.unravel_index, x restored from a full backup
# copy after each probe (x[...] = backup); relative_error with np.fmax and ndarray.max().
def numerical_gradient(f, x, h=1e-5):
    backup = x.copy()
    grad = np.empty(x.shape, dtype=np.float64)
    for flat in range(x.size):
        i = np.unravel_index(flat, x.shape)
        x[i] = backup[i] + h
        fp = f(x)
        x[i] = backup[i] - h
        fm = f(x)
        x[...] = backup
        grad[i] = (fp - fm) / (2.0 * h)
    return grad


def relative_error(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return (np.abs(a - b) / np.fmax(np.abs(a) + np.abs(b), 1e-8)).max()
