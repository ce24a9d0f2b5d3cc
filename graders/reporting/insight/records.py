"""What a class report knows about one student: every check of every component, with its diagnosis.

Gradescope's rows group checks per component and family and leave out the diagnosis, so the
batch also stores every check in the results' free-form ``extra_data`` (the Gradescope schema
allows any object there), under the key ``checks``, in course order::

    "extra_data": {"checks": [
        {"component": "optimizers.SGD", "assignment": "a5-optimizers", "checks": [
            {"family": "api", "name": "constructor", "status": "passed", "score": 1, "max_score": 1},
            {"family": "reference", "name": "trajectory: momentum", "status": "failed",
             "score": 0, "max_score": 0.5, "misconception": "momentum-wrong-sign",
             "confidence": "is", "feedback": "after step 2 of 8, ... Cause: ..."}]}]}

Only a diagnosed check keeps its feedback (the grader's own sentence, which the report quotes as
an example); nothing the student wrote or printed is stored. Empty fields are left out.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nnlab.graders.results import NOT_IMPLEMENTED, NOT_SUBMITTED, PASSED, Report

KEY = "checks"  # in the results' extra_data
# Files of a reports folder that are not a student's results.
NOT_STUDENTS = frozenset({"class-report.json"})
WRITTEN_BY = "nnlab grade --batch"


class ReportError(ValueError):
    """A reports folder or file the class report cannot read; the message says what was expected."""


@dataclass(frozen=True)
class CheckRecord:
    """One check of one student, as the batch stored it."""

    family: str
    name: str
    status: str
    score: float
    max_score: float
    misconception: str = ""
    confidence: str = ""  # "is", "looks like", or "" (no diagnosis, or a check that does not say)
    feedback: str = ""  # kept only when a misconception is named

    @property
    def passed(self) -> bool:
        return self.status == PASSED


@dataclass(frozen=True)
class ComponentRecord:
    component: str
    assignment: str
    checks: tuple[CheckRecord, ...]

    @property
    def score(self) -> float:
        return round(math.fsum(c.score for c in self.checks), 6)

    @property
    def max_score(self) -> float:
        return round(math.fsum(c.max_score for c in self.checks), 6)

    @property
    def submitted(self) -> bool:
        """False when no check ran: the module was missing or the component left a stub."""
        return any(c.status not in (NOT_SUBMITTED, NOT_IMPLEMENTED) for c in self.checks)


@dataclass(frozen=True)
class StudentRecord:
    student: str  # the name the batch knows the student by (the submission's file or folder name)
    components: tuple[ComponentRecord, ...]

    @property
    def score(self) -> float:
        return round(math.fsum(c.score for c in self.components), 6)

    @property
    def max_score(self) -> float:
        return round(math.fsum(c.max_score for c in self.components), 6)


# ------------------------------------------------------------------ writing (the batch)
def checks_of(report: Report) -> list[dict[str, Any]]:
    """Every check of ``report``, per component, as the batch stores it in ``extra_data``."""
    out = []
    for component in report.components:
        checks = []
        for check in component.checks:
            outcome = check.outcome
            row: dict[str, Any] = {
                "family": check.family,
                "name": outcome.name,
                "status": outcome.status,
                "score": round(check.score, 6),
                "max_score": round(check.max_score, 6),
            }
            if outcome.misconception and not outcome.passed:
                row["misconception"] = outcome.misconception
                row["feedback"] = outcome.feedback
                if outcome.confidence:
                    row["confidence"] = outcome.confidence
            checks.append(row)
        out.append({"component": component.component, "assignment": component.assignment, "checks": checks})
    return out


def with_checks(results: dict[str, Any], report: Report) -> dict[str, Any]:
    """Gradescope ``results`` of ``report`` with every check added to its ``extra_data``."""
    results.setdefault("extra_data", {})[KEY] = checks_of(report)
    return results


# ------------------------------------------------------------------ reading (the class report)
def from_results(student: str, results: Any, where: str = "") -> StudentRecord:
    """The record of ``student`` from its Gradescope ``results`` (as the batch wrote them).

    Raises:
        ReportError: ``results`` are not a batch's results, or hold no per-check results.
    """
    where = where or student
    if not isinstance(results, dict) or not isinstance(results.get("tests"), list):
        raise ReportError(f"{where}: not a student's results (expected the JSON {WRITTEN_BY} writes per student)")
    components = (results.get("extra_data") or {}).get(KEY)
    if components is None:
        raise ReportError(
            f"{where}: holds no per-check results (expected the JSON {WRITTEN_BY} writes per student; "
            f"an older nnlab or an autograder wrote this one: re-run {WRITTEN_BY})"
        )
    try:
        return StudentRecord(student, tuple(_component(c) for c in components))
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ReportError(
            f"{where}: malformed per-check results ({type(error).__name__}: {error}; "
            f"expected the JSON {WRITTEN_BY} writes per student)"
        ) from None


def _component(data: dict[str, Any]) -> ComponentRecord:
    checks = tuple(
        CheckRecord(
            family=str(c["family"]),
            name=str(c["name"]),
            status=str(c["status"]),
            score=float(c["score"]),
            max_score=float(c["max_score"]),
            misconception=str(c.get("misconception", "")),
            confidence=str(c.get("confidence", "")),
            feedback=str(c.get("feedback", "")),
        )
        for c in data["checks"]
    )
    return ComponentRecord(str(data["component"]), str(data["assignment"]), checks)


def read_folder(folder: Path) -> list[StudentRecord]:
    """Every student's record in a reports folder (``<student>.json``), sorted by student.

    Raises:
        ReportError: not a folder, no reports in it, or a report that cannot be read.
    """
    expected = f"expected the folder of reports {WRITTEN_BY} writes, with a <student>.json per student"
    if not folder.exists():
        raise ReportError(f"{folder}: no such folder ({expected})")
    if not folder.is_dir():
        raise ReportError(f"{folder}: not a folder ({expected})")
    paths = sorted(
        p for p in folder.glob("*.json") if p.is_file() and not p.name.startswith(".") and p.name not in NOT_STUDENTS
    )
    if not paths:
        raise ReportError(f"{folder}: holds no reports ({expected})")
    records = []
    for path in paths:
        try:
            results = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ReportError(f"{path}: not valid JSON ({error}; {expected})") from None
        records.append(from_results(path.stem, results, str(path)))
    return records
