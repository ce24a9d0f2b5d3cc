"""Does the feedback on a wrong loss name the mistake from the evidence, and only then?
(graders/judging/checks/loss_mistakes.py, and the loss checks that claim a cause)

* A cross-entropy gradient wrong only in the correct-class column is named as the one-hot
  subtraction, as a pattern, though no simulation was written for that exact mistake.
* Where a case cannot tell two mistakes apart (one sample: a division by N is none, so a sum over the
  features is a sum over everything), both are named together, and a rerun where no count is 1 says which.
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
  a probe with 0/1 targets tells them apart, in the grader and (its fixture stored) in the release's checker;
  the checker names none of two mistakes that give the same numbers on a case.
* A hinge mask kept boolean (-count stored as True) is told from a true-class gradient of the wrong sign only
  where some row has two violations; where every row has one they give the same numbers and neither is named.
* The 1/N of a mean applied to one part of a gradient only (the probabilities, the one-hot, the true class).
* Crashes read from numpy's message, the line and the case's shapes: row numbers that count the classes where
  the labels count the samples, and ^ written for a power.
* A hinge whose active set is taken with `>= 0` from slacks already clipped at 0 counts every class active, the
  true class too: simulated, however the code spells it.
* In the training row, what the loss is given comes from a network trained with the student's loss: the loss's own
  check refusing the nan a wrong gradient trained it to is no refusal of valid input (the row says what it
  observed); a check that refuses valid input there, on the first call or a later one, is still named.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from nnlab.exercises.components import CATALOGUE, Case, component
from nnlab.exercises.course import load_course
from nnlab.graders import selfcheck
from nnlab.graders.judging.checks.convergence import _refused_what_training_made
from nnlab.graders.judging.checks.loss_counts import probed_unit_count, unit_count_variants
from nnlab.graders.judging.checks.loss_formulas import hinge
from nnlab.graders.judging.checks.loss_mistakes import backward_variants, forward_variants
from nnlab.graders.judging.contracts import Contract
from nnlab.graders.judging.crashes import read_crash
from nnlab.graders.judging.diagnose import IS
from nnlab.graders.mutants import Mutant, apply, catalogue
from nnlab.graders.runner import grade
from nnlab.graders.running.puppet import StudentError
from nnlab.graders.running.remote import Fed
from nnlab.graders.selfcheck.losses import _distinct

from nnlab.fixtures import write_fixtures

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


def test_a_count_of_one_names_both_readings_and_a_rerun_says_which(tmp_path: Path) -> None:
    """One sample (or a vector, which a per-sample sum takes as one sample) makes a division by N no division, and
    one column a division by D: the sum and that division give the same numbers. The case names both; a rerun on
    an input where no count is 1 keeps the one it reproduces, and is the second case the ledger's rule asks for."""
    rows = _failed(_mutant("mse-sum-over-features"), tmp_path / "features")
    assert rows["forward: (N, D)"][0] == "mse-mean-over-batch-only"
    assert rows["forward: batch of 1"][:2] == rows["forward: vector"][:2] == ("mse-mean-over-batch-only", IS)
    assert "rerun on an input of shape (2, 3)" in rows["forward: batch of 1"][2]
    summed = _failed(_mutant("mse-sum-not-mean"), tmp_path / "summed")
    assert summed["forward: batch of 1"][:2] == summed["forward: vector"][:2] == ("loss-summed", IS)
    rows = _failed(_mutant("mse-grad-divided-by-batch"), tmp_path / "rows")
    assert rows["backward: batch of 1"][:2] == ("mse-grad-divided-by-batch", IS)
    # (the (N, D) row reads a factor N as "a division by N is missing", and the ledger's table reads
    # divided-by-features there as 1/D: the rerun is the second case that confirms the one column's reading)
    rows = _failed(_mutant("bce-sum-divided-by-columns"), tmp_path / "columns")
    assert rows["forward: (N, 1)"][:2] == ("divided-by-features", IS)


