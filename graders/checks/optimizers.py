"""Rubric for optimizers: trajectories against the reference, invariants, contracts, training.

Parameters live in the student's worker (``harness("parameters", ...)``); every step the
grader writes the gradients into them (in place, so a reference kept anywhere still sees
them), calls ``step()`` and reads ``p.data`` back, all in one round trip. Whether ``step``
updates ``p.data`` in place or assigns a new array, and where it keeps its state, is free.

Known mistakes are *simulated*: :func:`simulate` runs each update rule with one bug switched
on, so a wrong trajectory can be named ("Adam without bias correction") from the evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from hypothesis import strategies as st
from nnlab.reference.activations import Tanh
from nnlab.reference.base import Parameter
from nnlab.reference.layers import Linear
from nnlab.reference.losses import MSELoss

from .. import settings
from ..catalogue import Context, check
from ..components import REQUIRED, Case, Component
from ..diagnose import diagnose
from ..plain import Handle
from ..puppet import StudentError
from ..remote import run_batch
from ..results import Outcome, failed, passed
from ..strategies import SEEDS, shapes
from ..tolerance import as_array, compare, fmt
from .inputs import reference_class
from .losses import holds
from .modules import check_signature

OPTIMIZER = ("optimizer",)
Trajectory = list[list[np.ndarray]]  # positions after each step, one array per parameter


# ------------------------------------------------------------------------------- the two sides
def hyper(component: Component, kwargs: dict[str, Any]) -> dict[str, Any]:
    """API.md's defaults overridden by ``kwargs``."""
    defaults = {name: value for name, value in component.signature if value is not REQUIRED}
    return {**defaults, **kwargs}


class Remote:
    """The student's optimizer over parameters that live in its worker."""

    def __init__(self, ctx: Context, arrays: list[np.ndarray], kwargs: dict[str, Any]) -> None:
        self.session = ctx.session
        self.shapes = [np.shape(a) for a in arrays]
        self.params = self.session.harness("parameters", [np.array(a) for a in arrays])
        self.handle = self.session.new(ctx.component.name, self.params, **kwargs)

    def requests_for(self, path: str, method: str, values: list[np.ndarray] | None = None) -> list[dict]:
        if method == "get":
            return [{"op": "get", "target": p, "path": path} for p in self.params]
        return [
            {"op": method, "target": p, "path": path, "value": v} for p, v in zip(self.params, values, strict=False)
        ]

    def call_request(self, method: str) -> dict:
        return {"op": "call", "target": self.handle, "method": method, "args": [], "kwargs": {}}

    def step(self, grads: list[np.ndarray]) -> list[np.ndarray]:
        """Write the gradients (in place), step, and return every ``p.data``."""
        requests = self.requests_for("grad", "setitem", grads) + [self.call_request("step")]
        requests += self.requests_for("data", "get")
        values = run_batch(self.session, requests)[-len(self.params) :]
        pairs = zip(values, self.shapes, strict=True)
        return [_data(value, i, shape) for i, (value, shape) in enumerate(pairs)]

    def run(self, grads: list[list[np.ndarray]]) -> Trajectory:
        return [self.step(gs) for gs in grads]

    def get(self, path: str) -> list[Any]:
        return run_batch(self.session, self.requests_for(path, "get"))


def _data(value: Any, index: int, shape: tuple[int, ...]) -> np.ndarray:
    """``p.data`` as read back after a step; a step that broke it is the student's error."""
    array = as_array(value)
    if array is None or array.dtype.kind not in "biuf":
        what = f"{type(value).__name__}, not an array of numbers"
    elif array.shape != shape:
        what = f"of shape {array.shape}, not {shape}"
    else:
        return array
    raise StudentError("ValueError", f"after step(), p.data of parameter {index} is {what}")


def reference_run(
    name: str, kwargs: dict[str, Any], arrays: list[np.ndarray], grads: list[list[np.ndarray]]
) -> Trajectory:
    params = [Parameter(a) for a in arrays]
    optimizer = reference_class(name)(params, **kwargs)
    trajectory = []
    for gs in grads:
        for p, g in zip(params, gs, strict=False):
            p.grad = np.array(g, dtype=np.float64)
        optimizer.step()
        trajectory.append([p.data.copy() for p in params])
    return trajectory


# ------------------------------------------------------------------------------- simulated mistakes
def _decayed(p: np.ndarray, g: np.ndarray, hp: dict, bug: str) -> np.ndarray:
    if hp["weight_decay"] != 0 and bug not in (
        "weight-decay-ignored",
        "weight-decay-after-momentum",
    ):
        return g + hp["weight_decay"] * p
    return g


def _sgd(p: np.ndarray, g: np.ndarray, state: dict, t: int, hp: dict, bug: str) -> np.ndarray:
    m, d = hp["momentum"], hp["dampening"]
    g = _decayed(p, g, hp, bug)
    if m != 0:
        b, new_share = (
            state.get("b"),
            {"dampening-ignored": 1.0, "dampening-inverted": d}.get(bug, 1 - d),
        )
        if b is None:
            fresh = (1 - d) * g if bug == "dampening-on-first-step" else g
            b, old = fresh, np.zeros_like(g)
        else:
            old = b
            b = (-m if bug == "momentum-wrong-sign" else m) * b + new_share * g
        state["b"] = b
        if hp["nesterov"] and bug != "nesterov-ignored":
            g = g + m * (old if bug == "nesterov-old-buffer" else b)
        else:
            g = b
    if bug == "weight-decay-after-momentum":
        g = g + hp["weight_decay"] * p
    return p - hp["lr"] * g


