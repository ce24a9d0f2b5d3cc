"""Does the feedback on a wrong loss name the mistake from the evidence, and only then?
(graders/checks/loss_mistakes.py, and the loss checks that claim a cause)

* A cross-entropy gradient wrong only in the correct-class column is named as the one-hot
  subtraction, as a pattern, though no simulation was written for that exact mistake.
* Where a case cannot tell two mistakes apart (one sample: a sum over the features is a sum
  over everything), neither is claimed.
* The check at p = 0 and 1 blames the clamp only when the loss is right inside (0, 1).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from nnlab.exercises.course import load_course
from nnlab.graders.mutants import Mutant, apply, catalogue
from nnlab.graders.runner import grade

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def _failed(mutant: Mutant, tmp_path: Path) -> dict[str, tuple[str, str, str]]:
    """``{check name: (tag, confidence, feedback)}`` of the mutant's component's failed checks."""
    report = grade(apply([mutant], tmp_path / "s"), load_course(), only=[mutant.component], isolate=False, seed=0)
    return {
        c.outcome.name: (c.outcome.misconception, c.outcome.confidence, c.outcome.feedback)
        for c in report.components[0].checks
        if not c.outcome.passed
    }


def _mutant(mutant_id: str) -> Mutant:
    return next(m for m in catalogue() if m.id == mutant_id)


def test_a_gradient_wrong_only_in_the_correct_class_column_looks_like_the_onehot(tmp_path: Path) -> None:
    line = "        grad[np.arange(N), self._labels] -= 1.0\n"
    unforeseen = Mutant("ce-onehot-half", "losses.CrossEntropyLoss", "", line, line.replace("1.0", "0.5"))
    tag, confidence, feedback = _failed(unforeseen, tmp_path)["backward: 5 classes"]
    assert (tag, confidence) == ("correct-class-wrong", "looks like")
    assert "correct-class column" in feedback and "one-hot" in feedback


def test_one_sample_cannot_tell_a_sum_over_features_from_a_sum_over_everything(tmp_path: Path) -> None:
    rows = _failed(_mutant("mse-sum-over-features"), tmp_path)
    assert rows["forward: (N, D)"][0] == "mse-mean-over-batch-only"
    assert rows["forward: batch of 1"][0] == rows["forward: vector"][0] == "loss-summed"


def test_the_clamp_is_blamed_only_when_the_loss_is_right_inside_zero_and_one(tmp_path: Path) -> None:
    extremes = "finite value and gradient at p = 0 and p = 1"
    swapped = _failed(_mutant("bce-swapped-terms"), tmp_path / "swapped")[extremes]
    assert swapped[0] == "" and "inside (0, 1) too" in swapped[2]
    clipped = _failed(_mutant("bce-clips-probabilities"), tmp_path / "clipped")[extremes]
    assert clipped[:2] == ("bce-clamp", "is") and "1e-07" in clipped[2]
