"""Report rows a person can read: one per check, per component and check family, or per component.

Gradescope and JUnit show a list of rows. One row per check gives about a thousand rows for
a full course; one row per component and family (``layers.Conv2d: gradient check``) gives
about 150, each with the failed checks listed in its output. A row's name depends only on
the component and the family, never on the outcome, so the same row is there whether the
component passed, failed or was not submitted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nnlab.graders.results import ERROR, NOT_SUBMITTED, PASSED, ComponentReport, Report, ScoredCheck

GRANULARITIES = ("component", "family", "check")
# How each check family reads in a row name.
FAMILY_LABELS = {
    "api": "API",
    "reference": "matches the reference",
    "gradcheck": "gradient check",
    "properties": "properties",
    "contracts": "contracts",
    "convergence": "convergence",
}
# Families whose checks compare with the reference on the grader's own inputs: their feedback
# quotes expected values on inputs drawn from the instructor's secret seed, so autograders show
# them with the course's hidden_visibility. The other families judge the submission against
# itself (gradients against its own forward, properties, contracts, training), as the release
# checker does.
HIDDEN_INPUT_FAMILIES = frozenset({"reference"})
# A row lists at most this many failed checks (the rest are counted).
LISTED_FAILURES = 12


@dataclass(frozen=True)
class Row:
    """One row of a report.

    Attributes:
        name: stable: ``layers.Conv2d``, ``layers.Conv2d: gradient check`` or a check's test name.
        status: ``passed`` when every check of the row passed; otherwise the worst status met
            (``error`` before ``failed`` before ``not implemented`` before ``not submitted``).
        output: what failed, one line per check, and the component's hint; empty when passed.
        hidden_inputs: some check of the row compares with the reference on the grader's inputs.
    """

    name: str
    component: str
    assignment: str
    families: tuple[str, ...]
    score: float
    max_score: float
    status: str
    output: str
    hidden_inputs: bool
    checks: tuple[ScoredCheck, ...]


def family_label(family: str) -> str:
    return FAMILY_LABELS.get(family, family)


def rows(report: Report, hints: dict[str, str] | None = None, granularity: str = "family") -> list[Row]:
    """The rows of ``report`` at ``granularity`` (``component``, ``family`` or ``check``), in report order."""
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity {granularity!r}: expected one of {', '.join(GRANULARITIES)}")
    hints = hints or {}
    out = []
    for component in report.components:
        for name, checks in _groups(component, granularity):
            out.append(_row(name, component, checks, hints.get(component.component, "")))
    return out


def _groups(component: ComponentReport, granularity: str) -> list[tuple[str, list[ScoredCheck]]]:
    if granularity == "check":
        return [(check.test_name, [check]) for check in component.checks]
    if granularity == "component":
        return [(component.component, list(component.checks))]
    families: dict[str, list[ScoredCheck]] = {}
    for check in component.checks:
        families.setdefault(check.family, []).append(check)
    return [(f"{component.component}: {family_label(f)}", checks) for f, checks in families.items()]


_WORST = (ERROR, "failed", "not implemented", NOT_SUBMITTED)


def _row(name: str, component: ComponentReport, checks: list[ScoredCheck], hint: str) -> Row:
    bad = [c for c in checks if c.outcome.status != PASSED]
    statuses = {c.outcome.status for c in bad}
    status = next((s for s in _WORST if s in statuses), next(iter(statuses), PASSED)) if bad else PASSED
    return Row(
        name=name,
        component=component.component,
        assignment=component.assignment,
        families=tuple(dict.fromkeys(c.family for c in checks)),
        score=round(math.fsum(c.score for c in checks), 6),
        max_score=round(math.fsum(c.max_score for c in checks), 6),
        status=status,
        output=_output(component, checks, bad, hint),
        hidden_inputs=any(c.family in HIDDEN_INPUT_FAMILIES for c in checks),
        checks=tuple(checks),
    )


def _output(component: ComponentReport, checks: list[ScoredCheck], bad: list[ScoredCheck], hint: str) -> str:
    if not bad:
        return ""
    if len(checks) == 1:  # one check: its feedback as it is
        lines = [bad[0].outcome.feedback or bad[0].outcome.status]
    elif component.note and all(c.outcome.feedback == component.note for c in bad):
        # Not submitted, not implemented, an import error: the same reason on every check; say it once.
        lines = [f"{len(bad)} of {len(checks)} checks: {component.note}"]
    else:
        lines = [f"{len(bad)} of {len(checks)} checks failed:"]
        for check in bad[:LISTED_FAILURES]:
            feedback = " ".join((check.outcome.feedback or check.outcome.status).split())
            lines.append(f"- {check.outcome.name}: {feedback}")
        if len(bad) > LISTED_FAILURES:
            lines.append(f"- ... and {len(bad) - LISTED_FAILURES} more")
    if hint and not any(c.outcome.status == NOT_SUBMITTED for c in bad):
        lines.append(f"Hint: {hint}")
    return "\n".join(lines)
