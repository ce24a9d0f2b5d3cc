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

from nnlab.exercises.course import CourseError  # noqa: E402
from nnlab.graders.courses import load_course  # noqa: E402


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
    from nnlab.graders.reporting import write_atomically as write

    write(path, text)


def _render(report, course, fmt: str, color: bool | None, granularity: str = "family") -> str:  # noqa: ANN001
    hints = course.hints
    if fmt == "text":
        from nnlab.graders.reporting import text

        return text.render(report, hints, color=color)
    from nnlab.graders.reporting import gradebook, gradescope, html, junit

    if fmt == "csv":  # a one-row gradebook
        row = (report.submission, gradescope.to_gradescope(report, hints))
        return gradebook.render(course, [row])
    if fmt == "json":
        return gradescope.render(report, hints, granularity=granularity, settings=course.gradescope)
    if fmt == "junit":
        return junit.render(report, hints, granularity=granularity)
    return html.render(report, hints)


class _OneLineErrors(click.Group):
    """Usage mistakes (an unknown option, a bad value, a missing argument) as one line, exit 2."""

    def main(self, *args, standalone_mode: bool = True, **kwargs):  # noqa: ANN002, ANN003, ANN201
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.NoArgsIsHelpError as error:
            click.echo(error.ctx.get_help() if error.ctx else str(error))
            sys.exit(0)
        except click.UsageError as error:
            where = f" (see {error.ctx.command_path} --help)" if error.ctx is not None else ""
            click.echo(f"nnlab: error: {error.format_message()}{where}", err=True)
            sys.exit(2)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.exceptions.Abort:
            click.echo("nnlab: aborted", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
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
            "--granularity",
            type=click.Choice(["component", "family", "check"]),
            default="family",
            show_default=True,
            help="Rows of the json and junit reports: one per component, per component and check family, or per check.",
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
    granularity: str = "family",
    seed_hidden: bool = False,
) -> None:  # noqa: ANN001
    scratch, folder, assignment = _unpacked(submission, course_path, assignment)  # a zip or a notebook: its modules
    zygote = merged = None
    if not in_process:
        # Started first: its interpreter imports numpy while this one imports the rubric.
        from nnlab.graders.running.puppet import Zygote

        zygote = Zygote()
    try:
        from nnlab.graders.runner import GradingError, grade

        try:
            course = load_course(course_path)
            from nnlab.graders.running.notebook_merge import graded_folder

            # A release folder (modules and notebook): per component, the version the student wrote.
            merged = tempfile.TemporaryDirectory(prefix="nnlab-graded-")
            graded = graded_folder(folder, Path(merged.name), course, assignment)
            report = grade(
                graded.folder,
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
            report.notes.extend(graded.notes)
        except (CourseError, GradingError) as error:
            raise NnlabError(str(error)) from None
    finally:
        if zygote is not None:
            zygote.close()
        if merged is not None:
            merged.cleanup()
        if scratch is not None:
            scratch.cleanup()
    report.submission = str(submission)
    report.seed_hidden = seed_hidden  # graded with --secret: the report may reach the student
    text = _render(report, course, fmt, color=None if output is None else False, granularity=granularity)
    if output is None:
        click.echo(text.encode("utf-8", "backslashreplace").decode("utf-8"), nl=False)
    else:
        write_atomically(output, text)
        click.echo(f"nnlab: {report.score:g} / {report.max_score:g} points; report written to {output}", err=True)


def _unpacked(
    path: Path, course_path: Path | None, assignment: str | None
) -> tuple[tempfile.TemporaryDirectory | None, Path, str | None]:
    """``(scratch, folder, assignment)``: a zip's or a notebook's modules unpacked into a temporary
    folder as --batch finds them (a folder is graded where it is), and the assignment to grade
    (for a notebook, by default its own: the release's prerequisites are not the student's)."""
    kind = path.suffix.lower()
    if path.is_dir() or kind not in (".zip", ".ipynb"):
        return None, path, assignment
    from nnlab.graders.batch import BadSubmission, Entry, unpack
    from nnlab.graders.running.notebook_extract import NotebookError, notebook_assignment, read_notebook

    try:
        course = load_course(course_path)
        if kind == ".ipynb" and assignment is None:
            own = notebook_assignment(read_notebook(path))
            assignment = own if own in {a.name for a in course.assignments} else None
    except (CourseError, NotebookError) as error:
        raise NnlabError(str(error)) from None
    scratch = tempfile.TemporaryDirectory(prefix="nnlab-submission-")
    try:
        folder = unpack(Entry(path.stem, path), Path(scratch.name), course, assignment)
        if not any((folder / f"{m}.py").is_file() for m in course.modules):
            raise BadSubmission("the zip holds no module nnlab knows")
    except (BadSubmission, OSError) as error:
        scratch.cleanup()
        if kind == ".ipynb":
            raise NnlabError(f"{path}: {error}") from None
        raise NnlabError(f"{path}: {error} (expected a zip of modules such as layers.py, or of a notebook)") from None
    return scratch, folder, assignment


@main.command("grade")
@click.argument("submission", type=click.Path(path_type=Path))
@_grade_options
@click.option("--batch", is_flag=True, help="SUBMISSION is a folder holding a folder, a zip or a notebook per student.")
@click.option(
    "--secret",
    type=click.Path(path_type=Path),
    help="The .nnlab-secret.toml `nnlab generate` wrote: grade on the hidden inputs (needs --assignment).",
)
@click.option("--student", help="With --secret: the student whose variant to grade (batch: each folder's name).")
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
    secret: Path | None = None,
    student: str | None = None,
    granularity: str = "family",
) -> None:
    """Grade SUBMISSION, a folder (or a .zip) holding some or all of the API modules (instructor
    mode), or a notebook (.ipynb) whose cells hold them (tagged nnlab:module=..., or %%writefile).

    With --batch, grade every student's submission in the folder SUBMISSION, --jobs at a
    time, into the folder --output (default: SUBMISSION-reports beside it): a report per
    student (.json, .txt, .html), gradebook.csv and the class report (class-report.html,
    class-report.json, needs-help.csv; see nnlab report). Students whose report is current are skipped.
    """
    seed_for = None
    if secret is not None:
        seed_for = _secret_seeds(secret, assignment)
        seed = seed_for(student or "")
    if batch:
        _run_batch(submission, seed, output, course, jobs, assignment, seed_for)
        return
    _run_grade(
        submission,
        assignment,
        only,
        seed,
        fmt,
        output,
        course,
        jobs,
        allow_import,
        in_process,
        granularity=granularity,
        seed_hidden=secret is not None,
    )


