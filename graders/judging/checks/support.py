"""What every rubric file shares: judging a value, combining comparisons, the signature check.

The rubric files (the modules whose checks are rows) import this module and never each other, so a
row's file says all that row does, beside these helpers.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from nnlab.exercises.components import REQUIRED, Component
from nnlab.graders import settings
from nnlab.graders.results import Outcome, failed, passed
from nnlab.graders.running.plain import Handle
from nnlab.graders.running.puppet import StudentCrash, StudentError, StudentTimeout

from .. import refutation
from ..catalogue import Context
from ..diagnose import BOOLEAN_RESULT, explain
from ..tolerance import as_array, compare, fmt


def not_random(component: Component) -> bool:
    """A random forward (Dropout) cannot be compared with the reference's, value for value."""
    return not component.random


def judge(name: str, actual: Any, expected: np.ndarray, what: str, **hints: Any) -> Outcome:
    """Compare; when wrong, say what came, where, and (if the evidence shows it) why.

    ``hints`` are :func:`..diagnose.explain`'s: ``batch``, ``variants``, ``related``, ``subsets``,
    ``factors``, ``shapes``, ``scale``. The evidence is read only once the comparison failed,
    so a right answer costs one comparison.
    """
    comparison = compare(actual, expected, scale=hints.get("scale"))
    if comparison.ok:
        refutation.write(what, actual, expected, hints)
        return passed(name)
    raw = expected
    expected = np.asarray(expected, dtype=np.float64)
    finding = explain(actual, expected, what=what, **hints)
    refutation.write(what, actual, raw, hints, finding, finding.sentences())
    array = as_array(actual)
    figures = {}
    if array is not None and array.shape == expected.shape and array.ndim >= 1 and array.dtype.kind in "biuf":
        figures = {"error_map": error_map(array, expected, what)}
    return failed(name, f"{what}: {comparison.problem}.{finding.sentences()}", finding.tag, figures, finding.confidence)


# Which tag a result that is not float64 earns: its dtype says what was computed, not only that it is not float64.
# Booleans are a comparison returned (or an array made like a boolean mask), integers a value truncated, another
# float (float32) a precision lost.
_INTEGER_RESULT = (
    "an integer array holds whole numbers only and truncates every value written into it. An array takes an "
    "integer dtype from dtype=int or from integer values (np.vectorize takes its output dtype from the first entry's "
    "result, and max(v, 0) returns the int 0; np.zeros_like of an int array)"
)


def dtype_problem(returned: str, dtype: np.dtype, rule: str, given: str = "") -> tuple[str, str]:
    """What a result of ``dtype`` where float64 belongs says, and its tag. ``returned`` says what came back
    ("backward returned"), ``given`` the input it came back for (" for float32 input"), ``rule`` what the API asks
    ("gradients must be float64"): only a float dtype is a precision lost (the float32 tag)."""
    if dtype.kind == "b":
        return f"{returned} booleans (dtype bool){given}: {BOOLEAN_RESULT}", "boolean-result"
    if dtype.kind in "iu":
        return f"{returned} integers (dtype {dtype}){given}: {_INTEGER_RESULT}; {rule}", "integer-dtype"
    return f"{returned} dtype {dtype}{given}; {rule}", "float32" if dtype.kind == "f" else "wrong-type"


# The dtype tags, the most telling first: a comparison returned or values truncated say what the code computed.
_DTYPE_TAGS = ("boolean-result", "integer-dtype", "float32", "wrong-type")


def most_telling_dtype(tags: list[str]) -> str:
    """The one tag of a row that found several results of a wrong dtype (forward's and backward's): the most
    telling of :func:`dtype_problem`'s (another tag, such as a shape's, ranks last)."""
    return min(tags, key=lambda tag: _DTYPE_TAGS.index(tag) if tag in _DTYPE_TAGS else len(_DTYPE_TAGS))


def error_map(actual: np.ndarray, expected: np.ndarray, what: str) -> dict[str, Any]:
    """|actual - expected| as a 2-D grid (images: summed over batch and channels)."""
    error = np.abs(np.nan_to_num(actual.astype(np.float64), nan=1e300, posinf=1e300, neginf=1e300) - expected)
    if error.ndim == 1:
        error = error[None, :]
    elif error.ndim > 2:
        error = error.reshape(-1, *error.shape[-2:]).sum(axis=0)
    return {"title": f"where {what} is wrong (|yours - expected|)", "values": np.round(error, 12).tolist()}


def first_failure(name: str, outcomes: list[Outcome]) -> Outcome:
    """Combine several comparisons into one outcome (all must pass)."""
    bad = [o for o in outcomes if not o.passed]
    if not bad:
        return passed(name)
    # The row's tag is its surest finding: a confirmed cause, then a pattern, then an observation.
    surest = min(bad, key=lambda o: (_CERTAINTY.get(o.confidence, 2), not o.misconception))
    return failed(name, " ".join(o.feedback for o in bad), surest.misconception, None, surest.confidence)


