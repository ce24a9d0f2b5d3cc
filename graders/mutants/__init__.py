"""A catalogue of realistic student bugs, applied to the reference (mutants).

Each :class:`Mutant` is one mistake students make, written as a textual edit of one
reference module: replace ``old`` (which must occur exactly once) by ``new``. The test
suite grades every mutant and demands that it loses points on its own component and
nowhere else, and that the feedback names its bug class (one of ``expect``, or of ``phrases``)
and claims no other mutant's (tests/evidence.py: feedback_verdict); ``nnlab demo`` grades a
handful of them together. One file per area keeps the lists readable.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from nnlab.exercises.release import reference_folder


@dataclass(frozen=True)
class Mutant:
    """One bug.

    Attributes:
        id: short unique name, e.g. ``linear-weight-grad-transposed``.
        component: the component it breaks, ``module.Class``.
        description: the mistake as a student would make it.
        old, new: the edit to the reference module of the component.
        expect: misconception tags any of which the feedback should carry.
        phrases: words of the student-facing feedback that also name the mistake (any one
            suffices, case-insensitive), for a mistake a check names in prose but not by tag.
    """

    id: str
    component: str
    description: str
    old: str
    new: str
    expect: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()

    @property
    def module(self) -> str:
        return self.component.split(".")[0]


class StaleMutant(ValueError):
    """The reference changed and a mutant's ``old`` text no longer occurs exactly once."""


def apply(mutants: list[Mutant] | tuple[Mutant, ...], target: Path) -> Path:
    """Write the reference, with ``mutants`` applied, into the folder ``target``."""
    source = reference_folder()
    target.mkdir(parents=True, exist_ok=True)
    for path in source.glob("*.py"):
        if path.name != "__init__.py":
            shutil.copy(path, target / path.name)
    for mutant in mutants:
        path = target / f"{mutant.module}.py"
        text = path.read_text(encoding="utf-8")
        count = text.count(mutant.old)
        if count != 1:
            raise StaleMutant(f"mutant {mutant.id}: its text occurs {count} times in {path.name} (expected once)")
        path.write_text(text.replace(mutant.old, mutant.new), encoding="utf-8")
    return target


def catalogue() -> list[Mutant]:
    """Every mutant of every area."""
    from . import activations, early_stopping, init, layers, losses, optimizers, others

    return [
        *activations.MUTANTS,
        *layers.MUTANTS,
        *losses.MUTANTS,
        *optimizers.MUTANTS,
        *others.MUTANTS,
        *init.MUTANTS,
        *early_stopping.MUTANTS,
    ]
