"""Gradient checks: the student's backward against central differences of the student's own forward.

No reference is involved: whatever forward computes, backward must be its derivative. A
module is checked through the scalar ``sum(forward(x) * w)`` for a random ``w`` (so backward
gets ``w`` as its upstream gradient); a loss through its own value. Small tensors are probed
entry by entry: a bug confined to one border pixel or one bias hides in a random projection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .compare import as_array
from .core import Check, Failed, Subject
from .manifest import CaseSpec
from .modules import setup


def _entries(size: int, limit: int, rng: np.random.Generator) -> np.ndarray:
    return np.arange(size) if size <= limit else np.sort(rng.choice(size, limit, replace=False))


def central_differences(f: Callable[[], float], array: np.ndarray, entries: np.ndarray, h: float) -> np.ndarray:
    """d f / d array[i] for the flat indices ``entries``; ``array`` is perturbed in place and restored."""
    flat = array.reshape(-1)  # a view: array is C-contiguous
    out = np.empty(len(entries))
    for j, i in enumerate(entries):
        old = flat[i]
        flat[i] = old + h
        plus = f()
        flat[i] = old - h
        minus = f()
        flat[i] = old
        out[j] = (plus - minus) / (2 * h)
    return out


def disagreement(
    sub: Subject, what: str, analytic: Any, numeric: np.ndarray, entries: np.ndarray, shape: tuple, f_size: float
) -> str | None:
    """None when the analytic gradient agrees with the central differences, else where it does not."""
    array = as_array(analytic)
    if array is None:
        return f"{what}: backward gave {type(analytic).__name__}, not an array"
    if array.shape != shape:
        return f"{what}: backward gave shape {array.shape}, expected {shape}"
    picked = np.asarray(array, dtype=np.float64).reshape(-1)[entries]
    noise = sub.s.gradcheck_noise * max(1.0, f_size) / sub.s.gradcheck_step
    allowed = sub.s.gradcheck_rtol * (np.abs(numeric) + np.max(np.abs(numeric), initial=0.0)) + noise
    excess = np.abs(picked - numeric) - allowed
    if np.isfinite(picked).all() and not (excess > 0).any():
        return None
    worst = int(np.argmax(np.where(np.isfinite(picked), excess, np.inf)))
    index = tuple(int(i) for i in np.unravel_index(entries[worst], shape))
    return (
        f"{what}: backward says {picked[worst]:.6g} at index {index}, but the central difference of your "
        f"forward gives {numeric[worst]:.6g}"
    )


def module_gradcheck(sub: Subject, case: CaseSpec) -> None:
    module = setup(sub, case)
    x = np.ascontiguousarray(sub.fixture[f"c{case.index}/x"])
    rng = sub.rng("gradcheck", case.index)
    y = as_array(module.forward(x.copy()))
    if y is None:
        return  # the fixture checks report it
    w = rng.standard_normal(y.shape)
    for p in sub.spec.params_for(case):
        getattr(module, p).grad = np.zeros_like(getattr(module, p).data)
    grad_x = module.backward(w)
    grads = {p: np.array(getattr(module, p).grad, dtype=np.float64) for p in sub.spec.params_for(case)}

    def f() -> float:
        return float(np.sum(np.asarray(module.forward(x.copy()), dtype=np.float64) * w))

    f_size = abs(f())
    h, limit = sub.s.gradcheck_step, sub.s.gradcheck_max_entries
    found = []
    entries = _entries(x.size, limit, rng)
    found.append(
        disagreement(sub, "the input gradient", grad_x, central_differences(f, x, entries, h), entries, x.shape, f_size)
    )
    for p, analytic in grads.items():
        param = getattr(module, p)
        base = np.array(param.data, dtype=np.float64)
        entries = _entries(base.size, limit, rng)
        numeric = np.empty(len(entries))
        for j, i in enumerate(entries):  # each probe a new array, as an optimizer that assigns p.data makes
            values = []
            for sign in (1.0, -1.0):
                probe = base.copy()
                probe.flat[i] += sign * h
                param.data = probe
                values.append(f())
            numeric[j] = (values[0] - values[1]) / (2 * h)
        param.data = base
        found.append(disagreement(sub, f"`{p}.grad`", analytic, numeric, entries, base.shape, f_size))
    found = [p for p in found if p]
    if found:
        raise Failed("; ".join(found) + ". Backward is not the derivative of forward")


def loss_gradcheck(sub: Subject, case: CaseSpec) -> None:
    k = case.index
    x, t = np.ascontiguousarray(sub.fixture[f"c{k}/input"]), sub.fixture[f"c{k}/target"]
    if sub.spec.positive_input:  # log p: central differences need p away from 0 and 1
        x = np.clip(x, 0.02, 0.98)
    loss = sub.build(case)
    value = loss.forward(x.copy(), t.copy())
    analytic = loss.backward()

    def f() -> float:
        return float(loss.forward(x.copy(), t.copy()))

    entries = _entries(x.size, sub.s.gradcheck_max_entries, sub.rng("gradcheck", k))
    numeric = central_differences(f, x, entries, sub.s.gradcheck_step)
    size = abs(float(np.asarray(value, dtype=np.float64))) if as_array(value) is not None else 1.0
    problem = disagreement(sub, "the gradient", analytic, numeric, entries, x.shape, size)
    if problem:
        raise Failed(problem + ". Backward is not the derivative of forward")


CHECKS = (
    Check(
        "gradcheck",
        "gradient check",
        ("activation", "layer"),
        module_gradcheck,
        per_case=True,
        when=lambda s: not s.info.get("random"),
    ),
    Check("gradcheck", "gradient check", ("loss",), loss_gradcheck, per_case=True),
)
