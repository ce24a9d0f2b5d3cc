"""Build an assignment's nbgrader *source* notebook from its ``notebook.py``.

``exercises/<name>/notebook.py`` is a Jupytext percent-format script. Ordinary cells are
copied; a code cell whose whole source is one directive line is expanded:

* ``# nnlab: setup``: imports, the prerequisites from the release's complete modules, one seed;
* ``# nnlab: solution activations.Step``: the reference class with its solution regions, an
  nbgrader solution cell (preceded, the first time its module appears, by a locked cell with
  the module's given code: imports, constants, helpers). A component with no region of its
  own (``BatchNorm2d`` inherits everything from ``_BatchNorm``, which travels in
  ``BatchNorm1d``'s cell) is complete as given: a locked cell that keeps its class;
* ``# nnlab: check activations.Step``: a visible, ungraded cell that runs the release checker;
* ``# nnlab: tests activations.Step``: an nbgrader autograder cell worth the component's points,
  whose hidden region grades the notebook's code with nnlab (see ``autograde.py``).

The code cells of one module (given code and solution cells) carry the ``nnlab`` metadata and
the tag ``nnlab:module=<module>``; joined in notebook order they are that module
(``extract.join_module``). Like nbgrader, a malformed source raises instead of passing silently.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import jupytext
import nbformat
from nbformat import NotebookNode

from nnlab.exercises.course import BUILTIN, Assignment, Course
from nnlab.exercises.release import NotebookSourceError, module_parts, part_source
from nnlab.exercises.stubs import BEGIN

DIRECTIVE = re.compile(r"^# nnlab:\s*(?P<kind>\S+)\s*(?P<arg>\S*)\s*$")
KINDS = ("setup", "solution", "check", "tests")
# Lines nbgrader treats as region markers in *any* cell (see its ClearSolutions/ClearHiddenTests).
NBGRADER_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
SCHEMA_VERSION = 3  # nbgrader's cell metadata schema
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

SETUP = '''\
# Setup: libraries, the support module, the components of earlier assignments, one seed.
import os
import sys
import warnings

# One BLAS thread: the matrix products here are small, and several threads spend more time waiting
# for each other than computing (2-10 times slower on 2 cores). Set before numpy starts its BLAS.
if "numpy" not in sys.modules:
    for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_variable] = "1"
else:  # numpy was imported already (the cell runs again): limit the running BLAS instead
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # only the speed differs
        pass

import matplotlib
import numpy as np

if "ipykernel" not in sys.modules:  # outside Jupyter (a script, a test run): draw off-screen
    matplotlib.use("Agg")
import matplotlib.pyplot as plt

from base import Module, Parameter, manual_seed
{prerequisites}

def _warning_to_stdout(message, category, filename, lineno, file=None, line=None):
    """Warnings (overflow in exp, ...) print to stdout: an autograded cell that writes to stderr scores 0."""
    print(f"{{category.__name__}}: {{message}}")


manual_seed(0)  # the same seed, the same weights, batches and pictures
warnings.showwarning = _warning_to_stdout
'''

GIVEN_HEADER = "# Given code of {module}.py (imports, constants, helpers): run this cell; do not edit it.\n"

CHECK = """\
# Check your work: quick public checks of {name} (they do not grade; the autograder uses other inputs).
from checker.notebook import check

check("{component}", {name}, globals())
"""

GIVEN_COMPONENT = (
    "# {name} is complete as given: it builds on code of an earlier cell (nothing to write here).\n"
    "# Run this cell; do not edit it.\n"
)

# The hidden region loads nnlab's autograde.py afresh (not a name the notebook could have rebound
# or patched); its points() grades the notebook FILE in a separate process (see autograde.py).
TESTS = """\
# Autograder tests for {component} ({points:g} points): hidden; nbgrader runs them when it grades.
### BEGIN HIDDEN TESTS
import importlib.util as _nnlab_util

_nnlab_spec = _nnlab_util.find_spec("nnlab.notebooks.autograde")
_nnlab_autograde = _nnlab_util.module_from_spec(_nnlab_spec)
_nnlab_spec.loader.exec_module(_nnlab_autograde)
_nnlab_autograde.points("{component}", "{assignment}", seed={seed}{course})
### END HIDDEN TESTS
"""


def grade_id(*parts: str) -> str:
    """nbgrader's ids allow letters, digits, ``_`` and ``-`` only."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", "-".join(parts))


