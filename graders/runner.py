"""Grade a submission: for each component, run its checks in a fresh session and score them.

The pipeline, per component (in parallel across components):
  1. a new session on a private copy of the submission (a child process by default);
  2. the module's import status: missing -> "not submitted", import error -> one line;
  3. the import policy: disallowed imports cost the component its points;
  4. every check of every family the course gives points to; a student's exception,
     timeout or crash becomes a failed outcome of that check only;
  5. points: each family's points are shared equally by its outcomes.
Only this process decides scores; the session returns plain values.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import queue
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from multiprocessing.queues import Queue, SimpleQueue
from pathlib import Path

from nnlab.exercises.components import CATALOGUE, Component
from nnlab.exercises.components import component as lookup
from nnlab.exercises.course import ComponentEntry, Course

from . import settings
from .judging import refutation
from .judging.catalogue import FAMILIES, NEEDS_REFERENCE, CheckDef, Context, checks_for
from .judging.crashes import read_crash
from .judging.diagnose import Finding
from .results import (
    ERROR,
    NOT_IMPLEMENTED,
    NOT_SUBMITTED,
    ComponentReport,
    Outcome,
    Report,
    ScoredCheck,
)
from .running.imports import charged_to, disallowed_imports
from .running.puppet import ChildSession, InProcessSession, Session, StudentError, StudentTimeout, Zygote

# One row of a component's report: the check, the row's name, its case (None for a check of the whole component).
Row = tuple[CheckDef, str, object]


class GradingError(Exception):
    """Grading could not run at all (bad arguments, unreadable submission)."""


def _score(
    entry: ComponentEntry, family: str, outcomes: list[Outcome], component: str, interface: list[bool] | None = None
) -> list[ScoredCheck]:
    points = entry.points.get(family, 0.0)
    share = points / len(outcomes) if outcomes else 0.0
    flags = interface or [False] * len(outcomes)
    return [
        ScoredCheck(component, family, o, share if o.passed else 0.0, share, f)
        for o, f in zip(outcomes, flags, strict=True)
    ]


def _rows(entry: ComponentEntry, component: Component, reference: bool) -> Iterator[tuple[str, list[Row]]]:
    """Per family the course gives points to (``reference`` only with the reference), its rows in rubric order."""
    for family in FAMILIES:
        if not entry.points.get(family) or (family in NEEDS_REFERENCE and not reference):
            continue
        checks = checks_for(component, family)
        yield family, [(check, name, case) for check in checks for name, case in check.runs(component)]


def _unavailable(
    entry: ComponentEntry, component: Component, status: str, text: str, reference: bool
) -> list[ScoredCheck]:
    """Every check of the component fails with the same one-line reason."""
    scored = []
    for family, rows in _rows(entry, component, reference):
        scored += _score(entry, family, [Outcome(name, status, text) for _, name, _ in rows], entry.name)
    return scored


def _not_submitted(assignment: str, entry: ComponentEntry, component: Component, reference: bool) -> ComponentReport:
    note = f"not submitted ({component.module}.py is missing)"
    return ComponentReport(entry.name, assignment, _unavailable(entry, component, NOT_SUBMITTED, note, reference), note)


def ungraded(
    submission: str, course: Course, seed: int, why: str, assignment: str | None = None, every_row: bool = False
) -> Report:
    """The report of a submission that could not be graded at all: every rubric row of every component
    at zero, named as a graded submission's rows are (Gradescope and JUnit keep their rows from one
    submission to the next).

    Args:
        submission, seed: the report's.
        why: the one-line reason: each component's note and each row's feedback.
        assignment: the assignment whose components are listed; None: the course's.
        every_row: each row "not submitted", as for a missing module (the autograder's choice: its
            report's notes say why). Otherwise each row is an error whose feedback is ``why``: a batch's
            class report counts the submission as a failed attempt, not as a missing one.
    """
    components = []
    for part, entry in course.entries(assignment):
        component = course.catalogue[entry.name]
        if every_row:
            components.append(_not_submitted(part, entry, component, True))
        else:
            components.append(ComponentReport(entry.name, part, _unavailable(entry, component, ERROR, why, True), why))
    return Report(submission, seed, components)


def grade_component(
    folder: Path,
    assignment: str,
    entry: ComponentEntry,
    seed: int,
    make_session: Callable[[], Session],
    reference: bool = True,
    banned_imports: dict[str, set[str]] | None = None,
    import_errors: dict[str, str] | None = None,
    catalogue: Mapping[str, Component] | None = None,
) -> ComponentReport:
    """Grade one component; ``catalogue``: the course's (nnlab's and its own components), default nnlab's."""
    component = catalogue[entry.name] if catalogue is not None else lookup(entry.name)
    if not (folder / f"{component.module}.py").exists():
        return _not_submitted(assignment, entry, component, reference)
    report = ComponentReport(entry.name, assignment)
    banned = charged_to(entry.name, banned_imports or {})
    if banned:
        report.note = (
            f"uses {', '.join(sorted(banned))}, which a submission may not import "
            "(numpy, the standard library and the support module only)"
        )
        report.checks = _unavailable(entry, component, ERROR, report.note, reference)
        return report
    if (import_errors or {}).get(component.module):
        report.note = f"{component.module}.py could not be imported: {import_errors[component.module]}"
        report.checks = _unavailable(entry, component, ERROR, report.note, reference)
        return report
    with make_session() as session:
        try:
            statuses = session.load(folder, modules=[component.module])
        except StudentError as error:
            report.note = f"could not be imported: {error.describe()}"
            report.checks = _unavailable(entry, component, ERROR, report.note, reference)
            report.output = session.output()
            return report
        report.protections = _protections(session)
        status = statuses.get(component.module, {})
        if status.get("state") == "error":
            report.note = f"{component.module}.py could not be imported: {status.get('error')}"
            report.checks = _unavailable(entry, component, ERROR, report.note, reference)
            report.output = session.output()
            return report
        context = Context(component, session, seed, reference)
        with refutation.ledger() as ledger:
            families = []
            for family, rows in _rows(entry, component, reference):
                outcomes = []
                for check, name, case in rows:
                    ledger.row = name
                    # The registered line names the row, whatever the check called its outcome: a
                    # Gradescope row keeps its name across submissions (passed, failed, missing, a stub).
                    outcomes.append(replace(_run_one(check.fn, context, name, case), name=name))
                families.append((family, outcomes, [check.interface for check, _, _ in rows]))
            # Once every row has run, while the session is open: a claim another case refutes is withdrawn.
            for family, outcomes, interface in families:
                settled = [ledger.settle(outcome) for outcome in outcomes]
                report.checks += _score(entry, family, settled, entry.name, interface)
    report.output = session.output()  # after close: everything the child printed
    if _is_stub(report.checks):
        report.note = "not implemented (the stub still raises NotImplementedError)"
        report.checks = [
            replace(c, score=0.0, outcome=replace(c.outcome, status=NOT_IMPLEMENTED, feedback=report.note))
            for c in report.checks
        ]
    elif any(c.outcome.feedback.startswith("LookupError") for c in report.checks) and report.score == 0:
        report.note = f"not submitted ({component.module}.py has no {component.class_name})"
    timeouts = [c for c in report.checks if c.outcome.misconception == "timeout"]
    if timeouts and not report.note:
        report.note = timeouts[0].outcome.feedback
    return report


