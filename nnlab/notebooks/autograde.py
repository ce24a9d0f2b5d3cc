"""The autograder cells of a notebook: grade the notebook FILE in a separate process, return points.

An autograder cell of a source notebook loads this file afresh (``importlib.util``: a new module
object, whatever the notebook did to ``nnlab.notebooks.autograde`` or to the names of its
namespace) and calls ``points("activations.Step", "a1-perceptron", seed=...)`` inside nbgrader's
hidden-test markers. nbgrader reads a cell whose result is a number as its partial credit, and
gives 0 to a cell with an error or any output on stderr, so :func:`points` prints its feedback
to stdout only and returns the points.

:func:`points` (in the kernel) imports the standard library only. It runs
``python -m nnlab.notebooks.autograde`` in a fresh process, in an empty working folder, on the
notebook file that nbgrader executes (in the kernel's working folder). That process reads the
cells tagged with a module (``extract.submission_modules``: the release's modules, each followed
by the notebook's cells), grades the one component with nnlab's grader (each component's code in
its own limited child process, as ``nnlab grade`` does), and prints one JSON line: the points and
the feedback. Nothing of the kernel's state (its classes, its patched modules, its cached
results) takes part, so ``nnlab grade <notebook> --assignment A --seed S`` gives the same points
outside any kernel.

What this cannot prevent: the notebook's cells run in the kernel before the autograder cell, with
the rights of whoever runs nbgrader. Code there can replace what the cell relies on inside the
kernel (``subprocess``, ``importlib``, ``sys.modules`` and the import system, ``json``, the
display hook that turns the cell's value into the output nbgrader reads, IPython's execution of
the cell), or change files on disk (the notebook file itself, other students' submissions, nnlab's
installation). Only running nbgrader in a container per submission rules that out; re-grading the
submitted notebooks with ``nnlab grade`` (outside any kernel) and comparing shows such tampering.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

RESULT = "nnlab-autograde-result: "  # the grading process's last stdout line starts with it
TIMEOUT = 540  # seconds; under nbgrader's per-cell limit in the generated nbgrader_config.py (600)


def points(component: str, assignment: str, seed: int, course: str | None = None) -> float:
    """Grade ``component`` of the notebook file in a separate process; print feedback; return its points."""
    notebook = notebook_file(assignment)
    if notebook is None:
        print(f"{component}: not graded (no notebook of {assignment} in {Path.cwd()}: save the notebook first)")
        return 0.0
    command = [sys.executable, "-m", "nnlab.notebooks.autograde", str(notebook), component, assignment, str(seed)]
    if course is not None:
        command.append(str(Path(course).resolve()))
    with tempfile.TemporaryDirectory(prefix="nnlab-autograde-") as scratch:
        try:
            done = subprocess.run(
                command,
                cwd=scratch,  # nothing in the notebook's folder shadows nnlab or numpy
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            print(f"{component}: not graded (grading took more than {TIMEOUT} s)")
            return 0.0
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT)]
    if not lines:
        why = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        print(f"{component}: not graded (the grading process failed: {why})")
        return 0.0
    result = json.loads(lines[-1][len(RESULT) :])
    print(result["feedback"])
    return float(result["points"])


def notebook_file(assignment: str) -> Path | None:
    """The notebook being run: Jupyter's session path, else ``<assignment>.ipynb`` or another notebook
    of the assignment in the working folder (where nbgrader executes it)."""
    here = Path.cwd()
    candidates = []
    session = os.environ.get("JPY_SESSION_NAME", "")
    if session.endswith(".ipynb"):
        candidates.append(Path(session))
    candidates += [here / f"{assignment}.ipynb", *sorted(here.glob("*.ipynb"))]
    for path in candidates:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            continue
        meta = data.get("metadata") if isinstance(data, dict) else None
        nnlab = meta.get("nnlab") if isinstance(meta, dict) else None
        if isinstance(nnlab, dict) and nnlab.get("assignment", assignment) != assignment:
            continue
        return path.resolve()
    return None


# ----------------------------------------------------------------------- the grading process
def feedback(result: Any, hint: str = "", limit: int = 6) -> str:
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


def grade_notebook(notebook: Path, component: str, assignment: str, seed: int, course: str | None = None) -> dict:
    """``{"points": ..., "feedback": ...}`` of one component of the notebook file (nnlab's grader)."""
    from nnlab.graders.courses import load_course
    from nnlab.graders.runner import GradingError, grade
    from nnlab.graders.running.notebook_extract import NotebookError, extract_modules

    loaded = load_course(course)
    entry = next(c for c in loaded.assignment(assignment).components if c.name == component)
    with tempfile.TemporaryDirectory(prefix="nnlab-notebook-") as folder:
        try:
            extract_modules(notebook, Path(folder), loaded, assignment)
            report = grade(folder, loaded, assignment=assignment, only=[component], seed=seed, jobs=1)
        except (NotebookError, GradingError) as error:
            return {"points": 0.0, "feedback": f"{component}: not graded ({error})"}
    result = next((c for c in report.components if c.component == component), None)
    if result is None:
        return {"points": 0.0, "feedback": f"{component}: not graded (no result)"}
    # nbgrader refuses a partial grade above the cell's points: round, then cap.
    return {"points": min(round(result.score, 6), entry.max_score), "feedback": feedback(result, entry.hint)}


def main(argv: list[str]) -> int:
    """``python -m nnlab.notebooks.autograde NOTEBOOK COMPONENT ASSIGNMENT SEED [COURSE]``."""
    if len(argv) not in (4, 5):
        print(main.__doc__, file=sys.stderr)
        return 2
    notebook, component, assignment, seed = argv[:4]
    result = grade_notebook(Path(notebook), component, assignment, int(seed), argv[4] if len(argv) == 5 else None)
    print(RESULT + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
