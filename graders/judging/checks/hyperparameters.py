"""Rubric row for every module whose constructor takes hyper-parameters: forward and backward leave them as given.

A value computed from a hyper-parameter and stored back into it (``self.p = 1 - self.p`` in a Dropout,
``self.lr = self.lr / bias_correction`` in an optimizer) changes every later call: the first call is right,
each next one starts from what the last one left there. docs/api.md does not name these attributes, so
only an attribute that exists under the constructor argument's name and holds plain data is read.

A value written once and then left alone is not this mistake: a default resolved at the first call
(MaxPool2d's ``stride = None`` set to the kernel size, ``3`` made ``(3, 3)``) settles, and every later call
uses one value. The row fails where the attribute still changes at the second call, so that each call starts
from the last one's result, and where a negative axis (``dim = -1``) was resolved against the first input's
number of axes (``self.dim += x.ndim``): -1 means "the last axis" for every input, and once stored as 1 it
names another axis of an input with more axes, which the row confirms by running both instances on one.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from nnlab.exercises.components import Case, Component
from nnlab.graders import settings
from nnlab.graders.results import Outcome, failed, passed
from nnlab.graders.running.plain import Handle
from nnlab.graders.running.puppet import StudentCrash, StudentError, StudentTimeout

from ..catalogue import Context, check
from ..diagnose import IS
from ..tolerance import as_array, fmt
from .inputs import module_input, reference_class
from .support import derived_from

MODULES = ("activation", "layer")
NAME = "forward and backward leave the constructor's hyper-parameters unchanged"
# Two rounds of forward and backward: the first may resolve a default once, the second shows a value that
# keeps changing.
ROUNDS = ("first", "second")


def _hyperparameters(component: Component) -> list[str]:
    """The constructor's arguments, less the generator (a source of numbers, drawn from at every call)."""
    return [name for name, _ in component.signature if name != "rng"]


def _read(ctx: Context, handle: object, names: list[str]) -> dict[str, Any]:
    """``{name: value}`` of the attributes that exist and hold plain data (a Parameter, say, is skipped)."""
    values = {}
    for name in names:
        try:
            value = ctx.session.get(handle, name)
        except StudentError as error:
            if error.not_implemented or isinstance(error, (StudentTimeout, StudentCrash)):
                raise
            continue  # no such attribute: docs/api.md does not require one
        if not _holds_handle(value):
            values[name] = value
    return values


def _holds_handle(value: Any) -> bool:
    if isinstance(value, Handle):
        return True
    if isinstance(value, (list, tuple)):
        return any(_holds_handle(item) for item in value)
    return isinstance(value, dict)


def _same(a: Any, b: Any) -> bool:
    """One setting: equal values, a number and its pair (3 and (3, 3)), an int and its float, and two floats
    a rounding apart (1 - (1 - 0.2) is 0.19999999999999996)."""
    if a is None or b is None or isinstance(a, str) or isinstance(b, str):
        return a == b
    try:
        left, right = np.broadcast_arrays(np.asarray(a), np.asarray(b))
        if left.dtype.kind in "biuf" and right.dtype.kind in "biuf":
            return bool(
                np.allclose(left, right, rtol=settings.EXACT_RTOL, atol=settings.SAME_VALUE_ATOL, equal_nan=True)
            )
        return bool(np.array_equal(left, right))
    except (ValueError, TypeError):
        return False


def _show(value: Any) -> str:
    if isinstance(value, (float, np.floating)) and not isinstance(value, bool):
        return fmt(float(value))
    return repr(value)


@check("contracts", NAME, MODULES, when=lambda c: bool(_hyperparameters(c)))
def hyperparameters_unchanged(ctx: Context) -> Outcome:
    """Per case: one training instance, two rounds of forward and backward, its hyper-parameters read
    after construction and after every call."""
    names = _hyperparameters(ctx.component)
    for case in ctx.component.cases:
        handle = ctx.session.new(ctx.component.name, **case.kwargs)
        given = _read(ctx, handle, names)
        if not given:
            continue
        x = module_input(ctx.component, case, ctx.rng("hyperparameters", case.id))
        shape = reference_class(ctx.component.name)(**case.kwargs).forward(x).shape  # grad_y's, whatever y is
        history: list[tuple[str, dict[str, Any]]] = [("after the constructor", given)]
        for round_ in ROUNDS:
            y = as_array(ctx.session.call(handle, "forward", x))
            history.append((f"after the {round_} forward", _read(ctx, handle, list(given))))
            if y is None:
                break  # the output checks report this
            g = ctx.rng("hyperparameters-g", case.id, round_).standard_normal(shape)
            ctx.session.call(handle, "backward", g)
            history.append((f"after the {round_} backward", _read(ctx, handle, list(given))))
        for name in given:
            argument = case.kwargs.get(name, dict(ctx.component.signature).get(name))
            outcome = _judge(ctx, name, argument, history) or _axis_resolved_once(ctx, case, handle, name, history, x)
            if outcome is not None:
                return outcome
    return passed(NAME)


