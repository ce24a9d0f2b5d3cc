"""Gradescope: write an assignment's autograder, and grade one submission inside Gradescope.

``write_autograder`` writes ``DIR/<assignment>/autograder/``::

    setup.sh                 installs the wheel below and requirements.txt into a venv
    run_autograder           runs ``python -m nnlab.autograder`` (this module's ``main``)
    nnlab-autograder.toml    the assignment, its secret, the students' variants
    course/                  the course files (points, hints, Gradescope settings)
    requirements.txt         the dependency versions of the generating environment
    nnlab-<version>-py3-none-any.whl
    autograder.zip           all of the above, setup.sh and run_autograder at its root

Gradescope unpacks the zip into ``/autograder/source``, copies ``run_autograder`` to
``/autograder/run_autograder``, puts the student's files in ``/autograder/submission`` and
reads ``/autograder/results/results.json``. ``AUTOGRADER_ROOT`` moves ``/autograder``.

The grading seed is derived from the assignment's secret and the student's variant, which is
looked up in the roster by the emails, student ids and names of
``submission_metadata.json``. The configuration stays out of the student's reach while their
code runs (the sandbox hides ``source/``), and results.json never shows the seed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import stat
import sys
import tempfile
import zipfile
from pathlib import Path

from nnlab import __version__
from nnlab.exercises.course import Assignment, Course, tomllib
from nnlab.graders.courses import load_course
from nnlab.secret import Roster, grading_seed

CONFIG = "nnlab-autograder.toml"
COURSE_FOLDER = "course"
EXECUTABLE = 0o755


def course_files(course: Course) -> dict[str, Path]:
    """``{relative path: file}``: the course file, every assignment file it names, and the course's own
    components (their references and entries: the autograder grades with them, out of the student's reach)."""
    files = {course.path.name: course.path}
    for assignment in course.assignments:
        if assignment.folder is not None:
            relative = assignment.folder.relative_to(course.path.parent)
            files[(relative / "assignment.toml").as_posix()] = assignment.folder / "assignment.toml"
    for module in course.custom:
        for path in (module.source, module.entries):
            files[path.relative_to(course.path.parent.resolve()).as_posix()] = path
    return files


def copy_course(course: Course, target: Path) -> Path:
    """Copy the course files into ``target``; returns the copied course file."""
    for relative, source in course_files(course).items():
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target / relative)
    return target / course.path.name


def config_toml(assignment: Assignment, course_file: str, secret: int, roster: Roster) -> str:
    lines = [
        "# nnlab autograder configuration. PRIVATE: the secret gives the grader's hidden inputs.",
        f'assignment = "{assignment.name}"',
        f'course = "{course_file}"',
        f"secret = {secret}",
        "",
        "# Each student's variant (their release's fixtures and the grader's inputs), by the email,",
        "# student id or name Gradescope knows them by; anyone else is graded as the common release.",
        "[variants]",
        *[f"{json.dumps(student)} = {variant}" for student, variant in roster.variants.items()],
    ]
    return "\n".join(lines) + "\n"


def write_autograder(
    course: Course, assignment: Assignment, target: Path, *, secret: int, roster: Roster, wheel: Path, pins: list[str]
) -> list[Path]:
    """Write the Gradescope autograder of ``assignment`` into ``target`` (created); returns its files."""
    from nnlab.templates import environment

    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(wheel, target / wheel.name)
    course_file = copy_course(course, target / COURSE_FOLDER).relative_to(target).as_posix()
    (target / CONFIG).write_text(config_toml(assignment, course_file, secret, roster), encoding="utf-8")
    (target / "requirements.txt").write_text("\n".join(pins) + "\n", encoding="utf-8")
    env = environment()
    for template, name in (("gradescope_setup.sh.j2", "setup.sh"), ("gradescope_run_autograder.j2", "run_autograder")):
        text = env.get_template(template).render(version=__version__, assignment=assignment.name, wheel=wheel.name)
        (target / name).write_text(text, encoding="utf-8")
        (target / name).chmod(EXECUTABLE)
    files = sorted(p for p in target.rglob("*") if p.is_file())
    archive = target / "autograder.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in files:
            entry = zipfile.ZipInfo(path.relative_to(target).as_posix(), (2020, 1, 1, 0, 0, 0))
            entry.external_attr = ((EXECUTABLE if os.access(path, os.X_OK) else 0o644) | stat.S_IFREG) << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            zipped.writestr(entry, path.read_bytes())
    return [*files, archive]


