# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different implementations found by red-teaming the graders (round 2). The tests append
# this file to the reference module; later definitions win. Every component must score full marks.

# ---- correct alternative (grd_numgrad_actual_step) ----
# MODULE: gradcheck
# COMPONENTS: numerical_gradient
# numerical_gradient that divides by the step actually taken, (x+h) - (x-h) as stored in x
# (Numerical Recipes' trick: the representable step, not the nominal 2h); x.flat probes.
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for k in range(x.size):
        saved = x.flat[k]
        x.flat[k] = saved + h
        hi = x.flat[k]
        f_hi = f(x)
        x.flat[k] = saved - h
        lo = x.flat[k]
        f_lo = f(x)
        x.flat[k] = saved
        grad.flat[k] = (f_hi - f_lo) / (float(hi) - float(lo))
    return grad
