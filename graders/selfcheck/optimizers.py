"""Optimizers: parameter trajectories against the fixtures, and the optimizer contracts.

A case's fixture holds starting values for a few parameters (two of the same shape, so state
shared between them shows), a gradient per parameter per step (some of them all zero, so a
skipped parameter shows) and where the reference put every parameter after every step. Each
step runs as a training loop runs it: ``zero_grad()``, the gradients (written in place at
one step, bound as new arrays at the next), ``step()``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .compare import as_array, compare, diagnose, fmt
from .core import Check, Failed, Subject, fail_if
from .doubles import Param
from .manifest import CaseSpec

OPTIMIZER = ("optimizer",)


def _problem(sub: Subject, case: CaseSpec) -> tuple[list[np.ndarray], list[list[np.ndarray]], list[list[np.ndarray]]]:
    k, fx = case.index, sub.fixture
    count, steps = case.info["parameters"], case.info["steps"]
    start = [fx[f"c{k}/start/{i}"] for i in range(count)]
    grads = [[fx[f"c{k}/grad/{s}/{i}"] for i in range(count)] for s in range(steps)]
    path = [[fx[f"c{k}/path/{s}/{i}"] for i in range(count)] for s in range(steps)]
    return start, grads, path


def drive(
    sub: Subject, case: CaseSpec, start: list[np.ndarray], grads: list[list[np.ndarray]]
) -> list[list[np.ndarray]]:
    """Run the student's optimizer over ``grads``; every ``p.data`` after every step."""
    params = [Param(a) for a in start]
    opt = sub.cls()(params, **case.kwargs)
    trajectory = []
    for step, gs in enumerate(grads):
        opt.zero_grad()
        for i, (p, g) in enumerate(zip(params, gs, strict=True)):
            if step % 2 == 0:
                p.grad = g.copy()  # a new array, as a zero_grad that assigns new arrays leaves it
            else:
                if np.shape(p.grad) != g.shape:
                    raise Failed(
                        f"after zero_grad(), p.grad of parameter {i} is {np.shape(p.grad)}, not shaped like p.data "
                        f"{g.shape}"
                    )
                p.grad[...] = g  # in place, as backward's += writes it
        opt.step()
        row = []
        for i, p in enumerate(params):
            data = as_array(p.data)
            if data is None or data.shape != start[i].shape:
                raise Failed(
                    f"after step {step + 1}, p.data of parameter {i} is "
                    + ("not an array" if data is None else f"of shape {data.shape}")
                )
            row.append(np.array(data, dtype=np.float64))
        trajectory.append(row)
    return trajectory


def probe(sub: Subject, case: CaseSpec | None) -> None:
    case = sub.spec.cases[0]
    start, grads, _ = _problem(sub, case)
    drive(sub, case, start, grads[:1])


def trajectory(sub: Subject, case: CaseSpec) -> None:
    start, grads, path = _problem(sub, case)
    actual = drive(sub, case, start, grads)
    for k, (got_k, want_k) in enumerate(zip(actual, path, strict=True), 1):
        for i, (got, want, a) in enumerate(zip(got_k, want_k, start, strict=True)):
            result = compare(got - a, want - a, rtol=sub.s.trajectory_rtol, s=sub.s)
            if result.ok:
                continue
            index = (
                tuple(
                    int(v) for v in np.argwhere(~np.isclose(got - a, want - a, rtol=sub.s.trajectory_rtol, atol=0))[0]
                )
                if got.ndim
                else ()
            )
            text = (
                f"after step {k} of {len(path)}, parameter {i} (shape {want.shape}): "
                f"{result.problem.replace('got', 'change', 1)}"
                f"; p.data[{', '.join(map(str, index))}] = {fmt(float(got[index]))}, expected "
                f"{fmt(float(want[index]))} "
                f"(from {fmt(float(a[index]))})"
            )
            if k > 1:
                text += f"; steps 1 to {k - 1} matched" if k > 2 else "; step 1 matched"
            if not np.any(grads[k - 1][i]) and np.any(want - a):
                text += "; this parameter's gradient was all zero at this step, and a step still applies momentum/decay"
            flat_got = np.concatenate([(p - s).reshape(-1) for row in actual for p, s in zip(row, start, strict=True)])
            flat_want = np.concatenate([(p - s).reshape(-1) for row in path for p, s in zip(row, start, strict=True)])
            cause = diagnose(
                flat_got,
                flat_want,
                "the change of the parameters",
                variants=sub.fixture.variants(case, "change"),
                s=sub.s,
            )
            raise Failed(text + (f". Likely cause: {cause}" if cause else ""))