def _adagrad(p: np.ndarray, g: np.ndarray, state: dict, t: int, hp: dict, bug: str) -> np.ndarray:
    lr, decay = hp["lr"], hp["lr_decay"]
    clr = {
        "lr-decay-off-by-one": lr / (1 + t * decay),
        "lr-decay-ignored": lr,
        "lr-decay-compounded": lr / (1 + decay) ** (t - 1),
    }.get(bug, lr / (1 + (t - 1) * decay))
    g = _decayed(p, g, hp, bug)
    start = 0.0 if bug == "initial-accumulator-ignored" else hp["initial_accumulator_value"]
    state["sum"] = state.get("sum", np.full_like(p, start)) + g * g
    if bug == "eps-inside-sqrt":
        return p - clr * g / np.sqrt(state["sum"] + hp["eps"])
    return p - clr * g / (np.sqrt(state["sum"]) + hp["eps"])


def _rmsprop(p: np.ndarray, g: np.ndarray, state: dict, t: int, hp: dict, bug: str) -> np.ndarray:
    a, eps = hp["alpha"], hp["eps"]
    g = _decayed(p, g, hp, bug)
    old, new = (a, 1 - a) if bug != "alpha-swapped" else (1 - a, a)
    v = state["v"] = old * state.get("v", 0.0) + new * g * g
    if bug == "rmsprop-bias-corrected":
        v = v / (1 - a**t)
    if hp["centered"] and bug != "centered-ignored":
        mean = state["mean"] = old * state.get("mean", 0.0) + new * g
        v = np.maximum(v - mean**2, 0.0)
    avg = np.sqrt(v + eps) if bug == "eps-inside-sqrt" else np.sqrt(v) + eps
    if hp["momentum"] > 0:
        if bug == "momentum-before-scaling":
            state["b"] = hp["momentum"] * state.get("b", 0.0) + g
            return p - hp["lr"] * state["b"] / avg
        state["b"] = hp["momentum"] * state.get("b", 0.0) + g / avg
        return p - hp["lr"] * state["b"]
    return p - hp["lr"] * g / avg


def _adadelta(p: np.ndarray, g: np.ndarray, state: dict, t: int, hp: dict, bug: str) -> np.ndarray:
    rho, eps = hp["rho"], hp["eps"]
    old, new = (rho, 1 - rho) if bug != "rho-swapped" else (1 - rho, rho)
    g = _decayed(p, g, hp, bug)
    v_before = state.get("v", 0.0)
    v = state["v"] = old * v_before + new * g * g
    u = state.get("u", 0.0)
    if bug == "adadelta-eps-outside-sqrt":
        delta = (np.sqrt(u) + eps) / (np.sqrt(v) + eps) * g
    else:
        delta = np.sqrt(u + eps) / np.sqrt((v_before if bug == "adadelta-stale-average" else v) + eps) * g
    state["u"] = old * u + new * delta * delta
    return p - (1.0 if bug == "adadelta-lr-ignored" else hp["lr"]) * delta


def _adam(p: np.ndarray, g: np.ndarray, state: dict, t: int, hp: dict, bug: str, decoupled: bool) -> np.ndarray:
    lr, wd, eps = hp["lr"], hp["weight_decay"], hp["eps"]
    b1, b2 = hp["betas"][::-1] if bug == "betas-swapped" else hp["betas"]
    if wd != 0 and bug != "weight-decay-ignored":
        if decoupled != (bug in ("adamw-l2-decay", "adam-decoupled-decay")):
            if bug != "adamw-decay-after-step":
                p = p * (1 - (wd if bug == "adamw-decay-without-lr" else lr * wd))
        else:
            g = g + wd * p
    m = state["m"] = b1 * state.get("m", 0.0) + (1 - b1) * g
    v = state["v"] = b2 * state.get("v", 0.0) + (1 - b2) * g * g
    c1 = 1.0 if bug in ("adam-no-bias-correction", "adam-no-bias-correction-m") else 1 - b1**t
    c2 = 1.0 if bug in ("adam-no-bias-correction", "adam-no-bias-correction-v") else 1 - b2**t
    if hp["amsgrad"] and bug != "amsgrad-ignored":
        if bug == "amsgrad-max-of-corrected":
            v = state["vmax"] = np.maximum(state.get("vmax", 0.0), v / c2)
            c2 = 1.0
        else:
            v = state["vmax"] = np.maximum(state.get("vmax", 0.0), v)
    denom = np.sqrt(v / c2 + eps) if bug == "eps-inside-sqrt" else np.sqrt(v) / np.sqrt(c2) + eps
    if bug == "adam-eps-hat":
        denom = (np.sqrt(v) + eps) / np.sqrt(c2)
    p = p - lr / c1 * m / denom
    if bug == "adamw-decay-after-step" and wd != 0:
        p = p * (1 - lr * wd)
    return p


RULES: dict[str, Callable[..., np.ndarray]] = {
    "optimizers.SGD": _sgd,
    "optimizers.Adagrad": _adagrad,
    "optimizers.RMSprop": _rmsprop,
    "optimizers.Adadelta": _adadelta,
    "optimizers.Adam": partial(_adam, decoupled=False),
    "optimizers.AdamW": partial(_adam, decoupled=True),
}


