"""The course: assignments, the components each one grades, their points, hints and teaching text.

A course is a TOML file (the built-in one is ``exercises/course.toml``) that lists its
assignments, each one a folder next to it holding ``assignment.toml``::

    [course]
    title = "Deep learning from scratch"
    allowed_imports = []            # beyond numpy, the standard library and the support module
    assignments = ["a1-perceptron", "a2-neurons"]   # folders next to this file

    [defaults.points]               # points per check family, unless a component says otherwise
    api = 1
    reference = 4

    [gradescope]                    # optional: how autograders show results
    visibility = "visible"          # of every row ...
    hidden_visibility = "after_published"   # ... and of the rows graded on hidden inputs
    granularity = "family"          # a row per component and family; or "component", "check"

and ``a1-perceptron/assignment.toml``::

    name = "a1-perceptron"
    title = "The perceptron"
    goals = ["Write the perceptron rule", "..."]
    intro = "..."                   # teaching text
    prerequisites = []              # components of earlier assignments it builds on (shipped complete)

    [[components]]
    name = "models.Perceptron"      # module.Class of docs/api.md
    hint = "..."                    # shown with every failed check of the component
    points = { api = 1, convergence = 3 }   # replaces the defaults for this component

An instructor writes a course by copying and editing these files. A one-file course may
also inline its assignments as ``[[assignments]]`` tables (with ``[[assignments.components]]``).
A course may grade components of its own: a ``components/`` folder beside the course file holds
their reference modules and catalogue entries (see exercises/custom.py), and its assignments
name them like nnlab's (``robust.HuberLoss``).
A malformed file raises :class:`CourseError` with one line that names the file, the key and
what was expected.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .api import API_MODULES

if TYPE_CHECKING:
    from nnlab.exercises.components import Component

    from .custom import CustomModule

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BUILTIN = Path(__file__).with_name("course.toml")
# The rubric's families, in report order: a course gives points per family, the graders register checks under one.
FAMILIES = ("api", "reference", "gradcheck", "properties", "contracts", "convergence")


@dataclass(frozen=True)
class Rubric:
    """What the graders know that a course is checked against. The graders pass it in
    (:func:`nnlab.graders.courses.load_course`): the exercises layer does not import them.

    Attributes:
        families: the families with a check for a component (points elsewhere could never be earned).
        properties: the release checker's property names for a kind of component, among which a
            course's own component lists its ``properties``.
        vocabulary: makes the names a course's own entry may use, by what they name (exercises/entries.py
            reads them): "laws", "laws needing a geometry", "relations" (of invariants), "geometries",
            "geometry <name>" and "law <name>" (the constructor parameters those checks set), "scenario data",
            "scenario losses". A name missing here is not checked.
    """

    families: Callable[[Component], list[str]]
    properties: Callable[[str], tuple[str, ...]]
    vocabulary: Callable[[], Mapping[str, tuple[str, ...]]] = dict


class CourseError(ValueError):
    """The course file is missing or malformed."""


VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")  # Gradescope's values
GRANULARITIES = ("component", "family", "check")


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
    """One assignment: what it teaches, which components it grades, what it builds on.

    Attributes:
        prerequisites: components of earlier assignments that its code and experiments use;
            its release ships them complete.
        folder: the folder holding ``assignment.toml`` and ``notebook.py`` (None when inline).
    """

    name: str
    title: str
    intro: str
    components: tuple[ComponentEntry, ...]
    goals: tuple[str, ...] = ()
    prerequisites: tuple[str, ...] = ()
    folder: Path | None = None

    @property
    def max_score(self) -> float:
        return sum(c.max_score for c in self.components)

    @property
    def notebook_source(self) -> Path | None:
        """``notebook.py`` beside ``assignment.toml``, if there is one."""
        if self.folder is None:
            return None
        path = self.folder / "notebook.py"
        return path if path.is_file() else None


@dataclass(frozen=True)
class GradescopeSettings:
    """How autograders present results (see the ``[gradescope]`` table)."""

    visibility: str = "visible"
    hidden_visibility: str = "after_published"
    granularity: str = "family"


@dataclass(frozen=True)
class Course:
    title: str
    assignments: tuple[Assignment, ...]
    allowed_imports: frozenset[str] = frozenset()
    path: Path = field(default=BUILTIN)
    gradescope: GradescopeSettings = field(default_factory=GradescopeSettings)
    custom: tuple[CustomModule, ...] = ()  # the course's own components (components/ beside the course file)

    @property
    def catalogue(self) -> Mapping[str, Component]:
        """Every component the course may grade: nnlab's catalogue and the course's own entries."""
        return _catalogue(self.custom)

    @property
    def hints(self) -> dict[str, str]:
        """``{component: hint}``: what a report shows beside a component's failures."""
        return {c.name: c.hint for a in self.assignments for c in a.components}

    def component(self, name: str) -> Component:
        """The catalogue entry of ``name`` (``module.Class``), with a one-line error naming the known ones."""
        try:
            return self.catalogue[name]
        except KeyError:
            raise KeyError(f"unknown component {name!r}; expected one of: {', '.join(self.catalogue)}") from None

    @property
    def custom_sources(self) -> dict[str, Path]:
        """``{module: reference file}`` of the course's own modules."""
        return {m.name: m.source for m in self.custom}

    @property
    def modules(self) -> tuple[str, ...]:
        """Every module a submission to this course may hold: nnlab's API modules, then the course's own."""
        return (*API_MODULES, *(m.name for m in self.custom))

    @property
    def private_files(self) -> list[Path]:
        """The course's files that hold solutions (its own references): hidden from student code."""
        return [m.source for m in self.custom]

    @contextmanager
    def references(self) -> Iterator[None]:
        """While the block runs, the course's own reference modules are ``nnlab.reference.<module>``."""
        if not self.custom:
            yield
            return
        from .custom import installed

        with installed(self.custom):
            yield

    def assignment(self, name: str) -> Assignment:
        for a in self.assignments:
            if a.name == name:
                return a
        names = ", ".join(a.name for a in self.assignments)
        raise CourseError(f"no assignment {name!r} in {self.path.name}; expected one of: {names}")

    def assignment_of(self, component: str) -> Assignment:
        """The assignment that grades ``component``."""
        for a in self.assignments:
            if any(c.name == component for c in a.components):
                return a
        raise CourseError(f"{component!r} is not graded by any assignment of {self.path.name}")

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


