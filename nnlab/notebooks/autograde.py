"""The autograder's side inside a notebook's kernel: grade the notebook's code, return points.

An autograder cell of a source notebook ends with ``points("activations.Step", "a1-perceptron",
seed=...)`` inside nbgrader's hidden-test markers. nbgrader reads a cell whose result is a
number as its partial credit, and gives 0 to a cell with an error or any output on stderr,
so :func:`points` prints its feedback to stdout only and returns the points.

The student's code is read from the notebook file that nbgrader executes (in the kernel's
working directory: the cells tagged with a module), or, when that file is not there, from
the kernel's input history. Each module is the release's module (prerequisites complete,
the rest stubs) followed by the notebook's cells of that module, so later definitions
replace the stubs as they do in the kernel. The whole assignment is graded once per kernel
and content (a cache keyed by a hash); each autograder cell then reads its component's points.

Runs in the kernel, where nnlab is installed (the instructor's machine, or nbgrader's).
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import io
import os
import sys
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

from nnlab.exercises.course import Course, load_course

from .extract import join_module, module_cells, read_notebook
from .modules import module_parts, release_module

_REPORTS: dict[str, object] = {}  # content hash -> Report, for this kernel


def points(component: str, assignment: str, seed: int, course: str | None = None) -> float:
    """Grade the notebook's code (once per kernel and content); print feedback; return ``component``'s points."""
    captured = io.StringIO()
    with _quiet(captured):
        loaded = load_course(course)
        chosen = loaded.assignment(assignment)
        modules = _student_modules(loaded, assignment)
        report = _grade(loaded, assignment, modules, seed)
    entry = next(c for c in chosen.components if c.name == component)
    result = next((c for c in report.components if c.component == component), None) if report else None
    if result is None:
        print(f"{component}: not graded ({'no code found in the notebook' if not modules else 'grading failed'})")
        print(captured.getvalue().strip())
        return 0.0
    print(feedback(result, entry.hint))
    # nbgrader refuses a partial grade above the cell's points: round, then cap.
    return min(round(result.score, 6), entry.max_score)


def feedback(result: object, hint: str = "", limit: int = 6) -> str:
    """A few plain lines: the score, what failed (first ``limit`` checks), the hint."""
    lines = [f"{result.component}: {result.score:g} / {result.max_score:g} points"]
    if result.note:
        lines.append(f"  {result.note}")
    failed = [c for c in result.checks if c.score < c.max_score]
    if not failed:
        lines[0] += " (all checks passed)"
        return lines[0]
    if not result.note:
        for check in failed[:limit]:
            lines.append(f"  - {check.family}: {check.outcome.name}: {check.outcome.feedback}".rstrip(": "))
        if len(failed) > limit:
            lines.append(f"  ... and {len(failed) - limit} more failed checks")
    if hint:
        lines.append(f"Hint: {hint}")
    return "\n".join(lines)


@contextlib.contextmanager
def _quiet(sink: io.StringIO) -> Iterator[None]:
    """Nothing reaches stderr, not even from child processes (their fd 2 goes to a scratch file)."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as scratch, warnings.catch_warnings(), contextlib.redirect_stderr(sink):
        warnings.simplefilter("ignore")
        os.dup2(scratch.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _grade(course: Course, assignment: str, modules: dict[str, str], seed: int) -> object:
    from nnlab.graders.runner import GradingError, grade

    if not modules:
        return None
    key = hashlib.sha256(repr((str(course.path), assignment, seed, sorted(modules.items()))).encode()).hexdigest()
    if key not in _REPORTS:
        with tempfile.TemporaryDirectory(prefix="nnlab-notebook-") as folder:
            for module, source in modules.items():
                Path(folder, f"{module}.py").write_text(source, encoding="utf-8")
            try:
                _REPORTS[key] = grade(folder, course, assignment=assignment, seed=seed, jobs=2)
            except GradingError as error:
                print(f"nnlab: {error}")
                return None
    return _REPORTS[key]


def _student_modules(course: Course, assignment: str) -> dict[str, str]:
    """``{module: source}`` of the assignment's modules: the release module, then the notebook's cells."""
    chosen = course.assignment(assignment)
    wanted = sorted({c.name.split(".")[0] for c in chosen.components})
    cells = _cells_from_file(assignment) or _cells_from_history(chosen, wanted)
    complete: dict[str, set[str]] = {}
    for name in chosen.prerequisites:
        complete.setdefault(name.split(".")[0], set()).add(name.split(".")[1])
    return {
        module: join_module([release_module(module, complete.get(module, set())), *cells[module]])
        for module in wanted
        if cells.get(module)
    }


def _cells_from_file(assignment: str) -> dict[str, list[str]] | None:
    """The module cells of the notebook in the working directory (``<assignment>.ipynb`` first)."""
    here = Path.cwd()
    candidates = [here / f"{assignment}.ipynb", *sorted(here.glob("*.ipynb"))]
    for path in candidates:
        if not path.is_file():
            continue
        try:
            notebook = read_notebook(path)
        except ValueError:
            continue
        if (notebook.get("metadata") or {}).get("nnlab", {}).get("assignment", assignment) != assignment:
            continue
        cells = module_cells(notebook)
        if cells:
            return cells
    return None


def _cells_from_history(assignment: object, modules: list[str]) -> dict[str, list[str]]:
    """The latest executed cell defining each name a module needs (its components and given code)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return {}
    shell = get_ipython()
    if shell is None:
        return {}
    history = list(shell.history_manager.input_hist_parsed)
    defined: dict[str, int] = {}  # top-level name -> index of the latest cell defining it
    for index, source in enumerate(history):
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
                defined[node.name] = index
    cells: dict[str, list[str]] = {}
    for module in modules:
        parts = module_parts(module)
        names = [c.name.split(".")[1] for c in assignment.components if c.name.startswith(module + ".")]
        names += [h for h in parts.owner if h in defined]
        indices = sorted({defined[n] for n in names if n in defined})
        cells[module] = [history[i] for i in indices]
    return cells