def _nbgrader(cell_id: str, *, solution: bool = False, grade: bool = False, locked: bool = False, points=None) -> dict:
    meta = {"grade": grade, "grade_id": cell_id, "locked": locked, "schema_version": SCHEMA_VERSION}
    meta["solution"] = solution
    if grade:
        meta["points"] = float(points)
    return meta


def _code(source: str, cell_id: str, **metadata: object) -> NotebookNode:
    cell = nbformat.v4.new_code_cell(source.rstrip("\n"), metadata=metadata)
    cell.id = cell_id
    return cell


def _markdown(source: str, cell_id: str) -> NotebookNode:
    cell = nbformat.v4.new_markdown_cell(source.rstrip("\n"))
    cell.id = cell_id
    return cell


def title_cell(assignment: Assignment) -> str:
    lines = [f"# {assignment.title}", ""]
    if assignment.intro.strip():
        lines += [assignment.intro.strip(), ""]
    if assignment.goals:
        lines += ["**Goals**", "", *(f"- {goal}" for goal in assignment.goals), ""]
    return "\n".join(lines)


def setup_source(assignment: Assignment) -> str:
    by_module: dict[str, list[str]] = {}
    for name in assignment.prerequisites:
        module, _, obj = name.partition(".")
        by_module.setdefault(module, []).append(obj)
    imports = [
        f"from {module} import {', '.join(sorted(names))}  # complete: from earlier assignments"
        for module, names in by_module.items()
    ]
    return SETUP.format(prerequisites="\n".join(imports))


def _quote_markers(text: str) -> str:
    """Teaching text may name nbgrader's markers: a no-break space keeps nbgrader from taking them as regions.

    (nbgrader refuses a notebook in which any non-solution cell has a line holding "BEGIN SOLUTION".)
    The text reads the same.
    """
    for marker in NBGRADER_MARKERS:
        text = text.replace(marker, marker.replace(" ", "\u00a0", 1))
    return text


def _line_of(lines: list[str], directive: str, after: int) -> int:
    """The line number (1-based) of ``directive`` at or after line ``after``, for error messages."""
    for number in range(after, len(lines) + 1):
        if lines[number - 1].strip() == directive:
            return number
    return after


