"""The ``nnlab`` command: grade submissions, run the demo, generate student material.

A thin layer over the library: it parses arguments, turns every expected failure into a
one-line error (exit status 2), and never writes over anything the user had.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

# Before numpy is imported: grading is many small array operations, which one BLAS thread
# does fastest; parallelism comes from grading components in separate processes (--jobs).
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import click  # noqa: E402 (after the BLAS settings above)

from nnlab.exercises.course import CourseError, load_course  # noqa: E402


class NnlabError(click.ClickException):
    """A one-line error for the user (exit status 2)."""

    exit_code = 2

    def show(self, file=None) -> None:  # noqa: ANN001 (click's signature)
        click.echo(f"nnlab: error: {self.message}", err=True)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file, so a failure leaves no half-written file."""
    if path.is_dir():
        raise NnlabError(f"--output {path}: is a folder (expected a file path)")
    if not path.parent.exists():
        raise NnlabError(f"--output {path}: folder {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _render(report, course, fmt: str, color: bool | None) -> str:  # noqa: ANN001
    hints = {c.name: c.hint for a in course.assignments for c in a.components}
    if fmt == "text":
        from nnlab.graders.reports import text

        return text.render(report, hints, color=color)
    from nnlab.graders.reports import gradebook, gradescope, html, junit

    if fmt == "csv":  # a one-row gradebook
        row = (report.submission, gradescope.to_gradescope(report, hints))
        return gradebook.render(course, [row])
    return {"json": gradescope, "junit": junit, "html": html}[fmt].render(report, hints)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="nnlab")
def main() -> None:
    """nnlab: a deep-learning course kit (reference, exercises, graders)."""


def _grade_options(fn):  # noqa: ANN001, ANN202
    options = [
        click.option("--assignment", "-a", help="Grade one assignment of the course (default: all)."),
        click.option(
            "--only",
            multiple=True,
            metavar="COMPONENT",
            help="Grade only this component, e.g. layers.Conv2d (repeatable).",
        ),
        click.option(
            "--seed", type=int, default=0, show_default=True, help="Seed of every random input; same seed, same report."
        ),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(["text", "json", "junit", "html", "csv"]),
            default="text",
            show_default=True,
        ),
        click.option(
            "--output", "-o", type=click.Path(path_type=Path), help="Write the report to this file instead of stdout."
        ),
        click.option("--course", type=click.Path(path_type=Path), help="A course file (default: the built-in course)."),
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(1, 64),
            default=2,
            show_default=True,
            help="Components graded in parallel.",
        ),
        click.option(
            "--allow-import",
            multiple=True,
            metavar="NAME",
            help="Also allow the submission to import NAME (repeatable).",
        ),
        click.option(
            "--in-process", is_flag=True, help="Run the submission in this process (trusted code only; no limits)."
        ),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _run_grade(
    submission: Path,
    assignment,
    only,
    seed,
    fmt,
    output,
    course_path,
    jobs,
    allow_import,
    in_process,
    reference: bool = True,
) -> None:  # noqa: ANN001
    zygote = None
    if not in_process:
        # Started first: its interpreter imports numpy while this one imports the rubric.
        from nnlab.graders.puppet import Zygote

        zygote = Zygote()
    try:
        from nnlab.graders.runner import GradingError, grade

        try:
            course = load_course(course_path)
            report = grade(
                submission,
                course,
                assignment=assignment,
                only=list(only) or None,
                seed=seed,
                isolate=not in_process,
                reference=reference,
                jobs=jobs,
                allow_imports=tuple(allow_import),
                zygote=zygote,
            )
        except (CourseError, GradingError) as error:
            raise NnlabError(str(error)) from None
    finally:
        if zygote is not None:
            zygote.close()
    text = _render(report, course, fmt, color=None if output is None else False)
    if output is None:
        click.echo(text.encode("utf-8", "backslashreplace").decode("utf-8"), nl=False)
    else:
        write_atomically(output, text)
        click.echo(f"nnlab: {report.score:g} / {report.max_score:g} points; report written to {output}", err=True)