def test_without_a_rerun_that_decides_a_count_of_one_names_every_reading() -> None:
    mse, logits = CATALOGUE["losses.MSELoss"], CATALOGUE["losses.BCEWithLogitsLoss"]
    one = np.ones((1, 4))
    assert list(unit_count_variants(mse, one, np.asarray(1.0), 0)) == ["loss-summed+mse-mean-over-batch-only"]
    assert list(unit_count_variants(mse, one, one, 1)) == ["grad-not-averaged+mse-grad-divided-by-batch"]
    column = np.ones((6, 1))
    assert list(unit_count_variants(logits, column, column, 1)) == ["grad-not-averaged+divided-by-features"]
    # a vector's gradient divided by len(x) is right: only the sum gives M times it
    assert list(unit_count_variants(mse, np.ones(7), np.ones(7), 1)) == ["grad-not-averaged"]
    assert not unit_count_variants(mse, np.ones((6, 3)), np.ones((6, 3)), 1)  # the batched case's variants say it
    # a rerun none of the readings gives (5 times the mean on a (2, 3) input) leaves them together
    joint = "loss-summed+mse-mean-over-batch-only"
    assert probed_unit_count(mse, (1, 4), joint, 0, np.asarray(5.0), np.asarray(1.0)) is None
    assert probed_unit_count(mse, (1, 4), joint, 0, np.asarray(3.0), np.asarray(1.0))[0] == "mse-mean-over-batch-only"


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
    assert (tag, confidence) == ("reduction-over-whole-array", "is") and "each row's own maximum" in feedback
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


def test_the_release_checker_replays_the_hard_label_probe(tmp_path: Path) -> None:
    fixtures = tmp_path / "fixtures"
    write_fixtures(fixtures, ["losses.BCELoss"])
    said = {}
    for mutant_id in ("bce-hard-labels-only", "bce-first-term-log-1mp"):
        folder = apply([_mutant(mutant_id)], tmp_path / mutant_id)
        results = selfcheck.check(folder, fixtures, only=["losses.BCELoss"])
        said[mutant_id] = next(r.message for r in results if "[soft targets]" in r.message and "value and" in r.message)
    assert "only for 0/1 labels" in said["bce-hard-labels-only"]
    assert "first term took log(1 - p)" in said["bce-first-term-log-1mp"]
    assert "only for 0/1 labels" not in said["bce-first-term-log-1mp"]


def test_the_release_checker_names_neither_of_two_mistakes_a_case_cannot_tell_apart() -> None:
    same, other = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    variants = {"a": (same, "A"), "b_first": (same.copy(), "B"), "c_x": (other, "C"), "c_y": (other.copy(), "C")}
    assert set(_distinct(variants)) == {"c_x", "c_y"}  # two spellings of one mistake may coincide


