"""Is the rubric of early stopping fair (graders/judging/checks/early_stopping.py)?

The questions every rubric answers:
* Does the reference score full marks under several seeds?
* Does every realistic bug (graders/mutants/early_stopping.py) lose points on its own
  component only, with feedback that names its bug class?
* Do correct implementations written differently (tests/alternatives/early_stopping_*) score
  full marks: a loop of their own, a while loop, a History class of their own, patience
  counted from the best epoch, training through the training module object?
And about the rubric's model of the loop: the grader's replay of the rules agrees with the
reference on every scripted run, and a wrong fit in the submission costs fit only.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from evidence import alternative_submission, assert_caught_only_on_its_component, failures, is_partial, lost_points
from nnlab.exercises.components import component
from nnlab.exercises.course import Assignment, ComponentEntry, Course, load_course
from nnlab.graders import mutants
from nnlab.graders.judging.checks.early_stopping import (
    _MISTAKES,
    MIN_DELTA_SCRIPTS,
    Script,
    _reference_run,
    _simulate,
)
from nnlab.graders.mutants.early_stopping import MUTANTS
from nnlab.graders.mutants.others import MUTANTS as TRAINING_MUTANTS
from nnlab.graders.runner import grade

NAME = "early_stopping.fit_early_stopping"
ALL = [NAME]
MODULES = ["early_stopping", "training"]  # early stopping trains with the training module's fit
ALTERNATIVES = sorted((Path(__file__).parent / "alternatives").glob("early_stopping_*"))
ENTRIES = (ComponentEntry(NAME, {"api": 1, "reference": 4, "contracts": 3}),)


def course() -> Course:
    """The built-in course once it grades early stopping, else a course of its entry alone."""
    built_in = load_course()
    if NAME in {c.name for a in built_in.assignments for c in a.components}:
        return built_in
    return Course("early stopping", (Assignment("a6-regularisation", "Regularisation", "", ENTRIES),))


@pytest.mark.parametrize("seed", [0, 7, 2024])
def test_reference_scores_full_marks(seed: int) -> None:
    report = grade(mutants.reference_folder(), course(), only=ALL, isolate=False, seed=seed)
    assert report.score == report.max_score > 0, failures(report)


def test_every_family_with_points_has_checks() -> None:
    report = grade(mutants.reference_folder(), course(), only=ALL, isolate=False, seed=1)
    (entry,) = (entry for _, entry in course().entries(only=ALL))
    families = {check.family for check in report.components[0].checks}
    assert {family for family, points in entry.points.items() if points} <= families


def test_there_are_enough_mutants() -> None:
    assert len(MUTANTS) >= 6
    assert len({m.id for m in MUTANTS}) == len(MUTANTS)
    assert {m.component for m in MUTANTS} == {NAME}


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.id for m in MUTANTS])
def test_mutant_loses_points_on_its_component_only(mutant: mutants.Mutant, tmp_path: Path) -> None:
    folder = mutants.apply([mutant], tmp_path / "submission")
    report = grade(folder, course(), only=ALL, isolate=False, seed=0)
    assert_caught_only_on_its_component(mutant, report)


@pytest.mark.parametrize(
    "mutant",
    [m for m in TRAINING_MUTANTS if m.component == "training.fit"][:4],
    ids=lambda m: m.id,
)
def test_a_wrong_training_fit_costs_early_stopping_nothing(mutant: mutants.Mutant, tmp_path: Path) -> None:
    """While fit_early_stopping is graded, its module's fit is a correct one: a bug in the
    submission's training.fit is charged to training.fit alone."""
    folder = mutants.apply([mutant], tmp_path / "submission")
    report = grade(folder, course(), only=ALL, isolate=False, seed=0)
    assert lost_points(report) == {}, failures(report)


@pytest.mark.parametrize("folder", ALTERNATIVES, ids=[f.name for f in ALTERNATIVES])
@pytest.mark.parametrize("seed", [0, 5])
def test_correct_alternative_scores_full_marks(folder: Path, seed: int, tmp_path: Path) -> None:
    submission = alternative_submission(folder, MODULES, tmp_path / folder.name)
    report = grade(submission, course(), only=ALL, isolate=False, seed=seed)
    assert report.score == report.max_score > 0, failures(report)


def test_alternatives_cover_the_component() -> None:
    complete = [f for f in ALTERNATIVES if not is_partial(f)]
    assert complete and len(ALTERNATIVES) >= 3
    for folder in complete:
        assert (folder / "early_stopping.py").exists(), folder


