"""What a wrong optimizer trajectory shows when no simulated mistake reproduces it.

A constant factor is tied to the hyper-parameter it equals (lr, 1/(1 - beta1), ...); nan in the
trajectory, or an exception in step(), is located and, when its pattern fits one mistake alone
(a division by zero at Adam's first step, 0/0 exactly where the gradient is 0), named with the
confidence "looks like".
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from nnlab.graders import settings

from ..diagnose import LOOKS_LIKE, Diagnosis, Finding
from ..tolerance import agrees, allclose, fmt
from .optimizer_mistake_texts import MISTAKES
from .optimizer_mistakes import Trajectory, same_steps, simulate


def _hyper_factors(hp: dict[str, Any]) -> dict[str, float]:
    """The expressions of the hyper-parameters a wrong step size is often off by, by name.

    Each rate the optimizer takes brings its own: the velocity's momentum and dampening, the
    running averages' alpha, rho or betas.
    """
    lr = hp["lr"]
    named = {"lr": lr, "1/lr": 1 / lr if lr else 0.0}
    if "dampening" in hp and hp["momentum"]:  # a velocity that adds the gradient (RMSprop's buffer adds the step)
        m, d = hp["momentum"], hp["dampening"]
        named |= {"1/(1 - momentum)": 1 / (1 - m) if m < 1 else 0.0, "1 + momentum": 1 + m}
        named |= {"1 - dampening": 1 - d, "1/(1 - dampening)": 1 / (1 - d) if d < 1 else 0.0} if d else {}
    if "alpha" in hp:
        a = hp["alpha"]
        named |= {"sqrt(1 - alpha)": np.sqrt(1 - a), "1/sqrt(1 - alpha)": 1 / np.sqrt(1 - a) if a < 1 else 0.0}
    if "rho" in hp:
        r = hp["rho"]
        named |= {"sqrt(1 - rho)": np.sqrt(1 - r), "1/sqrt(1 - rho)": 1 / np.sqrt(1 - r) if r < 1 else 0.0}
    if "betas" in hp:
        b1, b2 = hp["betas"]
        named |= {
            "1 - beta1": 1 - b1,
            "1/(1 - beta1)": 1 / (1 - b1),
            "sqrt(1 - beta2)": np.sqrt(1 - b2),
            "1/sqrt(1 - beta2)": 1 / np.sqrt(1 - b2),
            "(1 - beta1)/sqrt(1 - beta2)": (1 - b1) / np.sqrt(1 - b2),
        }
    return {expr: float(value) for expr, value in named.items() if value and not np.isclose(value, 1.0)}


# The factors that name a mistake; any other expression of the hyper-parameters is named as such.
_FACTOR_MISTAKES = {
    "lr": ("lr-applied-twice", "the update was multiplied by lr twice"),
    "1/lr": ("lr-ignored", "the update was not multiplied by lr"),
}


def factors(hp: dict[str, Any]) -> dict[float, tuple[str, str]]:
    """``factor -> (tag, the mistake)``: what it means when every change is off by that factor.

    Two expressions of the same value (lr = 1 - beta2) are said together under a tag that
    names neither mistake: the factor alone cannot tell them apart.
    """
    by_value: dict[float, list[str]] = {}
    for expr, value in _hyper_factors(hp).items():
        key = next((v for v in by_value if np.isclose(v, value, rtol=settings.SAME_VALUE_RTOL)), value)
        by_value.setdefault(key, []).append(expr)
    found = {}
    for value, exprs in by_value.items():
        if len(exprs) == 1 and exprs[0] in _FACTOR_MISTAKES:
            tag, mistake = _FACTOR_MISTAKES[exprs[0]]
            found[value] = (tag, f"{exprs[0]} = {fmt(value)}: {mistake}")
        else:
            said = " = ".join(exprs)
            found[value] = (
                "hyper-parameter-factor",
                f"the factor is {said} = {fmt(value)}: a term with {' or '.join(exprs)} was applied once too "
                "often, or left out",
            )
    return found


BIAS_CORRECTED = ("adam", "adamw")  # the formulas that divide by 1 - beta^t
_T_ZERO = Diagnosis(
    "bias-correction-t-zero",
    "a division by zero at the first step: t was 0 where 1 - beta^t was computed, and 1 - beta^0 = 0: the step "
    "count self.t was not incremented before the bias corrections (never incremented, incremented after them, or "
    "t - 1 used); every step() adds 1 to t first, so the first step has t = 1",
    LOOKS_LIKE,
)
# A whole array asked for one truth value (`if not buf:`, `if state:`, `a or b`) inside step().
_TRUTH = "truth value of an array"
_STATE_TRUTH = Diagnosis(
    "truthiness-of-array",
    "step() asked a whole array for one truth value (an `if`, `not`, `and` or `or` on an array); it crashed "
    "once a state entry had become an array, so the test for a missing state was written `if not buf:` (or "
    "`if buf:`): test for None, `if buf is None:`, or keep the state in a dict and test the key",
    LOOKS_LIKE,
)
# `beta ^ t` on floats: Python's ^ is bitwise xor, defined for integers only, so step() raises a TypeError.
_XOR = Diagnosis(
    "xor-for-power",
    "a power was written with ^ (beta ^ t, g ^ 2): in Python ^ is bitwise xor, defined for integers only, not "
    "a power; write ** (beta ** t, g ** 2)",
)
_TRUTH_AT_FIRST = Diagnosis(
    "truthiness-of-array",
    "step() asked a whole array for one truth value (an `if`, `not`, `and` or `or` on an array, e.g. `if "
    "p.grad:`); test what is meant explicitly: `is None` for a missing value, .any() or .all() for the entries",
    LOOKS_LIKE,
)
# zip(strict=True) finding one of its arguments shorter at a later step, where the first step's same zip
# matched: a sequence that lost its items between two steps, as an iterator does after one pass.
_SHORTER = re.compile(r"zip\(\) argument \d+ is shorter than argument \d+")
_EXHAUSTED = Diagnosis(
    "iterator-exhausted",
    "the per-parameter state (or the parameters) held in an iterator, not a list: a generator expression in "
    "parentheses, ({...} for _ in params), map(...) or iter(...) yields its items once, so the first step's loop "
    "consumed it and a later step found it empty; build a list, [{...} for _ in params] or list(params), which "
    "every step can walk again",
    LOOKS_LIKE,
)


def crash_cause(formula: str, error_type: str, steps_done: int, message: str = "") -> Diagnosis | None:
    """What an exception raised by step() shows: a ZeroDivisionError in Adam's first step is 1 - beta^0;
    an array's truth value asked for after a first step that worked is a state test written as truthiness."""
    if formula in BIAS_CORRECTED and error_type == "ZeroDivisionError" and steps_done == 0:
        return _T_ZERO
    if error_type == "TypeError" and "for ^" in message:
        return _XOR
    if error_type == "ValueError" and _TRUTH in message:
        return _STATE_TRUTH if steps_done > 0 else _TRUTH_AT_FIRST
    if error_type == "ValueError" and steps_done > 0 and _SHORTER.search(message):
        return _EXHAUSTED
    return None