def simulate(
    name: str,
    hp: dict[str, Any],
    arrays: list[np.ndarray],
    grads: list[list[np.ndarray]],
    bug: str = "",
) -> Trajectory:
    """The trajectory of the update rule of ``name`` with one ``bug`` switched on.

    Bugs of the bookkeeping: ``state-reset`` (fresh state at every step), ``step-count-not-kept``
    (t = 1 at every step), ``t-counted-per-parameter`` (t grows once per parameter); and
    ``ascent``: every update applied with the wrong sign (``p += ...``).
    """
    ps = [np.array(a, dtype=np.float64) for a in arrays]
    states: list[dict] = [{} for _ in ps]
    trajectory, calls = [], 0
    for k, gs in enumerate(grads, 1):
        for i, g in enumerate(gs):
            calls += 1
            t = {"t-counted-per-parameter": calls, "step-count-not-kept": 1}.get(bug, k)
            if bug == "state-reset":
                states[i] = {}
            new = RULES[name](ps[i], np.asarray(g, dtype=np.float64), states[i], t, hp, bug)
            ps[i] = 2 * ps[i] - new if bug == "ascent" else new
        trajectory.append([p.copy() for p in ps])
    return trajectory


_WD = "the gradient with weight decay is grad + weight_decay * p"
MISTAKES: dict[str, dict[str, str]] = {
    "optimizers.SGD": {
        "momentum-wrong-sign": (
            "the old velocity entered with the wrong sign; it is b = momentum * b + (1 - dampening) * g"
        ),
        "dampening-on-first-step": (
            "dampening was applied on the first step too; PyTorch starts the velocity at the "
            "gradient itself (b = g) and dampens later steps only"
        ),
        "dampening-ignored": "dampening was ignored: b = momentum * b + (1 - dampening) * g",
        "dampening-inverted": ("the new gradient was scaled by dampening instead of (1 - dampening)"),
        "nesterov-ignored": ("nesterov=True was ignored: Nesterov steps along g + momentum * b, not b"),
        "nesterov-old-buffer": (
            "the Nesterov look-ahead used the velocity from before this step; update b first, "
            "then step along g + momentum * b"
        ),
        "weight-decay-after-momentum": (
            "weight decay was added after the momentum update; it joins the gradient before: g = "
            "grad + weight_decay * p, then b from g"
        ),
        "weight-decay-ignored": f"weight_decay was ignored; {_WD}",
    },
    "optimizers.Adagrad": {
        "lr-decay-off-by-one": (
            "the learning rate decay counted from t instead of t - 1: lr_t = lr / (1 + (t - 1) * "
            "lr_decay), so the first step uses lr"
        ),
        "lr-decay-ignored": "lr_decay was ignored: lr_t = lr / (1 + (t - 1) * lr_decay)",
        "lr-decay-compounded": (
            "the decay was compounded (lr divided by 1 + lr_decay at every step); it is lr / (1 +"
            " (t - 1) * lr_decay) with t the number of steps"
        ),
        "eps-inside-sqrt": ("eps was added inside the square root; it goes outside: g / (sqrt(sum) + eps)"),
        "initial-accumulator-ignored": ("the sum of squares started at 0 instead of initial_accumulator_value"),
        "weight-decay-ignored": f"weight_decay was ignored; {_WD}",
        "step-count-not-kept": (
            "the step count t stayed at 1; lr_decay needs the number of step() calls so far (keep it on self)"
        ),
    },
    "optimizers.RMSprop": {
        "centered-ignored": (
            "centered=True was ignored: the centered variant divides by sqrt(v - m^2) + eps, with"
            " m the running average of the gradients"
        ),
        "eps-inside-sqrt": "eps was added inside the square root; it goes outside: sqrt(v) + eps",
        "alpha-swapped": (
            "alpha and 1 - alpha were swapped: v = alpha * v + (1 - alpha) * g^2 keeps alpha of the old average"
        ),
        "rmsprop-bias-corrected": (
            "the average was bias-corrected like Adam's; RMSprop divides by sqrt(v) + eps without correction"
        ),
        "momentum-before-scaling": (
            "momentum accumulated the raw gradient and divided afterwards; it accumulates the "
            "scaled step: b = momentum * b + g / (sqrt(v) + eps)"
        ),
        "weight-decay-ignored": f"weight_decay was ignored; {_WD}",
    },
    "optimizers.Adadelta": {
        "adadelta-lr-ignored": "lr was ignored: the update is p -= lr * delta",
        "adadelta-eps-outside-sqrt": (
            "eps was added outside the square roots; Adadelta uses sqrt(acc_delta + eps) / sqrt(square_avg + eps)"
        ),
        "adadelta-stale-average": (
            "delta used the average of g^2 from before this step; update square_avg with this gradient first"
        ),
        "rho-swapped": "rho and 1 - rho were swapped: v = rho * v + (1 - rho) * g^2",
        "weight-decay-ignored": f"weight_decay was ignored; {_WD}",
    },
}
_ADAM = {
    "adam-no-bias-correction": (
        "Adam without bias correction: m and v start at zero, so divide them by (1 - beta1^t) and (1 - beta2^t)"
    ),
    "adam-no-bias-correction-m": ("the first moment m was not bias-corrected: divide it by 1 - beta1^t"),
    "adam-no-bias-correction-v": ("the second moment v was not bias-corrected: divide it by 1 - beta2^t"),
    "eps-inside-sqrt": ("eps was added inside the square root; Adam adds it outside: m_hat / (sqrt(v_hat) + eps)"),
    "t-counted-per-parameter": (
        "the step count t grew once per parameter instead of once per step(); bias corrections "
        "use the number of step() calls"
    ),
    "step-count-not-kept": "the step count t stayed at 1: keep it on self and add 1 per step()",
    "betas-swapped": "beta1 and beta2 were swapped: m uses beta1 (0.9), v uses beta2 (0.999)",
    "amsgrad-ignored": "amsgrad=True was ignored: divide by the running maximum of v",
    "amsgrad-max-of-corrected": (
        "amsgrad kept the maximum of the bias-corrected v_hat; PyTorch keeps the maximum of v and"
        " corrects it afterwards"
    ),
    "weight-decay-ignored": "weight_decay was ignored",
    "adam-eps-hat": (
        "the bias corrections were folded into the step size, lr * sqrt(1 - beta2^t) / "
        "(1 - beta1^t), with eps added to sqrt(v): that scales eps by sqrt(1 - beta2^t) (the "
        "paper's 'efficient' form); PyTorch adds eps to sqrt(v_hat)"
    ),
}
MISTAKES["optimizers.Adam"] = {
    **_ADAM,
    "adam-decoupled-decay": (
        "weight decay was decoupled (AdamW's rule); Adam adds weight_decay * p to the gradient (L2)"
    ),
}
MISTAKES["optimizers.AdamW"] = {
    **_ADAM,
    "adamw-l2-decay": (
        "weight decay was added to the gradient (L2, Adam's rule); AdamW decays the parameters "
        "directly, p *= 1 - lr * weight_decay, and leaves the gradient alone"
    ),
    "adamw-decay-without-lr": (
        "p was multiplied by 1 - weight_decay; AdamW's decay is scaled by the learning rate: p *= 1 - lr * weight_decay"
    ),
    "adamw-decay-after-step": ("the decay was applied after the Adam step; AdamW decays p first, then takes the step"),
}
for _mistakes in MISTAKES.values():
    _mistakes["ascent"] = (
        "every update was applied with the wrong sign (p += ...): the parameters climbed the "
        "gradient; a descent step subtracts, p -= lr * update"
    )
    _mistakes["state-reset"] = (
        "every step() started from fresh state (velocity, running averages), as if the "
        "optimizer were new: keep the state on self between calls"
    )


