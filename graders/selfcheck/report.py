"""A plain-text report of a check run: one line per failure, a summary per component."""

from __future__ import annotations

from collections import defaultdict

from .core import Result


def render(results: list[Result], title: str = "nnlab check", subtitle: str = "") -> str:
    """The report ``nnlab check`` prints: failures first, then a line per component."""
    by_component: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        by_component[result.component].append(result)
    lines = [title + (f": {subtitle}" if subtitle else ""), ""]
    for name, rows in by_component.items():
        passed = sum(r.passed for r in rows)
        counted = [r for r in rows if r.status != "skipped"]
        if rows[0].status == "not implemented":
            lines.append(f"  {name}: not implemented")
        elif passed == len(counted):
            lines.append(f"  {name}: all {len(counted)} checks pass")
        else:
            lines.append(f"  {name}: {passed} of {len(counted)} checks pass")
    failures = [r for r in results if r.status in ("failed", "not implemented")]
    if failures:
        lines += ["", "Problems:"]
        lines += [f"- {r.message}" for r in failures]
    skipped = [r for r in results if r.status == "skipped"]
    if skipped:
        lines += ["", "Skipped:"] + [f"- {r.message}" for r in skipped]
    total = [r for r in results if r.status != "skipped"]
    lines += ["", f"{sum(r.passed for r in total)} of {len(total)} checks pass."]
    return "\n".join(lines) + "\n"