def nonfinite(
    formula: str, hp: dict[str, Any], arrays: list[np.ndarray], grads: list[list[np.ndarray]], actual: Trajectory
) -> Finding | None:
    """What nan or inf in the student's trajectory shows, when no simulated mistake reproduced it.

    The reference never leaves the finite numbers here, so an overflow is not the story: where
    the first nan appears is. Every entry at the first step of Adam is a division by zero in the
    bias correction; exactly the entries whose gradient is 0 is 0/0, which a missing eps gives, but
    so does any other division by 0 there (by g itself, by a root eps is missing from, by an eps
    that is 0): eps is named only when the rule without it also moves every other entry as the
    student's did up to that step (:func:`_without_eps_fits`).
    """
    for k, (ps, gs) in enumerate(zip(actual, grads, strict=False), 1):
        bad = [~np.isfinite(p) for p in ps]
        if not any(b.any() for b in bad):
            continue
        where = ", ".join(str(i) for i, b in enumerate(bad) if b.any())
        observation = f"the parameters became nan or inf at step {k} (parameter {where})"
        zero = [np.asarray(g) == 0 for g in gs]
        if k == 1 and all(b.all() for b in bad) and formula in BIAS_CORRECTED:
            return Finding(observation + ", every entry of every parameter", _T_ZERO)
        if any(z.any() for z in zero) and all(np.array_equal(b, z) for b, z in zip(bad, zero, strict=False)):
            observation += ", exactly the entries whose gradient was 0"
            if _without_eps_fits(formula, hp, arrays, grads, actual[:k]):
                return Finding(observation, Diagnosis("eps-missing", MISTAKES[formula]["eps-missing"], LOOKS_LIKE))
        return Finding(observation, None, "non-finite")
    return None


def _without_eps_fits(
    formula: str, hp: dict[str, Any], arrays: list[np.ndarray], grads: list[list[np.ndarray]], path: Trajectory
) -> bool:
    """Does the rule without eps take the student's steps ``path``, up to the one where nan appeared: nan where
    they are, and every other entry moved as theirs to the tolerance? (Adadelta without eps never moves: finite
    entries that moved are another division by 0, by g, or by a root only one eps is missing from.)"""
    if "eps-missing" not in MISTAKES[formula]:  # a formula that divides by a running size guarded by eps
        return False
    with np.errstate(all="ignore"):
        without = simulate(formula, hp, arrays, grads[: len(path)], "eps-missing")
    return same_steps(without, path, arrays)


# A step is "one factor for every entry" when its entries' ratios to the reference agree this closely.
_UNIFORM_RTOL = settings.STEP_FACTOR_RTOL


