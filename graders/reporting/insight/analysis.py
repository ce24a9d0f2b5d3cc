"""The counting behind a class report: score distributions, failure rates, misconceptions, who needs help.

Every number is a count of students (a student who holds a misconception in three components
is counted once for it), and every list of students holds *labels*: anonymous ids by default,
names when the instructor asks for them. Rates are shares of the class, or, for a check, of the
students who submitted its component (a check nobody could run says nothing about the check).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nnlab.graders.results import OBSERVATIONS

from .ids import anonymous_ids, scrub
from .records import StudentRecord
from .titles import title

BINS = 10  # a histogram bar per tenth of the maximum; full marks fall in the last one
DEFAULT_THRESHOLD = 0.5  # students below half of the points need help, unless told otherwise
EXAMPLES = 3  # example feedback sentences per misconception
EXAMPLE_LENGTH = 400  # characters; longer feedback is cut
_STRENGTH = {"is": 2, "looks like": 1}  # a student's strongest diagnosis of a tag decides how sure it is


@dataclass(frozen=True)
class Scores:
    """The scores of one assignment or component across the class.

    Attributes:
        name: the assignment or the component.
        assignment: the assignment it belongs to (itself for an assignment).
        submitted: students who submitted it (any component of it, for an assignment).
        mean: the mean share of the maximum among those who submitted it (None: nobody did).
        histogram: those who submitted it, per tenth of the maximum (0-10 %, ..., 90-100 %).
    """

    name: str
    assignment: str
    max_score: float
    students: int
    submitted: int
    full_marks: int
    mean: float | None
    histogram: tuple[int, ...]

    @property
    def full_marks_share(self) -> float:
        return self.full_marks / self.students if self.students else 0.0

    @property
    def not_submitted_share(self) -> float:
        return (self.students - self.submitted) / self.students if self.students else 0.0


@dataclass(frozen=True)
class CheckFailures:
    """One rubric row across the class: who, of those who submitted its component, did not pass it."""

    component: str
    assignment: str
    family: str
    name: str
    attempted: int
    failed: tuple[str, ...]

    @property
    def rate(self) -> float:
        return len(self.failed) / self.attempted if self.attempted else 0.0


@dataclass(frozen=True)
class Misconception:
    """A mistake the diagnosis named, and the students it named it for.

    Attributes:
        tag: the internal tag (shown small, beside the title).
        title: the mistake in words.
        confirmed: of ``students``, those for whom a simulation reproduced it (confidence "is").
        examples: feedback sentences students got, one per student, anonymised.
    """

    tag: str
    title: str
    students: tuple[str, ...]
    components: tuple[str, ...]
    confirmed: int
    examples: tuple[str, ...]


@dataclass(frozen=True)
class NeedsHelp:
    """A student below the threshold, and the component to start with."""

    student: str
    anonymous_id: str
    label: str
    score: float
    max_score: float
    weakest: str
    weakest_score: float
    weakest_max: float
    weakest_submitted: bool
    misconceptions: tuple[str, ...]  # titles

    @property
    def share(self) -> float:
        return self.score / self.max_score if self.max_score else 0.0


@dataclass(frozen=True)
class Change:
    """A misconception in two batches: students before and after (re-teaching, a new exercise, ...)."""

    tag: str
    title: str
    before: int
    after: int


@dataclass(frozen=True)
class Comparison:
    before_students: int
    after_students: int
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class ClassReport:
    students: int
    names: bool  # labels are the students' names (else anonymous ids)
    threshold: float
    assignments: tuple[Scores, ...]
    components: tuple[Scores, ...]
    checks: tuple[CheckFailures, ...]
    misconceptions: tuple[Misconception, ...]
    needs_help: tuple[NeedsHelp, ...]
    comparison: Comparison | None = None


def build(
    records: Sequence[StudentRecord],
    threshold: float = DEFAULT_THRESHOLD,
    names: bool = False,
    before: Sequence[StudentRecord] | None = None,
) -> ClassReport:
    """The class report of ``records`` (``before``: an earlier batch to compare with)."""
    records = sorted(records, key=lambda r: r.student)
    anonymous = anonymous_ids(r.student for r in records)
    labels = {r.student: r.student if names else anonymous[r.student] for r in records}
    misconceptions = _misconceptions(records, labels)
    return ClassReport(
        students=len(records),
        names=names,
        threshold=threshold,
        assignments=tuple(_assignment_scores(records)),
        components=tuple(_component_scores(records)),
        checks=tuple(_check_failures(records, labels)),
        misconceptions=tuple(misconceptions),
        needs_help=tuple(_needs_help(records, threshold, anonymous, labels, misconceptions)),
        comparison=None if before is None else _compare(before, records),
    )


# ------------------------------------------------------------------ distributions
def _scores(name: str, assignment: str, marks: list[tuple[float, float] | None]) -> Scores:
    """``marks``: per student ``(score, max_score)``, or None when the student did not submit it."""
    given = [m for m in marks if m is not None]
    maximum = max((top for _, top in given), default=0.0)
    shares = [score / top if top else 1.0 for score, top in given]
    histogram = [0] * BINS
    for share in shares:
        histogram[min(math.floor(round(share * BINS, 6)), BINS - 1)] += 1
    return Scores(
        name=name,
        assignment=assignment,
        max_score=maximum,
        students=len(marks),
        submitted=len(given),
        full_marks=sum(share >= 1.0 for share in shares),
        mean=math.fsum(shares) / len(shares) if shares else None,
        histogram=tuple(histogram),
    )


def _component_scores(records: Sequence[StudentRecord]) -> list[Scores]:
    out = []
    for component, assignment in _components(records):
        marks = []
        for record in records:
            found = next((c for c in record.components if c.component == component), None)
            marks.append((found.score, found.max_score) if found is not None and found.submitted else None)
        out.append(_scores(component, assignment, marks))
    return out


def _assignment_scores(records: Sequence[StudentRecord]) -> list[Scores]:
    assignments = list(dict.fromkeys(assignment for _, assignment in _components(records)))
    out = []
    for assignment in assignments:
        marks: list[tuple[float, float] | None] = []
        for record in records:
            parts = [c for c in record.components if c.assignment == assignment]
            submitted = any(c.submitted for c in parts)
            total = (math.fsum(c.score for c in parts), math.fsum(c.max_score for c in parts))
            marks.append(total if submitted else None)
        out.append(_scores(assignment, assignment, marks))
    return out


def _components(records: Iterable[StudentRecord]) -> list[tuple[str, str]]:
    """``(component, assignment)`` in the order the reports list them (the course's)."""
    return list(dict.fromkeys((c.component, c.assignment) for r in records for c in r.components))


# ------------------------------------------------------------------ rubric rows
def _check_failures(records: Sequence[StudentRecord], labels: dict[str, str]) -> list[CheckFailures]:
    attempted: dict[tuple[str, str, str, str], int] = {}
    failed: dict[tuple[str, str, str, str], list[str]] = {}
    for record in records:
        # A component not submitted has placeholder rows (one per family), not the rubric's.
        for component in (c for c in record.components if c.submitted):
            for check in component.checks:
                key = (component.component, component.assignment, check.family, check.name)
                attempted[key] = attempted.get(key, 0) + 1
                failed.setdefault(key, [])
                if not check.passed:
                    failed[key].append(labels[record.student])
    return [CheckFailures(*key, attempted[key], tuple(sorted(failed[key]))) for key in attempted]


# ------------------------------------------------------------------ misconceptions
def _diagnoses(record: StudentRecord) -> dict[str, list[tuple[str, str, str]]]:
    """``{tag: [(component, confidence, feedback), ...]}`` of one student's failed checks.

    Observation tags (``gradcheck``, ``does-not-converge``, ...) say where a result is wrong, not
    why: every wrong backward also fails its gradient check, so counting them would put symptoms
    above the causes the other checks name."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    for component in record.components:
        for check in component.checks:
            if check.passed or not check.misconception or check.misconception in OBSERVATIONS:
                continue
            found.setdefault(check.misconception, []).append((component.component, check.confidence, check.feedback))
    return found


def _misconceptions(records: Sequence[StudentRecord], labels: dict[str, str]) -> list[Misconception]:
    students: dict[str, list[str]] = {}
    components: dict[str, dict[str, None]] = {}
    confirmed: dict[str, int] = {}
    feedback: dict[str, list[str]] = {}
    examples: dict[str, list[str]] = {}
    for record in records:  # sorted by student: the same examples every time
        label = labels[record.student]
        for tag, seen in _diagnoses(record).items():
            students.setdefault(tag, []).append(label)
            components.setdefault(tag, {}).update(dict.fromkeys(c for c, _, _ in seen))
            strongest = max(_STRENGTH.get(confidence, 0) for _, confidence, _ in seen)
            confirmed[tag] = confirmed.get(tag, 0) + (strongest == _STRENGTH["is"])
            feedback.setdefault(tag, []).extend(text for _, _, text in seen)
            chosen = examples.setdefault(tag, [])
            example = _example(seen[0][2], record.student, label)
            if example and len(chosen) < EXAMPLES and example not in chosen:
                chosen.append(example)
    out = [
        Misconception(
            tag=tag,
            title=title(tag, feedback[tag]),
            students=tuple(sorted(who)),
            components=tuple(components[tag]),
            confirmed=confirmed[tag],
            examples=tuple(examples[tag]),
        )
        for tag, who in students.items()
    ]
    return sorted(out, key=lambda m: (-len(m.students), m.title, m.tag))


def _example(feedback: str, student: str, label: str) -> str:
    text = " ".join(scrub(feedback, student, label).split())
    return text if len(text) <= EXAMPLE_LENGTH else text[:EXAMPLE_LENGTH].rsplit(" ", 1)[0] + " ..."


def _counts(records: Sequence[StudentRecord]) -> tuple[dict[str, int], dict[str, list[str]]]:
    """``({tag: students}, {tag: feedback})`` of one batch."""
    counts: dict[str, int] = {}
    feedback: dict[str, list[str]] = {}
    for record in records:
        for tag, seen in _diagnoses(record).items():
            counts[tag] = counts.get(tag, 0) + 1
            feedback.setdefault(tag, []).extend(text for _, _, text in seen)
    return counts, feedback


def _compare(before: Sequence[StudentRecord], after: Sequence[StudentRecord]) -> Comparison:
    old, old_feedback = _counts(before)
    new, new_feedback = _counts(after)
    changes = [
        Change(tag, title(tag, old_feedback.get(tag, []) + new_feedback.get(tag, [])), old.get(tag, 0), new.get(tag, 0))
        for tag in {**old, **new}
    ]
    # The misconceptions most students held before first: what was re-taught.
    changes.sort(key=lambda c: (-c.before, -c.after, c.title, c.tag))
    return Comparison(len(before), len(after), tuple(changes))


# ------------------------------------------------------------------ who needs help
def _needs_help(
    records: Sequence[StudentRecord],
    threshold: float,
    anonymous: dict[str, str],
    labels: dict[str, str],
    misconceptions: Sequence[Misconception],
) -> list[NeedsHelp]:
    titles = {m.tag: m.title for m in misconceptions}
    out = []
    for record in records:
        graded = [c for c in record.components if c.max_score > 0]
        if not graded or record.score >= threshold * record.max_score:
            continue
        weakest = min(graded, key=lambda c: c.score / c.max_score)  # the first of equals: course order
        out.append(
            NeedsHelp(
                student=record.student,
                anonymous_id=anonymous[record.student],
                label=labels[record.student],
                score=record.score,
                max_score=record.max_score,
                weakest=weakest.component,
                weakest_score=weakest.score,
                weakest_max=weakest.max_score,
                weakest_submitted=weakest.submitted,
                misconceptions=tuple(titles[tag] for tag in _diagnoses(record)),
            )
        )
    return sorted(out, key=lambda n: (n.share, n.label))