def _flat(trajectory: Trajectory, arrays: list[np.ndarray]) -> np.ndarray:
    return np.concatenate([(p - a).reshape(-1) for ps in trajectory for p, a in zip(ps, arrays, strict=False)])


def _same(a: Trajectory, b: Trajectory, arrays: list[np.ndarray]) -> bool:
    return compare(_flat(a, arrays), _flat(b, arrays), rtol=settings.TRAJECTORY_RTOL).ok


def variants(
    name: str,
    hp: dict[str, Any],
    arrays: list[np.ndarray],
    grads: list[list[np.ndarray]],
    expected: Trajectory,
) -> dict[str, tuple[np.ndarray, str]]:
    """The known mistakes that change this trajectory, as flat arrays of parameter changes."""
    found = {}
    for tag, text in MISTAKES[name].items():
        wrong = simulate(name, hp, arrays, grads, tag)
        if np.isfinite(_flat(wrong, arrays)).all() and not _same(wrong, expected, arrays):
            found[tag] = (_flat(wrong, arrays), text)
    return found


def judge_trajectory(
    name: str,
    ctx: Context,
    kwargs: dict[str, Any],
    arrays: list[np.ndarray],
    grads: list[list[np.ndarray]],
    actual: Trajectory,
    expected: Trajectory,
) -> Outcome:
    """Compare after every step; name the first step that diverged and, if known, the mistake."""
    for k, (got_k, expected_k) in enumerate(zip(actual, expected, strict=False), 1):
        for i, (got, want, start) in enumerate(zip(got_k, expected_k, arrays, strict=False)):
            where = f"after step {k} of {len(expected)}, parameter {i} (shape {want.shape})"
            if got.shape != want.shape:
                return failed(name, f"{where}: p.data has shape {got.shape}.", "wrong-shape")
            comparison = compare(got - start, want - start, rtol=settings.TRAJECTORY_RTOL)
            if comparison.ok:
                continue
            index = comparison.index
            text = (
                f"{where} is wrong: {comparison.n_wrong} of {want.size} entries differ; first at "
                f"index {index}: p.data = {fmt(got[index])}, expected {fmt(want[index])} (from "
                f"{fmt(start[index])}, a change of {fmt(got[index] - start[index])} instead of "
                f"{fmt(want[index] - start[index])})."
            )
            if k > 1:
                text += " Step 1 matched" if k == 2 else f" Steps 1 to {k - 1} matched"
                text += " the reference."
            hp = hyper(ctx.component, kwargs)
            if all(
                p.shape == q.shape
                for ps, qs in zip(actual, expected, strict=False)
                for p, q in zip(ps, qs, strict=False)
            ):
                found = diagnose(
                    _flat(actual, arrays),
                    _flat(expected, arrays),
                    what="the change of the parameters",
                    variants=variants(ctx.component.name, hp, arrays, grads, expected),
                )
                if found is not None:
                    return failed(name, f"{text} Likely cause: {found.text}.", found.tag)
            return failed(name, text)
    return passed(name)