def _hinge_case(x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
    case = Case("c", input_shape=x.shape)
    _, grad = hinge(x, t, 1.0)
    return {
        tag: value for tag, (value, _) in backward_variants(component("losses.HingeLoss"), case, x, t, grad).items()
    }


def test_a_boolean_hinge_mask_is_told_from_a_sign_flip_only_where_a_row_has_two_violations() -> None:
    t = np.array([0, 1])
    one_each = np.array([[2.0, 0.0, 2.5], [0.0, 2.0, 0.5]])  # one class within the margin per row
    variants = _hinge_case(one_each, t)
    assert np.allclose(variants["boolean-array-arithmetic"], variants["hinge-true-class-grad-sign"])
    two = np.array([[2.0, 1.5, 1.5], [0.0, 2.0, 0.5]])  # row 0: two violations
    variants = _hinge_case(two, t)
    assert variants["boolean-array-arithmetic"][0, 0] == 0.5 and variants["hinge-true-class-grad-sign"][0, 0] == 1.0


@pytest.mark.parametrize(
    ("mutant_id", "row"),
    [
        ("ce-onehot-from-eye-after-averaging", "backward: 5 classes"),
        ("ce-only-onehot-divided-by-batch", "backward: 5 classes"),
        ("hinge-true-class-count-not-divided", "backward: 4 classes"),
        ("hinge-gradient-built-on-boolean-mask", "backward: 4 classes"),
        ("bce-backward-unpacks-saved-the-other-way", "backward: (N, D)"),
    ],
)
def test_a_simulated_gradient_mistake_is_named_as_what_it_is(mutant_id: str, row: str, tmp_path: Path) -> None:
    mutant = _mutant(mutant_id)
    tag, confidence, _ = _failed(mutant, tmp_path)[row]
    assert (tag, confidence) == (mutant.expect[0], "is")


def _crash(message: str, line: str, shape: tuple[int, ...]) -> StudentError:
    error = StudentError("IndexError", message, "losses.py, line 7, in forward", source=f"        {line}\n")
    error.contract = Contract("", {"input": shape, "target": shape[:1]})
    return error


def test_row_numbers_that_count_the_classes_are_named_only_when_the_case_says_so() -> None:
    message = "shape mismatch: indexing arrays could not be broadcast together with shapes (5,) (6,)"
    line = "loss = -np.mean(log_probs[np.arange(N), labels])"
    found = read_crash(_crash(message, line, (6, 5)), component("losses.CrossEntropyLoss"))
    assert found is not None and found.tag == "batch-classes-confused" and found.confidence == IS
    assert "x.shape[0]" in found.text
    # 5 rows where the scores have 7 columns: the row count is wrong, but it is not C
    assert read_crash(_crash(message, line, (6, 7)), component("losses.CrossEntropyLoss")) is None
    # labels first: another mistake (labels-index-rows' class), not this one
    swapped = "loss = -np.mean(log_probs[labels, np.arange(N)])"
    found = read_crash(_crash(message, swapped, (6, 5)), component("losses.CrossEntropyLoss"))
    assert found is None or found.tag != "batch-classes-confused"


def test_a_caret_on_floats_is_a_power_written_as_xor() -> None:
    message = "ufunc 'bitwise_xor' not supported for the input types"
    error = StudentError(
        "TypeError", message, "losses.py, line 7, in forward", source="        loss = (d ^ 2).mean()\n"
    )
    found = read_crash(error, component("losses.MSELoss"))
    assert found is not None and found.tag == "xor-for-power" and "`d ** 2`" in found.text
    error = StudentError("TypeError", message, "losses.py, line 7, in forward", source="        loss = helper(d)\n")
    assert read_crash(error, component("losses.MSELoss")) is None  # the ^ is elsewhere: the line does not show it


@pytest.mark.parametrize(
    ("mutant_id", "row"),
    [
        ("bce-logits-flipped-labels", "forward: (N, D)"),
        ("bce-logits-flipped-labels", "backward: (N, D)"),
        ("mse-spectral-norm-squared", "forward: (N, D)"),
    ],
)
def test_a_formula_written_with_another_operation_is_named_as_what_it_computes(
    mutant_id: str, row: str, tmp_path: Path
) -> None:
    """The softplus terms of BCE with logits swapped (the loss of 1 - t), the matrix 2-norm of the error for its
    entry-wise norm: simulated on the case's numbers, so the claim is "is"."""
    mutant = _mutant(mutant_id)
    tag, confidence, _ = _failed(mutant, tmp_path)[row]
    assert (tag, confidence) == (mutant.expect[0], "is")


def test_the_matrix_norm_is_simulated_only_where_it_differs_from_the_entrywise_one() -> None:
    mse = component("losses.MSELoss")
    x, t = np.arange(6.0).reshape(6, 1), np.zeros((6, 1))  # one column: the 2-norm of the matrix is entry-wise
    variants = forward_variants(mse, Case("column"), x, t, float(np.mean(x**2)))
    assert not any(tag.startswith("norm-not-entrywise") for tag in variants)


def test_a_hinge_active_set_taken_with_ge_on_clipped_slacks_is_simulated(tmp_path: Path) -> None:
    rows = _failed(_mutant("hinge-loop-active-on-clipped-slack"), tmp_path)
    for row in ("backward: 4 classes", "backward: margin 0.5", "backward: margin 0"):
        tag, confidence, feedback = rows[row]
        assert (tag, confidence) == ("hinge-margin-inclusive", IS)
        assert "true class too" in feedback and ">= 0" in feedback
    assert "forward: 4 classes" not in rows  # the loss of the clipped slacks is right: only the gradient shows it


_TRAINING = "trains an MLP with a sigmoid output on XOR with your loss to the reference's accuracy"


def test_a_gradient_that_trains_the_network_to_nan_is_no_refusal_of_valid_input(tmp_path: Path) -> None:
    rows = _failed(_mutant("bce-grad-minus-factored-over-both-terms"), tmp_path)
    assert rows["backward: (N, D)"][:2] == ("bce-term-sign", IS)  # the backward rows say which value is wrong
    tag, confidence, feedback = rows[_TRAINING]
    assert (tag, confidence) == ("diverges", "")
    assert "nan" in feedback and "right to refuse" in feedback and "refuses valid input" not in feedback


_RANGE_CHECK = "            if not np.all((values >= 0.0) & (values <= 1.0)):\n"


@pytest.mark.parametrize(
    "check",
    [
        # the first call: a column of probabilities, (N, 1), refused
        "            if values.ndim != 1 or not np.all((values >= 0.0) & (values <= 1.0)):\n",
        # a later call: the network, trained well, gives a probability above 0.99, finite and in [0, 1]
        "            if not np.all((values >= 0.0) & (values <= 1.0)) or (values is p and p.max() > 0.99):\n",
    ],
    ids=["first-call", "later-call"],
)
def test_a_check_that_refuses_valid_input_in_training_is_still_named(check: str, tmp_path: Path) -> None:
    strict = Mutant("bce-check-too-strict", "losses.BCELoss", "", _RANGE_CHECK, check)
    tag, confidence, feedback = _failed(strict, tmp_path)[_TRAINING]
    assert (tag, confidence) == ("valid-input-refused", IS)
    assert "refuses valid input" in feedback


def _refusal(number: int, values: list[float], line: str = "raise ValueError('p must be in [0, 1]')") -> str | None:
    error = StudentError("ValueError", "p must be in [0, 1]", "losses.py, line 9, in forward", source=line)
    error.fed = Fed("forward", number, {"input": np.array(values), "target": np.array([0.0, 1.0])})
    return _refused_what_training_made(component("losses.BCELoss"), error)


def test_only_a_refusal_of_what_the_training_spoiled_is_read_as_observed() -> None:
    assert "all 2 entries of input were nan" in (_refusal(40, [np.nan, np.nan]) or "")
    assert "outside [0, 1] (1.5)" in (_refusal(40, [0.5, 1.5]) or "")
    assert _refusal(1, [np.nan, 0.5]) is None  # the first call: the training changed nothing yet
    assert _refusal(40, [0.0, 1.0]) is None  # valid input: the refusal is the check's mistake
    assert _refusal(40, [np.nan, 0.5], "return np.log(p) / len(p)") is None  # not the student's own check


def test_a_hinge_row_skipping_its_sample_index_is_simulated_as_the_loop_runs() -> None:
    """`if j == i: continue` in the loops over the samples i and the classes j: row n leaves out class n (rows n >= C
    nothing) and compares the true class with itself, whose slack, the margin, counts; backward reads that mask."""
    hinge_loss = component("losses.HingeLoss")
    rng = np.random.default_rng(8)
    x, t, margin = rng.normal(size=(6, 4)), np.array([2, 0, 3, 1, 1, 0]), 1.0
    loss, active = 0.0, np.zeros_like(x)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            if j == i:
                continue
            slack = x[i, j] - x[i, t[i]] + margin
            if slack > 0:
                loss, active[i, j] = loss + slack, 1.0
    grad = active.copy()
    grad[np.arange(6), t] = -active.sum(axis=1)
    right, right_grad = hinge(x, t, margin)
    tag = "batch-classes-confused#skipped-sample-index"
    np.testing.assert_allclose(forward_variants(hinge_loss, Case("n"), x, t, right)[tag][0], loss / 6)
    np.testing.assert_allclose(backward_variants(hinge_loss, Case("n"), x, t, right_grad)[tag][0], grad / 6)
    # labels that are each sample's own index: the slip changes nothing
    assert tag not in forward_variants(hinge_loss, Case("n"), x[:4], np.arange(4), hinge(x[:4], np.arange(4), 1.0)[0])


def test_minus_the_mean_probability_names_the_log_forgotten_and_the_log_probabilities_overwritten(
    tmp_path: Path,
) -> None:
    """The loss of the true classes' probabilities: the log left out, or the log-probabilities exponentiated in place
    before the loss read them. One number, and what forward saves, cannot tell which: both are named."""
    rows = _failed(_mutant("ce-averages-true-class-probabilities"), tmp_path)
    assert rows["forward: 5 classes"][:2] == ("aliasing+ce-log-missing", IS)
    assert "out=log_probs" in rows["forward: 5 classes"][2]


def test_each_rows_count_looked_up_by_its_label_is_simulated(tmp_path: Path) -> None:
    """The hinge's per-sample counts indexed by the labels: row n's true class gets row y_n's count. Where every label
    is a row number the values say it (a label past the batch raises, which the crash reader reads)."""
    rows = _failed(_mutant("hinge-row-counts-picked-by-label"), tmp_path)
    assert rows["backward: margin 0.5"][:2] == ("labels-index-rows", IS)
    assert "counts[y_n]" in rows["backward: margin 0.5"][2]
    hinge_loss, x = CATALOGUE["losses.HingeLoss"], np.array([[0.5, 5.0, 0.9, 0.1], [0.3, 0.8, 0.0, 0.6]])
    # (row 0 meets every margin, row 1 violates three: their counts differ)
    for labels, simulated in (([1, 0], True), ([3, 0], False)):  # label 3 is no row of a batch of 2
        t = np.array(labels)
        found = backward_variants(hinge_loss, Case("c", input_shape=x.shape), x, t, hinge(x, t, 1.0)[1])
        assert ("labels-index-rows#count" in found) == simulated