def _secret_seeds(secret: Path, assignment: str | None):  # noqa: ANN202
    """``student id -> grading seed`` from the instructor's secret file (variants from its roster)."""
    from nnlab.exercises.course import tomllib
    from nnlab.secret import Roster, assignment_secret, grading_seed

    if not assignment:
        raise NnlabError("--secret: expected --assignment too (each assignment has its own hidden inputs)")
    try:
        data = tomllib.loads(secret.read_text(encoding="utf-8"))
        course_secret = int(data["secret"])
        roster = Roster(dict(data.get("variants", {}).get(assignment, {})))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
        raise NnlabError(
            f"--secret {secret}: expected the .nnlab-secret.toml written by nnlab generate ({type(error).__name__})"
        ) from None
    base = assignment_secret(course_secret, assignment)
    return lambda student: grading_seed(base, roster.variant_of(student))


def _run_batch(
    submissions: Path,
    seed: int,
    output: Path | None,
    course_path: Path | None,
    jobs: int,
    assignment: str | None = None,
    seed_for=None,  # noqa: ANN001
) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from nnlab.graders.batch import discover, grade_batch
    from nnlab.graders.runner import GradingError

    output = output or submissions.resolve().parent / f"{submissions.resolve().name}-reports"
    try:
        course = load_course(course_path)
        if assignment:
            course.assignment(assignment)  # a one-line error for an unknown name, before any work
        elif len(course.assignments) > 1:
            click.echo(
                "nnlab: note: grading every assignment of the course; pass --assignment A to grade one "
                "(a release ships earlier assignments' prerequisites complete, and they would earn points)",
                err=True,
            )
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

            outcomes = grade_batch(
                submissions,
                course,
                output,
                seed=seed,
                jobs=jobs,
                progress=advance,
                assignment=assignment,
                seed_for=seed_for,
            )
    except (CourseError, GradingError) as error:
        raise NnlabError(str(error)) from None
    graded = sum(not o.skipped for o in outcomes)
    click.echo(
        f"nnlab: graded {graded}, skipped {len(outcomes) - graded} current; reports, gradebook.csv and "
        f"class-report.html in {output}",
        err=True,
    )


