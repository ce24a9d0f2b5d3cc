"""One mistake, many failed checks: group a component's failures by the mistake that caused them.

A bug in backward fails every backward case, and each of those has a gradient-check twin
that adds nothing once the reference check of the same case has failed. A student reading
twelve failures should see one mistake and its explanation first. The text and HTML reports
show a component's failed checks as groups:

* checks whose diagnoses carry the same misconception tag are one mistake (unless the tag
  only records what was observed: "it raised", "a property failed", "all zeros");
* a gradient check (family ``gradcheck``) whose reference twin (``backward: <case>`` for
  ``gradient check: <case>``) also failed is that twin's mistake again: it joins its group
  and says "same mistake as ..." instead of repeating "backward is not the derivative";
* within a group, the most specific explanation leads (a confirmed cause, then what it
  looks like, then a check's own explanation, then none); groups are ordered the same way.

Only presentation changes: check names, scores and row names (rows.py, Gradescope) stay.
Tags stay internal: a heading quotes the student-facing sentence, never a tag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nnlab.graders.results import PASSED, ComponentReport, ScoredCheck

# Tags that say what was observed, not which mistake: two checks with one of them may fail for
# two different reasons (two different exceptions), so they do not make a group.
OBSERVED_ONLY = frozenset(
    {
        "exception",
        "timeout",
        "unexpected-result",
        "gradcheck",
        "property",
        "values",
        "wrong-type",
        "all-zero",
        "constant-factor",
        "wrong-shape",
        "transposed-shape",
    }
)
GRADCHECK = "gradcheck"
_TWIN_PREFIX = "gradient check: "
_REFERENCE_PREFIX = "backward: "
# The explanation a failed check ends with (diagnose.Finding.sentences, and checks that write their own).
_EXPLANATION = re.compile(r"(?:^|(?<=\s))(Cause|Looks like|Likely cause): (.+)$", re.DOTALL)


@dataclass(frozen=True)
class Item:
    """A failed check as a group shows it; ``same_as`` is the title of the check whose mistake it repeats."""

    check: ScoredCheck
    same_as: str = ""

    @property
    def feedback(self) -> str:
        if self.same_as:
            return f"Same mistake as '{self.same_as}' above."
        return self.check.outcome.feedback or self.check.outcome.status


@dataclass(frozen=True)
class Group:
    """The failed checks one mistake caused, the most specific explanation first."""

    items: tuple[Item, ...]
    explanation: str = ""  # "Cause: ..." or "Looks like: ...", from the leading check

    @property
    def heading(self) -> str:
        """What a report prints above a group of several checks ("" for a lone check)."""
        if len(self.items) < 2:
            return ""
        count = f"{len(self.items)} failed checks, one mistake"
        return f"{count}. {self.explanation}" if self.explanation else f"{count}:"


def rank(check: ScoredCheck) -> int:
    """How specific a check's explanation is: 0 a confirmed cause ... 3 none."""
    outcome = check.outcome
    confidence = getattr(outcome, "confidence", "")
    if confidence == "is":
        return 0
    if confidence == "looks like":
        return 1
    if outcome.misconception and outcome.misconception not in OBSERVED_ONLY and explanation(check):
        return 2
    return 3


def explanation(check: ScoredCheck) -> str:
    """The check's own "Cause: ..." (or "Looks like: ...") sentence, as the student reads it; "" if none."""
    match = _EXPLANATION.search(" ".join(check.outcome.feedback.split()))
    if match is None:
        return ""
    return f"{match.group(1)}: {match.group(2).strip()}"


def groups(component: ComponentReport) -> list[Group]:
    """The failed checks of ``component`` grouped by mistake, most specific explanation first."""
    bad = [c for c in component.checks if c.outcome.status != PASSED]
    failed_names = {c.outcome.name for c in bad}
    members: list[list[Item]] = []
    by_tag: dict[str, int] = {}
    by_name: dict[str, int] = {}
    for check in bad:
        outcome = check.outcome
        reference = _reference_twin(check)
        if reference and reference in failed_names and reference in by_name:
            members[by_name[reference]].append(Item(check, same_as=reference))
            continue
        tag = outcome.misconception
        if tag and tag not in OBSERVED_ONLY and tag in by_tag:
            index = by_tag[tag]
        else:
            index = len(members)
            members.append([])
            if tag and tag not in OBSERVED_ONLY:
                by_tag[tag] = index
        members[index].append(Item(check))
        by_name[outcome.name] = index
    # A twin may fail before its reference is listed (families in another order): fold it then.
    members = _fold_late_twins(members, failed_names)
    out = []
    for items in members:
        ordered = sorted((i for i in items if not i.same_as), key=lambda i: rank(i.check))  # stable otherwise
        position = {i.check.outcome.name: n for n, i in enumerate(ordered)}
        ordered += sorted((i for i in items if i.same_as), key=lambda i: position.get(i.same_as, len(position)))
        lead = ordered[0].check
        out.append(Group(tuple(ordered), explanation(lead) if rank(lead) < 3 else ""))
    order = {id(g): n for n, g in enumerate(out)}
    return sorted(out, key=lambda g: (rank(g.items[0].check), order[id(g)]))


def _reference_twin(check: ScoredCheck) -> str:
    """``backward: <case>`` for a gradient check that only repeats it ("" for any other check)."""
    outcome = check.outcome
    if check.family != GRADCHECK or not outcome.name.startswith(_TWIN_PREFIX):
        return ""
    if outcome.misconception not in ("", GRADCHECK):  # the gradient check found something of its own
        return ""
    return _REFERENCE_PREFIX + outcome.name[len(_TWIN_PREFIX) :]


def _fold_late_twins(members: list[list[Item]], failed_names: set[str]) -> list[list[Item]]:
    where = {item.check.outcome.name: n for n, items in enumerate(members) for item in items}
    kept: list[list[Item]] = [list(items) for items in members]
    for n, items in enumerate(members):
        if len(items) != 1 or items[0].same_as:
            continue
        reference = _reference_twin(items[0].check)
        if reference in failed_names and where.get(reference, n) > n:
            kept[where[reference]].append(Item(items[0].check, same_as=reference))
            kept[n] = []
    return [items for items in kept if items]
