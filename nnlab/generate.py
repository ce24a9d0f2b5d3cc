"""``nnlab generate``: everything an instructor hands out, per assignment.

``generate(course, names, out)`` writes, for each assignment, ``out/<assignment>/``:

* ``release/`` (and ``release-01``... or ``release-<student>`` with variants): what students
  get: the modules with flat imports (this assignment's components and every later one stubbed,
  its prerequisites complete), ``base.py``, ``README.md``, ``docs/api.md``, the release
  checker and its fixtures, the student notebook;
* ``solution/``: the modules of the assignment's components with the reference solution
  filled in, laid out like a submission (for instructors);
* ``autograder/``: the Gradescope autograder and ``autograder.zip`` (see autograder.py);
* ``classroom/``: the GitHub Classroom starter repository (see classroom.py), unless the course
  has components of its own: Classroom grades in the student's repository, which would then
  hold their reference solutions;
* ``variants.csv``: which student has which variant, when there are variants;

and, for the course, ``out/nbgrader/`` (when the notebook builder is installed) and
``out/.nnlab-secret.toml``: the instructor's secret, the only file that holds it whole.

Everything is written into a temporary sibling of ``out`` and renamed at the end: a failure
leaves nothing behind, and an ``out`` that holds anything is refused before anything is written.
"""

from __future__ import annotations

import ast
import csv
import io
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from nnlab import api_doc
from nnlab.exercises.course import Assignment, Course
from nnlab.secret import (
    SECRET_FILE,
    Roster,
    assignment_secret,
    grading_seed,
    new_secret,
    secret_toml,
)


class GenerateError(ValueError):
    """The output folder or the options are not usable; nothing was written."""


@dataclass
class Plan:
    """What to generate.

    Attributes:
        variants: number of numbered releases per assignment (0: only the common release).
        students: one release per student (variants 1, 2, ... in this order).
        wheel: a prebuilt nnlab wheel for the autograders (default: rebuilt from this nnlab).
        secret: the course secret (default: a fresh one).
    """

    assignments: list[Assignment]
    variants: int = 0
    students: list[str] = field(default_factory=list)
    wheel: Path | None = None
    secret: int | None = None

    def releases(self) -> list[tuple[str, int | None, str | None]]:
        """``(folder, variant, student)`` of every release of one assignment."""
        common = [("release", None, None)]
        if self.students:
            return common + [(f"release-{s}", i, s) for i, s in enumerate(self.students, start=1)]
        return common + [(f"release-{i:02d}", i, None) for i in range(1, self.variants + 1)]


@dataclass
class Summary:
    out: Path
    files: int
    assignments: list[str]
    extras: list[str] = field(default_factory=list)  # what could not be written, and why


