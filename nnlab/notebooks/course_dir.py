"""Write an nbgrader course directory, and the student version of a notebook.

``write_nbgrader_course`` lays out ``<out>/nbgrader/`` so that an instructor can ``cd`` there
and run ``nbgrader generate_assignment`` and ``nbgrader autograde`` at once::

    nbgrader/
      nbgrader_config.py
      source/<assignment>/<assignment>.ipynb    the source notebook (solutions, hidden tests)
      source/<assignment>/base.py, layers.py... what the notebook imports (flat modules)
      source/<assignment>/checker/, fixtures/   the release checker (the notebook's check cells use it)

``write_release_notebook`` writes the student version into a release folder: what nbgrader's
``generate_assignment`` makes of the source notebook (LockCells, ClearSolutions, ClearOutput,
ComputeChecksums, ClearHiddenTests), mirrored here so that ``nnlab generate`` needs no
nbgrader; tests/test_notebooks.py compares the two.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from nnlab.exercises.course import Assignment, Course
from nnlab.exercises.release import write_release_modules

from .builder import build_source_notebook

# nbgrader's defaults (ClearSolutions.text_stub, the region delimiters); the code stub says what is missing.
CODE_STUB = '# YOUR CODE HERE\nraise NotImplementedError("your code here")'
TEXT_STUB = "YOUR ANSWER HERE"
SOLUTION = ("BEGIN SOLUTION", "END SOLUTION")
HIDDEN_TESTS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
# Per-cell time limit of nbgrader's Execute (its default is 30 s). The first autograder cell
# of a notebook grades the whole assignment, which takes a few seconds per component.
CELL_TIMEOUT = 600

CONFIG = '''\
"""nbgrader configuration of this course (written by nnlab generate).

Run from this folder:
    nbgrader generate_assignment {first} --force    # source/ -> release/ (student version)
    nbgrader autograde {first}                      # submitted/<student>/{first}/ -> autograded/
The autograder cells call nnlab's grader: nnlab must be installed where nbgrader runs.
Each grades the notebook file in a separate process, but the students' cells run in the same
kernel before it, with your rights: for untrusted submissions run nbgrader in a container, or
re-grade the submitted notebooks outside any kernel (nnlab grade NOTEBOOK --assignment ... with
the seed of the hidden cells) and compare.
"""

import os

c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))

# Headless execution: per-cell time limit; the kernel is the notebook's ("python3") unless
# set here, e.g. c.Execute.kernel_name = "python3".
c.Execute.timeout = {timeout}
c.Execute.interrupt_on_timeout = True
c.ClearSolutions.code_stub = {{"python": {code_stub!r}}}
# The exchange (release_assignment, collect) lives inside the course folder unless set otherwise.
c.Exchange.root = os.path.join(c.CourseDirectory.root, "exchange")
'''


def _checksum(cell: NotebookNode) -> str:
    """nbgrader's cell checksum (``nbgrader.utils.compute_checksum``)."""
    meta = cell.metadata.nbgrader
    grade, solution = bool(meta.get("grade")), bool(meta.get("solution"))
    locked = not solution and (grade or bool(meta.get("locked")))
    digest = hashlib.md5()  # noqa: S324 (nbgrader's checksum, not security)
    for part in (cell.source, cell.cell_type, str(grade), str(solution), str(locked), meta["grade_id"]):
        digest.update(part.encode("utf-8"))
    if grade:
        digest.update(str(float(meta["points"])).encode("utf-8"))
    return digest.hexdigest()


def _clear_region(source: str, markers: tuple[str, str], stub: list[str] | None) -> tuple[str, bool]:
    """Remove each marked region of ``source``, putting ``stub`` (indented like the BEGIN line) in its place."""
    out, inside, found = [], False, False
    for line in source.split("\n"):
        if markers[0] in line:
            if inside:
                raise ValueError(f"nested {markers[0]} in a cell: {source[:80]!r}")
            inside = found = True
            indent = re.match(r"\s*", line).group(0)
            out += [indent + s for s in stub or []]
        elif markers[1] in line:
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{markers[0]} without {markers[1]} in a cell: {source[:80]!r}")
    return "\n".join(out), found