@main.command("grade")
@click.argument("submission", type=click.Path(path_type=Path))
@_grade_options
@click.option("--batch", is_flag=True, help="SUBMISSION is a folder holding a folder or a zip per student.")
def grade_command(
    submission: Path,
    assignment,
    only,
    seed,
    fmt,
    output,
    course,
    jobs,
    allow_import,
    in_process,  # noqa: ANN001
    batch: bool,
) -> None:
    """Grade SUBMISSION, a folder holding some or all of the API modules (instructor mode).

    With --batch, grade every student's submission in the folder SUBMISSION, --jobs at a
    time, into the folder --output (default: SUBMISSION-reports beside it): a report per
    student (.json, .txt, .html) and gradebook.csv. Students whose report is current are skipped.
    """
    if batch:
        _run_batch(submission, seed, output, course, jobs)
        return
    _run_grade(submission, assignment, only, seed, fmt, output, course, jobs, allow_import, in_process)


def _run_batch(submissions: Path, seed: int, output: Path | None, course_path: Path | None, jobs: int) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from nnlab.graders.batch import discover, grade_batch
    from nnlab.graders.runner import GradingError

    output = output or submissions.resolve().parent / f"{submissions.resolve().name}-reports"
    try:
        course = load_course(course_path)
        total = len(discover(submissions))
        with Progress(
            TextColumn("grading"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            transient=False,
        ) as progress:
            task = progress.add_task("", total=total)

            def advance(student: str, skipped: bool) -> None:
                progress.update(task, advance=1, description=f"{student}{' (current, skipped)' if skipped else ''}")

            outcomes = grade_batch(submissions, course, output, seed=seed, jobs=jobs, progress=advance)
    except (CourseError, GradingError) as error:
        raise NnlabError(str(error)) from None
    graded = sum(not o.skipped for o in outcomes)
    click.echo(
        f"nnlab: graded {graded}, skipped {len(outcomes) - graded} current; reports and gradebook.csv in {output}",
        err=True,
    )


@main.command("check")
@click.argument("submission", type=click.Path(path_type=Path), default=".")
@_grade_options
def check_command(
    submission: Path, assignment, only, seed, fmt, output, course, jobs, allow_import, in_process
) -> None:  # noqa: ANN001
    """Check your own work (student mode): every check that needs no reference solution."""
    _run_grade(submission, assignment, only, seed, fmt, output, course, jobs, allow_import, in_process, reference=False)


@main.command("generate")
@click.argument("output", type=click.Path(path_type=Path))
@click.option("--course", type=click.Path(path_type=Path), help="A course file (default: the built-in course).")
def generate_command(output: Path, course: Path | None) -> None:
    """Write the student bundle (stubs, support module, README) into the new folder OUTPUT."""
    from nnlab.bundle import write_bundle
    from nnlab.stubs import StubError

    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise NnlabError(
            f"{output}: already exists and is not an empty folder (expected a new folder; nothing was written)"
        )
    try:
        written = write_bundle(load_course(course), output)
    except (CourseError, StubError) as error:
        raise NnlabError(str(error)) from None
    click.echo(f"nnlab: wrote {len(written)} files to {output}")


@main.command("demo")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def demo_command(seed: int, fmt: str) -> None:
    """Grade a bundled example submission that has a handful of typical student bugs."""
    from nnlab.graders.demo import demo_submission
    from nnlab.graders.runner import grade

    course = load_course()
    with tempfile.TemporaryDirectory(prefix="nnlab-demo-") as folder:
        path = demo_submission(Path(folder) / "demo-student")
        report = grade(path, course, seed=seed)
        report.submission = "demo-student (the reference with a handful of typical bugs)"
    click.echo(_render(report, course, fmt, color=None), nl=False)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
