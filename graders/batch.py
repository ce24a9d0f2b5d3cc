"""Batch grading: a folder of submissions (a folder, a zip or a notebook per student) to reports and a gradebook.

* Every student is graded in its own process, ``jobs`` at a time; each component still
  runs in its own sandboxed worker, which cannot see the other students' submissions.
* A broken submission (a bad zip, an empty folder, code that crashes) gets a report that
  says so and a score; it never stops the batch. One that cannot be graded at all has every
  rubric row of its components at zero, each saying why, so that its rows (Gradescope, JUnit)
  are named as a graded submission's are.
* Re-running skips every student whose report is current: same submission bytes, same
  course, same seed, same nnlab. The fingerprints live in ``.nnlab-batch.json`` beside the
  reports.
* Outputs, in the output folder: ``<student>.json`` (Gradescope results, with every check and
  its diagnosis in ``extra_data``), ``<student>.txt``, ``<student>.html``, ``gradebook.csv``
  (with each student's anonymous id) and the class report (``class-report.html``,
  ``class-report.json``, ``needs-help.csv``: see graders/reporting/insight).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from nnlab.exercises.course import Course

from nnlab import __version__

from . import settings
from .reporting import gradebook, gradescope, html, text, write_atomically
from .reporting.insight import records
from .reporting.insight.ids import anonymous_ids
from .reporting.insight.write import write_class_report
from .results import Report
from .runner import GradingError, grade, ungraded
from .running.loader import API_MODULES

MANIFEST = ".nnlab-batch.json"
# Changes when what a report holds changes: reports written before are regraded, not skipped.
REPORT_FORMAT = "checks-1"


class BadSubmission(ValueError):
    """A submission that cannot even be unpacked; graded as zero with this reason."""


@dataclass(frozen=True)
class Entry:
    student: str
    path: Path


def discover(folder: Path) -> list[Entry]:
    """One entry per sub-folder, ``.zip`` or ``.ipynb`` of ``folder``, sorted by student name."""
    if not folder.is_dir():
        raise GradingError(
            f"{folder}: not a folder (expected a folder holding a folder, a zip or a notebook per student)"
        )
    entries = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_dir() or path.suffix.lower() in (".zip", ".ipynb"):
            entries.append(Entry(path.stem if path.is_file() else path.name, path))
    if not entries:
        raise GradingError(f"{folder}: holds no submissions (expected a folder, a zip or a notebook per student)")
    return entries


def fingerprint(path: Path, course: Course, seed: int) -> str:
    """Changes whenever anything that could change the report changes."""
    digest = hashlib.sha256(f"{__version__}|{REPORT_FORMAT}|{seed}|".encode())
    digest.update(course.path.read_bytes())
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for file in files:
        digest.update(str(file.relative_to(path) if path.is_dir() else file.name).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def unpack(entry: Entry, into: Path, course: Course | None = None, assignment: str | None = None) -> Path:
    """The folder holding the student's modules (a zip is extracted safely first).

    ``course``, ``assignment``: for a notebook, the release whose modules it runs beside
    (default: the built-in course, the notebook's own assignment).
    """
    if entry.path.is_dir():
        return _module_folder(entry.path, into, course, assignment)
    if entry.path.suffix.lower() == ".ipynb":
        return _notebook_modules(entry.path, into, course, assignment, named=False)
    try:
        with zipfile.ZipFile(entry.path) as archive:
            members = archive.infolist()
            if len(members) > settings.ZIP_MAX_FILES:
                raise BadSubmission(f"the zip holds {len(members)} files (at most {settings.ZIP_MAX_FILES})")
            if sum(m.file_size for m in members) > settings.ZIP_MAX_BYTES:
                raise BadSubmission(f"the zip unpacks to more than {settings.ZIP_MAX_BYTES // 2**20} MiB")
            for member in members:
                target = (into / member.filename).resolve()
                if not target.is_relative_to(into.resolve()) or member.is_dir():
                    continue  # absolute paths and ../ never leave the folder
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as source, open(target, "wb") as sink:
                    shutil.copyfileobj(source, sink)
    except zipfile.BadZipFile:
        raise BadSubmission("not a valid zip file") from None
    return _module_folder(into, into, course, assignment)


def _module_folder(
    root: Path, scratch: Path | None = None, course: Course | None = None, assignment: str | None = None
) -> Path:
    """The shallowest folder under ``root`` that holds an API module (students zip folders).

    A student folder with no module but a notebook: the notebook's modules, extracted into ``scratch``
    beside the release's modules, which its cells import.
    """
    modules = course.modules if course is not None else API_MODULES  # a course's own modules count too
    candidates = [p.parent for name in modules for p in root.rglob(f"{name}.py") if "__MACOSX" not in p.parts]
    if not candidates:
        notebooks = sorted(p for p in root.rglob("*.ipynb") if not {"__MACOSX", ".ipynb_checkpoints"} & set(p.parts))
        if notebooks and scratch is not None:  # several: the shallowest, then by name
            chosen = min(notebooks, key=lambda p: (len(p.parts), str(p)))
            return _notebook_modules(chosen, scratch, course, assignment)
        return root
    return min(candidates, key=lambda p: (len(p.parts), str(p)))


def _notebook_modules(
    notebook: Path, scratch: Path, course: Course | None, assignment: str | None, named: bool = True
) -> Path:
    """The notebook's modules, extracted into ``scratch`` beside the release's modules its cells import."""
    from nnlab.graders.running.notebook_extract import NotebookError, extract_modules

    try:
        extract_modules(notebook, scratch / "notebook-modules", course, assignment)
    except NotebookError as error:
        # Reported as "<student>: <why>": name the notebook only when the student's entry is not the notebook.
        why = str(error).removeprefix(f"{notebook}: ")
        raise BadSubmission(f"{notebook.name}: {why}" if named else why) from None
    return scratch / "notebook-modules"


@dataclass
class StudentResult:
    student: str
    report: dict  # Gradescope results
    skipped: bool = False


def _grade_one(
    entry: Entry,
    course: Course,
    seed: int,
    output: Path,
    hide: list[str],
    assignment: str | None = None,
    seed_hidden: bool = False,
) -> StudentResult:
    """Grade one student and write its reports; any failure becomes a zero report."""
    from nnlab.graders.running.notebook_merge import graded_folder

    with tempfile.TemporaryDirectory(prefix="nnlab-batch-") as scratch:
        try:
            folder = unpack(entry, Path(scratch), course, assignment)
            if not any((folder / f"{m}.py").is_file() for m in course.modules):  # not the scratch path, nor "--batch?"
                expected = ", ".join(f"{m}.py" for m in course.modules)
                raise BadSubmission(f"holds no module nnlab knows (expected some of {expected}, or a notebook)")
            # Modules and a notebook (a whole release): per component, the version the student wrote.
            graded = graded_folder(folder, Path(scratch) / ".nnlab-graded", course, assignment)
            report = grade(graded.folder, course, assignment=assignment, seed=seed, jobs=1, hide=hide)
            report.notes.extend(graded.notes)
        except (BadSubmission, GradingError, OSError) as error:
            report = _zero_report(entry, course, seed, str(error), assignment)
    report.submission = entry.student
    report.seed_hidden = seed_hidden
    hints = course.hints
    results = records.with_checks(gradescope.to_gradescope(report, hints), report)
    write_atomically(
        output / f"{entry.student}.json", json.dumps(results, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    )
    write_atomically(output / f"{entry.student}.txt", text.render(report, hints, color=False))
    write_atomically(output / f"{entry.student}.html", html.render(report, hints))
    return StudentResult(entry.student, results)


def _zero_report(entry: Entry, course: Course, seed: int, why: str, assignment: str | None = None) -> Report:
    """Every rubric row at zero with ``why`` (see :func:`~nnlab.graders.runner.ungraded`)."""
    report = ungraded(entry.student, course, seed, f"not graded: {why}", assignment)
    report.notes.append(f"{entry.path.name}: {why}")
    return report


def grade_batch(
    submissions: Path,
    course: Course,
    output: Path,
    seed: int = 0,
    jobs: int = 2,
    progress: Callable[[str, bool], None] | None = None,
    assignment: str | None = None,
    seed_for: Callable[[str], int] | None = None,
) -> list[StudentResult]:
    """Grade every submission in ``submissions`` into ``output``; returns one outcome each.

    ``assignment``: grade only that assignment's components. ``seed_for``: each student's seed
    (from the instructor's secret and the student's variant), instead of one ``seed`` for all.
    """
    entries = discover(submissions)
    seeds = {entry.student: seed_for(entry.student) if seed_for else seed for entry in entries}
    if output.resolve().is_relative_to(submissions.resolve()):
        raise GradingError(f"--output {output}: must not be inside {submissions} (it would be graded as a submission)")
    output.mkdir(parents=True, exist_ok=True)
    manifest_path = output / MANIFEST
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    outcomes: list[StudentResult] = []
    todo = []
    for entry in entries:
        current = fingerprint(entry.path, course, seeds[entry.student]) + (f"|{assignment}" if assignment else "")
        stored = output / f"{entry.student}.json"
        if manifest.get(entry.student) == current and stored.exists():
            outcomes.append(StudentResult(entry.student, json.loads(stored.read_text()), skipped=True))
            if progress:
                progress(entry.student, True)
        else:
            todo.append((entry, current))
    hide = [str(submissions.resolve()), str(output.resolve())]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=context) as pool:
        futures = {
            pool.submit(
                _grade_one, entry, course, seeds[entry.student], output, hide, assignment, seed_for is not None
            ): (entry, current)
            for entry, current in todo
        }
        for future in as_completed(futures):
            entry, current = futures[future]
            try:
                outcome = future.result()
            except Exception as error:  # noqa: BLE001 - the batch goes on
                report = _zero_report(entry, course, seeds[entry.student], f"grading failed: {error}", assignment)
                report.seed_hidden = seed_for is not None
                outcome = StudentResult(entry.student, records.with_checks(gradescope.to_gradescope(report), report))
            outcomes.append(outcome)
            manifest[entry.student] = current
            write_atomically(manifest_path, json.dumps(manifest, indent=1, sort_keys=True))
            if progress:
                progress(entry.student, False)
    outcomes.sort(key=lambda o: o.student)
    rows = [(o.student, o.report) for o in outcomes]
    ids = anonymous_ids(o.student for o in outcomes)
    write_atomically(output / "gradebook.csv", gradebook.render(course, rows, assignment, ids))
    try:
        write_class_report([records.from_results(o.student, o.report) for o in outcomes], output)
    except records.ReportError as error:
        raise GradingError(f"class report: {error}") from None
    return outcomes