def student_notebook(source: NotebookNode) -> NotebookNode:
    """The student version of a source notebook, as nbgrader's generate_assignment makes it."""
    notebook = nbformat.from_dict(source)
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        solution, grade = meta.get("solution", False), meta.get("grade", False)
        locked = not solution and (grade or meta.get("locked", False))
        # LockCells: solution cells cannot be deleted; grade and read-only cells cannot be edited either.
        if solution:
            cell.metadata["deletable"] = False
        elif locked:
            cell.metadata["deletable"] = False
            cell.metadata["editable"] = False
        # ClearSolutions
        stub = (CODE_STUB if cell.cell_type == "code" else TEXT_STUB).split("\n")
        cell.source, replaced = _clear_region(cell.source, SOLUTION, stub)
        if solution and not replaced:
            cell.source = "\n".join(stub)
        # ClearOutput
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        # ClearHiddenTests, then ComputeChecksums (nbgrader's last pass checksums the student version)
        cell.source, _ = _clear_region(cell.source, HIDDEN_TESTS, None)
        if solution or locked:
            meta["checksum"] = _checksum(cell)
            meta["cell_type"] = cell.cell_type
    return notebook


def write_release_notebook(course: Course, assignment: Assignment, release_dir: Path, seed: int | None = None) -> Path:
    """Write the student version of the assignment's notebook: ``release_dir/<assignment>.ipynb``.

    It holds no solution code and no hidden test (so the seed never reaches it).
    """
    release_dir.mkdir(parents=True, exist_ok=True)
    path = release_dir / f"{assignment.name}.ipynb"
    nbformat.write(student_notebook(build_source_notebook(course, assignment, seed=seed)), str(path))
    return path


def _course_id(course: Course) -> str:
    return re.sub(r"[^a-z0-9]+", "-", course.title.lower()).strip("-") or "nnlab"


def write_nbgrader_course(
    course: Course, assignments: list[Assignment] | tuple[Assignment, ...], out: Path, seed: int | None = None
) -> list[Path]:
    """Write ``out/nbgrader/``, a ready nbgrader course directory for the assignments that have notebooks.

    Args:
        course: the course.
        assignments: the assignments to include; those without a ``notebook.py`` are skipped.
        out: the output folder (``nnlab generate --out``); ``out/nbgrader`` must not exist yet.
        seed: the autograder's seed, written only into the hidden test regions of the source
            notebooks (a fresh random one when None).

    Returns:
        The files written.
    """
    root = out / "nbgrader"
    if root.exists():
        raise FileExistsError(f"{root}: already exists (nothing was written)")
    with_notebooks = [a for a in assignments if a.notebook_source is not None]
    written = []
    for assignment in with_notebooks:
        folder = root / "source" / assignment.name
        notebook = build_source_notebook(course, assignment, seed=seed)
        written += write_release_modules(assignment, folder)
        written += _release_checker(course, assignment, folder)
        path = folder / f"{assignment.name}.ipynb"
        nbformat.write(notebook, str(path))
        written.append(path)
    config = root / "nbgrader_config.py"
    root.mkdir(parents=True, exist_ok=True)
    first = with_notebooks[0].name if with_notebooks else "<assignment>"
    config.write_text(
        CONFIG.format(
            first=first,
            course_id=_course_id(course),
            timeout=CELL_TIMEOUT,
            code_stub=CODE_STUB,
        ),
        encoding="utf-8",
    )
    return [*written, config]


def _release_checker(course: Course, assignment: Assignment, folder: Path) -> list[Path]:
    """The release checker (``checker/``, ``fixtures/``, pytest's files) beside the notebook: its check cells use it."""
    from nnlab.fixtures import write_release_checker

    del course  # the checker's fixtures depend on the components only
    components = [c.name for c in assignment.components]
    return write_release_checker(folder, components, given=list(assignment.prerequisites), assignment=assignment.name)