def grad_unchanged(sub: Subject, case: CaseSpec | None) -> None:
    case = max(sub.spec.cases, key=lambda c: sum(1 for v in c.kwargs.values() if v not in (0, 0.0, False)))
    start, grads, _ = _problem(sub, case)
    params = [Param(a) for a in start]
    opt = sub.cls()(params, **case.kwargs)
    for gs in grads[:3]:
        opt.zero_grad()
        for p, g in zip(params, gs, strict=True):
            p.grad = g.copy()
        opt.step()
        for i, (p, g) in enumerate(zip(params, gs, strict=True)):
            if not np.array_equal(as_array(p.grad), g):
                raise Failed(
                    f"step() changed p.grad of parameter {i} ({sub.label(case)}): it must leave the gradients as they "
                    "are (add weight decay into a new array: `g = p.grad + wd * p.data`, not `p.grad += ...`)"
                )


def zero_grad(sub: Subject, case: CaseSpec | None) -> None:
    case = sub.spec.cases[0]
    start, grads, _ = _problem(sub, case)
    params = [Param(a) for a in start]
    opt = sub.cls()(params, **case.kwargs)
    for p, g in zip(params, grads[0], strict=True):
        p.grad = g.copy()
    opt.step()
    for p in params:
        p.grad = np.full(p.data.shape, np.nan)
        p.grad.flat[::2] = np.inf
    opt.zero_grad()
    found = []
    for i, p in enumerate(params):
        grad = as_array(p.grad)
        if grad is None or grad.shape != p.data.shape:
            found.append(f"after zero_grad(), p.grad of parameter {i} is not an array shaped like p.data")
        elif grad.dtype != np.float64:
            found.append(f"zero_grad() made p.grad of parameter {i} {grad.dtype}; gradients stay float64")
        elif np.any(grad != 0):
            found.append(
                f"after zero_grad(), p.grad of parameter {i} still holds {fmt(float(grad[grad != 0].flat[0]))} "
                "(it held nan and inf before): set the gradients to zero (`p.grad[...] = 0.0`), do not multiply "
                "them by 0"
            )
        if as_array(p.data) is not None and np.asarray(p.data).dtype != np.float64:
            found.append(f"p.data of parameter {i} is {np.asarray(p.data).dtype} after step(); parameters stay float64")
    fail_if(found)


def zero_gradient_stays(sub: Subject, case: CaseSpec | None) -> None:
    """Without weight decay, zero gradients leave every parameter where it is (step after step)."""
    from hypothesis import strategies as st

    from .properties import hypothesis_run

    kwargs_list = [{**c.kwargs, "weight_decay": 0.0} for c in sub.spec.cases]

    def body(example: tuple[int, int, int]) -> str | None:
        which, seed, steps = example
        kwargs = kwargs_list[which % len(kwargs_list)]
        start = np.random.default_rng(seed).standard_normal((2, 3))
        p = Param(start)
        opt = sub.cls()([p], **kwargs)
        for _ in range(steps):
            opt.zero_grad()
            p.grad = np.zeros_like(start)
            opt.step()
        if not np.array_equal(as_array(p.data), start):
            return (
                f"{sub.spec.class_name}({kwargs}) moved a parameter whose gradient was zero for {steps} "
                "steps (from the start); nothing should move it"
            )
        return None

    hypothesis_run(sub, st.tuples(st.integers(0, 9), st.integers(0, 2**31), st.integers(1, 3)), body)


