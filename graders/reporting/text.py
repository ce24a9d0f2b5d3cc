"""The terminal report: a table per component, failures first, grouped by the mistake that caused them."""

from __future__ import annotations

import io

from nnlab.graders.results import PASSED, ComponentReport, Report, printable
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .grouping import groups
from .rows import family_label

STYLE = {"passed": "green", "failed": "red", "error": "red", "not implemented": "yellow", "not submitted": "dim"}


def points(value: float) -> str:
    """``5.333333 -> "5.33"``, ``10.0 -> "10"``: as a gradebook shows points."""
    return f"{round(value, 2):g}"


def _summary(component: ComponentReport) -> tuple[str, str]:
    if component.note:
        return component.note, "yellow" if component.score == 0 else "red"
    bad = [c for c in component.checks if c.outcome.status != PASSED]
    if not bad:
        return "all checks passed", "green"
    return f"{len(bad)} of {len(component.checks)} checks failed", "red"


def render(report: Report, hints: dict[str, str] | None = None, color: bool | None = None, width: int = 110) -> str:
    """The report as text (with ANSI colour when ``color``; auto-detected when None)."""
    hints = hints or {}
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=color is False, width=width, highlight=False)
    table = Table(title=f"nnlab grade: {report.submission}  ({report.seed_text})", show_lines=False)
    table.add_column("component")
    table.add_column("score", justify="right")
    table.add_column("result")
    # Failures first: what needs attention is at the top.
    ordered = sorted(report.components, key=lambda c: (c.score >= c.max_score, 0))
    for component in ordered:
        text, style = _summary(component)
        table.add_row(
            component.component, f"{points(component.score)} / {points(component.max_score)}", Text(text, style=style)
        )
    console.print(table)
    for component in ordered:
        bad = [c for c in component.checks if c.outcome.status != PASSED]
        if not bad or component.note:
            continue
        console.print(Text(f"\n{component.component}", style="bold"))
        for group in groups(component):  # one mistake's failed checks together, best explained first
            indent = "  "
            if group.heading:
                console.print(Text(f"  {group.heading}", style="bold red"))
                indent = "    "
            for item in group.items:
                check = item.check
                console.print(
                    Text(
                        f"{indent}✗ {check.outcome.name} ({family_label(check.family)})",
                        style=STYLE.get(check.outcome.status, "red"),
                    )
                )
                console.print(Text(f"{indent}  {item.feedback}"))
        if hints.get(component.component):
            console.print(Text(f"  Hint: {hints[component.component]}", style="cyan"))
        if component.output.strip():
            console.print(
                Text(
                    "  Your code printed (truncated):\n    "
                    + printable(component.output.strip()[:500], newlines=True).replace("\n", "\n    "),
                    style="dim",
                )
            )
    for note in report.notes:
        console.print(Text(f"\nNote: {note}", style="yellow"))
    console.print(
        Text(
            f"\nTotal: {points(report.score)} / {points(report.max_score)} points in {report.execution_time:.1f} s",
            style="bold",
        )
    )
    if report.protections:
        console.print(Text("Protections: " + "; ".join(report.protections), style="dim"))
    return buffer.getvalue()
