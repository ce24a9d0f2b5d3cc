"""Gradient checking tools: numerical_gradient and relative_error.

numerical_gradient is given scalar functions written here (smooth, with known derivatives)
and judged on its result and on how it treats x: probed in place (a function that reads x
itself must see every probe, also when x is a transposed view) and restored exactly.
relative_error is judged on fixture pairs (zeros, nan, cancelling sums) and on its
properties (symmetric, scale-free, the same for any order of the entries).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .compare import as_array, fmt
from .core import Check, Failed, Subject, fail_if
from .manifest import CaseSpec

NUMGRAD = ("numerical_gradient",)
RELERR = ("relative_error",)


class Smooth:
    """``f(x) = sum(c * sin(x)) + sum(d * x^3) / 3``: derivative ``c cos x + d x^2``."""

    def __init__(self, c: np.ndarray, d: np.ndarray) -> None:
        self.c, self.d, self.calls, self.arguments = c, d, 0, []

    def __call__(self, x: Any) -> float:
        self.calls += 1
        self.arguments.append(x)
        x = np.asarray(x, dtype=np.float64)
        return float(np.sum(self.c * np.sin(x)) + np.sum(self.d * x**3) / 3)

    def derivative(self, x: np.ndarray) -> np.ndarray:
        return self.c * np.cos(x) + self.d * x**2


class ReadsItself(Smooth):
    """The same function of an array it holds (a closure over the network's weights): it ignores its argument."""

    def __init__(self, c: np.ndarray, d: np.ndarray, held: np.ndarray) -> None:
        super().__init__(c, d)
        self.held = held

    def __call__(self, x: Any) -> float:
        return super().__call__(self.held)


def _function(sub: Subject, case: CaseSpec) -> tuple[Smooth, np.ndarray, float]:
    k, fx = case.index, sub.fixture
    return Smooth(fx[f"c{k}/c"], fx[f"c{k}/d"]), fx[f"c{k}/x"], float(case.kwargs.get("h", 1e-5))


def numgrad_probe(sub: Subject, case: CaseSpec | None) -> None:
    f, x, h = _function(sub, sub.spec.cases[0])
    sub.cls()(f, x, h)


def numgrad_fixture(sub: Subject, case: CaseSpec) -> None:
    f, x, h = _function(sub, case)
    if case.info.get("float32"):
        x = x.astype(np.float32)
    got = sub.cls()(f, x, h) if "h" in case.kwargs else sub.cls()(f, x)
    want = sub.fixture[f"c{case.index}/grad"]
    known = sub.fixture.variants(case, "grad")
    # float32 x: the probes themselves are rounded to float32, so results agree to ~1e-5 only.
    rtol = 1e-4 if case.info.get("float32") else None
    problem = sub.judge(got, want, f"the numerical gradient ({case.id})", variants=known, rtol=rtol)
    array = as_array(got)
    if problem is None and array is not None and array.dtype != np.float64:
        problem = f"the result has dtype {array.dtype} for a {x.dtype} x; it is a new float64 array (np.zeros(x.shape))"
    fail_if(problem)


def restores(sub: Subject, case: CaseSpec | None) -> None:
    f, x, h = _function(sub, sub.spec.cases[0])
    x_in = x.copy()
    sub.cls()(f, x_in, h)
    if not np.array_equal(x_in, x):
        i = tuple(int(v) for v in np.argwhere(x_in != x)[0])
        raise Failed(
            f"after numerical_gradient, x[{', '.join(map(str, i))}] is {x_in[i]!r}, not {x[i]!r}: every entry must "
            "be put back "
            "exactly (save it, then assign the saved value back; x + h - 2h + h is not x in floating point)"
        )
    if f.arguments and any(a is not x_in for a in f.arguments):
        raise Failed(
            "f was called with another array than x: probe x itself, in place (the function may read x directly)"
        )


def sees_probes(sub: Subject, case: CaseSpec | None) -> None:
    k, fx = 0, sub.fixture
    for layout in ("C-contiguous", "a transposed view (non-contiguous)"):
        base = fx[f"c{k}/x"].copy()
        x = base if layout == "C-contiguous" else np.ascontiguousarray(base.T).T
        f = ReadsItself(fx[f"c{k}/c"], fx[f"c{k}/d"], x)
        got = sub.cls()(f, x, 1e-5)
        problem = sub.judge(got, f.derivative(base), f"for an f that reads x itself, with x {layout}", rtol=1e-6)
        if problem:
            raise Failed(
                f"{problem}. The probes must change the caller's x in place (a copy such as np.array(x, dtype=float), "
                "x.reshape(-1) of a view or x + h * e_i is never seen by a function that reads x itself)"
            )


def new_array(sub: Subject, case: CaseSpec | None) -> None:
    """Two calls on x of one shape: the first result is left as it was (a new array each call)."""
    f, x, h = _function(sub, sub.spec.cases[0])
    first = sub.cls()(f, x.copy(), h)
    kept = np.array(first, dtype=np.float64, copy=True)
    sub.cls()(Smooth(-f.c, f.d), x.copy() + 0.5, h)
    if isinstance(first, np.ndarray) and not np.array_equal(first, kept, equal_nan=True):
        raise Failed(
            "a second call of numerical_gradient, on another x of the same shape, changed the array the first call "
            "returned: the result array is kept from one call to the next and reused; make a new one at every call "
            "(grad = np.zeros(x.shape))"
        )


def agrees(sub: Subject, case: CaseSpec | None) -> None:
    from hypothesis import strategies as st

    from .properties import hypothesis_run

    def body(example: tuple[int, int, int]) -> str | None:
        rows, cols, seed = example
        rng = np.random.default_rng(seed)
        c, d, x = rng.standard_normal((rows, cols)), rng.standard_normal((rows, cols)), rng.uniform(-2, 2, (rows, cols))
        x.flat[x.size // 2] = 0.0  # an entry of 0 has a derivative too: every entry is probed, zero or not
        f = Smooth(c, d)
        got = as_array(sub.cls()(f, x.copy(), 1e-4))
        want = f.derivative(x)
        if got is None or got.shape != x.shape or not np.allclose(got, want, rtol=1e-6, atol=1e-6):
            return (
                f"for f(x) = sum(c sin x + d x^3 / 3) on x of shape {x.shape} (one entry 0) with h=1e-4 the result "
                "is not the derivative c cos x + d x^2"
            )
        return None

    hypothesis_run(sub, st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(0, 2**31)), body)


def relerr_probe(sub: Subject, case: CaseSpec | None) -> None:
    sub.cls()(sub.fixture["c0/a"], sub.fixture["c0/b"])


def relerr_fixture(sub: Subject, case: CaseSpec) -> None:
    k, fx = case.index, sub.fixture
    a, b = fx[f"c{k}/a"], fx[f"c{k}/b"]
    got = sub.cls()(a.copy(), b.copy())
    want = float(fx[f"c{k}/value"])
    if not isinstance(got, (float, np.floating)) and not (isinstance(got, np.ndarray) and got.shape == ()):
        raise Failed(f"relative_error returned {type(got).__name__}; expected a float")
    got = float(got)
    if np.isnan(want):
        nan_entry(sub, case, got)
        return
    fail_if(sub.judge(got, want, f"{case.id}: the relative error", variants=fx.variants(case, "value")))


def nan_entry(sub: Subject, case: CaseSpec, got: float) -> None:
    """A nan entry (a nan gradient): returning nan or skipping the entry are both left to the
    implementation (docs/api.md does not say which, and the grader accepts both); a result that
    depends on where the nan sits is the bug (Python's max keeps a nan only when it comes first)."""
    a, b = sub.fixture[f"c{case.index}/a"], sub.fixture[f"c{case.index}/b"]
    f = sub.cls()
    reversed_ = float(f(a[::-1].copy(), b[::-1].copy()))
    finite = ~(np.isnan(a) | np.isnan(b))
    skipped = float(f(a[finite].copy(), b[finite].copy()))
    if np.isnan(got) and np.isnan(reversed_):
        return
    if np.isclose(got, skipped, rtol=1e-12, atol=0.0) and np.isclose(reversed_, skipped, rtol=1e-12, atol=0.0):
        return
    raise Failed(
        f"{case.id}: with a nan entry it returned {fmt(got)}, and {fmt(reversed_)} for the same entries in reverse "
        f"order (without the nan entry: {fmt(skipped)}). The result must not depend on where the nan sits: "
        "Python's max(...) keeps a nan only when it comes first, so a nan gradient can go unnoticed; np.max returns "
        "nan wherever it sits (skipping nan entries everywhere is also accepted)"
    )


def relerr_keeps_inputs(sub: Subject, case: CaseSpec | None) -> None:
    """The caller's float64 arrays go in as they are: np.asarray returns them, no copy, so an out= or an
    augmented assignment (a -= b) inside relative_error changes the caller's gradients."""
    a, b = sub.fixture["c1/a"].copy(), sub.fixture["c1/b"].copy()
    a_in, b_in = a.copy(), b.copy()
    sub.cls()(a_in, b_in)
    changed = [name for name, old, new in (("a", a, a_in), ("b", b, b_in)) if not np.array_equal(old, new)]
    if changed:
        raise Failed(
            f"after relative_error(a, b) the caller's {' and '.join(changed)} no longer held the values passed in: "
            "np.asarray(a) makes no copy of a float64 array, so an out= into it or a -= b writes into the caller's "
            "array; compute into new arrays (diff = np.abs(a - b))"
        )


def relerr_properties(sub: Subject, case: CaseSpec | None) -> None:
    from hypothesis import strategies as st

    from .properties import hypothesis_run

    def body(example: tuple[int, int]) -> str | None:
        size, seed = example
        rng = np.random.default_rng(seed)
        a, b = rng.standard_normal(size), rng.standard_normal(size)
        f = sub.cls()
        ab, ba = float(f(a, b)), float(f(b, a))
        scaled = float(f(1e3 * a, 1e3 * b))
        # Scaled down until the smallest |a| + |b| is 1e-7, still above the 1e-8 floor: an epsilon added to the
        # denominator (|a| + |b| + 1e-10) shows there, where the floor max(1e-8, |a| + |b|) changes nothing.
        shrink = 1e-7 / float(np.min(np.abs(a) + np.abs(b)))
        shrunk = float(f(shrink * a, shrink * b))
        order = rng.permutation(size)
        permuted = float(f(a[order], b[order]))
        if ab != ba:
            return f"relative_error(a, b) = {fmt(ab)} but relative_error(b, a) = {fmt(ba)}: it must be symmetric"
        if not 0 <= ab <= 1:
            return f"relative_error is {fmt(ab)}; it lies between 0 and 1"
        if float(f(a, a.copy())) != 0:
            return "relative_error(a, a) must be 0"
        if not np.isclose(scaled, ab, rtol=1e-9) or not np.isclose(permuted, ab, rtol=1e-12):
            return (
                "relative_error must not change when both arrays are scaled by 1000, or when their entries "
                "are permuted alike"
            )
        if not np.isclose(shrunk, ab, rtol=1e-9):
            return (
                f"relative_error is {fmt(ab)}, but {fmt(shrunk)} for the same arrays scaled down until the smallest "
                "|a| + |b| is 1e-7: above the floor it must not depend on the scale. max(1e-8, |a| + |b|) is a floor, "
                "not an epsilon added to the denominator"
            )
        return None

    hypothesis_run(sub, st.tuples(st.integers(1, 12), st.integers(0, 2**31)), body)


CHECKS = (
    Check("runs", "runs", NUMGRAD, numgrad_probe),
    Check("fixtures", "the central difference", NUMGRAD, numgrad_fixture, per_case=True),
    Check("contracts", "x is probed in place and restored exactly", NUMGRAD, restores),
    Check("contracts", "an f that reads x itself sees every probe (also for a view)", NUMGRAD, sees_probes),
    Check("contracts", "every call returns a new array", NUMGRAD, new_array),
    Check("properties", "agrees with the analytic derivative", NUMGRAD, agrees),
    Check("runs", "runs", RELERR, relerr_probe),
    Check("fixtures", "value", RELERR, relerr_fixture, per_case=True),
    Check("contracts", "the caller's a and b are left unchanged", RELERR, relerr_keeps_inputs),
    Check("properties", "symmetric, between 0 and 1, scale- and order-free", RELERR, relerr_properties),
)