def trajectory_problem(
    ctx: Context,
    salt: str,
    shapes_: tuple[tuple[int, ...], ...] = ((3, 4), (5,)),
    steps: int = settings.TRAJECTORY_STEPS,
) -> tuple[list[np.ndarray], list[list[np.ndarray]]]:
    """Starting values and a fixed gradient sequence.

    Each entry's gradients share a drift (so momentum builds up) and a magnitude between
    1e-6 and 10 (so eps matters for some entries: eps inside or outside the square root).
    """
    rng = ctx.rng("trajectory", salt)
    arrays = [rng.standard_normal(s) for s in shapes_]
    scales = [10 ** rng.uniform(*settings.OPTIMIZER_GRADIENT_DECADES, s) for s in shapes_]
    drifts = [rng.standard_normal(s) for s in shapes_]
    grads = [
        [c * (d + rng.standard_normal(d.shape)) for c, d in zip(scales, drifts, strict=False)] for _ in range(steps)
    ]
    return arrays, grads


# ------------------------------------------------------------------------------- api
@check("api", "constructor signature", OPTIMIZER, interface=True)
def constructor_signature(ctx: Context) -> Outcome:
    return check_signature(ctx)


@check("api", "built from a list of parameters; step() and zero_grad() run", OPTIMIZER)
def builds_and_steps(ctx: Context) -> Outcome:
    name = "built from a list of parameters; step() and zero_grad() run"
    arrays, grads = trajectory_problem(ctx, "api", steps=1)
    problems = []
    for case in ctx.component.cases:
        remote = Remote(ctx, arrays, case.kwargs)
        data = remote.step(grads[0])
        run_batch(ctx.session, [remote.call_request("zero_grad")])
        for i, (d, a) in enumerate(zip(data, arrays, strict=False)):
            if d.shape != a.shape or d.dtype != np.float64:
                problems.append(
                    f"with {case.id}: after step(), parameter {i} is {d.dtype} of shape {d.shape}; "
                    f"expected float64 of shape {a.shape}"
                )
    if problems:
        return failed(name, "; ".join(problems[:3]) + ".", "wrong-shape")
    return passed(name)


# ------------------------------------------------------------------------------- reference
@check("reference", "trajectory", OPTIMIZER, per_case=True)
def trajectory(ctx: Context, case: Case) -> Outcome:
    """Eight steps from identical parameters and gradients, compared after every step."""
    name = f"trajectory: {case.id}"
    arrays, grads = trajectory_problem(ctx, case.id)
    expected = reference_run(ctx.component.name, case.kwargs, arrays, grads)
    actual = Remote(ctx, arrays, case.kwargs).run(grads)
    return judge_trajectory(name, ctx, case.kwargs, arrays, grads, actual, expected)


# ------------------------------------------------------------------------------- properties
def _without_decay(ctx: Context, index: int) -> dict[str, Any]:
    kwargs = dict(ctx.component.cases[index % len(ctx.component.cases)].kwargs)
    kwargs["weight_decay"] = 0.0
    return kwargs


def _property_problem(example: tuple) -> tuple[int, list[np.ndarray], np.random.Generator]:
    index, shape_list, seed = example
    rng = np.random.default_rng(seed)
    return index, [rng.standard_normal(s) for s in shape_list], rng


PROPERTY_STRATEGY = st.tuples(st.integers(0, 3), st.lists(shapes(1, 3, 4), min_size=1, max_size=3), SEEDS)


@check("properties", "zero gradient without weight decay: the parameters stay put", OPTIMIZER)
def zero_gradient(ctx: Context) -> Outcome:
    name = "zero gradient without weight decay: the parameters stay put"

    def body(*example: Any) -> str:
        index, arrays, _ = _property_problem(example)
        kwargs = _without_decay(ctx, index)
        remote = Remote(ctx, arrays, kwargs)
        for k in range(1, settings.OPTIMIZER_PROPERTY_STEPS + 1):
            for i, (got, start) in enumerate(
                zip(remote.step([np.zeros_like(a) for a in arrays]), arrays, strict=False)
            ):
                comparison = compare(got, start)
                if not comparison.ok:
                    return (
                        f"with {kwargs} and every gradient 0, parameter {i} (shape {start.shape}) "
                        f"moved at step {k}: {comparison.problem}"
                    )
        return ""

    return holds(ctx, name, PROPERTY_STRATEGY, body, "moves-without-gradient")


@check("properties", "the first step moves every entry against its gradient", OPTIMIZER)
def first_step_direction(ctx: Context) -> Outcome:
    name = "the first step moves every entry against its gradient"

    def body(*example: Any) -> str:
        index, arrays, rng = _property_problem(example)
        kwargs = _without_decay(ctx, index)
        grads = [rng.choice([-1.0, 1.0], a.shape) * 10 ** rng.uniform(-3, 3, a.shape) for a in arrays]
        for i, (got, start, g) in enumerate(zip(Remote(ctx, arrays, kwargs).step(grads), arrays, grads, strict=False)):
            wrong = np.argwhere(~((got - start) * g < 0))
            if len(wrong):
                at = tuple(int(j) for j in wrong[0])
                text = (
                    f"with {kwargs}, parameter {i} (shape {start.shape}) at index {at} had "
                    f"gradient {fmt(g[at])} and moved from {fmt(start[at])} to {fmt(got[at])}"
                )
                if got[at] == start[at]:
                    return text + ": it did not move at all", "does-not-move"
                return text + ": a step goes against the gradient (p -= ...)", "sign-flipped"
        return ""

    return holds(ctx, name, PROPERTY_STRATEGY, body, "sign-flipped")


