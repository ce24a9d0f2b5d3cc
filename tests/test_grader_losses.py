"""Is the rubric of the losses fair? (graders/judging/checks/losses.py)

* Does the reference score full marks under several seeds, in-process and in a child?
* Does every realistic bug (graders/mutants/losses.py) lose points on its own component
  only, with feedback that names its bug class?
* Do correct implementations written differently (tests/alternatives/losses_*) score full
  marks: loops, other stable formulas, no base class, numpy float64 results?
"""

from __future__ import annotations

from pathlib import Path

import pytest
from evidence import (
    alternative_submission,
    assert_caught_only_on_its_component,
    components_it_can_reach,
    convergence_only_for,
    failures,
    grade_mutant,
    is_partial,
)
from nnlab.exercises.components import LOSSES
from nnlab.exercises.course import load_course
from nnlab.graders import mutants
from nnlab.graders.judging.catalogue import checks_for
from nnlab.graders.mutants.losses import MUTANTS
from nnlab.graders.runner import grade

COMPONENTS = [c.name for c in LOSSES]
ALTERNATIVES = sorted((Path(__file__).parent / "alternatives").glob("losses_*"))
# Student code (mutants) may overflow on purpose; warnings never cost points (docs/api.md).
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


@pytest.mark.parametrize("seed", [0, 3, 2024])
def test_reference_scores_full_marks(seed: int) -> None:
    report = grade(mutants.reference_folder(), load_course(), only=COMPONENTS, isolate=False, seed=seed)
    assert report.score == report.max_score > 0, failures(report)


def test_reference_scores_full_marks_in_a_child_process() -> None:
    """The real path: student code in a worker, answers as plain data."""
    report = grade(mutants.reference_folder(), load_course(), only=["losses.CrossEntropyLoss"], seed=5)
    assert report.score == report.max_score > 0, failures(report)


def test_every_family_with_points_has_a_check() -> None:
    course = {entry.name: entry for _, entry in load_course().entries(only=COMPONENTS)}
    for component in LOSSES:
        for family, points in course[component.name].points.items():
            if points:
                assert checks_for(component, family), (component.name, family)


def test_there_are_enough_mutants() -> None:
    """At least 10 bugs, several per loss, ids unique."""
    assert len(MUTANTS) >= 10
    assert len({m.id for m in MUTANTS}) == len(MUTANTS)
    for name in COMPONENTS:
        assert sum(m.component == name for m in MUTANTS) >= 2, name


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.id for m in MUTANTS])
def test_mutant_loses_points_on_its_component_only(mutant: mutants.Mutant, tmp_path: Path) -> None:
    """The bug costs points on its own loss, nowhere else, and the feedback names it."""
    folder = mutants.apply([mutant], tmp_path / "submission")
    course = convergence_only_for(load_course(), mutant.component)
    report = grade_mutant(folder, course, components_it_can_reach(mutant, COMPONENTS), mutant.component)
    assert_caught_only_on_its_component(mutant, report)


@pytest.mark.parametrize("folder", ALTERNATIVES, ids=[f.name for f in ALTERNATIVES])
@pytest.mark.parametrize("seed", [0, 11])
def test_correct_but_different_scores_full_marks(folder: Path, seed: int, tmp_path: Path) -> None:
    submission = alternative_submission(folder, ["losses"], tmp_path / folder.name)
    report = grade(submission, load_course(), only=COMPONENTS, isolate=False, seed=seed)
    assert report.score == report.max_score > 0, failures(report)


def test_there_are_three_alternatives_of_every_loss() -> None:
    complete = [f for f in ALTERNATIVES if not is_partial(f)]
    assert len(complete) >= 3
    for folder in complete:
        source = (folder / "losses.py").read_text(encoding="utf-8")
        for name in COMPONENTS:
            assert f"class {name.split('.')[1]}" in source, (folder.name, name)


def test_feedback_names_the_wrong_factor(tmp_path: Path) -> None:
    """A CE gradient not divided by N says so, with the first wrong entry and both values."""
    mutant = next(m for m in MUTANTS if m.id == "ce-grad-not-divided")
    report = grade(
        mutants.apply([mutant], tmp_path / "s"),
        load_course(),
        only=["losses.CrossEntropyLoss"],
        isolate=False,
        seed=0,
    )
    backward = [c for c in report.components[0].checks if c.outcome.name == "backward: 5 classes"][0]
    assert backward.outcome.misconception == "ce-grad-not-divided"
    feedback = backward.outcome.feedback
    assert "first at index" in feedback and "expected" in feedback and "divided by the batch" in feedback


def test_same_seed_same_feedback(tmp_path: Path) -> None:
    """Grading is deterministic: a property failure reports the same example every time."""
    mutant = next(m for m in MUTANTS if m.id == "bce-not-clamped")
    folder = mutants.apply([mutant], tmp_path / "s")
    first, second = (grade(folder, load_course(), only=["losses.BCELoss"], isolate=False, seed=4) for _ in range(2))
    assert failures(first) == failures(second) != ""