@dataclass
class _Job:
    """What every component of one grading run shares (sent once to each grading process)."""

    folder: Path
    seed: int
    reference: bool
    banned: dict[str, set[str]]
    isolate: bool
    time_limit: float
    hide: tuple[str, ...] = ()
    zygote: Zygote | None = None  # shared by the grading processes (see Zygote.lock)
    import_errors: dict[str, str] = field(default_factory=dict)
    catalogue: dict[str, Component] | None = None  # the course's; None: nnlab's


def preflight(folder: Path, modules: list[str], zygote: Zygote, hide: tuple[str, ...]) -> dict[str, str]:
    """Import each module once, alone, in a sandboxed worker: ``{module: error}`` for failures.

    A module that hangs or crashes at import would otherwise cost the time limit once for
    every one of its components; found here, it costs it once.
    """
    errors = {}
    for module in modules:
        if not (folder / f"{module}.py").exists():
            continue
        with ChildSession(time_budget=settings.IMPORT_TIME_LIMIT, zygote=zygote, hide=list(hide)) as session:
            try:
                status = session.load(folder, modules=[module]).get(module, {})
            except StudentError as error:
                errors[module] = error.describe().replace(" in load", " while importing")
                continue
        if status.get("state") == "error":
            errors[module] = status.get("error", "")
    return errors


def _grade_in_job(job: _Job, pair: tuple[str, ComponentEntry]) -> ComponentReport:
    """Grade one ``(assignment, entry)`` of ``job``."""

    def make_session() -> Session:
        if not job.isolate:
            return InProcessSession()
        return ChildSession(time_budget=job.time_limit, zygote=job.zygote, hide=list(job.hide))

    return grade_component(
        job.folder,
        pair[0],
        pair[1],
        job.seed,
        make_session,
        job.reference,
        job.banned,
        job.import_errors,
        job.catalogue,
    )


