"""The gradebook: one CSV row per student, a column per assignment and per component."""

from __future__ import annotations

import csv
import io
from typing import Any

from nnlab.exercises.course import Course


def render(
    course: Course,
    rows: list[tuple[str, dict[str, Any]]],
    assignment: str | None = None,
    ids: dict[str, str] | None = None,
) -> str:
    """``rows`` are ``(student, Gradescope results)``; totals come from the results' ``extra_data``.

    With ``assignment``, the columns are that assignment's and its components' only. With
    ``ids`` (``{student: anonymous id}``), a last column gives each student's anonymous id, the
    name the class report uses.
    """
    assignments = [course.assignment(assignment)] if assignment else list(course.assignments)
    components = [(a.name, c.name) for a in assignments for c in a.components]
    header = ["student", "score", "max_score", *[a.name for a in assignments], *[c for _, c in components]]
    if ids is not None:
        header.append("anonymous_id")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for student, results in rows:
        extra = results.get("extra_data", {})
        per_component, per_assignment = extra.get("components", {}), extra.get("assignments", {})
        row = [
            student,
            _number(results.get("score", 0)),
            _number(results.get("max_score", 0)),
            *[_number(per_assignment.get(a.name, 0.0)) for a in assignments],
            *[_number(per_component.get(c, 0.0)) for _, c in components],
        ]
        writer.writerow(row if ids is None else [*row, ids[student]])
    return buffer.getvalue()


def _number(value: float) -> str:
    return f"{round(float(value), 4):g}"
