"""Does Dropout's feedback claim a cause only where its evidence singles it out? (graders/judging/checks/stateful.py)

* A gradient of nan at p = 1 is the edge case (1 / (1 - p) at p = 1) only when backward is right at an
  ordinary p; a backward that divides by 1 - p again is wrong everywhere, and nan at p = 1 is its symptom.
* A training forward that returns its input unchanged dropped nothing and scaled nothing: no scale
  mistake ("not rescaled") is claimed for it, in forward or in backward.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from nnlab.exercises.course import load_course
from nnlab.graders.mutants import Mutant, apply
from nnlab.graders.runner import grade

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

BACKWARD = "        grad_x = grad_y if self._mask is None else grad_y * self._mask\n"
EXTREMES = "p=0 keeps everything, p=1 drops everything (no nan)"


def _tags(mutant: Mutant, tmp_path: Path) -> dict[str, str]:
    """``{check name: tag}`` of the failed checks of Dropout."""
    report = grade(apply([mutant], tmp_path / "s"), load_course(), only=["layers.Dropout"], isolate=False, seed=0)
    return {c.outcome.name: c.outcome.misconception for c in report.components[0].checks if not c.outcome.passed}


def test_nan_at_p_one_from_a_backward_wrong_everywhere_is_not_the_edge_case(tmp_path: Path) -> None:
    again = Mutant(
        "again", "layers.Dropout", "", BACKWARD, BACKWARD.replace("self._mask\n", "self._mask / (1 - self.p)\n")
    )
    tags = _tags(again, tmp_path / "again")
    assert tags[EXTREMES] == "" and "dropout-divides-by-zero-at-p-one" not in tags.values()
    # Right at every ordinary p, wrong only at p = 1: the edge case it is.
    edge = Mutant(
        "edge", "layers.Dropout", "", BACKWARD, BACKWARD.replace("self._mask\n", "(self._mask != 0) / (1 - self.p)\n")
    )
    assert _tags(edge, tmp_path / "edge")[EXTREMES] == "dropout-divides-by-zero-at-p-one"


def test_a_training_forward_that_does_nothing_claims_no_scale(tmp_path: Path) -> None:
    train = "        if self.training:\n            keep = self.rng.random(x.shape)"
    idle = Mutant("idle", "layers.Dropout", "", train, train.replace("self.training", "False"))
    tags = _tags(idle, tmp_path / "idle")
    assert tags and not {"dropout-not-rescaled", "dropout-backward-not-rescaled"} & set(tags.values())
