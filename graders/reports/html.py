"""One self-contained HTML feedback page per submission (rendered from templates/report.html.j2)."""

from __future__ import annotations

from ..results import Report


def render(report: Report, hints: dict[str, str] | None = None) -> str:
    from nnlab.bundle import templates

    return templates().get_template("report.html.j2").render(report=report, hints=hints or {}, figures={})
