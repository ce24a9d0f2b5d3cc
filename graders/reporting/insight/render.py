"""A class report as the instructor reads it: one HTML page, JSON for programs, and needs-help.csv.

The page (templates/class_report.html.j2) is self-contained: inline styles, charts as PNG
``data:`` URIs, and a Content-Security-Policy that forbids loading anything. It holds no
student code, and no names unless the report was built with them: students appear by their
anonymous ids. needs-help.csv is for the instructor's spreadsheet or LMS, so it always has
both the student (as the batch named the submission) and the anonymous id.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .analysis import ClassReport, Scores
from .figures import comparison, histogram, misconceptions

FORMAT = 1  # of class-report.json; bumped when a key changes meaning
LISTED_STUDENTS = 30  # labels listed per check on the page (the JSON has them all)
TOP = 5  # misconceptions the page puts first: where to start the next lecture
NEARLY_EVERYONE = 0.8  # a check this share fails is flagged: an unclear exercise, or a weak test?
DIGITS = 4


# ------------------------------------------------------------------ JSON
def to_json(report: ClassReport) -> str:
    """``class-report.json``: every number of the page; the same reports give the same bytes."""
    data: dict[str, Any] = {
        "report": "nnlab class report",
        "format": FORMAT,
        "students": report.students,
        "labels": "names" if report.names else "anonymous ids",
        "threshold": round(report.threshold, DIGITS),
        "assignments": [_scores(s, "assignment") for s in report.assignments],
        "components": [_scores(s, "component") for s in report.components],
        "checks": [
            {
                "component": c.component,
                "assignment": c.assignment,
                "family": c.family,
                "name": c.name,
                "attempted": c.attempted,
                "failed": len(c.failed),
                "failure_rate": round(c.rate, DIGITS),
                "failed_by": list(c.failed),
            }
            for c in report.checks
        ],
        "misconceptions": [
            {
                "tag": m.tag,
                "title": m.title,
                "students": len(m.students),
                "confirmed": m.confirmed,
                "components": list(m.components),
                "held_by": list(m.students),
                "examples": list(m.examples),
            }
            for m in report.misconceptions
        ],
        "needs_help": [
            {
                "student": n.label,
                "score": round(n.score, DIGITS),
                "max_score": round(n.max_score, DIGITS),
                "share": round(n.share, DIGITS),
                "weakest_component": n.weakest,
                "weakest_score": round(n.weakest_score, DIGITS),
                "weakest_max_score": round(n.weakest_max, DIGITS),
                "weakest_submitted": n.weakest_submitted,
                "misconceptions": list(n.misconceptions),
            }
            for n in report.needs_help
        ],
    }
    if report.comparison is not None:
        data["compare"] = {
            "before_students": report.comparison.before_students,
            "after_students": report.comparison.after_students,
            "misconceptions": [
                {"tag": c.tag, "title": c.title, "before": c.before, "after": c.after}
                for c in report.comparison.changes
            ],
        }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _scores(scores: Scores, kind: str) -> dict[str, Any]:
    out: dict[str, Any] = {kind: scores.name}
    if kind == "component":
        out["assignment"] = scores.assignment
    mean = None if scores.mean is None else round(scores.mean, DIGITS)
    return out | {
        "max_score": round(scores.max_score, DIGITS),
        "students": scores.students,
        "submitted": scores.submitted,
        "not_submitted_share": round(scores.not_submitted_share, DIGITS),
        "full_marks": scores.full_marks,
        "full_marks_share": round(scores.full_marks_share, DIGITS),
        "mean_share": mean,
        "histogram": list(scores.histogram),
    }


# ------------------------------------------------------------------ CSV
CSV_HEADER = [
    "student",
    "anonymous_id",
    "score",
    "max_score",
    "percent",
    "weakest_component",
    "weakest_component_score",
    "weakest_component_max_score",
    "weakest_component_submitted",
    "misconceptions",
]


def needs_help_csv(report: ClassReport) -> str:
    """``needs-help.csv``: a row per student below the threshold, the lowest score first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for n in report.needs_help:
        writer.writerow(
            [
                _cell(n.student),
                n.anonymous_id,
                _number(n.score),
                _number(n.max_score),
                _number(100 * n.share),
                n.weakest,
                _number(n.weakest_score),
                _number(n.weakest_max),
                "yes" if n.weakest_submitted else "no",
                _cell("; ".join(n.misconceptions)),
            ]
        )
    return buffer.getvalue()


def _number(value: float) -> str:
    return f"{round(value, 2):g}"


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text: a leading ``=``, ``+``, ``-`` or ``@`` would start a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# ------------------------------------------------------------------ HTML
def to_html(report: ClassReport) -> str:
    """``class-report.html``: one self-contained page."""
    from nnlab.templates import environment

    charts = {s.name: histogram(s) for s in report.assignments if s.submitted}
    failing = sorted((c for c in report.checks if c.failed), key=lambda c: -c.rate)  # stable: course order
    template = environment().get_template("class_report.html.j2")
    return template.render(
        report=report,
        top=report.misconceptions[:TOP],
        misconception_chart=misconceptions(report.misconceptions) if report.misconceptions else None,
        comparison_chart=comparison(report.comparison) if report.comparison and report.comparison.changes else None,
        histograms=charts,
        failing=failing,
        listed=LISTED_STUDENTS,
        nearly_everyone=NEARLY_EVERYONE,
        percent=lambda share: "–" if share is None else f"{100 * share:.0f} %",
        points=lambda value: f"{round(value, 2):g}",
    )