# ------------------------------------------------------------------------- inside Gradescope
def student_ids(metadata_file: Path) -> list[str]:
    """Every email, student id and name of the submitters, from ``submission_metadata.json``."""
    try:
        metadata = json.loads(metadata_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    ids = []
    for user in metadata.get("users", []) or []:
        if isinstance(user, dict):
            ids += [str(user[k]) for k in ("email", "sid", "name", "id") if user.get(k)]
    return ids


def submission_folder(submission: Path, scratch: Path, course=None, assignment: str | None = None) -> Path:  # noqa: ANN001
    """The folder to grade: the modules (at any depth), a zip of them, or a notebook's modules
    (beside the assignment's release modules, so the notebook's imports resolve): as batch grading
    unpacks a student's entry, with Gradescope's zip uploaded inside the submission folder."""
    from nnlab.graders.batch import Entry, unpack
    from nnlab.graders.running.loader import API_MODULES

    # next(..., None): a generator is always truthy, so any(rglob(...)) would never look further.
    modules = course.modules if course is not None else API_MODULES  # a course's own modules count too
    has_modules = any(next(submission.rglob(f"{m}.py"), None) is not None for m in modules)
    zips = [] if has_modules else sorted(submission.rglob("*.zip"))
    return unpack(Entry("submission", zips[0] if zips else submission), scratch, course, assignment)


def grade_submission(root: Path) -> dict:
    """Grade ``root/submission`` as the configuration in ``root/source`` says; Gradescope's results."""
    from nnlab.graders.reporting import gradescope
    from nnlab.graders.runner import GradingError, grade, ungraded
    from nnlab.graders.running.notebook_merge import graded_folder

    source = root / "source"
    config = tomllib.loads((source / CONFIG).read_text(encoding="utf-8"))
    course = load_course(source / config["course"])
    assignment = course.assignment(config["assignment"])
    variant = Roster(dict(config.get("variants", {}))).variant_of(*student_ids(root / "submission_metadata.json"))
    seed = grading_seed(int(config["secret"]), variant)
    with tempfile.TemporaryDirectory(prefix="nnlab-autograder-") as scratch:
        try:
            folder = submission_folder(root / "submission", Path(scratch), course, assignment.name)
            # Modules and a notebook (a whole release): per component, the version the student wrote.
            graded = graded_folder(folder, Path(scratch) / "graded", course, assignment.name)
            # The sandbox hides the autograder's own files (its secret) from the student's code.
            report = grade(
                graded.folder, course, assignment=assignment.name, seed=seed, hide=[str(source), str(root / "results")]
            )
            report.notes.extend(graded.notes)
        except (GradingError, ValueError, OSError) as error:
            report = ungraded("submission", course, seed, str(error), assignment.name, every_row=True)
            modules = sorted({entry.name.split(".")[0] + ".py" for entry in assignment.components})
            expected = f"upload {', '.join(modules)}, a zip of them, or the assignment's notebook"
            report.notes.append(
                f"Nothing was graded: the submission holds none of {', '.join(modules)} ({expected})"
                if isinstance(error, GradingError)  # the reason first: a notebook that is not JSON is not "none"
                else f"Nothing was graded: {_relative(str(error), root)} ({expected})"
            )
    report.submission = "submission"
    hints = {c.name: c.hint for c in assignment.components}
    settings = course.gradescope
    results = gradescope.to_gradescope(
        report, hints, granularity=settings.granularity, settings=settings, hidden_inputs=True
    )
    if variant is not None:
        results["extra_data"]["variant"] = variant
    return results


def _relative(message: str, root: Path) -> str:
    return message.replace(f"{root}/", "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nnlab.autograder", description="Grade a Gradescope submission.")
    parser.add_argument("--root", type=Path, default=Path(os.environ.get("AUTOGRADER_ROOT", "/autograder")))
    args = parser.parse_args(argv)
    root = args.root.resolve()
    results = grade_submission(root)
    (root / "results").mkdir(parents=True, exist_ok=True)
    out = root / "results" / "results.json"
    out.write_text(json.dumps(results, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"nnlab: {results['score']:g} / {results['max_score']:g} points; results in {out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
