"""GitHub Classroom: a starter repository per assignment, and the grading step of its workflow.

The starter repository is the assignment's release plus ``.github/workflows/classroom.yml``
and the course files (``.github/nnlab/course/``). The workflow follows the one GitHub
Classroom itself generates today (``classroom-resources/autograding-*`` actions, which
replaced the ``education/autograding`` action and its ``.github/classroom/autograding.json``):
a grading step writes the output ``result`` (base64 JSON: ``version``, ``status``,
``max_score``, ``tests`` with a ``score`` each) and ``autograding-grading-reporter`` adds up
the tests' scores against ``max_score`` and posts "Points X/Y" to Classroom. The grading
step is nnlab itself (``python -m nnlab.classroom``), not ``autograding-command-grader``,
because that one gives all or nothing per command, and nnlab gives partial credit per row.

The seed of the hidden inputs is the repository (or organisation) secret
``NNLAB_GRADING_SEED``; without it the step fails with a message saying what to set. It is
removed from the environment before the student's code runs.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from nnlab import __version__
from nnlab.exercises.course import Assignment, Course, CourseError
from nnlab.graders.courses import load_course

WORKFLOW = Path(".github/workflows/classroom.yml")
COURSE_FOLDER = Path(".github/nnlab/course")
SEED_VARIABLE = "NNLAB_GRADING_SEED"
RUNNER = "nnlab"  # the reporter reads the environment variable NNLAB_RESULTS
PYTHON = "3.11"


def write_classroom(course: Course, assignment: Assignment, release: Path, target: Path) -> list[Path]:
    """Write the starter repository of ``assignment`` into ``target``: ``release`` plus the workflow."""
    from nnlab.autograder import copy_course
    from nnlab.templates import environment

    if course.custom:  # the starter repository is the student's: it would hand out their solutions
        raise ValueError(
            f"{course.path}: a course with components of its own ({', '.join(sorted(course.custom_sources))}) has no "
            "Classroom repository: it would hold their reference solutions"
        )
    shutil.copytree(release, target)
    course_file = copy_course(course, target / COURSE_FOLDER).relative_to(target).as_posix()
    workflow = target / WORKFLOW
    workflow.parent.mkdir(parents=True, exist_ok=True)
    text = (
        environment()
        .get_template("classroom.yml.j2")
        .render(assignment=assignment.name, course=course_file, version=__version__, python=PYTHON)
    )
    workflow.write_text(text, encoding="utf-8")
    (target / ".gitignore").write_text("__pycache__/\n.pytest_cache/\n.hypothesis/\n.ipynb_checkpoints/\n")
    return sorted(p for p in target.rglob("*") if p.is_file())


def runner_result(results: dict) -> dict:
    """Gradescope-style results as the grading reporter reads a runner's result."""
    tests = [
        {
            "name": test["name"],
            "status": "pass" if test["status"] == "passed" else "fail",
            "score": test["score"],
            "message": test["output"],
            "line_no": 0,
            "execution_time": "0s",
        }
        for test in results["tests"]
    ]
    status = "pass" if all(t["status"] == "pass" for t in tests) else "fail"
    return {"version": 1, "status": status, "max_score": results["max_score"], "tests": tests}


def main(argv: list[str] | None = None) -> int:
    """Grade the repository; print a summary and write the step output ``result``."""
    parser = argparse.ArgumentParser(
        prog="python -m nnlab.classroom", description="Grade a GitHub Classroom repository."
    )
    parser.add_argument("folder", type=Path, nargs="?", default=Path("."))
    parser.add_argument("--assignment", required=True)
    parser.add_argument("--course", type=Path)
    parser.add_argument("--output", type=Path, help="Also write the runner result (decoded JSON) to this file.")
    args = parser.parse_args(argv)
    raw = os.environ.pop(SEED_VARIABLE, "").strip()  # gone before any student code runs
    if not raw.isdigit():
        print(
            f"::error::nnlab: the secret {SEED_VARIABLE} is {'not a number' if raw else 'not set'}: the instructor "
            "must set it (organisation or repository Settings > Secrets and variables > Actions) to the seed "
            "`python -m nnlab.secret DIR/.nnlab-secret.toml ASSIGNMENT` prints.",
            file=sys.stderr,
        )
        return 2
    from nnlab.graders.reporting import gradescope
    from nnlab.graders.runner import GradingError, grade
    from nnlab.graders.running.notebook_merge import graded_folder

    try:
        course = load_course(args.course)
        assignment = course.assignment(args.assignment)
        with tempfile.TemporaryDirectory(prefix="nnlab-classroom-") as scratch:
            # The repository holds the modules and the notebook: per component, the version the student wrote.
            graded = graded_folder(args.folder, Path(scratch), course, assignment.name)
            report = grade(graded.folder, course, assignment=assignment.name, seed=int(raw))
        report.notes.extend(graded.notes)
    except (CourseError, GradingError) as error:
        print(f"::error::nnlab: {error}", file=sys.stderr)
        return 2
    results = gradescope.to_gradescope(
        report, course.hints, granularity=course.gradescope.granularity, hidden_inputs=True
    )
    result = runner_result(results)
    for test in result["tests"]:
        mark = "✅" if test["status"] == "pass" else "❌"
        print(f"{mark} {test['name']}: {test['score']:g}")
        if test["message"]:
            print("   " + test["message"].replace("\n", "\n   "))
    for note in report.notes:
        print(f"nnlab: note: {note}")
    print(f"nnlab: {results['score']:g} / {results['max_score']:g} points")
    encoded = base64.b64encode(json.dumps(result).encode()).decode()
    if os.environ.get("GITHUB_OUTPUT"):
        with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as handle:
            handle.write(f"result={encoded}\n")
    if args.output:
        args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