def _axis_resolved_once(
    ctx: Context, case: Case, handle: object, name: str, history: list[tuple[str, dict[str, Any]]], x: np.ndarray
) -> Outcome | None:
    """A failure when a negative integer argument (an axis counted from the end) was stored back as the axis it
    names for the first input, and that instance then computes another output than a new one for an input with
    one more leading axis (where the stored number names another axis); else None."""
    values = [read[name] for _, read in history if name in read]
    given, resolved = values[0], values[-1]
    if not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in (given, resolved)):
        return None
    if given >= 0 or resolved != given + x.ndim:
        return None
    wider = x[None]
    try:
        reference_class(ctx.component.name)(**case.kwargs).forward(wider)
    except Exception:  # noqa: BLE001 (the module takes no input with one more axis: nothing to show)
        return None
    try:
        kept = as_array(ctx.session.call(handle, "forward", wider))
        fresh = as_array(ctx.session.call(ctx.session.new(ctx.component.name, **case.kwargs), "forward", wider))
    except StudentError as error:
        if error.not_implemented or isinstance(error, (StudentTimeout, StudentCrash)):
            raise
        return None  # a crash is the shape rows' to report
    if kept is None or fresh is None or kept.shape != fresh.shape or np.allclose(kept, fresh, equal_nan=True):
        return None
    other = resolved % wider.ndim
    last = " (the last axis)" if given == -1 else ""
    return failed(
        NAME,
        f"`self.{name}` was {given} after the constructor, then {resolved} after the first forward on an input of "
        f"shape {x.shape}. Cause: forward resolved the negative {name} against that input's {x.ndim} axes and stored "
        f"the result back into self.{name}: {given} counts from the end of every input{last}, but {resolved} "
        f"is axis {other} of an input with one more axis, shape {wider.shape}, so the instance that ran first now "
        f"works along axis {other} where a new one works along axis {given % wider.ndim} (their outputs differ). Keep "
        f"self.{name} as given and resolve it into a local variable at every call ({name} = self.{name} % x.ndim).",
        "hyperparameter-overwritten",
        confidence=IS,
    )


def _judge(ctx: Context, name: str, argument: Any, history: list[tuple[str, dict[str, Any]]]) -> Outcome | None:
    """A failure when ``name`` still changes in the second round (``argument``: the constructor's), else None."""
    values = [(when, read[name]) for when, read in history if name in read]
    if len(values) < 5 or all(_same(values[2][1], v) for _, v in values[3:]):
        return None  # settled in the first round (or never changed): no call starts from another's result
    changes = [i for i in range(1, len(values)) if not _same(values[i - 1][1], values[i][1])]
    where = "backward" if all("backward" in values[i][0] for i in changes) else "forward"
    first = values[changes[0]]
    trail = ", ".join(f"{_show(values[i][1])} {values[i][0]}" for i in changes)
    alternates = _same(values[0][1], values[-1][1])
    pattern = (
        "it alternates, so every other call runs with the wrong value"
        if alternates
        else "every call starts from what the last one left there"
    )
    return failed(
        NAME,
        f"`self.{name}` was {_show(values[0][1])} after the constructor ({ctx.component.name.split('.')[-1]}"
        f"({name}={_show(argument)})), then {trail}. Cause: {where} stores a value computed from {name} back "
        f"into self.{name}{derived_from(name, values[0][1], first[1])}, so the hyper-parameter the constructor was "
        f"given is overwritten: {pattern}. Keep self.{name} as given and compute the derived value into a local "
        f"variable at every call.",
        "hyperparameter-overwritten",
        confidence=IS,
    )