def step_factors(
    formula: str, hp: dict[str, Any], arrays: list[np.ndarray], grads: list[list[np.ndarray]], actual: Trajectory
) -> str:
    """Where the fault sits when no simulated mistake reproduces the trajectory, or "".

    Each step of the student, ``p_k - p_(k-1)``, against the step the right rule takes from the
    same ``p_(k-1)`` (weight decay reads p): when every entry of a step is that step times one
    factor, the mistake is a scalar of the step size (lr, a schedule in t, a bias correction);
    how that factor moves with t says which. A factor equal at every step is explain()'s
    constant factor, said there already.
    """
    with np.errstate(all="ignore"):
        expected = simulate(formula, hp, arrays, grads, forced=actual)
    before_a, before_e, ratios = arrays, arrays, []
    for ps_a, ps_e in zip(actual, expected, strict=False):
        got = np.concatenate([(p - q).reshape(-1) for p, q in zip(ps_a, before_a, strict=False)])
        want = np.concatenate([(p - q).reshape(-1) for p, q in zip(ps_e, before_e, strict=False)])
        before_a = before_e = ps_a
        moved = np.abs(want) > settings.NEGLIGIBLE_SHARE * np.abs(want).max(initial=0.0)
        if not moved.any() or not np.isfinite(got).all():
            return ""
        ratio = got[moved] / want[moved]
        middle = float(np.median(ratio))
        if middle == 0 or np.ptp(ratio) > _UNIFORM_RTOL * abs(middle):
            return ""
        ratios.append(middle)
    if len(ratios) < 2 or allclose(ratios, ratios[0], rtol=_UNIFORM_RTOL):
        return ""
    listed = ", ".join(f"{fmt(r)} at step {k}" for k, r in enumerate(ratios[:4], 1))
    more = ", ..." if len(ratios) > 4 else ""
    text = f"every step is the right step from the same position times one factor for all entries ({listed}{more})"
    first_right = bool(np.isclose(ratios[0], 1.0, rtol=_UNIFORM_RTOL))
    since = ratios[1] if first_right else ratios[0]
    trend = "grows" if ratios[-1] > since else "shrinks"
    trend = "changes" if np.isclose(ratios[-1], since, rtol=_UNIFORM_RTOL) else trend
    if first_right:
        return text + (
            f": the first step is right and the factor {trend} with t, so a step size that depends on t is "
            "computed in another form (the learning-rate schedule, a bias correction, the step count)"
        )
    return text + (
        f": already the first step is off and the factor {trend} with t: a factor of the step size that "
        "depends on t (a bias correction, a decay of lr)"
    )


def skipped_parameters(arrays: list[np.ndarray], expected: Trajectory, actual: Trajectory) -> Diagnosis | None:
    """Parameters step() never touched, while every other parameter follows the reference exactly.

    That is the trajectory of a loop over the parameters that leaves some out (``range(1, len(params))``,
    ``params[:-1]``): the simulation is the reference with those parameters held still, and it reproduces the
    student's numbers, so the claim is "is". Needs a parameter that moved right: with none, a step that does
    nothing at all fits as well. When only the first moved, step() returned inside its loop (with two parameters
    the same numbers as a loop that stops one short): that mistake is simulated with the others and named there.
    """
    if len(arrays) < 2 or not actual or len(actual) != len(expected):
        return None
    still, right = [], []
    for i, start in enumerate(arrays):
        got = [ps[i] for ps in actual]
        want = [qs[i] for qs in expected]
        if any(np.shape(p) != start.shape for p in got):
            return None
        if all(np.array_equal(p, start) for p in got) and not all(np.array_equal(q, start) for q in want):
            still.append(i)
        elif all(agrees(p - start, q - start, rtol=settings.TRAJECTORY_RTOL) for p, q in zip(got, want, strict=True)):
            right.append(i)
        else:
            return None
    if not still or not right or still == list(range(1, len(arrays))):
        return None  # only the first moved: a return (or break) inside the loop, a simulated mistake of its own
    last = len(arrays) - 1
    listed = ", ".join(str(i) for i in still)
    said = f"parameter{'s' if len(still) > 1 else ''} {listed} of {len(arrays)} never moved, at any step, while every "
    said += "other parameter follows the reference exactly"
    if still == [0]:
        how = (
            "the loop over the parameters skips the first one, index 0 (it starts at 1: range(1, len(params)), "
            "params[1:]); indices run from 0, so loop over range(len(params)), or over zip(params, state) itself"
        )
    elif still == [last]:
        how = (
            "the loop over the parameters stops one short and skips the last one (range(len(params) - 1), "
            "params[:-1]); range(len(params)) already stops before len(params), so loop over it, or over "
            "zip(params, state) itself"
        )
    else:
        return Diagnosis(
            "entries-skipped",
            f"{said}: step() leaves those parameters out of its loop (a test or a slice that skips them); every "
            "parameter in the list is updated at every step",
        )
    return Diagnosis("loop-off-by-one", f"{said}: {how}")
