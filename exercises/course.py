"""The course: assignments, the components each one grades, their points and hints.

A course is a TOML file (the built-in one is ``exercises/course.toml``)::

    [course]
    title = "Deep learning from scratch"
    allowed_imports = []            # beyond numpy, the standard library and the support module

    [defaults.points]               # points per check family, unless a component says otherwise
    api = 1
    reference = 4

    [[assignments]]
    name = "a1-perceptron"
    title = "The perceptron"
    intro = "..."                   # teaching text for the notebook

    [[assignments.components]]
    name = "models.Perceptron"      # module.Class of shared/API.md
    hint = "..."                    # shown with every failed check of the component
    points = { api = 1, convergence = 3 }   # replaces the defaults for this component

A malformed file raises :class:`CourseError` with one line saying what was expected.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BUILTIN = Path(__file__).with_name("course.toml")
FAMILIES = ("api", "reference", "gradcheck", "properties", "contracts", "convergence")


class CourseError(ValueError):
    """The course file is missing or malformed."""


@dataclass(frozen=True)
class ComponentEntry:
    name: str
    points: dict[str, float]
    hint: str = ""

    @property
    def max_score(self) -> float:
        return sum(self.points.values())


@dataclass(frozen=True)
class Assignment:
    name: str
    title: str
    intro: str
    components: tuple[ComponentEntry, ...]


@dataclass(frozen=True)
class Course:
    title: str
    assignments: tuple[Assignment, ...]
    allowed_imports: frozenset[str] = frozenset()
    path: Path = field(default=BUILTIN)

    def assignment(self, name: str) -> Assignment:
        for a in self.assignments:
            if a.name == name:
                return a
        names = ", ".join(a.name for a in self.assignments)
        raise CourseError(f"no assignment {name!r} in {self.path.name}; expected one of: {names}")

    def entries(self, assignment: str | None = None, only: list[str] | None = None) -> list[tuple[str, ComponentEntry]]:
        """``(assignment name, component entry)`` pairs to grade, in course order."""
        chosen = [self.assignment(assignment)] if assignment else list(self.assignments)
        pairs = [(a.name, c) for a in chosen for c in a.components]
        if only:
            known = {c.name for _, c in pairs}
            unknown = [o for o in only if o not in known]
            if unknown:
                raise CourseError(
                    f"--only {unknown[0]}: not a component of "
                    f"{'assignment ' + assignment if assignment else 'the course'}; "
                    f"expected one of: {', '.join(sorted(known))}"
                )
            pairs = [(a, c) for a, c in pairs if c.name in only]
        return pairs


def _fail(path: Path, where: str, expected: str) -> CourseError:
    return CourseError(f"{path}: {where}: expected {expected}")


def _points(path: Path, where: str, raw: Any) -> dict[str, float]:
    if not isinstance(raw, dict):
        raise _fail(path, where, "a table of points per check family, e.g. { api = 1, reference = 4 }")
    points = {}
    for family, value in raw.items():
        if family not in FAMILIES:
            raise _fail(path, f"{where}.{family}", f"a check family, one of {', '.join(FAMILIES)}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise _fail(path, f"{where}.{family}", "a non-negative number of points")
        points[family] = float(value)
    return points


def load_course(path: str | Path | None = None) -> Course:
    """Read and validate a course file (the built-in course when ``path`` is None)."""
    from nnlab.graders.components import CATALOGUE

    path = Path(path) if path else BUILTIN
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CourseError(f"{path}: no such course file (expected a TOML file)") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CourseError(f"{path}: not valid TOML ({error})") from None
    meta = raw.get("course", {})
    if not isinstance(meta, dict):
        raise _fail(path, "[course]", "a table")
    defaults = _points(path, "[defaults.points]", raw.get("defaults", {}).get("points", {}))
    allowed = meta.get("allowed_imports", [])
    if not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed):
        raise _fail(path, "course.allowed_imports", "a list of module names")
    assignments = []
    raw_assignments = raw.get("assignments")
    if not isinstance(raw_assignments, list) or not raw_assignments:
        raise _fail(path, "[[assignments]]", "at least one assignment")
    seen: set[str] = set()
    for i, a in enumerate(raw_assignments):
        where = f"assignments[{i}]"
        if not isinstance(a, dict) or not isinstance(a.get("name"), str) or not a["name"]:
            raise _fail(path, where, "a table with a non-empty `name`")
        if a["name"] in seen:
            raise _fail(path, f"{where}.name", f"a unique name ({a['name']!r} is repeated)")
        seen.add(a["name"])
        components = []
        raw_components = a.get("components")
        if not isinstance(raw_components, list) or not raw_components:
            raise _fail(path, f"{where} ({a['name']})", "at least one [[assignments.components]]")
        for j, c in enumerate(raw_components):
            cwhere = f"{where}.components[{j}]"
            if not isinstance(c, dict) or c.get("name") not in CATALOGUE:
                got = c.get("name") if isinstance(c, dict) else c
                raise _fail(path, f"{cwhere}.name", f"a component of API.md such as 'layers.Conv2d', got {got!r}")
            # A component's own points replace the defaults as a whole (families it omits get none).
            points = _points(path, f"{cwhere}.points", c["points"]) if "points" in c else dict(defaults)
            components.append(ComponentEntry(c["name"], points, str(c.get("hint", ""))))
        assignments.append(
            Assignment(a["name"], str(a.get("title", a["name"])), str(a.get("intro", "")), tuple(components))
        )
    return Course(str(meta.get("title", "nnlab course")), tuple(assignments), frozenset(allowed), path)