def _known_keys(path: Path, where: str, table: dict[str, Any], known: tuple[str, ...]) -> None:
    """A misspelt key (``hnit = ...``) is an error, not a setting silently ignored."""
    unknown = [key for key in table if key not in known]
    if unknown:
        raise _fail(path, f"{where}{unknown[0]}", f"a known key, one of {', '.join(known)}")


def _points(path: Path, where: str, raw: Any) -> dict[str, float]:
    if not isinstance(raw, dict):
        raise _fail(path, where, "a table of points per check family, e.g. { api = 1, reference = 4 }")
    points = {}
    for family, value in raw.items():
        if family not in FAMILIES:
            raise _fail(path, f"{where}.{family}", f"a check family, one of {', '.join(FAMILIES)}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < math.inf:
            raise _fail(path, f"{where}.{family}", f"a non-negative number of points, got {value!r}")
        points[family] = float(value)
    return points


def _read_toml(path: Path, what: str) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CourseError(f"{path}: no such {what} (expected a TOML file)") from None
    except IsADirectoryError:
        raise CourseError(f"{path}: is a folder (expected a TOML {what})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CourseError(f"{path}: not valid TOML ({error})") from None


def _strings(path: Path, where: str, raw: Any, expected: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(item, str) and item for item in raw):
        raise _fail(path, where, expected)
    return tuple(raw)


def _gradescope(path: Path, raw: Any) -> GradescopeSettings:
    if not isinstance(raw, dict):
        raise _fail(path, "[gradescope]", "a table")
    values = {}
    for key, allowed in (
        ("visibility", VISIBILITIES),
        ("hidden_visibility", VISIBILITIES),
        ("granularity", GRANULARITIES),
    ):
        if key in raw:
            if raw[key] not in allowed:
                raise _fail(path, f"gradescope.{key}", f"one of {', '.join(allowed)}, got {raw[key]!r}")
            values[key] = raw[key]
    unknown = sorted(set(raw) - {"visibility", "hidden_visibility", "granularity"})
    if unknown:
        raise _fail(path, f"gradescope.{unknown[0]}", "one of visibility, hidden_visibility, granularity")
    return GradescopeSettings(**values)


def _catalogue(custom: tuple[CustomModule, ...]) -> Mapping[str, Component]:
    """nnlab's catalogue and the entries of ``custom``: a new read-only mapping (nnlab's is left as it is)."""
    from types import MappingProxyType

    from nnlab.exercises.components import CATALOGUE

    return MappingProxyType({**CATALOGUE, **{c.name: c for m in custom for c in m.components}})


def _builtin() -> Mapping[str, Component]:
    from nnlab.exercises.components import CATALOGUE

    return CATALOGUE


def _sources(catalogue: Mapping[str, Component]) -> str:
    return "docs/api.md or the course's components/" if len(catalogue) > len(_builtin()) else "docs/api.md"


def _graded_families(
    path: Path, where: str, component: Component, points: dict[str, float], own: bool, rubric: Rubric
) -> None:
    """A course's own component gets points only where a check applies to it (else they could never be earned)."""
    graded = rubric.families(component)
    for family, value in points.items():
        if value and family not in graded:
            why = f"{component.name} has no {family} check" + ("" if own else " (the [defaults.points] give it some)")
            raise _fail(
                path,
                f"{where}.{family}" if own else where,
                f"points only in the families with checks for a {component.kind} of a course's own "
                f"({', '.join(graded)}); {why}",
            )


def _assignment(
    path: Path,
    where: str,
    a: Any,
    defaults: dict[str, float],
    folder: Path | None,
    earlier: set[str],
    catalogue: Mapping[str, Component],
    rubric: Rubric | None = None,
) -> Assignment:
    """One assignment table (from its own file, or inline); ``earlier``: components graded before it."""
    if not isinstance(a, dict) or not isinstance(a.get("name"), str) or not a["name"]:
        raise _fail(path, where, "a table with a non-empty `name`")
    name = a["name"]
    raw_components = a.get("components")
    if not isinstance(raw_components, list) or not raw_components:
        kind = "[[components]]" if folder is not None else "[[assignments.components]]"
        raise _fail(path, f"{where} ({name})", f"at least one {kind}")
    components = []
    for j, c in enumerate(raw_components):
        cwhere = f"{where + '.' if where else ''}components[{j}]"
        if not isinstance(c, dict) or not isinstance(c.get("name"), str) or c["name"] not in catalogue:
            got = c.get("name") if isinstance(c, dict) else c
            raise _fail(
                path, f"{cwhere}.name", f"a component of {_sources(catalogue)} such as 'layers.Conv2d', got {got!r}"
            )
        _known_keys(path, f"{cwhere}.", c, ("name", "hint", "points"))
        # A component's own points replace the defaults as a whole (families it omits get none).
        points = _points(path, f"{cwhere}.points", c["points"]) if "points" in c else dict(defaults)
        if not any(points.values()):
            raise _fail(path, f"{cwhere}.points", "positive points in at least one check family")
        if c["name"] not in _builtin() and rubric is not None:  # a course's own component
            _graded_families(path, f"{cwhere}.points", catalogue[c["name"]], points, "points" in c, rubric)
        components.append(ComponentEntry(c["name"], points, str(c.get("hint", ""))))
    key = f"{where + '.' if where else ''}"
    _known_keys(path, key, a, ("name", "title", "intro", "goals", "prerequisites", "components"))
    goals = _strings(path, f"{key}goals", a.get("goals", []), "a list of learning goals (strings)")
    prerequisites = _strings(
        path, f"{key}prerequisites", a.get("prerequisites", []), "a list of component names such as 'layers.Linear'"
    )
    for p in prerequisites:
        if p not in catalogue:
            raise _fail(
                path, f"{key}prerequisites", f"components of {_sources(catalogue)} such as 'layers.Linear', got {p!r}"
            )
        if p not in earlier:
            raise _fail(
                path,
                f"{key}prerequisites",
                f"components graded by an earlier assignment ({p!r} is not graded before {name!r})",
            )
    for text_key in ("title", "intro"):
        if text_key in a and not isinstance(a[text_key], str):
            raise _fail(path, f"{key}{text_key}", "a string")
    return Assignment(
        name,
        a.get("title", name),
        a.get("intro", ""),
        tuple(components),
        goals,
        prerequisites,
        folder,
    )


def load_course(path: str | Path | None = None, rubric: Rubric | None = None) -> Course:
    """Read and validate a course file (the built-in course when ``path`` is None).

    ``rubric``: what the graders know; with it, a course's own components are also checked against
    the graders (points only where a check applies, known properties). The commands load a course
    through :func:`nnlab.graders.courses.load_course`, which gives it.
    """
    path = Path(path) if path else BUILTIN
    raw = _read_toml(path, "course file")
    meta = raw.get("course", {})
    if not isinstance(meta, dict):
        raise _fail(path, "[course]", "a table")
    _known_keys(path, "", raw, ("course", "defaults", "gradescope", "assignments"))
    _known_keys(path, "course.", meta, ("title", "allowed_imports", "assignments"))
    raw_defaults = raw.get("defaults", {})
    if not isinstance(raw_defaults, dict):
        raise _fail(path, "[defaults]", "a table holding [defaults.points]")
    _known_keys(path, "defaults.", raw_defaults, ("points",))
    defaults = _points(path, "[defaults.points]", raw_defaults.get("points", {}))
    allowed = meta.get("allowed_imports", [])
    if not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed):
        raise _fail(path, "course.allowed_imports", "a list of module names")
    if "assignments" in meta and "assignments" in raw:
        raise _fail(
            path, "course.assignments", "either a list of assignment folders or [[assignments]] tables, not both"
        )
    from .custom import read_components

    custom = read_components(path, rubric)
    catalogue = _catalogue(custom)
    tables: list[tuple[Path, str, Any, Path | None]] = []
    if "assignments" in meta:
        names = meta["assignments"]
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
            raise _fail(path, "course.assignments", "a non-empty list of assignment folders next to the course file")
        for folder_name in names:
            folder = path.parent / folder_name
            file = folder / "assignment.toml"
            if not folder.is_dir():
                raise _fail(path, "course.assignments", f"a folder {folder_name}/ holding assignment.toml next to it")
            tables.append((file, "", _read_toml(file, "assignment file"), folder))
    else:
        raw_assignments = raw.get("assignments")
        if not isinstance(raw_assignments, list) or not raw_assignments:
            raise _fail(path, "[[assignments]]", "at least one assignment")
        tables = [(path, f"assignments[{i}]", a, None) for i, a in enumerate(raw_assignments)]
    assignments: list[Assignment] = []
    earlier: set[str] = set()
    graded_by: dict[str, str] = {}
    for file, where, table, folder in tables:
        assignment = _assignment(file, where, table, defaults, folder, earlier, catalogue, rubric)
        if any(a.name == assignment.name for a in assignments):
            raise _fail(file, f"{where + '.' if where else ''}name", f"a unique name ({assignment.name!r} is repeated)")
        for j, c in enumerate(assignment.components):
            if c.name in graded_by:
                raise _fail(
                    file,
                    f"{where + '.' if where else ''}components[{j}].name",
                    f"a component graded once ({c.name!r} is graded by {graded_by[c.name]!r} already)",
                )
            graded_by[c.name] = assignment.name
        earlier |= {c.name for c in assignment.components}
        assignments.append(assignment)
    gradescope = _gradescope(path, raw.get("gradescope", {}))
    return Course(
        str(meta.get("title", "nnlab course")), tuple(assignments), frozenset(allowed), path, gradescope, custom
    )