@check(
    "properties",
    "the first step has size lr in every entry, whatever the gradient's scale",
    components=("optimizers.Adam", "optimizers.AdamW"),
)
def adam_first_step(ctx: Context) -> Outcome:
    name = "the first step has size lr in every entry, whatever the gradient's scale"

    def body(*example: Any) -> str:
        index, arrays, rng = _property_problem(example)
        kwargs = _without_decay(ctx, index)
        hp = hyper(ctx.component, kwargs)
        grads = [rng.choice([-1.0, 1.0], a.shape) * 10 ** rng.uniform(-3, 3, a.shape) for a in arrays]
        for i, (got, start, g) in enumerate(zip(Remote(ctx, arrays, kwargs).step(grads), arrays, grads, strict=False)):
            expected = hp["lr"] * np.abs(g) / (np.abs(g) + hp["eps"])
            comparison = compare(np.abs(got - start), expected, rtol=settings.TRAJECTORY_RTOL)
            if not comparison.ok:
                text = (
                    f"with {kwargs}, the first step of parameter {i} (shape {start.shape}) should "
                    f"move each entry by lr * |g| / (|g| + eps) ~ lr: {comparison.problem}"
                )
                b1, b2 = hp["betas"]
                uncorrected = hp["lr"] * (1 - b1) * np.abs(g) / (np.sqrt(1 - b2) * np.abs(g) + hp["eps"])
                if compare(np.abs(got - start), uncorrected, rtol=1e-6).ok:
                    text += (
                        ". Likely cause: no bias correction; m and v start at 0, so after one step "
                        "m = (1 - beta1) g and v = (1 - beta2) g^2 must be divided by 1 - beta^t"
                    )
                return text
        return ""

    return holds(ctx, name, PROPERTY_STRATEGY, body, "adam-first-step-size")


# ------------------------------------------------------------------------------- contracts
def _stateful_case(ctx: Context) -> tuple[Case, list[np.ndarray], list[list[np.ndarray]]]:
    """The first case whose trajectory depends on the optimizer's state."""
    arrays, grads = trajectory_problem(ctx, "state", steps=settings.OPTIMIZER_CONTRACT_STEPS)
    for case in ctx.component.cases:
        hp = hyper(ctx.component, case.kwargs)
        persistent = simulate(ctx.component.name, hp, arrays, grads)
        if not _same(persistent, simulate(ctx.component.name, hp, arrays, grads, "state-reset"), arrays):
            return case, arrays, grads
    return ctx.component.cases[0], arrays, grads


@check("contracts", "state persists between step() calls", OPTIMIZER)
def state_persists(ctx: Context) -> Outcome:
    """Each step() of a fresh optimizer from where the student's stood must differ from its own."""
    name = "state persists between step() calls"
    case, arrays, grads = _stateful_case(ctx)
    actual = Remote(ctx, arrays, case.kwargs).run(grads)
    expected = reference_run(ctx.component.name, case.kwargs, arrays, grads)
    if _same(actual, expected, arrays):
        return passed(name)
    starts = [arrays, *actual[:-1]]
    fresh = [Remote(ctx, start, case.kwargs).step(gs) for start, gs in zip(starts, grads, strict=False)]
    moved = any(
        not np.array_equal(p, q) for ps, qs in zip(actual, starts, strict=False) for p, q in zip(ps, qs, strict=False)
    )
    reset = all(
        np.allclose(p, q, rtol=1e-12, atol=0)
        for ps, qs in zip(actual, fresh, strict=False)
        for p, q in zip(ps, qs, strict=False)
    )
    if moved and reset:
        return failed(
            name,
            f"with {case.kwargs or 'the defaults'}, every step() behaved like the first step "
            "of a new optimizer: the state (velocity, running averages, step count) was created "
            "anew inside step(). Create it once and keep it on self between calls.",
            "state-reset",
        )
    return passed(name)  # a wrong update rule is the trajectory checks' business


@check("contracts", "step() leaves p.grad unchanged", OPTIMIZER)
def grad_unchanged(ctx: Context) -> Outcome:
    name = "step() leaves p.grad unchanged"
    arrays, grads = trajectory_problem(ctx, "grad", steps=2)
    for case in ctx.component.cases:
        remote = Remote(ctx, arrays, case.kwargs)
        for gs in grads:
            remote.step(gs)
            for i, (got, g) in enumerate(zip(remote.get("grad"), gs, strict=False)):
                if not np.array_equal(as_array(got), g):
                    return failed(
                        name,
                        f"with {case.kwargs or 'the defaults'}, step() changed p.grad of "
                        f"parameter {i}. Build new arrays (g = p.grad + weight_decay * p.data), "
                        "never `g = p.grad; g += ...`, which writes into the gradient.",
                        "modifies-grad",
                    )
    return passed(name)


