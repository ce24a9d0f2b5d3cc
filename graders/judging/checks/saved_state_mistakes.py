"""A backward that is right for what it reads, fed by a forward that saved something else.

forward keeps for backward what the docstring names (``self._y``, ``self._t``, ``self._argmax``); a student who
saves another array there (the intermediate the output is built from, the argument of tanh rather than its value,
the output where the input belongs, winners that never changed) writes a backward that is right and still returns
the wrong gradient. The numbers alone look like a wrong derivative; the module's own state tells the two apart.
So each array the reference's forward saves is replaced, one at a time, by what the student's forward saved under
that name, and the reference's backward runs on it: when that reproduces the student's gradient, backward is not
the mistake, the saved array is (a claim confirmed by the student's own state, as a stored setting is in
stored_settings.py). Only arrays that differ from the reference's are tried, so a right forward costs nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .. import evidence

Variants = dict[str, tuple[np.ndarray, str]]

MISMATCH = "forward-backward-mismatch#saved-state"
OUTPUT_FOR_INPUT = "saved-output-not-input"
# What backward reads as an index (the piece or the entry that won) holds other winners: where that sends the
# gradient, per formula. (Any formula without an entry keeps the generic tag.)
WRONG_WINNER = {"maxout": "maxout-grad-to-wrong-piece#saved-winner"}


def _sigmoid(u: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -u))


# A value saved where the function of it belongs: ``(name of the function, function)``, the argument kept and the
# function applied only in the return.
_APPLIED_LATER: tuple[tuple[str, Callable[[np.ndarray], np.ndarray]], ...] = (
    ("tanh", np.tanh),
    ("sigmoid", _sigmoid),
    ("exp", np.exp),
)


def _intermediates(x: np.ndarray) -> dict[str, np.ndarray]:
    """Arrays a forward builds its output from and a student may keep instead: the exponentials of x."""
    with np.errstate(all="ignore"):
        return {"e^-|x|": np.exp(-np.abs(x)), "e^-x": np.exp(-x), "e^x": np.exp(x)}


def _matches(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and np.isfinite(b).all() and evidence.same(a, b)


def _role(value: np.ndarray, x: np.ndarray, y: np.ndarray) -> str:
    """What backward reads in the saved array, in words."""
    if _matches(value, y):
        return "the output y"
    if _matches(value, x):
        return "the input x"
    return "the value the right forward keeps there"


def _what_it_holds(
    mine: np.ndarray, right: np.ndarray, state: Mapping[str, np.ndarray], x: np.ndarray, y: np.ndarray
) -> str:
    """What the student's saved array is, as far as the evidence says."""
    if mine.dtype.kind in "biu":  # (a mask's sentence counts its entries itself)
        values = np.unique(mine)
        wrong = int(np.count_nonzero(mine != right))
        if values.size == 1:
            return f"the index {int(values[0])} for every entry ({wrong} of {mine.size} should be another index)"
        return f"another index in {wrong} of {mine.size} entries"
    if _matches(mine, y):
        return "the output y"
    if _matches(mine, x):
        return "the input x"
    for other, value in state.items():
        if _matches(mine, value):
            return f"what the reference keeps in `{other}`"
    for function, apply in _APPLIED_LATER:
        with np.errstate(all="ignore"):
            if _matches(apply(mine), right):
                return f"the argument of {function}, not its value ({function} applied only in the return)"
    for spelled, value in _intermediates(x).items():
        if _matches(mine, value):
            return f"{spelled}, the intermediate the output is built from"
    return "another array"


def _arrays(module: Any) -> dict[str, np.ndarray]:
    return {k: v for k, v in vars(module).items() if isinstance(v, np.ndarray) and v.dtype.kind in "biuf"}


def grafted(
    formula: str,
    reference: Any,
    x: np.ndarray,
    y: np.ndarray,
    g: np.ndarray,
    saved: Mapping[str, Any],
    params: list[str],
) -> dict[str, Variants]:
    """``quantity -> {tag: (gradient, mistake)}``: the reference's backward run on each array the student's forward
    saved under the reference's name where it differs from the reference's (``reference`` has run forward on
    ``x``, giving ``y``; ``params`` names its parameters)."""
    state = _arrays(reference)
    found: dict[str, Variants] = {}
    for name, right in state.items():
        if any(np.shares_memory(right, getattr(reference, p).data) for p in params):
            # A view of a parameter (PReLU's slopes reshaped) moves with it, and the state is read after backward,
            # which may have moved the parameter (a gradient added into .data): it says nothing of forward.
            continue
        mine = saved.get(name)
        if not isinstance(mine, np.ndarray) or mine.shape != right.shape or mine.dtype.kind not in "biuf":
            continue
        index = right.dtype.kind in "biu"  # winners, or a mask: compared exactly
        if (index and np.array_equal(mine, right)) or (not index and evidence.same(mine, right)):
            continue
        if index and mine.dtype.kind not in "biu":
            continue
        mask = right.dtype.kind == "b"
        twin = copy.deepcopy(reference)
        setattr(twin, name, mine.astype(right.dtype))
        for param in params:
            getattr(twin, param).grad = np.zeros_like(getattr(twin, param).grad)
        try:
            with np.errstate(all="ignore"):
                grad_x = np.asarray(twin.backward(g), dtype=np.float64)
        except Exception:  # noqa: BLE001  (an array the reference's backward cannot run on: no variant)
            continue
        holds = _what_it_holds(mine, right, {k: v for k, v in state.items() if k != name}, x, y)
        role = _role(right, x, y)
        if holds.startswith("the argument of "):
            role = "the " + holds.removeprefix("the argument of ").partition(",")[0] + " of it"
        if mask:
            tag = MISMATCH
            text = (
                f"backward is right, but the mask forward saved in `{name}` differs from the right one in "
                f"{int(np.count_nonzero(mine != right))} of {mine.size} entries, while forward's output is right: "
                "the right backward with your mask gives exactly your numbers. Save the mask forward selects with"
            )
        elif index:
            tag = WRONG_WINNER.get(formula, MISMATCH)
            text = (
                f"backward is right, but the winners forward saved in `{name}` are not the winning entries: it "
                f"holds {holds}, and backward sends each gradient where `{name}` points (with those winners the "
                "right backward gives exactly your numbers). Record the argmax itself; where the winner is found in "
                "a loop, compare each candidate with the best so far before the best is updated"
            )
        else:
            tag = OUTPUT_FOR_INPUT if role == "the input x" and holds == "the output y" else MISMATCH
            text = (
                f"backward is right, but forward saved in `{name}` {holds}, where backward reads {role}: the right "
                "backward computed from what your forward saved gives exactly your numbers. Save in "
                f"`{name}` what backward reads there"
            )
            if tag == OUTPUT_FOR_INPUT:  # the same array as the caller's x, written over in place, shows alike
                text += (
                    " (where forward computes its output into x itself, x *= ... or out = x, the saved input is "
                    "overwritten too: compute into a new array)"
                )
        found.setdefault("input", {})[tag] = (grad_x, text)
        for param in params:
            found.setdefault(param, {})[tag] = (np.asarray(getattr(twin, param).grad, dtype=np.float64), text)
    return found
