# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders (round 2). The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (grd_numgrad_nditer_operand) ----
# MODULE: gradcheck
# COMPONENTS: numerical_gradient,relative_error
# numerical_gradient writing the probes through np.nditer's own read-write operand view
# (it[0][...] = value, in the iterator's memory order, grad indexed by multi_index) inside the
# iterator's context manager; relative_error as the infinity norm of the flattened ratios.
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape, dtype=np.float64)
    with np.nditer(x, flags=["multi_index", "refs_ok", "zerosize_ok"], op_flags=["readwrite"]) as it:
        for cell in it:
            saved = cell.copy()
            cell[...] = saved + h
            plus = float(f(x))
            cell[...] = saved - h
            minus = float(f(x))
            cell[...] = saved
            grad[it.multi_index] = (plus - minus) / (2.0 * h)
    return grad


def relative_error(a, b):
    a = np.asarray(a, dtype=np.float64).ravel()
    b = np.asarray(b, dtype=np.float64).ravel()
    if a.size == 0:
        return 0.0
    ratio = np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)
    return float(np.linalg.norm(ratio, ord=np.inf))