def _fraction(text: str) -> float:
    """``"0.4"``, ``"40%"`` or ``"40"``: the share 0.4 (a number above 1 is a percent)."""
    try:
        value = float(text.strip().removesuffix("%"))
    except ValueError:
        value = -1.0
    if text.strip().endswith("%") or value > 1:
        value /= 100
    if not 0 <= value <= 1:
        raise NnlabError(f"--threshold {text}: expected a fraction such as 0.5 or a percent such as 50%")
    return value


@main.command("report")
@click.argument("reports", type=click.Path(path_type=Path))
@click.option(
    "--output", "-o", type=click.Path(path_type=Path), help="The folder to write into (default: REPORTS itself)."
)
@click.option(
    "--threshold",
    default="50%",
    show_default=True,
    metavar="FRACTION_OR_PERCENT",
    help="Students below this share of the points go into needs-help.csv (0.4, 40% or 40).",
)
@click.option("--names", is_flag=True, help="Show students' names instead of their anonymous ids.")
@click.option(
    "--compare",
    type=click.Path(path_type=Path),
    metavar="OLD_REPORTS",
    help="An earlier batch's reports: students per misconception before and after.",
)
def report_command(reports: Path, output: Path | None, threshold: str, names: bool, compare: Path | None) -> None:
    """The class report of a batch, from the reports folder `nnlab grade --batch` wrote (no regrading):
    class-report.html (one page: misconceptions, scores, checks the class failed, who needs help),
    class-report.json and needs-help.csv. Students appear by their anonymous ids (gradebook.csv
    maps them) unless --names.
    """
    from nnlab.graders.reporting.insight.records import ReportError, read_folder
    from nnlab.graders.reporting.insight.write import HTML, write_class_report

    share = _fraction(threshold)
    output = output or reports
    if output.exists() and not output.is_dir():
        raise NnlabError(f"--output {output}: not a folder (expected a folder to write the class report into)")
    try:
        records = read_folder(reports)
        before = read_folder(compare) if compare is not None else None
        if not output.exists():
            if not output.parent.is_dir():
                raise NnlabError(f"--output {output}: folder {output.parent} does not exist")
            output.mkdir()
        report = write_class_report(records, output, threshold=share, names=names, before=before)
    except ReportError as error:
        raise NnlabError(str(error)) from None
    click.echo(
        f"nnlab: {report.students} students, {len(report.misconceptions)} misconceptions, "
        f"{len(report.needs_help)} below {100 * share:g}%; class report in {output / HTML}",
        err=True,
    )


