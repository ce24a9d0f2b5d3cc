"""Does the feedback on a wrong loss name the mistake from the evidence, and only then?
(graders/judging/checks/loss_mistakes.py, and the loss checks that claim a cause)

* A cross-entropy gradient wrong only in the correct-class column is named as the one-hot
  subtraction, as a pattern, though no simulation was written for that exact mistake.
* Where a case cannot tell two mistakes apart (one sample: a sum over the features is a sum
  over everything), neither is claimed.
* The check at p = 0 and 1 blames the clamp only when the loss is right inside (0, 1), and says
  which log is left unclamped.
* A wrong count (the classes for the samples) is claimed only on a case where no other count, and
  no stray factor 2, gives the same factor.
* A variant within rounding of the right value (eps inside a log) counts only when the student's
  own deviation is the variant's.
* Logits shifted by the batch's maximum, not each row's, are told from logits not shifted at all.
* Overflow is claimed only for values that are not finite, never for a gradient of another shape.
* A BCE denominator at its floor for every p is blamed on np.minimum only when a probe at p = 0
  divides by zero as np.minimum would; otherwise it is the floored expression that is <= 0.
* Class labels given as floats holding whole numbers (docs/api.md) that the code cannot index with cost the
  row that passes them, named with the cast.
* On soft targets a BCE written for 0/1 labels only and one with log(1 - p) in both terms give the same loss:
  a probe with 0/1 targets tells them apart.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from nnlab.exercises.components import CATALOGUE, Case
from nnlab.exercises.course import load_course
from nnlab.graders.judging.checks.loss_mistakes import forward_variants
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


def test_a_wrong_count_is_claimed_only_where_the_case_singles_it_out(tmp_path: Path) -> None:
    """Dividing by the classes C instead of the samples N: 6/5 on five classes is that count alone; with one
    sample N/C is also 1/C (every entry averaged), with two classes and four samples it is 2 (a stray 2)."""
    ret = "        grad[np.arange(N), self._labels] -= 1.0\n        return grad / N\n"
    mutant = Mutant("ce-classes", "losses.CrossEntropyLoss", "", ret, ret.replace("/ N", "/ self._probs.shape[-1]"))
    rows = _failed(mutant, tmp_path)
    assert rows["backward: 5 classes"][:2] == ("divided-by-features", "is")
    assert "number of classes C = 5 instead of by N = 6" in rows["backward: 5 classes"][2]
    # An observation only ("constant-factor": every entry is off by one factor), no cause.
    assert rows["backward: batch of 1"][:2] == rows["backward: 2 classes, large logits"][:2] == ("constant-factor", "")


def test_a_variant_within_rounding_of_the_right_value_needs_the_students_own_deviation() -> None:
    """log(p + 1e-7) moves the loss by about 1e-7: only a student off by that very amount matches it, and
    the self-checker's fixtures (no student value) never get it."""
    case = Case("c", input_shape=(4, 3))
    p, t = np.full((4, 3), 0.3), np.tile([0.0, 1.0, 1.0], (4, 1))
    right = -np.mean(t * np.log(p) + (1 - t) * np.log1p(-p))
    eps7 = -np.mean(t * np.log(p + 1e-7) + (1 - t) * np.log(1 - p + 1e-7))
    assert "bce-clamp#eps-in-log-1e-07" not in forward_variants(CATALOGUE["losses.BCELoss"], case, p, t, right)
    found = forward_variants(CATALOGUE["losses.BCELoss"], case, p, t, right, eps7)
    assert [tag for tag in found if "eps-in-log" in tag] == ["bce-clamp#eps-in-log-1e-07"]
    bce = CATALOGUE["losses.BCELoss"]
    rounded = forward_variants(bce, case, p, t, right, right * (1 + 3e-7))  # float32-like, no eps
    assert not [tag for tag in rounded if "eps-in-log" in tag]


def test_the_extremes_check_says_which_log_is_unclamped_and_blames_no_clamp_for_a_formula(tmp_path: Path) -> None:
    extremes = "finite value and gradient at p = 0 and p = 1"
    logs = "            log_1mp = np.maximum(np.log1p(-p), LOG_CLAMP)\n"
    one = Mutant("one-log", "losses.BCELoss", "", logs, "            log_1mp = np.log1p(-p)\n")
    tag, confidence, feedback = _failed(one, tmp_path / "one")[extremes]
    assert (tag, confidence) == ("bce-not-clamped", "is") and "log(1 - p) is not clamped (log p is)" in feedback
    floor = "np.maximum(p * (1.0 - p), BCE_GRAD_EPS)"
    capped = Mutant("capped", "losses.BCELoss", "", floor, floor.replace("maximum", "minimum"))
    rows = _failed(capped, tmp_path / "capped")
    assert rows[extremes][0] == "" and "inside (0, 1) too" in rows[extremes][2]
    assert rows["backward: (N, D)"][:2] == ("bce-clamp", "is")


