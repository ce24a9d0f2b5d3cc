"""The check catalogue: every check is a small function registered here under a family.

A check is written like one line of a teaching assistant's rubric: it takes a
:class:`Context` (and, for per-case checks, one :class:`~components.Case`) and returns one
:class:`~results.Outcome`. The runner looks checks up by component kind and family, gives
each the component's points, and turns a student's exception into a failed outcome.

A check is a rubric line: the line it registers (:meth:`CheckDef.runs`) names every row it
produces, whatever the submission did (passed, failed, raised, missing, a stub), so that a
Gradescope row keeps its name from one submission to the next. The line may depend on the
component's specification (``line=``), never on the submission.

Families: ``api`` (names, signatures, shapes, dtypes), ``reference`` (values against the
reference), ``gradcheck`` (the submission's backward against its own forward),
``properties`` (hypothesis-checked invariants and stability), ``contracts`` (the
behavioural rules of docs/api.md) and ``convergence`` (does it train?).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from nnlab.exercises.components import Case, Component
from nnlab.exercises.course import FAMILIES
from nnlab.graders.running.puppet import Session

# Families that need the reference implementation (instructor mode only).
NEEDS_REFERENCE = {"reference"}


@dataclass
class Context:
    """What a check gets: the component, a session on the submission, and the seed."""

    component: Component
    session: Session
    seed: int
    reference_available: bool = True
    cache: dict[str, Any] = field(default_factory=dict)

    def rng(self, *salt: object) -> np.random.Generator:
        """A generator that depends on the seed, the component and ``salt`` only.

        Each check draws from its own stream, so adding or skipping a check never changes
        the inputs of another, and the same seed always gives the same inputs.
        """
        key = "|".join(str(s) for s in (self.component.name, *salt)).encode()
        return np.random.default_rng([self.seed, zlib.crc32(key)])


@dataclass(frozen=True)
class CheckDef:
    name: str
    family: str
    kinds: frozenset[str]
    fn: Callable[..., Any]
    per_case: bool = False
    # Passes on a pristine stub (it checks only what the stub already gives: signatures,
    # attributes): such a pass is no evidence that anything was implemented.
    interface: bool = False
    # A further condition, read from the component's entry (its fields, never its name).
    when: Callable[[Component], bool] | None = None
    # The row name read from the component's specification ("invariants: tanh is odd"); default ``name``.
    line: Callable[[Component], str] | None = None

    def applies_to(self, component: Component) -> bool:
        return component.kind in self.kinds and (self.when is None or self.when(component))

    def runs(self, component: Component) -> list[tuple[str, Case | None]]:
        """The test names this check produces for ``component``, with their cases: its rows' names."""
        title = self.line(component) if self.line is not None else self.name
        if self.per_case:  # an empty line: each case's id is the whole row name (fit's, early stopping's)
            return [(f"{title}: {case.id}" if title else case.id, case) for case in component.cases]
        return [(title, None)]


CHECKS: list[CheckDef] = []


def check(
    family: str,
    name: str,
    kinds: tuple[str, ...] = (),
    *,
    per_case: bool = False,
    interface: bool = False,
    when: Callable[[Component], bool] | None = None,
    line: Callable[[Component], str] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a check: ``@check("reference", "forward", ("layer",), per_case=True)``.

    ``line``: the row name as a function of the component, where the rubric line quotes its
    specification (its invariants, its training scenario); otherwise every row is named ``name``.
    """
    assert family in FAMILIES, family

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        CHECKS.append(
            CheckDef(
                name,
                family,
                frozenset(kinds),
                fn,
                per_case,
                interface,
                when,
                line,
            )
        )
        return fn

    return register


def checks_for(component: Component, family: str) -> list[CheckDef]:
    from . import checks  # noqa: F401  (importing registers every check)

    return [c for c in CHECKS if c.family == family and c.applies_to(component)]
