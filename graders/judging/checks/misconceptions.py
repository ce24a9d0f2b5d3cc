"""Known mistakes, computed: what a buggy version of a component would return.

When a student's array is wrong, the diagnosis compares it with these variants; a match
names the misconception precisely ("Tanh backward used the input, not the output"). Each
variant is a one-line formula next to the sentence a teaching assistant would write.
Generic mistakes (a factor N, a transpose, a sign) are recognised in diagnose.py for every
component and need no entry here.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np
from nnlab.exercises.components import Case, Component

from ..diagnose import Subset
from ..evidence import same
from ..tolerance import as_array
from . import activation_mistakes, layer_mistakes
from .stored_settings import stored_otherwise

Variants = dict[str, tuple[np.ndarray, str]]


def _defaults_ignored(component: Component, case: Case, twin: Any, x: np.ndarray) -> Variants:
    """For each number the case sets away from its default in docs/api.md: the output with the default."""
    v: Variants = {}
    for param, default in component.signature:
        given = case.kwargs.get(param, default)
        if type(default) is not float or given == default or not hasattr(twin.ref, param):
            continue
        reference = copy.deepcopy(twin.ref)
        setattr(reference, param, default)
        how = f"use self.{param} rather than a number written in the code"
        if given == 0.0:  # 0.0 is falsy: `self.p or default` (or `if not self.p`) replaces it by the default
            # (or the default is written in the code: this case alone cannot tell which; the others can)
            how = (
                f"either {param}=0.0 was taken as unset (0.0 is falsy, so `self.{param} or {default!r}` or `if not "
                f"self.{param}` replaces it by the default; a zero is a value the caller chose, test `is None` for "
                f"a missing one), or the default is written in the code where self.{param} belongs"
            )
        try:
            v[f"hyperparameter-ignored#{param}"] = (
                reference.forward(x),
                f"the result is what {param}={default!r} (the default) gives, not {param}={given!r}: {how}",
            )
        except Exception:  # noqa: BLE001  (a default the reference cannot run with: no variant)
            continue
    return v


def _defaults_in_forward(
    component: Component, case: Case, twin: Any, x: np.ndarray, forward_out: Any, run: Callable[[Any], np.ndarray]
) -> Variants:
    """Backward's variant of :func:`_defaults_ignored`, where the student's forward shows the default: a number
    written in the code (``z > 20.0`` where ``z > self.threshold`` belongs) is used by forward and backward alike, so
    backward's numbers are then the default's too, and they can coincide with a mistake of backward alone (the
    derivative left at sigmoid past the threshold). Only forward's output, the default's and not the given value's,
    says which; ``run`` computes the backward."""
    out = as_array(forward_out)
    if out is None or np.shape(out) != np.shape(x):
        return {}
    v: Variants = {}
    for param, default in component.signature:
        given = case.kwargs.get(param, default)
        if type(default) is not float or given == default or not hasattr(twin.ref, param):
            continue
        right, reference = copy.deepcopy(twin.ref), copy.deepcopy(twin.ref)
        setattr(reference, param, default)
        try:
            with np.errstate(all="ignore"):
                shows_default = same(out, reference.forward(x)) and not same(out, right.forward(x))
                value = run(copy.deepcopy(reference)) if shows_default else None
        except Exception:  # noqa: BLE001  (a default the reference cannot run with: no variant)
            continue
        if value is not None:
            v[f"hyperparameter-ignored#{param}"] = (
                value,
                f"the result is what {param}={default!r} (the default) gives, not {param}={given!r}, in forward as in "
                f"backward (forward's output is the default's as well): use self.{param} rather than a number "
                "written in the code",
            )
    return v


def _inverted(component: Component, case: Case, twin: Any, run: Callable[[Any], np.ndarray]) -> Variants:
    """For each float hyper-parameter of the case: the result with its reciprocal, a number that divides where it
    multiplies (a sharpness read as a temperature, a rate as a period). ``run`` computes the result."""
    v: Variants = {}
    for param, default in component.signature:
        given = case.kwargs.get(param, default)
        if type(given) is not float or given in (0.0, 1.0, -1.0) or not hasattr(twin.ref, param):
            continue
        reference = copy.deepcopy(twin.ref)
        setattr(reference, param, 1.0 / given)
        try:
            with np.errstate(all="ignore"):
                value = run(reference)
        except Exception:  # noqa: BLE001  (a value the reference cannot run with: no variant)
            continue
        v[f"hyperparameter-inverted#{param}"] = (
            value,
            f"the result is what {param} = 1/{given:g} = {1.0 / given:g} gives, not {param} = {given:g}: {param} was "
            f"used as its reciprocal, dividing where the formula multiplies by it (or multiplying where it divides), "
            f"as when a sharpness is read as a temperature; docs/api.md says where {param} goes",
        )
    return v


def _with_truncated(
    component: Component, case: Case, twin: Any, saved: Mapping[str, Any], run: Callable[[Any], np.ndarray]
) -> Variants:
    """What the reference gives with each setting the student's module stores otherwise (see
    :func:`stored_otherwise`)."""
    v: Variants = {}
    for param, tag, why in stored_otherwise(component.signature, case.kwargs, saved):
        if not tag or not hasattr(twin.ref, param):
            continue
        reference = copy.deepcopy(twin.ref)
        setattr(reference, param, saved[param])
        try:
            with np.errstate(all="ignore"):
                value = run(reference)
        except Exception:  # noqa: BLE001  (a value the reference cannot run with: no variant)
            continue
        v[f"{tag}#{param}"] = (value, "the module " + why)
    return v


def preferring(v: Variants, proven: Variants) -> Variants:
    """``proven`` added, and every other variant that gives the same numbers dropped: the module's own state
    shows which of them it is."""
    kept = {tag: item for tag, item in v.items() if not any(same(item[0], p[0]) for p in proven.values())}
    return {**kept, **proven}


def forward_variants(
    component: Component,
    case: Case,
    twin: Any,
    x: np.ndarray,
    saved: Callable[[], Mapping[str, Any]] | None = None,
    actual: Any = None,
    proven: Callable[[], Variants] | None = None,
) -> Variants:
    """``saved`` reads what the student's module holds after its forward (its attributes); ``actual`` is what
    that forward returned (a clip's bounds show in it); ``proven`` computes the mistakes a rerun of the student's
    own code confirmed, which replace the variants that give the same numbers."""
    v: Variants = {**_defaults_ignored(component, case, twin, x), **_inverted(component, case, twin, _forward(x))}
    if component.kind == "activation":
        v.update(activation_mistakes.forward_variants(component, case, twin, x, as_array(actual)))
    if component.kind == "layer":
        v.update(layer_mistakes.forward_variants(component, case, twin, x))
    if saved is not None:
        v = preferring(v, _with_truncated(component, case, twin, saved(), lambda ref: ref.forward(x)))
    if proven is not None:
        v = preferring(v, proven())
    return v


def backward_variants(
    component: Component,
    case: Case,
    twin: Any,
    x: np.ndarray,
    g: np.ndarray,
    saved: Callable[[], Mapping[str, Any]] | None = None,
    forward_out: np.ndarray | None = None,
) -> dict[str, Variants]:
    """``saved`` reads what the student's forward saved (its attributes), for mistakes only that shows;
    ``forward_out`` is what the student's forward returned on x before this backward."""
    v: dict[str, Variants] = {}
    if component.kind == "activation":
        v = activation_mistakes.backward_variants(component, case, twin, x, g, saved, forward_out)
    if component.kind == "layer":
        v = layer_mistakes.backward_variants(component, case, twin, x, g)

    def run(reference: Any) -> np.ndarray:
        reference.forward(x)
        return reference.backward(g)

    if "input" in v:
        v["input"] = {**_inverted(component, case, twin, run), **v["input"]}
    if saved is not None and "input" in v:
        v["input"] = preferring(v["input"], _with_truncated(component, case, twin, saved(), run))
        if component.kind == "layer":
            found = layer_mistakes.saved_state_variants(component, case, twin, x, g, saved(), as_array(forward_out))
            v["input"] = preferring(v["input"], found)
    if forward_out is not None and "input" in v:
        v["input"] = preferring(v["input"], _defaults_in_forward(component, case, twin, x, forward_out, run))
    return v


def _forward(x: np.ndarray) -> Callable[[Any], np.ndarray]:
    """The forward of a (modified) reference on ``x``, for the variants computed by rerunning it."""
    return lambda reference: reference.forward(x)


def forward_subsets(component: Component, case: Case, x: np.ndarray) -> dict[str, Subset]:
    """Sets of entries of the output whose being the only wrong ones implies a mistake (a branch's constant)."""
    if component.kind == "activation":
        return activation_mistakes.forward_subsets(component, case, x)
    return {}


def backward_subsets(
    component: Component, case: Case, twin: Any, x: np.ndarray, g: np.ndarray, forward_out: np.ndarray | None = None
) -> dict[str, dict[str, Subset]]:
    """Per gradient ("input", a parameter): sets of entries whose being the only wrong ones implies a mistake;
    ``forward_out`` is what the student's forward returned on x before this backward."""
    if component.kind == "activation":
        return activation_mistakes.backward_subsets(component, case, twin, x, g, forward_out)
    if component.kind == "layer":
        return layer_mistakes.backward_subsets(component, case, x)
    return {}


def factors(component: Component, case: Case) -> dict[float, tuple[str, str]]:
    """The quantities of the case a wrong array may be off by, each with the mistake it means."""
    if component.kind == "activation":
        return activation_mistakes.factors(component, case)
    if component.kind == "layer":
        return layer_mistakes.factors(component, case)
    return {}


def shapes(component: Component, case: Case, quantity: str = "output") -> dict[tuple[int, ...], tuple[str, str]]:
    """The wrong shapes of the output (or of a gradient: "input", a parameter) that known mistakes give."""
    if component.kind != "layer":
        return {}
    if quantity == "output":
        return layer_mistakes.shapes(component, case)
    return layer_mistakes.gradient_shapes(component, case, quantity)


def crash(component: Component, case: Case, method: str, message: str, source: str = "") -> tuple[str, str] | None:
    """``(tag, mistake)`` when numpy's message of a crash in ``method`` (and ``source``, the line that
    raised, when the message alone fits several mistakes) fits a known mistake alone."""
    if component.kind == "activation":
        return activation_mistakes.crash(component, case, message, source)
    return layer_mistakes.crash(component, case, method, message, source) if component.kind == "layer" else None


def saved_state(session: Any, handle: Any) -> dict[str, Any]:
    """The student's module's attributes (what forward saved), or nothing where they cannot be read."""
    try:
        state = session.get(handle, "__dict__")
    except Exception:  # noqa: BLE001 (an attribute that is not plain data, a crash: no evidence, no claim)
        return {}
    return dict(state) if isinstance(state, Mapping) else {}


class Lazy(Mapping):
    """A mapping computed at its first use: the known mistakes cost nothing while an answer is right."""

    def __init__(self, make: Callable[[], Mapping]) -> None:
        self._make = make
        self._value: Mapping | None = None

    def _mapping(self) -> Mapping:
        if self._value is None:
            self._value = self._make()
        return self._value

    def __getitem__(self, key: Any) -> Any:
        return self._mapping()[key]

    def __iter__(self) -> Iterator:
        return iter(self._mapping())

    def __len__(self) -> int:
        return len(self._mapping())