def test_a_shift_by_the_batchs_maximum_is_told_from_no_shift(tmp_path: Path) -> None:
    line = "            shifted = x - x.max(axis=1, keepdims=True)\n"
    stable = "stable for logits of +-1000: exact loss, finite gradient"
    batch_max = Mutant("batch-max", "losses.CrossEntropyLoss", "", line, "            shifted = x - np.max(x)\n")
    tag, confidence, feedback = _failed(batch_max, tmp_path / "batch")[stable]
    assert (tag, confidence) == ("overflow", "is") and "each row's own maximum" in feedback
    _, _, unshifted = _failed(_mutant("ce-no-max-shift"), tmp_path / "none")[stable]
    assert "each row's own maximum" not in unshifted


def test_a_gradient_of_another_shape_is_no_overflow(tmp_path: Path) -> None:
    """A finite cross-entropy gradient without its last column: the shape rows' matter, not stability's."""
    stable = "stable for logits of +-1000: exact loss, finite gradient"
    line = "        grad[np.arange(N), self._labels] -= 1.0\n        return grad / N\n"
    cropped = Mutant("cropped", "losses.CrossEntropyLoss", "", line, line.replace("grad / N", "grad[:, 1:] / N"))
    rows = _failed(cropped, tmp_path / "cropped")
    assert rows and all(tag != "overflow" for tag, _, _ in rows.values()), rows.get(stable)


def test_a_floor_reached_for_every_p_is_told_from_np_minimum(tmp_path: Path) -> None:
    """(p - t) / 1e-12 everywhere: np.minimum divides by 0 at p = 0 (the probe), a sign slip does not."""
    floor = "np.maximum(p * (1.0 - p), BCE_GRAD_EPS)"
    slip = Mutant("slip", "losses.BCELoss", "", floor, "np.maximum(p * (p - 1.0), BCE_GRAD_EPS)")
    tag, confidence, feedback = _failed(slip, tmp_path / "slip")["backward: (N, D)"]
    assert (tag, confidence) == ("bce-denominator-floored", "is") and "np.minimum" not in feedback
    capped = Mutant("capped", "losses.BCELoss", "", floor, floor.replace("maximum", "minimum"))
    assert _failed(capped, tmp_path / "capped")["backward: (N, D)"][0] == "bce-clamp"


FLOAT_LABELS = "class labels given as whole-number floats (np.array([2., 0., 1.])) work as integer labels do"


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        (
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        loss = -np.mean(log_probs[np.arange(N), target])\n",
            "numpy indexes only with integer arrays",
        ),
        (
            "        loss = -np.mean(log_probs[np.arange(N), self._labels])\n",
            "        loss = -np.mean(np.take_along_axis(log_probs, np.asarray(target)[:, None], axis=1))\n",
            "your code raised for them",
        ),
    ],
    ids=["index", "take_along_axis"],
)
def test_labels_that_arrive_as_floats_cost_their_own_row_and_are_named(
    old: str, new: str, why: str, tmp_path: Path
) -> None:
    """Integer labels work, whole-number floats (docs/api.md allows them) raise: only the row that passes floats
    fails, and it says why (the same call with integers worked) and how to cast."""
    rows = _failed(Mutant("raw-target", "losses.CrossEntropyLoss", "", old, new), tmp_path)
    assert list(rows) == [FLOAT_LABELS]
    tag, confidence, feedback = rows[FLOAT_LABELS]
    assert (tag, confidence) == ("float-labels", "is") and why in feedback and "target.astype(int)" in feedback


def test_a_loss_for_hard_labels_only_is_told_from_one_log_in_both_terms(tmp_path: Path) -> None:
    """On soft targets both take log(1 - p) everywhere; a probe with the targets rounded to 0/1, where only the
    first is right, tells them apart."""
    soft = "forward: soft targets"
    hard_only = _failed(_mutant("bce-hard-labels-only"), tmp_path / "hard")[soft]
    assert hard_only[:2] == ("bce-hard-labels-only", "is")
    copied = _failed(_mutant("bce-first-term-log-1mp"), tmp_path / "copied")[soft]
    assert copied[:2] == ("bce-wrong-log-term", "is") and "log(1 - p)" in copied[2]
