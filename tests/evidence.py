"""Reading grading reports in tests: which components lost points, with which feedback and tags."""

from __future__ import annotations

import shutil
from pathlib import Path

from nnlab.graders.mutants import Mutant, reference_folder
from nnlab.graders.results import Report


def lost_points(report: Report) -> dict[str, float]:
    """``{component: points lost}`` for every component that lost any."""
    return {c.component: round(c.max_score - c.score, 6) for c in report.components if c.score < c.max_score}


def failures(report: Report) -> str:
    """Every failed test with its feedback, for assertion messages."""
    return "\n".join(
        f"{check.test_name}: {check.outcome.feedback}"
        for c in report.components
        for check in c.checks
        if not check.outcome.passed
    )


def tags_of(report: Report, component: str) -> set[str]:
    """The misconception tags of a component's failed checks."""
    return {
        check.outcome.misconception
        for c in report.components
        if c.component == component
        for check in c.checks
        if not check.outcome.passed
    }


def assert_caught_only_on_its_component(mutant: Mutant, report: Report) -> None:
    """The rule every mutant is held to: it loses points on its own component, nowhere else,
    and the feedback of that component names its bug class (one of ``mutant.expect``)."""
    lost = lost_points(report)
    assert mutant.component in lost, f"{mutant.id} is not caught: {mutant.component} scores full marks"
    assert set(lost) == {mutant.component}, f"{mutant.id} also costs points elsewhere:\n{failures(report)}"
    tags = tags_of(report, mutant.component)
    assert tags & set(mutant.expect), (
        f"{mutant.id}: expected one of {mutant.expect} among the diagnoses {sorted(tags)}:\n{failures(report)}"
    )


# Alternatives that replace only a few components: the file is appended to the reference
# module when the test builds the submission (one copy of the reference, in reference/).
PARTIAL = "# nnlab-alternative: after-reference"


def is_partial(folder: Path) -> bool:
    """A folder of red-team alternatives that replace some components of the reference."""
    return any(PARTIAL in p.read_text(encoding="utf-8").splitlines()[:3] for p in folder.glob("*.py"))


def alternative_submission(folder: Path, modules: list[str], target: Path) -> Path:
    """``folder`` as a submission in ``target``: partial files appended to the reference
    module, modules it does not have taken from the reference."""
    target.mkdir(parents=True, exist_ok=True)
    for module in modules:
        own = folder / f"{module}.py"
        reference = (reference_folder() / f"{module}.py").read_text(encoding="utf-8")
        if not own.exists():
            text = reference
        else:
            text = own.read_text(encoding="utf-8")
            if PARTIAL in text.splitlines()[:3]:
                text = reference + "\n\n" + text
        (target / f"{module}.py").write_text(text, encoding="utf-8")
    for extra in folder.glob("*.py"):
        if extra.stem not in modules:
            shutil.copy(extra, target / extra.name)
    return target
