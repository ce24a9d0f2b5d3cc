# ruff: noqa: F811, F821, E402, B905, E731  (appended to the reference: its names are in scope, and redefined)
# nnlab-alternative: after-reference
# Correct-but-different gradient checking found by red-teaming the release checker (round 3).


# numerical_gradient with np.nditer over x itself (readwrite), restoring each entry exactly.
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index", "refs_ok"], op_flags=[["readwrite"]])
    for entry in it:
        saved = entry.copy()
        entry[...] = saved + h
        up = float(f(x))
        entry[...] = saved - h
        down = float(f(x))
        entry[...] = saved
        grad[it.multi_index] = (up - down) / (2.0 * h)
    return grad


# relative_error as a list comprehension over flattened pairs, with np.max over the list (nan kept).
def relative_error(a, b):
    a = np.asarray(a, dtype=np.float64).ravel()
    b = np.asarray(b, dtype=np.float64).ravel()
    ratios = [abs(u - v) / max(1e-8, abs(u) + abs(v)) for u, v in zip(a, b)]
    return float(np.max(ratios)) if ratios else 0.0
