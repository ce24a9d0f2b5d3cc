"""Does Dropout's feedback claim a cause only where its evidence singles it out? (graders/judging/checks/stateful.py)

* A gradient of nan at p = 1 is the edge case (1 / (1 - p) at p = 1) only when backward is right at an
  ordinary p; a backward that divides by 1 - p again is wrong everywhere, and nan at p = 1 is its symptom.
* A training forward that returns its input unchanged dropped nothing and scaled nothing: no scale
  mistake ("not rescaled") is claimed for it, in forward or in backward.
* A scale mistake is named only where it gives the scale measured at every case's p: floor division
  1 // (1 - p) is 1 at p = 0.2, as if not rescaled, but 4 at p = 0.8, where "not rescaled" says 1.
* "A new mask in backward" needs a backward that drops entries too, other ones than forward: a backward
  that drops none (the scale without the mask) or a forward that dropped none is another mistake.
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


def test_a_new_mask_is_claimed_only_where_both_passes_dropped_entries(tmp_path: Path) -> None:
    new_mask = "dropout-new-mask-in-backward"
    unmasked = Mutant(
        "unmasked", "layers.Dropout", "", BACKWARD, BACKWARD.replace("grad_y * self._mask\n", "grad_y / (1 - self.p)\n")
    )
    tags = set(_tags(unmasked, tmp_path / "unmasked").values())
    assert new_mask not in tags and "dropout-backward-unmasked" in tags
    forward = "            y = x * self._mask\n"
    passed_on = Mutant(
        "passed-on", "layers.Dropout", "", forward, "            y = np.where(self._mask == 0, x, x * self._mask)\n"
    )
    assert new_mask not in _tags(passed_on, tmp_path / "passed-on").values()
    # Both passes drop, different entries: that one is a new mask.
    redrawn = BACKWARD.replace(
        "grad_y * self._mask\n", "grad_y * (self.rng.random(grad_y.shape) >= self.p) / (1 - self.p)\n"
    )
    assert new_mask in _tags(Mutant("redrawn", "layers.Dropout", "", BACKWARD, redrawn), tmp_path / "redrawn").values()


def test_a_scale_that_fits_one_p_by_coincidence_is_not_named(tmp_path: Path) -> None:
    scale = "            scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)  # p = 1: no 0 * inf\n"
    # 1 below p = 0.5, something no known mistake gives at p = 0.5: the 1 at p = 0.2 names nothing.
    stepped = Mutant(
        "stepped", "layers.Dropout", "", scale, scale.replace("1.0 / (1.0 - self.p)", "1.0 if self.p < 0.5 else 3.0")
    )
    tags = _tags(stepped, tmp_path / "stepped")
    assert tags["train: kept entries are scaled by 1/(1-p): p=0.2"] == "dropout-wrong-scale"
    assert "dropout-not-rescaled" not in tags.values() and "dropout-backward-not-rescaled" not in tags.values()
    # A floor division, 1 // (1 - p): 1 below p = 0.5 as if not rescaled, right at p = 0.5 and 0.8; the
    # simulation at every case's p tells it from "not rescaled" and names it.
    floored = Mutant(
        "floored", "layers.Dropout", "", scale, scale.replace("1.0 / (1.0 - self.p)", "1 // (1.0 - self.p)")
    )
    tags = _tags(floored, tmp_path / "floored")
    assert tags["train: kept entries are scaled by 1/(1-p): p=0.2"] == "rounded-values"
    assert "dropout-not-rescaled" not in tags.values() and "dropout-backward-not-rescaled" not in tags.values()
    # A scale of 1 at every p is "not rescaled" everywhere: named.
    plain = Mutant("plain", "layers.Dropout", "", scale, scale.replace("1.0 / (1.0 - self.p)", "1.0"))
    assert "dropout-not-rescaled" in _tags(plain, tmp_path / "plain").values()