def first_step_direction(sub: Subject, case: CaseSpec | None) -> None:
    """The first step moves every entry against its gradient (no weight decay)."""
    from hypothesis import strategies as st

    from .properties import hypothesis_run

    kwargs_list = [{**c.kwargs, "weight_decay": 0.0} for c in sub.spec.cases]

    def body(example: tuple[int, int]) -> str | None:
        which, seed = example
        kwargs = kwargs_list[which % len(kwargs_list)]
        rng = np.random.default_rng(seed)
        start, g = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
        g[np.abs(g) < 0.1] = 0.5
        p = Param(start)
        opt = sub.cls()([p], **kwargs)
        opt.zero_grad()
        p.grad = g.copy()
        opt.step()
        change = as_array(p.data) - start
        if not np.all(np.sign(change) == -np.sign(g)):
            i = tuple(int(v) for v in np.argwhere(np.sign(change) != -np.sign(g))[0])
            return (
                f"{sub.spec.class_name}({kwargs}): the first step changed entry {i} by {fmt(float(change[i]))} for a "
                f"gradient of {fmt(float(g[i]))}; a descent step moves against the gradient"
            )
        return None

    hypothesis_run(sub, st.tuples(st.integers(0, 9), st.integers(0, 2**31)), body)


def bowl(sub: Subject, case: CaseSpec | None) -> None:
    """Minimises a quadratic bowl f(p) = 1/2 sum a (p - c)^2 with the manifest's hyper-parameters."""
    settings = sub.spec.convergence["bowl"]
    value = quadratic_bowl(sub.cls(), settings["kwargs"], settings["steps"], sub.manifest.variant or 0)
    start, reference = settings["start"], settings["reference"]
    if not np.isfinite(value) or value > settings["factor"] * reference + settings["floor"] * start:
        raise Failed(
            f"{sub.spec.class_name}({settings['kwargs']}) on a quadratic bowl: f went from {fmt(start)} to "
            f"{fmt(value)} in {settings['steps']} steps; a correct {sub.spec.class_name} reaches {fmt(reference)}"
        )


def quadratic_bowl(optimizer_class: Any, kwargs: dict[str, Any], steps: int, seed: int) -> float:
    """The value of the bowl after ``steps`` steps (the fixtures writer runs it with the reference)."""
    rng = np.random.default_rng([7, seed])
    a, c = rng.uniform(0.5, 2.0, 6), rng.standard_normal(6)
    p = Param(np.zeros(6))
    opt = optimizer_class([p], **kwargs)
    for _ in range(steps):
        opt.zero_grad()
        p.grad = a * (p.data - c)
        opt.step()
    return float(0.5 * np.sum(a * (np.asarray(p.data, dtype=np.float64) - c) ** 2))


CHECKS = (
    Check("runs", "runs", OPTIMIZER, probe),
    Check("fixtures", "trajectory", OPTIMIZER, trajectory, per_case=True),
    Check("contracts", "step() leaves p.grad unchanged", OPTIMIZER, grad_unchanged),
    Check("contracts", "zero_grad() sets every gradient to zero; everything stays float64", OPTIMIZER, zero_grad),
    Check("properties", "zero gradients leave the parameters in place", OPTIMIZER, zero_gradient_stays),
    Check("properties", "the first step moves every entry against its gradient", OPTIMIZER, first_step_direction),
    Check("convergence", "minimises a quadratic bowl", OPTIMIZER, bowl, when=lambda s: "bowl" in s.convergence),
)

__all__ = ["CHECKS", "quadratic_bowl", "fail_if"]