def build_source_notebook(course: Course, assignment: Assignment, seed: int | None = None) -> NotebookNode:
    """The nbgrader source notebook of ``assignment`` (solutions and hidden tests included).

    Args:
        course: the course (points of the autograder cells come from it).
        assignment: an assignment with a ``notebook.py`` beside its ``assignment.toml``.
        seed: the seed of the autograder's inputs, written only into the hidden test regions
            (a fresh random one when None); no student file holds it.

    Raises:
        NotebookSourceError: no notebook source, an unknown directive or component, a component
            without its tests cell, or nbgrader's markers in an ordinary cell.
    """
    path = assignment.notebook_source
    if path is None:
        raise NotebookSourceError(f"assignment {assignment.name}: no notebook.py beside its assignment.toml")
    text = path.read_text(encoding="utf-8")
    source = jupytext.reads(text, fmt="py:percent")
    seed = secrets.randbelow(2**31) if seed is None else seed
    points = {c.name: c.max_score for c in assignment.components}
    course_arg = "" if Path(course.path).resolve() == BUILTIN.resolve() else f", course={str(course.path)!r}"
    lines, line = text.splitlines(), 1

    cells = [_markdown(title_cell(assignment), "title")]
    parts_of: dict[str, object] = {}
    solved: list[str] = []
    tested: list[str] = []
    has_setup = False
    for index, cell in enumerate(source.cells):
        match = DIRECTIVE.match(cell.source.strip()) if cell.cell_type == "code" else None
        if match is None or "\n" in cell.source.strip():
            if cell.cell_type == "markdown":
                cell.source = _quote_markers(cell.source)
            for marker in NBGRADER_MARKERS:
                if marker in cell.source:
                    raise NotebookSourceError(
                        f"{path}: cell {index + 1} ({cell.cell_type}) contains {marker!r}: nbgrader treats every "
                        "line holding it as a region marker and refuses the notebook; reword it"
                    )
            copied = _markdown(cell.source, f"cell-{index}") if cell.cell_type == "markdown" else None
            if copied is None:
                copied = nbformat.v4.new_raw_cell(cell.source) if cell.cell_type == "raw" else _code(cell.source, "")
                copied.id = f"cell-{index}"
            if cell.metadata.get("tags"):  # e.g. nnlab:not-reproducible (a figure that differs from run to run)
                copied.metadata["tags"] = list(cell.metadata["tags"])
            cells.append(copied)
            continue
        line = _line_of(lines, cell.source.strip(), line)
        kind, component = match["kind"], match["arg"]
        where = f"{path}, line {line}"
        if kind not in KINDS:
            raise NotebookSourceError(f"{where}: unknown directive {kind!r} (expected one of {', '.join(KINDS)})")
        if kind == "setup":
            cells.append(_code(setup_source(assignment), "setup", nbgrader=_nbgrader("setup", locked=True)))
            cells[-1].metadata["tags"] = ["nnlab:setup"]
            has_setup = True
            continue
        module, _, name = component.partition(".")
        if not module or not name:
            raise NotebookSourceError(f"{where}: '# nnlab: {kind}' needs a component such as activations.Step")
        if kind == "solution":
            if module not in parts_of:
                try:
                    parts_of[module] = module_parts(module)
                except NotebookSourceError as error:
                    raise NotebookSourceError(f"{where}: {error}") from None
                given_id = grade_id("given", module)
                cells.append(
                    _code(
                        GIVEN_HEADER.format(module=module) + parts_of[module].given,
                        given_id,
                        nbgrader=_nbgrader(given_id, locked=True),
                        nnlab={"module": module, "role": "given"},
                        tags=[f"nnlab:module={module}"],
                        jupyter={"source_hidden": True},
                    )
                )
            try:
                code = part_source(parts_of[module], name)
            except NotebookSourceError as error:
                raise NotebookSourceError(f"{where}: {error}") from None
            cell_id = grade_id(module, name)
            tags = [f"nnlab:module={module}", f"nnlab:component={component}"]
            if BEGIN not in code:  # nothing to write: a solution cell would lose the class to nbgrader's stub
                cell = _code(
                    GIVEN_COMPONENT.format(name=name) + code,
                    cell_id,
                    nbgrader=_nbgrader(cell_id, locked=True),
                    nnlab={"module": module, "component": component, "role": "given"},
                    tags=tags,
                )
            else:
                cell = _code(
                    code,
                    cell_id,
                    nbgrader=_nbgrader(cell_id, solution=True),
                    nnlab={"module": module, "component": component},
                    tags=tags,
                )
            cells.append(cell)
            solved.append(component)
        elif kind == "check":
            if component not in solved:
                raise NotebookSourceError(f"{where}: '# nnlab: check {component}' before its solution cell")
            cell_id = grade_id("check", module, name)
            check = CHECK.format(component=component, name=name)
            cells.append(_code(check, cell_id, nbgrader=_nbgrader(cell_id, locked=True), tags=["nnlab:check"]))
        else:  # tests
            if component not in points:
                graded = ", ".join(points)
                raise NotebookSourceError(
                    f"{where}: {component} is not graded by {assignment.name} (expected one of {graded})"
                )
            if component not in solved:
                raise NotebookSourceError(f"{where}: '# nnlab: tests {component}' before its solution cell")
            cell_id = grade_id("tests", module, name)
            tests = TESTS.format(
                component=component, points=points[component], assignment=assignment.name, seed=seed, course=course_arg
            )
            meta = _nbgrader(cell_id, grade=True, locked=True, points=points[component])
            cells.append(_code(tests, cell_id, nbgrader=meta, tags=["nnlab:tests"]))
            tested.append(component)
    untested = [c for c in points if c not in tested]
    if untested:
        raise NotebookSourceError(
            f"{path}: no '# nnlab: tests' cell for {', '.join(untested)} (each graded component needs one)"
        )
    if not has_setup:
        cells.insert(1, _code(setup_source(assignment), "setup", nbgrader=_nbgrader("setup", locked=True)))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": {"name": "python"},
        "nnlab": {"assignment": assignment.name, "course": course.title},
    }
    nbformat.validate(notebook)
    return notebook
