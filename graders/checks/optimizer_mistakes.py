"""Known optimizer mistakes, simulated: each update rule with one bug switched on.

When a student's trajectory is wrong, :func:`variants` runs the rule of that optimizer once
per known mistake on the same parameters and gradients; a mistake whose trajectory matches
the student's names the bug ("Adam without bias correction"), from the evidence alone.
Each rule reads like PyTorch's pseudo-code, with the bug's branch beside the right line.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from .. import settings
from ..tolerance import compare

Trajectory = list[list[np.ndarray]]  # positions after each step, one array per parameter


def _decayed(p: np.ndarray, g: np.ndarray, hp: dict, bug: str) -> np.ndarray:
    if hp["weight_decay"] != 0 and bug not in (
        "weight-decay-ignored",
        "weight-decay-after-momentum",
    ):
        return g + hp["weight_decay"] * p
    return g


def _sgd(p: np.ndarray, g: np.ndarray, state: dict, t: int, hp: dict, bug: str) -> np.ndarray:
    m, d = hp["momentum"], hp["dampening"]
    raw, g = g, _decayed(p, g, hp, bug)
    if m != 0 or bug == "dampening-without-momentum":
        b, new_share = (
            state.get("b"),
            {"dampening-ignored": 1.0, "dampening-inverted": d}.get(bug, 1 - d),
        )
        if b is None or (bug == "zero-velocity-restarted" and not b.any()):
            fresh = (1 - d) * g if bug == "dampening-on-first-step" else g
            b, old = fresh, np.zeros_like(g)
        else:
            old = b
            b = (-m if bug == "momentum-wrong-sign" else m) * b + new_share * g
        state["b"] = b
        if hp["nesterov"] and bug != "nesterov-ignored":
            look = raw if bug == "nesterov-without-decay" else g
            g = look + m * (old if bug == "nesterov-old-buffer" else b)
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
    raw, g = g, _decayed(p, g, hp, bug)
    old, new = (a, 1 - a) if bug != "alpha-swapped" else (1 - a, a)
    v = state["v"] = old * state.get("v", 0.0) + new * g * g
    if bug == "rmsprop-bias-corrected":
        v = v / (1 - a**t)
    if hp["centered"] and bug != "centered-ignored":
        mean = state["mean"] = old * state.get("mean", 0.0) + new * (raw if bug == "centered-mean-without-decay" else g)
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
    ``ascent``: every update applied with the wrong sign (``p += ...``); ``eps-default``: eps
    fixed at its docs/api.md default; ``zero-gradient-skipped``: a parameter whose gradient is all
    zero is left alone (state included), as ``if not p.grad.any(): continue`` does;
    ``grad-references-kept``: the gradient arrays of the first step are read ever after.
    """
    if bug == "eps-default":  # the rule as written, with eps fixed at its docs/api.md default
        hp, bug = {**hp, "eps": DEFAULT_EPS[name]}, ""
    ps = [np.array(a, dtype=np.float64) for a in arrays]
    states: list[dict] = [{} for _ in ps]
    trajectory, calls = [], 0
    for k, gs in enumerate(grads, 1):
        for i, g in enumerate(gs):
            calls += 1
            t = {"t-counted-per-parameter": calls, "step-count-not-kept": 1}.get(bug, k)
            if bug == "state-reset":
                states[i] = {}
            if bug == "zero-gradient-skipped" and not np.any(g):
                continue
            if bug == "grad-references-kept" and k > 1:
                # the arrays read at the first step, zeroed in place by the next zero_grad()
                # while p.grad was rebound to new ones
                g = np.zeros_like(g)
            new = RULES[name](ps[i], np.asarray(g, dtype=np.float64), states[i], t, hp, bug)
            ps[i] = 2 * ps[i] - new if bug == "ascent" else new
        trajectory.append([p.copy() for p in ps])
    return trajectory


_WD = "the gradient with weight decay is grad + weight_decay * p"
DEFAULT_EPS = {
    "optimizers.Adagrad": 1e-10,
    "optimizers.RMSprop": 1e-8,
    "optimizers.Adadelta": 1e-6,
    "optimizers.Adam": 1e-8,
    "optimizers.AdamW": 1e-8,
}
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
        "nesterov-ignored": (
            "nesterov=True was ignored, or its look-ahead used the velocity from before this step "
            "(the two agree without dampening): update b first, then step along g + momentum * b"
        ),
        "nesterov-old-buffer": (
            "the Nesterov look-ahead used the velocity from before this step; update b first, "
            "then step along g + momentum * b"
        ),
        "weight-decay-after-momentum": (
            "weight decay was added after the momentum update; it joins the gradient before: g = "
            "grad + weight_decay * p, then b from g"
        ),
        "weight-decay-ignored": (
            f"weight_decay was ignored (applied only with momentum?); {_WD}, with or without momentum"
        ),
        "dampening-without-momentum": (
            "dampening was applied with momentum = 0; without momentum there is no velocity and "
            "the step is lr * g (PyTorch ignores dampening then)"
        ),
        "zero-velocity-restarted": (
            "an all-zero velocity was taken for 'no velocity yet' and restarted undamped (b = g); "
            "only the very first step starts b at g: keep None (or a flag) until then"
        ),
        "nesterov-without-decay": (
            "the Nesterov look-ahead added momentum * b to the raw gradient; use the gradient "
            "with weight decay, g = grad + weight_decay * p, there too"
        ),
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
        "centered-mean-without-decay": (
            "the running mean of the centered variant used the raw gradient; it averages g = grad "
            "+ weight_decay * p, like v"
        ),
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
    "step-count-not-kept": (
        "the step count t stayed at 1: keep it on self, add 1 per step(), and do not reset it in zero_grad()"
    ),
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
        "optimizer were new: keep the state on self between calls, and leave it alone in "
        "zero_grad(), which fit calls before every step"
    )
    _mistakes["grad-references-kept"] = (
        "after the first step, step() read gradient arrays it had kept from an earlier call; "
        "p.grad may be a new array at every step (zero_grad may assign new arrays): read p.grad "
        "inside step()"
    )
    _mistakes["zero-gradient-skipped"] = (
        "a parameter whose gradient was all zero was skipped; it still takes a step (momentum "
        "carries it on, running averages decay, weight decay applies)"
    )
for _name, _mistakes in MISTAKES.items():
    if _name in DEFAULT_EPS:
        _mistakes["eps-default"] = "eps was ignored: the update used the default eps, not the eps argument"


def flat_changes(trajectory: Trajectory, arrays: list[np.ndarray]) -> np.ndarray:
    return np.concatenate([(p - a).reshape(-1) for ps in trajectory for p, a in zip(ps, arrays, strict=False)])


def same_trajectory(a: Trajectory, b: Trajectory, arrays: list[np.ndarray]) -> bool:
    return compare(flat_changes(a, arrays), flat_changes(b, arrays), rtol=settings.TRAJECTORY_RTOL).ok


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
        if np.isfinite(flat_changes(wrong, arrays)).all() and not same_trajectory(wrong, expected, arrays):
            found[tag] = (flat_changes(wrong, arrays), text)
    return found