@check("contracts", "zero_grad() sets every gradient to zero", OPTIMIZER, interface=True)
def zero_grad_zeros(ctx: Context) -> Outcome:
    name = "zero_grad() sets every gradient to zero"
    arrays, grads = trajectory_problem(ctx, "zero_grad", settings.OPTIMIZER_SHAPES, steps=1)
    remote = Remote(ctx, arrays, ctx.component.cases[0].kwargs)
    values = run_batch(
        ctx.session,
        remote.requests_for("grad", "setitem", grads[0])
        + [remote.call_request("zero_grad")]
        + remote.requests_for("grad", "get")
        + remote.requests_for("data", "get"),
    )
    n = len(arrays)
    for i, (grad, data, a) in enumerate(zip(values[n + 1 : 2 * n + 1], values[2 * n + 1 :], arrays, strict=False)):
        g = as_array(grad)
        if g is None or g.shape != a.shape or np.any(g != 0):
            got = (
                "an array with nonzero entries"
                if g is not None and g.shape == a.shape
                else (f"{type(grad).__name__} of shape {getattr(g, 'shape', None)}")
            )
            return failed(
                name,
                f"after zero_grad(), p.grad of parameter {i} (shape {a.shape}) is {got}; "
                "every p.grad must be an array of zeros shaped like p.data.",
                "zero-grad",
            )
        if not np.array_equal(as_array(data), a):
            return failed(name, f"zero_grad() changed p.data of parameter {i}.", "zero-grad")
    return passed(name)


@check("contracts", "each parameter is updated on its own, whatever its shape", OPTIMIZER)
def parameters_independent(ctx: Context) -> Outcome:
    """Optimizing several parameters together must move each as if it were alone."""
    name = "each parameter is updated on its own, whatever its shape"
    case = ctx.component.cases[-1]
    arrays, grads = trajectory_problem(
        ctx, "shapes", settings.OPTIMIZER_SHAPES, steps=settings.OPTIMIZER_CONTRACT_STEPS
    )
    together = Remote(ctx, arrays, case.kwargs).run(grads)
    for i, a in enumerate(arrays):
        alone = Remote(ctx, [a], case.kwargs).run([[gs[i]] for gs in grads])
        for k, (joint, single) in enumerate(zip(together, alone, strict=False), 1):
            got = joint[i]
            if got.shape != a.shape or got.dtype != np.float64:
                return failed(
                    name,
                    f"parameter {i}: after step {k}, p.data is {got.dtype} of shape "
                    f"{got.shape}; expected float64 of shape {a.shape}.",
                    "wrong-shape",
                )
            if not compare(got - a, single[0] - a, rtol=settings.TRAJECTORY_RTOL).ok:
                return failed(
                    name,
                    f"with {case.kwargs or 'the defaults'}, parameter {i} (shape {a.shape}) moved "
                    f"differently at step {k} when optimized together with parameters of shapes "
                    f"{[b.shape for b in arrays]} than alone. Each parameter needs its own state "
                    "(and the step count t grows once per step(), not once per parameter).",
                    "parameters-mixed",
                )
    return passed(name)


def _low_precision(session: Any, value: Any, path: str, depth: int = 0) -> str:
    """The path of a float array that is not float64 in ``value``, or "".

    ``value`` is plain data read from the optimizer; objects (handles) are opened through
    their ``__dict__`` a few levels deep. What cannot be read as plain data is skipped.
    """
    if isinstance(value, np.ndarray):
        return path if value.dtype.kind == "f" and value.dtype != np.float64 else ""
    if isinstance(value, Handle):
        if depth >= settings.OPTIMIZER_STATE_DEPTH:
            return ""
        try:
            value = session.get(value, "__dict__")
        except StudentError:
            return ""  # e.g. a dict keyed by id(p): not plain data
        items = value.items() if isinstance(value, dict) else ()
        return next(
            (found for key, item in items if (found := _low_precision(session, item, f"{path}.{key}", depth + 1))),
            "",
        )
    if isinstance(value, dict):
        items = [(f"{path}[{key!r}]", item) for key, item in value.items()]
    elif isinstance(value, (list, tuple)):
        items = [(f"{path}[{index}]", item) for index, item in enumerate(value)]
    else:
        return ""
    return next(
        (found for where, item in items if (found := _low_precision(session, item, where, depth))),
        "",
    )


@check("contracts", "parameters and state stay float64", OPTIMIZER)
def stays_float64(ctx: Context) -> Outcome:
    name = "parameters and state stay float64"
    arrays, grads = trajectory_problem(ctx, "dtype", steps=2)
    for case in ctx.component.cases:
        remote = Remote(ctx, arrays, case.kwargs)
        data = remote.run(grads)[-1]
        bad = [i for i, d in enumerate(data) if d.dtype != np.float64]
        if bad:
            return failed(
                name,
                f"with {case.kwargs or 'the defaults'}, p.data of parameter {bad[0]} became "
                f"{data[bad[0]].dtype}; parameters stay float64.",
                "float32",
            )
        found = _low_precision(ctx.session, remote.handle, "optimizer")
        if found:
            return failed(
                name,
                f"with {case.kwargs or 'the defaults'}, the optimizer's state {found} is not "
                "float64 (results, gradients and optimizer state are float64).",
                "float32",
            )
    return passed(name)


# ------------------------------------------------------------------------------- convergence
@dataclass(frozen=True)
class Task:
    """A function to minimise: starting parameters and ``f(params) -> (value, gradients)``."""

    start: list[np.ndarray]
    evaluate: Callable[[list[np.ndarray]], tuple[float, list[np.ndarray]]]