def check_output_folder(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise GenerateError(f"--out {out}: already exists and is not an empty folder (expected a new folder)")


def generate(course: Course, plan: Plan, out: Path) -> Summary:
    """Write everything for ``plan.assignments`` into the new folder ``out``."""
    from nnlab.wheel import build_wheel, pinned_requirements

    check_output_folder(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    secret = new_secret() if plan.secret is None else plan.secret
    roster = Roster({s: i for i, s in enumerate(plan.students, start=1)})
    scratch = Path(tempfile.mkdtemp(prefix=f".{out.name}.nnlab-", dir=out.parent))
    summary = Summary(out, 0, [a.name for a in plan.assignments])
    try:
        tmp = scratch / "out"
        tmp.mkdir()
        tools = scratch / "tools"
        tools.mkdir()
        wheel = plan.wheel if plan.wheel is not None else build_wheel(tools)
        pins = pinned_requirements()
        for assignment in plan.assignments:
            _write_assignment(course, assignment, plan, tmp / assignment.name, secret, roster, wheel, pins, summary)
        _write_nbgrader(course, plan.assignments, tmp, secret, summary)
        secret_file = tmp / SECRET_FILE
        secret_file.write_text(secret_toml(secret, {a.name: roster for a in plan.assignments}), encoding="utf-8")
        secret_file.chmod(0o600)
        summary.files = sum(1 for p in tmp.rglob("*") if p.is_file())
        check_output_folder(out)  # again: nothing appeared there meanwhile
        if out.exists():
            out.rmdir()
        tmp.rename(out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return summary


def _write_assignment(
    course: Course,
    assignment: Assignment,
    plan: Plan,
    target: Path,
    secret: int,
    roster: Roster,
    wheel: Path,
    pins: list[str],
    summary: Summary,
) -> None:
    from nnlab.autograder import write_autograder
    from nnlab.classroom import write_classroom

    for folder, variant, _student in plan.releases():
        write_release(course, assignment, target / folder, variant=variant, summary=summary)
    write_solution(assignment, target / "solution", course.custom_sources)
    write_autograder(
        course,
        assignment,
        target / "autograder",
        secret=assignment_secret(secret, assignment.name),
        roster=roster,
        wheel=wheel,
        pins=pins,
    )
    if course.custom:
        own = ", ".join(sorted(course.custom_sources))
        _note(
            summary,
            f"classroom/: not written: GitHub Classroom grades in the student's own repository, which would hold the "
            f"reference of the course's own modules ({own}); grade with the Gradescope autograder or nnlab grade",
        )
    else:
        write_classroom(course, assignment, target / "release", target / "classroom")
    if len(plan.releases()) > 1:
        (target / "variants.csv").write_text(variants_csv(plan), encoding="utf-8")


def variants_csv(plan: Plan) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "variant", "release"])
    for folder, variant, student in plan.releases()[1:]:
        writer.writerow([student or "", variant, folder])
    return buffer.getvalue()


# ----------------------------------------------------------------------------- the release
def _complete(names: set[str] | tuple[str, ...]) -> dict[str, set[str]]:
    """``{"layers": {"Linear"}}`` from ``{"layers.Linear"}``."""
    per_module: dict[str, set[str]] = {}
    for name in names:
        module, _, obj = name.partition(".")
        per_module.setdefault(module, set()).add(obj)
    return per_module


def write_release(
    course: Course, assignment: Assignment, target: Path, variant: int | None = None, summary: Summary | None = None
) -> list[Path]:
    """Write one release of ``assignment`` into ``target``; returns its files."""
    from nnlab.exercises.release import write_release_modules
    from nnlab.templates import environment

    written = write_release_modules(assignment, target, course.custom_sources)
    docs = target / "docs"
    docs.mkdir(exist_ok=True)
    shutil.copyfile(api_doc(), docs / "api.md")
    written += _write_checker(course, assignment, target, variant)
    notebook = _write_notebook(course, assignment, target, summary)
    readme = target / "README.md"
    text = (
        environment()
        .get_template("release_readme.md.j2")
        .render(
            course=course,
            assignment=assignment,
            variant=variant,
            prerequisites=list(assignment.prerequisites),
            notebook=notebook.name if notebook else None,
            own_modules=sorted({c.name.split(".")[0] for c in assignment.components} & set(course.custom_sources)),
        )
    )
    readme.write_text(text, encoding="utf-8")
    return sorted(p for p in target.rglob("*") if p.is_file())


def _write_checker(course: Course, assignment: Assignment, target: Path, variant: int | None) -> list[Path]:
    """The portable release checker (graders/selfcheck) and its public fixtures (from the course's references)."""
    from nnlab.fixtures import write_release_checker

    components = [c.name for c in assignment.components]
    with course.references():
        return list(
            write_release_checker(
                target,
                components,
                variant=variant,
                given=list(assignment.prerequisites),
                assignment=assignment.name,
                catalogue=course.catalogue,
            )
        )


def _write_notebook(course: Course, assignment: Assignment, target: Path, summary: Summary | None) -> Path | None:
    if assignment.notebook_source is None:
        return None
    try:
        from nnlab.notebooks.course_dir import write_release_notebook
    except ImportError as error:  # the notebooks extra (jupytext, nbformat) is not installed
        _note(summary, f"notebooks: not written ({error})")
        return None
    return write_release_notebook(course, assignment, target)


def _write_nbgrader(course: Course, assignments: list[Assignment], out: Path, secret: int, summary: Summary) -> None:
    if not any(a.notebook_source is not None for a in assignments):
        return
    try:
        from nnlab.notebooks.course_dir import write_nbgrader_course
    except ImportError as error:
        _note(summary, f"nbgrader course: not written ({error})")
        return
    # The hidden tests of the source notebooks grade on a seed derived from the course secret.
    write_nbgrader_course(course, assignments, out, seed=grading_seed(assignment_secret(secret, "nbgrader")))


def _note(summary: Summary | None, text: str) -> None:
    if summary is not None and text not in summary.extras:
        summary.extras.append(text)


# ---------------------------------------------------------------------------- the solution
def write_solution(assignment: Assignment, target: Path, sources: dict[str, Path] | None = None) -> list[Path]:
    """The modules of the assignment's components, solved, and every module they import: a full-marks submission.

    A module the solved ones import (``early_stopping`` imports ``training``) comes as the
    release has it, with the prerequisites complete. ``sources``: the course's own reference
    modules (``Course.custom_sources``).
    """
    from nnlab.exercises.release import release_module
    from nnlab.graders.mutants import reference_folder

    target.mkdir(parents=True)
    complete = _complete({*assignment.prerequisites, *(c.name for c in assignment.components)})
    known = {p.stem for p in reference_folder().glob("*.py") if p.name != "__init__.py"} | set(sources or {})
    todo = [*dict.fromkeys(c.name.split(".")[0] for c in assignment.components), "base"]
    written: list[Path] = []
    while todo:
        module = todo.pop(0)
        path = target / f"{module}.py"
        if path.exists():
            continue
        source = release_module(module, complete.get(module, set()), sources)
        path.write_text(source, encoding="utf-8")
        written.append(path)
        todo += sorted(_imported(source) & known)
    return written


def _imported(source: str) -> set[str]:
    """The top-level names of every module ``source`` imports."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names