def test_same_seed_same_feedback(tmp_path: Path) -> None:
    chosen = [m for m in MUTANTS if m.id in ("early-stopping-patience-not-reset", "early-stopping-saves-references")]
    folder = mutants.apply(chosen, tmp_path / "s")
    runs = [grade(folder, course(), only=ALL, isolate=False, seed=3) for _ in range(2)]
    assert failures(runs[0]) == failures(runs[1]) != ""


def test_child_process_grading_matches_in_process() -> None:
    report = grade(mutants.reference_folder(), course(), only=ALL, isolate=True, seed=4)
    assert report.score == report.max_score > 0, failures(report)


# The rubric's cases: the entry's (exercises/components.py), each a scripted run.
CASES = component("early_stopping.fit_early_stopping").cases
SCRIPTS = [Script(tuple(float(v) for v in case.losses), case.kwargs) for case in CASES]


@pytest.mark.parametrize("script", SCRIPTS, ids=[case.id for case in CASES])
def test_the_graders_replay_agrees_with_the_reference(script: Script) -> None:
    """The rubric diagnoses by replaying the rules with one mistake each; without a mistake the
    replay must be the reference's run exactly (epochs, best and stopped epoch, restored state)."""
    assert _simulate(script) == _reference_run(NAME, script).outcome()


def test_every_known_mistake_changes_some_reference_case() -> None:
    """Each mistake the feedback can name shows in at least one of the scripted cases (the reference
    cases, or the min_delta contract's, where losses of size 10 tell an absolute min_delta from a relative one)."""
    for mistake in _MISTAKES:
        changed = [s for s in (*SCRIPTS, *MIN_DELTA_SCRIPTS) if _simulate(s, mistake) != _simulate(s)]
        assert changed, mistake


def test_a_wrong_run_is_told_by_its_cause(tmp_path: Path) -> None:
    """One feedback, spelled out: what differs, with numbers, and the mistake that explains it."""
    (mutant,) = [m for m in MUTANTS if m.id == "early-stopping-patience-not-reset"]
    report = grade(mutants.apply([mutant], tmp_path / "s"), course(), only=ALL, isolate=False, seed=0)
    text = failures(report)
    assert "an improvement resets patience" in text
    assert "it ran 4 epochs; expected 5" in text and "in a row" in text


_VALIDATION = "        val_loss = evaluate_loss(model, loss_fn, X_val, y_val)\n"


def test_evaluating_the_training_set_in_eval_mode_costs_nothing(tmp_path: Path) -> None:
    """A training loss measured after the epoch in eval mode (for a log) is no training in eval mode: with fit's
    mean recorded, the submission is right."""
    logged = mutants.Mutant(
        "early-stopping-logs-the-training-set-loss",
        NAME,
        "a correct loop that also evaluates the training set after each epoch, for a progress log",
        _VALIDATION,
        _VALIDATION + "        _ = evaluate_loss(model, loss_fn, X, y)  # for a progress log\n",
    )
    report = grade(mutants.apply([logged], tmp_path / "s"), course(), only=ALL, isolate=False, seed=0)
    assert report.score == report.max_score > 0, failures(report)


@pytest.mark.parametrize(
    ("mutant_id", "tag", "words"),
    [
        ("early-stopping-records-share-one-list", "aliasing", "one list object"),
        ("early-stopping-records-at-the-end-of-the-epoch", "history-incomplete", "the one training stopped after"),
        ("early-stopping-train-loss-measured-in-eval-mode", "wrong-history-list", "mean training loss that fit"),
    ],
)
def test_a_wrong_record_of_a_right_run_is_told_by_its_record_only(
    mutant_id: str, tag: str, words: str, tmp_path: Path
) -> None:
    """History lists wrong while the run is right: the rows about the record name the mistake, and the rows about
    the decisions (patience, min_delta, the state restored, fit's calls) pass, counting the epochs the run ran."""
    (mutant,) = [m for m in MUTANTS if m.id == mutant_id]
    report = grade(mutants.apply([mutant], tmp_path / "s"), course(), only=ALL, isolate=False, seed=0)
    wrong = [c.outcome for c in report.components[0].checks if not c.outcome.passed]
    assert wrong and all(o.misconception == tag and words in o.feedback for o in wrong), failures(report)
    assert not any(c.family == "contracts" for c in report.components[0].checks if not c.outcome.passed)
