"""Gradescope's results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/).

Every test is one check; its ``name`` starts with the component (``layers.Conv2d backward:
stride 2, padding 1``) so every point can be attributed. The file is reproducible byte for
byte for the same submission and seed: keys are sorted, scores rounded, and
``execution_time`` is rounded up to whole ``EXECUTION_TIME_GRANULARITY`` seconds (the
exact time varies from run to run; the text report prints it).
"""

from __future__ import annotations

import json
import math
from typing import Any

from ..results import PASSED, Report

EXECUTION_TIME_GRANULARITY = 30
DIGITS = 4


def test_output(check: Any, hint: str) -> str:
    outcome = check.outcome
    if outcome.passed:
        return ""
    text = outcome.feedback or outcome.status
    if hint and outcome.status != "not submitted":
        text += f"\nHint: {hint}"
    return text


def to_gradescope(report: Report, hints: dict[str, str] | None = None) -> dict[str, Any]:
    hints = hints or {}
    tests = []
    for component in report.components:
        for check in component.checks:
            tests.append(
                {
                    "name": check.test_name,
                    "score": round(check.score, DIGITS),
                    "max_score": round(check.max_score, DIGITS),
                    "status": "passed" if check.outcome.status == PASSED else "failed",
                    "output": test_output(check, hints.get(component.component, "")),
                    "output_format": "text",
                    "tags": [component.component, check.family, component.assignment],
                }
            )
    lines = [
        f"nnlab: {round(report.score, DIGITS):g} / {round(report.max_score, DIGITS):g} points (seed {report.seed})"
    ]
    for component in report.components:
        if component.note:
            lines.append(f"{component.component}: {component.note}")
    lines.extend(report.notes)
    return {
        "score": round(report.score, DIGITS),
        "max_score": round(report.max_score, DIGITS),
        "execution_time": int(math.ceil(max(report.execution_time, 1e-9) / EXECUTION_TIME_GRANULARITY))
        * EXECUTION_TIME_GRANULARITY,
        "output": "\n".join(lines),
        "output_format": "text",  # the output quotes student-derived text: never render it as HTML
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        # Gradescope's free-form field: exact totals for gradebooks (tests' scores are rounded).
        "extra_data": {
            "seed": report.seed,
            "components": {c.component: round(c.score, 6) for c in report.components},
            "assignments": _assignment_totals(report),
        },
    }


def _assignment_totals(report: Report) -> dict[str, float]:
    totals: dict[str, float] = {}
    for c in report.components:
        totals[c.assignment] = round(totals.get(c.assignment, 0.0) + c.score, 6)
    return totals


def render(report: Report, hints: dict[str, str] | None = None) -> str:
    return json.dumps(to_gradescope(report, hints), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