_CERTAINTY = {"is": 0, "looks like": 1}


def check_signature(ctx: Context) -> Outcome:
    name = "constructor signature"
    rows = ctx.session.signature(ctx.component.name)
    problems = []
    actual = {row[0]: row for row in rows if row[1] not in ("VAR_POSITIONAL", "VAR_KEYWORD")}
    order = [row[0] for row in rows]
    for position, (param, default) in enumerate(ctx.component.signature):
        if param not in actual:
            problems.append(f"parameter `{param}` is missing")
            continue
        if param in order and order.index(param) != position and actual[param][1] != "KEYWORD_ONLY":
            problems.append(f"`{param}` should be parameter number {position + 1}, not {order.index(param) + 1}")
        got = actual[param][2]
        if default is REQUIRED:
            if got != "<required>":
                problems.append(f"`{param}` should be required, but has a default ({got!r})")
        elif got == "<required>":
            problems.append(f"`{param}` should default to {default!r}")
        elif not _same_default(got, default) and not _same_size(param, got, default):
            problems.append(f"`{param}` should default to {default!r}, not {got!r}")
    expected_names = {p for p, _ in ctx.component.signature}
    for row in rows:
        if row[0] not in expected_names and row[2] == "<required>" and row[1] not in ("VAR_POSITIONAL", "VAR_KEYWORD"):
            problems.append(f"extra required parameter `{row[0]}` (docs/api.md does not have it)")
    if problems:
        wanted = ", ".join(p if d is REQUIRED else f"{p}={d!r}" for p, d in ctx.component.signature)
        return failed(name, f"expected ({wanted}): " + "; ".join(problems) + ".", "signature")
    return passed(name)


# Sizes are "an int or a pair" (docs/api.md): a default of (1, 1) is the default 1.
SIZE_PARAMETERS = ("kernel_size", "stride", "padding")


def _same_size(param: str, got: Any, expected: Any) -> bool:
    return (
        param in SIZE_PARAMETERS
        and type(expected) is int
        and isinstance(got, (list, tuple))
        and len(got) == 2
        and all(type(g) is int and g == expected for g in got)
    )


def _same_default(got: Any, expected: Any) -> bool:
    if isinstance(expected, tuple) and isinstance(got, (list, tuple)):
        return len(got) == len(expected) and all(_same_default(g, e) for g, e in zip(got, expected, strict=True))
    if isinstance(expected, bool) or isinstance(got, bool):
        return got is expected or got == expected and type(got) is type(expected)
    return got == expected


def gradient_agreement(
    what: str, analytic: Any, numeric: np.ndarray, entries: np.ndarray, shape: tuple[int, ...], f_size: float
) -> str:
    """Empty when the analytic gradient agrees with the central differences, else why not.

    Entry i passes when ``|a_i - n_i| <= GRADCHECK_RTOL * (|n_i| + max|n|) + noise``, where
    ``noise`` is the rounding error of a central difference of a function of size
    ``f_size`` (see settings.GRADCHECK_NOISE).
    """
    array = as_array(analytic)
    if array is None:
        return f"{what}: backward gave {type(analytic).__name__}, not an array"
    if array.shape != shape:
        return f"{what}: backward gave shape {array.shape}, expected {shape}"
    picked = np.asarray(array, dtype=np.float64).reshape(-1)[entries]
    noise = settings.GRADCHECK_NOISE * max(1.0, f_size) / settings.GRADCHECK_STEP
    allowed = settings.GRADCHECK_RTOL * (np.abs(numeric) + np.max(np.abs(numeric), initial=0.0)) + noise
    excess = np.abs(picked - numeric) - allowed
    if not np.isfinite(picked).all() or (excess > 0).any():
        worst = int(np.argmax(np.where(np.isfinite(picked), excess, np.inf)))
        index = tuple(int(i) for i in np.unravel_index(entries[worst], shape))
        return (
            f"{what}: backward says {picked[worst]:.6g} at index {index}, but the central difference "
            f"of your forward gives {numeric[worst]:.6g}"
        )
    return ""


def derived_from(name: str, before: Any, after: Any) -> str:
    """How ``after`` was made from ``before``, where a familiar formula gives it: ``" (1 - p)"``."""
    try:
        b, a = float(before), float(after)
    except (TypeError, ValueError):
        return ""
    known = [(1.0 - b, f"1 - {name}")]
    if b != 1.0:
        known.append((1.0 / (1.0 - b), f"1 / (1 - {name})"))
    if b != 0.0:
        known += [(1.0 / b, f"1 / {name}"), (a, f"{fmt(a / b)} * {name}")]
    formula = next((text for value, text in known if np.isclose(value, a, rtol=settings.SAME_VALUE_RTOL, atol=0.0)), "")
    return f" ({formula})" if formula else ""


