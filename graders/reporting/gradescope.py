"""Gradescope's results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/).

A test is one row of ``rows.py``: by default one per component and check family
(``layers.Conv2d: gradient check``, its failed checks in its output); with granularity
``check`` one per check, with ``component`` one per component. Every name starts with the
component, so every point can be attributed. Rows that compare with the reference on the
grader's inputs take the course's ``hidden_visibility`` when those inputs are secret
(an autograder's); the others its ``visibility``. The file is reproducible byte for
byte for the same submission and seed: keys are sorted and scores rounded. It carries no
``execution_time`` (optional in Gradescope's specification, which times the run itself): any
rounding of a wall time still flips at its boundaries under load, and the text, HTML and JUnit
reports print the time.
"""

from __future__ import annotations

import json
from typing import Any

from nnlab.exercises.course import GradescopeSettings
from nnlab.graders.results import PASSED, Report

from .rows import rows

DIGITS = 4


def test_output(check: Any, hint: str) -> str:
    outcome = check.outcome
    if outcome.passed:
        return ""
    text = outcome.feedback or outcome.status
    if hint and outcome.status != "not submitted":
        text += f"\nHint: {hint}"
    return text


def to_gradescope(
    report: Report,
    hints: dict[str, str] | None = None,
    granularity: str = "family",
    settings: GradescopeSettings | None = None,
    hidden_inputs: bool = False,
) -> dict[str, Any]:
    """Gradescope's results of ``report``.

    Args:
        granularity: a row per ``family`` of each component, per ``component`` or per ``check``.
        settings: the course's visibilities (default: every row visible).
        hidden_inputs: the report was graded on the instructor's secret seed: rows that compare
            with the reference take ``settings.hidden_visibility``, and the seed is not shown.
    """
    settings = settings or GradescopeSettings()
    tests = []
    for row in rows(report, hints, granularity):
        test = {
            "name": row.name,
            "score": round(row.score, DIGITS),
            "max_score": round(row.max_score, DIGITS),
            "status": "passed" if row.status == PASSED else "failed",
            "output": row.output,
            "output_format": "text",
            "tags": [row.component, *row.families, row.assignment],
        }
        visibility = settings.hidden_visibility if hidden_inputs and row.hidden_inputs else settings.visibility
        if visibility != "visible":
            test["visibility"] = visibility
        diagnoses = _diagnoses(row.checks)
        if diagnoses:
            test["extra_data"] = {"diagnoses": diagnoses}
        tests.append(test)
    seed = "a hidden seed" if hidden_inputs else report.seed_text
    lines = [f"nnlab: {round(report.score, DIGITS):g} / {round(report.max_score, DIGITS):g} points ({seed})"]
    for component in report.components:
        if component.note:
            lines.append(f"{component.component}: {component.note}")
    lines.extend(report.notes)
    extra: dict[str, Any] = {
        "components": {c.component: round(c.score, 6) for c in report.components},
        "assignments": _assignment_totals(report),
    }
    if not hidden_inputs and not report.seed_hidden:
        extra["seed"] = report.seed
    return {
        "score": round(report.score, DIGITS),
        "max_score": round(report.max_score, DIGITS),
        "output": "\n".join(lines),
        "output_format": "text",  # the output quotes student-derived text: never render it as HTML
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        # Gradescope's free-form field: exact totals for gradebooks (tests' scores are rounded).
        "extra_data": extra,
    }


def _diagnoses(checks: tuple[Any, ...]) -> list[dict[str, str]]:
    """The misconception tag of each failed check of a row, with how sure it is ("is", "looks
    like", or "" for an observation): for statistics over a class, never shown to the student."""
    return [
        {"check": c.outcome.name, "misconception": c.outcome.misconception, "confidence": c.outcome.confidence}
        for c in checks
        if not c.outcome.passed and c.outcome.misconception
    ]


def _assignment_totals(report: Report) -> dict[str, float]:
    totals: dict[str, float] = {}
    for c in report.components:
        totals[c.assignment] = round(totals.get(c.assignment, 0.0) + c.score, 6)
    return totals


def render(report: Report, hints: dict[str, str] | None = None, **options: Any) -> str:
    """``results.json`` as text; ``options`` as :func:`to_gradescope` takes them."""
    return json.dumps(to_gradescope(report, hints, **options), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