def _grade_in_processes(job: _Job, entries: list[tuple[str, ComponentEntry]], workers: int) -> list[ComponentReport]:
    """Grade ``entries`` in ``workers`` forked processes, each taking the next entry when it is free.

    Processes, not threads: the grader's side of the checks is Python, and the GIL would serialise
    it. The processes get ``job`` as an argument, by fork (its zygote's socket and lock can only be
    inherited, not pickled), and before any thread starts.
    """
    context = multiprocessing.get_context("fork")
    tasks, answers = context.SimpleQueue(), context.Queue()
    processes = [context.Process(target=_serve, args=(job, tasks, answers)) for _ in range(workers)]
    for process in processes:
        process.start()
    for task in [*enumerate(entries), *[None] * workers]:  # after the start: a full pipe would block here
        tasks.put(task)
    reports: dict[int, ComponentReport] = {}
    try:
        while len(reports) < len(entries):
            try:
                index, report, error = answers.get(timeout=1.0)
            except queue.Empty:  # a grading process that died took its entry with it: as a broken pool would
                if any(p.exitcode for p in processes) or all(p.exitcode is not None for p in processes):
                    raise RuntimeError("a grading process terminated abruptly") from None
                continue
            if error is not None:
                raise error
            reports[index] = report
    finally:
        for process in processes:
            if process.exitcode is None and len(reports) < len(entries):
                process.terminate()
            process.join()
    return [reports[index] for index in range(len(entries))]


def _serve(job: _Job, tasks: SimpleQueue, answers: Queue) -> None:
    """One grading process: ``(index, report, error)`` for each task it takes, until a ``None``."""
    while (task := tasks.get()) is not None:
        index, pair = task
        try:
            answers.put((index, _grade_in_job(job, pair), None))
        except Exception as error:  # noqa: BLE001  (raised again in the parent, which decides)
            answers.put((index, None, error))


def _protections(session: Session) -> list[str]:
    try:
        return list(session.request("protections"))
    except StudentError:  # the submission broke its worker while importing
        return []


def _is_stub(checks: list[ScoredCheck]) -> bool:
    """Nothing beyond the interface works, and something says "not implemented"."""
    implemented = [c for c in checks if not c.interface]
    return any(c.outcome.status == NOT_IMPLEMENTED for c in implemented) and not any(
        c.outcome.passed for c in implemented
    )


def _row_seed(seed: int, component: str, row: str) -> int:
    """The seed of one row's unseeded randomness: the same for the same seed, whatever ran before it."""
    digest = hashlib.sha256(f"{seed}/{component}/{row}".encode()).digest()
    return int.from_bytes(digest[:4], "little")


def _run_one(fn: Callable, context: Context, name: str, case: object) -> Outcome:
    try:
        context.session.request("seed", value=_row_seed(context.seed, context.component.name, name))
        return fn(context, case) if case is not None else fn(context)
    except StudentTimeout as error:
        return Outcome(name, ERROR, f"{context.component.name}: {error.describe()}", "timeout")
    except StudentError as error:
        if error.not_implemented:
            return Outcome(name, NOT_IMPLEMENTED, error.describe())
        if error.type_name == "LookupError":
            return Outcome(name, NOT_SUBMITTED, f"LookupError: {error.message}")
        contract = f". The contract: {error.contract}" if error.contract else ""
        text = f"raised {error.describe().rstrip()}{contract}"
        # The mistake the crash reveals (the line that raised, the case): read only once it raised.
        found = error.diagnosis or read_crash(error, context.component)
        if found is not None:
            explained = text + "." + Finding("", found).sentences()
            return Outcome(name, ERROR, explained, found.tag, confidence=found.confidence)
        return Outcome(name, ERROR, text, "exception")
    except RecursionError:
        return Outcome(name, ERROR, _UNUSABLE.format(what="a value nested too deeply"), "unexpected-result")
    except Exception as error:  # noqa: BLE001
        # What came back was plain data but not what the check could use (a huge int, a
        # complex number, an empty or ragged list...): the check fails, the run goes on.
        what = f"{type(error).__name__}: {str(error)[:200]}"
        return Outcome(name, ERROR, _UNUSABLE.format(what=what), "unexpected-result")


_UNUSABLE = (
    "the grader could not use what your code returned or did ({what}); the methods in docs/api.md "
    "return float64 arrays (or floats) of the documented shapes"
)


