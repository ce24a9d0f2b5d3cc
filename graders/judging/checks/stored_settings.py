"""What a student's object holds under a constructor argument's name, read against what it was given.

docs/api.md: an attribute named as a constructor argument (``self.p``, ``self.momentum``) keeps the argument as
given. The attribute is evidence the numbers cannot give: int() of a float below 1 is 0, which gives the numbers
of a term left out, and a setting copied from its neighbour's line gives those of some other slip.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from nnlab.graders import settings

from ..tolerance import fmt


def stored_otherwise(
    signature: Iterable[tuple[str, Any]], kwargs: Mapping[str, Any], saved: Mapping[str, Any]
) -> list[tuple[str, str, str]]:
    """The float settings the student's object holds as another number than the one it was given, each as
    ``(name, tag, why)``. The attribute itself is the evidence: int() of a float below 1 is 0, which gives the
    numbers of a term left out, and a setting copied from its neighbour's line gives those of some other slip,
    so only what the object stored tells them apart."""
    defaults = dict(signature)
    given = {name: kwargs.get(name, default) for name, default in defaults.items()}
    found = []
    for param, value in given.items():
        kept = saved.get(param)
        if type(value) is not float or isinstance(kept, bool) or not isinstance(kept, int | float):
            continue
        if not _same(kept, value):
            found.append((param, *_reading(param, value, kept, defaults.get(param), given)))
    return found


def _same(a: float, b: float) -> bool:
    return bool(np.isclose(a, b, rtol=settings.EXACT_RTOL, atol=0.0))


def _reading(param: str, given: float, kept: float, default: Any, arguments: Mapping[str, Any]) -> tuple[str, str]:
    """``(tag, why)`` for one setting stored as ``kept`` where ``given`` belongs; tag "" for an observation."""
    if isinstance(kept, int) and kept == int(given):
        return "int-truncates-hyperparameter", (
            f"it stores {param} = {kept!r}, where it should hold {given!r}: int() truncates a float toward 0 "
            f"({given!r} becomes {kept!r}); keep it a float, float({param})"
        )
    others = [n for n, v in arguments.items() if n != param and type(v) is float and _same(kept, v)]
    if others:
        return "wrong-hyperparameter", (
            f"it stores {param} = {fmt(kept)}, the value of {others[0]}, where it should hold {fmt(given)}: {param} "
            f"was assigned from the {others[0]} argument (a line copied from the one above); store "
            f"self.{param} = float({param})"
        )
    if type(default) is float and _same(kept, default):
        # The default in place of the argument: 0 taken as unset (`alpha or 1.0`) or the argument never stored; one
        # case does not tell which (the rows that compare numbers across cases do).
        unset = f" ({fmt(given)} is falsy: `{param} or {fmt(default)}` takes it as unset)" if given == 0 else ""
        return "", f"it stores {param} = {fmt(kept)}, the default, where it should hold {fmt(given)}{unset}"
    derived = [
        (1.0 - given, f"1 - {param}, its complement"),
        (1.0 / given if given else None, f"1/{param}, its reciprocal"),
        (-given, f"-{param}, its negative"),
    ]
    what = next((text for value, text in derived if value is not None and np.isclose(kept, value)), "")
    if not what:  # a number of its own (a default from another library, a constant): observed, no cause
        return "", f"it stores {param} = {fmt(kept)}, where it should hold {fmt(given)}"
    return "hyperparameter-overwritten", (
        f"it stores {param} = {fmt(kept)} ({what}), where it should hold {fmt(given)}: a value computed from {param} "
        "was stored under its name; docs/api.md: an attribute named as a constructor argument keeps the argument as "
        "given, and what is derived from it goes into a local variable"
    )