def bowl(ctx: Context) -> Task:
    """An ill-conditioned convex quadratic: curvatures from 1 to 10, minimum off the origin."""
    rng = ctx.rng("bowl")
    shapes_ = ((3,), (2, 2))
    curvature = [10 ** rng.uniform(0, 1, s) for s in shapes_]
    centre = [rng.standard_normal(s) for s in shapes_]

    def evaluate(ps: list[np.ndarray]) -> tuple[float, list[np.ndarray]]:
        value = sum(0.5 * float(np.sum(h * (p - c) ** 2)) for p, h, c in zip(ps, curvature, centre, strict=False))
        return value, [h * (p - c) for p, h, c in zip(ps, curvature, centre, strict=False)]

    return Task([c + rng.uniform(1, 2, c.shape) * rng.choice([-1, 1], c.shape) for c in centre], evaluate)


def rosenbrock(ctx: Context) -> Task:
    """``(1 - x)^2 + 100 (y - x^2)^2`` from several starts left of the valley; minimum (1, 1)."""
    rng = ctx.rng("rosenbrock")
    start = np.column_stack([rng.uniform(-1.5, -0.5, 3), rng.uniform(0.5, 1.5, 3)])

    def evaluate(ps: list[np.ndarray]) -> tuple[float, list[np.ndarray]]:
        x, y = ps[0][:, 0], ps[0][:, 1]
        value = float(np.sum((1 - x) ** 2 + 100 * (y - x**2) ** 2))
        grad = np.column_stack([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])
        return value, [grad]

    return Task([start], evaluate)


def mlp(ctx: Context) -> Task:
    """A 2-8-1 tanh network (reference layers and MSELoss) fitting a smooth surface."""
    rng = ctx.rng("mlp")
    X = rng.uniform(-2, 2, (settings.OPTIMIZER_MLP_SAMPLES, 2))
    y = np.sin(X[:, :1]) * np.cos(X[:, 1:])
    layers = [Linear(2, 8), Tanh(), Linear(8, 1)]
    params = [p for layer in layers for p in layer.parameters()]
    loss = MSELoss()
    start = [rng.uniform(-1, 1, p.data.shape) / np.sqrt(p.data.shape[-1] if p.data.ndim > 1 else 8) for p in params]

    def evaluate(ps: list[np.ndarray]) -> tuple[float, list[np.ndarray]]:
        for p, value in zip(params, ps, strict=False):
            p.data, p.grad = value.copy(), np.zeros_like(value)
        h = X
        for layer in layers:
            h = layer.forward(h)
        value = loss.forward(h, y)
        g = loss.backward()
        for layer in reversed(layers):
            g = layer.backward(g)
        return value, [p.grad.copy() for p in params]

    return Task(start, evaluate)


TASKS = {"a quadratic bowl": bowl, "the Rosenbrock function": rosenbrock, "a small MLP": mlp}


def _descend(task: Task, steps: int, step: Callable[[list[np.ndarray]], list[np.ndarray]]) -> float:
    ps = [p.copy() for p in task.start]
    for _ in range(steps):
        value, grads = task.evaluate(ps)
        if not np.isfinite(value):
            return value
        ps = step(grads)
    return task.evaluate(ps)[0]


def _reference_stepper(name: str, kwargs: dict[str, Any], start: list[np.ndarray]) -> Callable:
    params = [Parameter(p) for p in start]
    optimizer = reference_class(name)(params, **kwargs)

    def step(grads: list[np.ndarray]) -> list[np.ndarray]:
        for p, g in zip(params, grads, strict=False):
            p.grad = g
        optimizer.step()
        return [p.data.copy() for p in params]

    return step


def _converges(ctx: Context, name: str, title: str) -> Outcome:
    kwargs, steps = settings.OPTIMIZER_CONVERGENCE[ctx.component.name][title]
    task = TASKS[title](ctx)
    f0 = task.evaluate([p.copy() for p in task.start])[0]
    with np.errstate(all="ignore"):
        expected = _descend(task, steps, _reference_stepper(ctx.component.name, kwargs, task.start))
        remote = Remote(ctx, task.start, kwargs)
        got = _descend(task, steps, remote.step)
    allowed = expected * settings.OPTIMIZER_CONVERGENCE_FACTOR + settings.OPTIMIZER_CONVERGENCE_FLOOR * f0
    if np.isfinite(got) and got <= allowed:
        return passed(name)
    text = (
        f"with {kwargs}, {steps} steps from the same start took f from {fmt(f0)} to {fmt(got)}; "
        f"the reference reaches {fmt(expected)}."
    )
    if not np.isfinite(got):
        text += " The parameters diverged to nan or inf."
    elif got >= f0:
        text += " It went uphill: check the sign and the size of the update."
    return failed(name, text, "does-not-converge")


@check("convergence", "minimises a quadratic bowl", OPTIMIZER)
def minimises_bowl(ctx: Context) -> Outcome:
    return _converges(ctx, "minimises a quadratic bowl", "a quadratic bowl")


@check("convergence", "minimises the Rosenbrock function", OPTIMIZER)
def minimises_rosenbrock(ctx: Context) -> Outcome:
    return _converges(ctx, "minimises the Rosenbrock function", "the Rosenbrock function")


@check("convergence", "trains a small MLP", OPTIMIZER)
def trains_mlp(ctx: Context) -> Outcome:
    return _converges(ctx, "trains a small MLP", "a small MLP")