def dependency_notes(components: list[ComponentReport], catalogue: Mapping[str, Component] = CATALOGUE) -> list[str]:
    """'SiLU builds on your Sigmoid, which lost points too': where to start fixing.

    ``catalogue``: the entries of the course graded (a course's own component's ``builds_on`` counts too).
    """
    # Only a base that was submitted and lost points is worth fixing first; a base that was not
    # submitted (another assignment's, or not yet written) says nothing about this component.
    lost = {c.component for c in components if c.score < c.max_score}
    submitted_and_lost = {c.component for c in components if c.component in lost and not _unsubmitted(c)}
    notes = []
    for component in components:
        entry = catalogue.get(component.component)
        base = entry.builds_on if entry is not None else ()
        if component.component in lost and base and base[0] in submitted_and_lost:
            notes.append(
                f"{component.component} lost points and, as written in the course, {base[1]}: your "
                f"{base[0]}, which lost points too. Fix {base[0]} first; {component.component}'s checks may then pass."
            )
    return notes


def _unsubmitted(component: ComponentReport) -> bool:
    return bool(component.checks) and all(c.outcome.status == NOT_SUBMITTED for c in component.checks)


def _check_submission_folder(folder: Path, modules: tuple[str, ...]) -> None:
    """A folder with none of ``modules`` (nnlab's and the course's own) is a mistake: a wrong folder, or a batch."""
    if any((folder / f"{module}.py").is_file() for module in modules):
        return
    students = [p for p in folder.iterdir() if p.is_dir() and any((p / f"{m}.py").is_file() for m in modules)]
    students += [p for p in folder.iterdir() if p.suffix == ".zip"]
    if students:
        raise GradingError(
            f"{folder}: holds no module nnlab knows, but {len(students)} student folder(s) or zip(s) such as "
            f"{sorted(students)[0].name}; did you mean --batch?"
        )
    raise GradingError(
        f"{folder}: holds no module nnlab knows (expected some of {', '.join(m + '.py' for m in modules)}; "
        "did you mean --batch for a folder of student folders?)"
    )


def grade(
    submission: str | Path,
    course: Course,
    assignment: str | None = None,
    only: list[str] | None = None,
    seed: int = 0,
    isolate: bool = True,
    reference: bool = True,
    jobs: int = 2,
    allow_imports: tuple[str, ...] = (),
    time_limit: float = settings.COMPONENT_TIME_LIMIT,
    hide: list[str] | None = None,
    zygote: Zygote | None = None,
) -> Report:
    """Grade ``submission`` (a folder of API modules) on the course; never raises for bad code.

    ``zygote``: one already started (the CLI starts it before importing the rubric, so that
    its start-up overlaps the grader's); the caller closes it. Otherwise grade starts its own.
    """
    folder = Path(submission)
    if not folder.exists():
        raise GradingError(f"{folder}: no such submission (expected a folder holding modules such as layers.py)")
    if not folder.is_dir():
        raise GradingError(f"{folder}: not a folder (expected a folder holding modules such as layers.py)")
    _check_submission_folder(folder, course.modules)
    entries = course.entries(assignment, only)
    allowed = set(course.allowed_imports | set(allow_imports))
    started = time.monotonic()
    graded_modules = {course.catalogue[entry.name].module for _, entry in entries}
    banned = disallowed_imports(folder, allowed, graded_modules)  # once, before any thread starts

    # The course's own references hold solutions: hidden from student code like nnlab's.
    hidden = (*(hide or ()), *(str(p) for p in course.private_files))
    job = _Job(folder, seed, reference, banned, isolate, time_limit, hidden, catalogue=dict(course.catalogue))
    try:
        if isolate:
            job.zygote = zygote or Zygote()
            # Only where a module serves several components does a hang at import multiply.
            counts = Counter(course.catalogue[entry.name].module for _, entry in entries)
            job.import_errors = preflight(folder, sorted(m for m, n in counts.items() if n > 1), job.zygote, job.hide)
        with course.references():  # the checks find the course's own references (the pool inherits them)
            if isolate and jobs > 1 and len(entries) > 1:
                components = _grade_in_processes(job, entries, min(jobs, len(entries)))  # they share the zygote
            else:
                components = [_grade_in_job(job, pair) for pair in entries]
    finally:
        if job.zygote is not None and job.zygote is not zygote:
            job.zygote.close()
    report = Report(str(folder), seed, components, time.monotonic() - started)
    report.notes.extend(dependency_notes(components, course.catalogue))
    if isolate:
        seen = next((c.protections for c in components if c.protections), [])
        report.protections = ["a child process per component", f"time limit {time_limit:g} s per component", *seen]
    else:
        report.protections = ["none: graded in the grader's own process (trusted code only)"]
    return report