# ------------------------------------------------------------------------------ results kept between calls
# A function that returns what it collected into an object made once (a default argument: `def` evaluates it
# once, when the function is defined) hands every later call the earlier calls' contents too. The rows of the
# functions that collect (minibatches, fit, fit_early_stopping, Sequential.parameters) call the function twice
# and see the second result start with the first's; these helpers then say where the object lives.

# Containers the worker cannot copy as plain data: a default of one of these types may hold what came back.
_CONTAINERS = frozenset({"set", "deque", "defaultdict", "OrderedDict", "Counter", "bytearray"})


def same_plain(a: Any, b: Any) -> bool:
    """Plain data (as the worker sends it) equal entry for entry; arrays by value."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and np.array_equal(a, b)
    if type(a) in (list, tuple) and type(b) in (list, tuple):
        return len(a) == len(b) and all(same_plain(x, y) for x, y in zip(a, b, strict=True))
    if type(a) is dict and type(b) is dict:
        return a.keys() == b.keys() and all(same_plain(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _holds(default: Any, returned: Any) -> bool:
    """Is ``default`` (a default argument's current value) the object ``returned`` came from: the same object
    (one handle), the same contents (a list), a dict that holds it, or a container the worker cannot copy
    (a set, a deque: it may hold it)?"""
    if isinstance(default, Handle):
        return default == returned or default.type_name in _CONTAINERS
    if type(default) is dict:
        return any(same_plain(value, returned) for value in default.values())
    return type(default) is list and same_plain(default, returned)


def _defaults(ctx: Context, function: str, method: str) -> dict[str, Any]:
    """The default arguments of ``function`` (a component, or its class's ``method``), by name, as they are now."""
    session, path = ctx.session, f"{method}." if method else ""
    try:
        code = session.get(function, f"{path}__code__")
        names = session.get(code, "co_varnames")
        positional, keyword = session.get(code, "co_argcount"), session.get(code, "co_kwonlyargcount")
        values = session.get(function, f"{path}__defaults__") or ()
        keywords = session.get(function, f"{path}__kwdefaults__") or {}
    except (StudentTimeout, StudentCrash):
        raise
    except StudentError:  # not a plain Python function (a decorated one, a builtin): no defaults read
        return {}
    if type(names) not in (list, tuple) or type(values) not in (list, tuple) or type(keywords) is not dict:
        return {}
    found = dict(zip(names[:positional][len(names[:positional]) - len(values) :], values, strict=False))
    found.update({name: keywords[name] for name in names[positional : positional + keyword] if name in keywords})
    return found


def holding_default(ctx: Context, function: str, returned: Any, method: str = "") -> tuple[str, str]:
    """``(name, kind)`` of the default argument that now holds what the last call ``returned`` (checked after
    that call), ``kind`` the default's type ("list", "dict", "History"); ``("", "")`` when none does."""
    for name, default in _defaults(ctx, function, method).items():
        if _holds(default, returned):
            kind = default.type_name if isinstance(default, Handle) else type(default).__name__
            return name, kind
    return "", ""


_WRITTEN = {"list": "[]", "dict": "{}", "set": "set()"}


def kept_between_calls(
    ctx: Context, function: str, returned: Any, calls: str, what: str, fix: str, method: str = ""
) -> tuple[str, str]:
    """``(tag, cause)`` for results kept between calls: ``calls`` says what two calls gave (the second holding
    the first's contents and then its own), ``what`` names what is collected, ``fix`` the line that makes a new
    one at every call. The tag is mutable-default-argument when a default argument holds the result."""
    name, kind = holding_default(ctx, function, returned, method)
    if name:
        written = _WRITTEN.get(kind, f"{kind}()")
        where = (
            f"a mutable default argument, `{name}={written}`: a default is evaluated once, when the function is "
            f"defined, so that one {kind} is shared by every call that does not pass {name}"
        )
        tag, drop = "mutable-default-argument", f", and drop the parameter {name}"
    else:
        where = "an object that outlives the call (made at module level, or kept on the function or its class)"
        tag, drop = "state-kept-between-calls", ""
    return tag, (
        f"{calls}: the second call returned the first call's {what} and then its own, because the {what} are "
        f"collected in {where}; each call adds to what every previous call left. Make a new one inside the "
        f"function at every call ({fix}){drop}"
    )


def first_change(kept: np.ndarray, now: np.ndarray) -> tuple[int, ...] | None:
    """The first index where ``now`` differs from ``kept`` (a nan that stayed nan is unchanged), or None when the
    kept result is still what it was: how a "returns a new array" row finds what a later call overwrote."""
    changed = np.argwhere(~((now == kept) | (np.isnan(now) & np.isnan(kept))))
    return tuple(int(i) for i in changed[0]) if len(changed) else None
