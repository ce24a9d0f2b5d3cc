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


# The constructor parameters the law checks set on a layer of each geometry (judging/checks/properties.py's
# ``_configured``), and the laws whose check configures the layer by its geometry.
GEOMETRY_PARAMETERS = {
    "dense": ("in_features", "out_features"),
    "conv": ("in_channels", "out_channels", "kernel_size", "stride", "padding", "bias"),
    "pool": ("kernel_size", "stride"),
}
GEOMETRY_LAWS = ("affine", "size formula")
# The constructor parameters a law's check sets itself, whatever the geometry (properties.py's checks).
LAW_PARAMETERS = {
    "translation equivariant": ("in_channels", "out_channels", "kernel_size"),
    "max commutes with shifts": ("kernel_size", "stride"),
}


def vocabulary() -> dict[str, tuple[str, ...]]:
    """The graders' names a course's own entry may use (see :class:`~nnlab.exercises.course.Rubric`)."""
    from .judging.checks.convergence import DATASETS, LOSSES
    from .judging.checks.properties import CONFIGS, LAWS, RELATIONS

    assert set(CONFIGS) == set(GEOMETRY_PARAMETERS), "a geometry of the law checks without its parameters here"
    return {
        "laws": LAWS,
        "laws needing a geometry": GEOMETRY_LAWS,
        "relations": tuple(RELATIONS),
        "geometries": tuple(CONFIGS),
        **{f"geometry {name}": parameters for name, parameters in GEOMETRY_PARAMETERS.items()},
        **{f"law {name}": parameters for name, parameters in LAW_PARAMETERS.items()},
        "scenario data": DATASETS,
        "scenario losses": tuple(LOSSES),
    }


RUBRIC = Rubric(graded_families, checker_properties, vocabulary)


def load_course(path: str | Path | None = None) -> Course:
    """Read and validate a course file (the built-in course when ``path`` is None), against the graders too."""
    return courses.load_course(path, RUBRIC)
