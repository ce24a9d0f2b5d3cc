# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders (round 2). The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (grd_numgrad_product) ----
# MODULE: gradcheck
# COMPONENTS: numerical_gradient,relative_error
# numerical_gradient over itertools.product of the axis ranges (0-d x: one empty index), each
# probe restored in a try/finally, the result in np.empty(x.shape); relative_error by
# functools.reduce(max) over Python floats.
import functools as _functools
import itertools as _itertools


def numerical_gradient(f, x, h=1e-5):
    grad = np.empty(x.shape)
    for index in _itertools.product(*(range(n) for n in x.shape)):
        saved = x[index]
        try:
            x[index] = saved + h
            up = f(x)
            x[index] = saved - h
            down = f(x)
        finally:
            x[index] = saved
        grad[index] = (up - down) / (2 * h)
    return grad


def relative_error(a, b):
    pairs = zip(np.ravel(a).tolist(), np.ravel(b).tolist())
    return _functools.reduce(max, (abs(p - q) / max(1e-8, abs(p) + abs(q)) for p, q in pairs), 0.0)
