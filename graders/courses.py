"""A course as the graders read it: the course file checked against the checks and the release checker.

The exercises layer reads a course (:func:`nnlab.exercises.course.load_course`) without importing the
graders; here the graders add what only they know (:class:`~nnlab.exercises.course.Rubric`): a course's
own component gets points only in families with a check for it, and lists only properties the release
checker has. Every command loads a course through :func:`load_course`.
"""

from __future__ import annotations

from pathlib import Path

from nnlab.exercises import course as courses
from nnlab.exercises.components import Component
from nnlab.exercises.course import FAMILIES, Course, Rubric


def graded_families(component: Component) -> list[str]:
    """The families with at least one check for ``component``, in report order."""
    from .judging.catalogue import checks_for  # on first use: the commands import the rubric late (see cli.py)

    return [family for family in FAMILIES if checks_for(component, family)]


def checker_properties(kind: str) -> tuple[str, ...]:
    """The release checker's properties (graders/selfcheck/properties.py) of a ``kind`` of component."""
    from .selfcheck.properties import LOSS_PROPERTIES, MODULE_PROPERTIES

    return tuple(LOSS_PROPERTIES if kind == "loss" else MODULE_PROPERTIES)


RUBRIC = Rubric(graded_families, checker_properties)


def load_course(path: str | Path | None = None) -> Course:
    """Read and validate a course file (the built-in course when ``path`` is None), against the graders too."""
    return courses.load_course(path, RUBRIC)