@main.command("check")
@click.argument("submission", type=click.Path(path_type=Path), default=".")
@click.option("--assignment", "-a", help="Check one assignment's components (outside a release folder).")
@click.option("--only", multiple=True, metavar="COMPONENT", help="Check only this component, e.g. layers.Conv2d.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report to this file instead.")
@click.option("--course", type=click.Path(path_type=Path), help="A course file (default: the built-in course).")
def check_command(
    submission: Path, assignment: str | None, only: tuple[str, ...], fmt: str, output: Path | None, course: Path | None
) -> None:
    """Check your own work (student mode): the release's self-checker, as `pytest` runs it there.

    In a release folder (it has fixtures/) the checks use its public fixtures and never the
    reference; in a folder of your modules, fixtures are made for them first. Exits 0 whatever
    the result.
    """
    from nnlab.check import CheckError, render, run_check

    try:
        results, subtitle = run_check(submission, assignment=assignment, only=list(only), course_path=course)
    except (CheckError, CourseError) as error:
        raise NnlabError(str(error)) from None
    text = render(results, subtitle, fmt)
    if output is None:
        click.echo(text.encode("utf-8", "backslashreplace").decode("utf-8"), nl=False)
    else:
        write_atomically(output, text)
        passed, counted = sum(r.passed for r in results), sum(r.status != "skipped" for r in results)
        click.echo(f"nnlab check: {passed} of {counted} checks pass; report written to {output}", err=True)


@main.command("generate")
@click.argument("assignments", nargs=-1, metavar="[ASSIGNMENT]...")
@click.option("--out", "output", required=True, type=click.Path(path_type=Path), help="A new folder to write into.")
@click.option("--all", "everything", is_flag=True, help="Every assignment of the course (the default).")
@click.option("--course", type=click.Path(path_type=Path), help="A course file (default: the built-in course).")
@click.option(
    "--variants", type=click.IntRange(0, 999), default=0, help="Also write N numbered releases per assignment."
)
@click.option(
    "--student",
    "students",
    multiple=True,
    metavar="ID|ROSTER.csv",
    help="Also write a release per student (repeatable, or a roster CSV); each gets its own variant.",
)
@click.option("--seed", type=int, help="The course secret (default: a fresh random one; keep it private).")
@click.option(
    "--wheel", type=click.Path(path_type=Path, dir_okay=False), help="A prebuilt nnlab wheel for the autograders."
)
def generate_command(
    assignments: tuple[str, ...],
    output: Path,
    everything: bool,
    course: Path | None,
    variants: int,
    students: tuple[str, ...],
    seed: int | None,
    wheel: Path | None,
) -> None:
    """Write, per ASSIGNMENT (default: all), its release, solution, Gradescope autograder and Classroom repository."""
    from nnlab.exercises.stubs import StubError
    from nnlab.generate import GenerateError, Plan, check_output_folder, generate
    from nnlab.secret import check_student_id, read_roster_csv

    try:
        check_output_folder(output)
        loaded = load_course(course)
        chosen = (
            list(loaded.assignments) if everything or not assignments else [loaded.assignment(a) for a in assignments]
        )
        if variants and students:
            raise GenerateError("--variants and --student: expected one of them (a student's release is a variant)")
        ids: list[str] = []
        for student in students:
            ids += read_roster_csv(Path(student)) if student.lower().endswith(".csv") else [check_student_id(student)]
        if len(set(ids)) != len(ids):
            raise GenerateError(f"--student: {sorted(i for i in ids if ids.count(i) > 1)[0]!r} is given twice")
        if wheel is not None and not wheel.is_file():
            raise GenerateError(f"--wheel {wheel}: no such file (expected an nnlab .whl)")
        summary = generate(loaded, Plan(chosen, variants, ids, wheel, seed), output)
    except (CourseError, StubError, GenerateError, ValueError) as error:
        message = str(error)
        raise NnlabError(message if "nothing was written" in message else f"{message} (nothing was written)") from None
    click.echo(f"nnlab: wrote {summary.files} files for {', '.join(summary.assignments)} to {output}")
    click.echo(f"nnlab: the instructor's secret is in {output / '.nnlab-secret.toml'}; keep it private", err=True)
    for extra in summary.extras:
        click.echo(f"nnlab: note: {extra}", err=True)


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
