"""Does the diagnosis claim a cause only when the evidence singles it out, and say so in the right words?

Each rule on small synthetic arrays: a simulation says what the mistake *is*; a pattern that
fits one mistake alone says what it *looks like*; anything else is an observation, with no cause.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from nnlab.exercises.course import load_course
from nnlab.graders.judging.checks.support import dtype_problem, first_failure, judge, most_telling_dtype
from nnlab.graders.judging.contracts import backward_contract, promised
from nnlab.graders.judging.diagnose import IS, LOOKS_LIKE, Subset, diagnose, explain, localise
from nnlab.graders.mutants import Mutant, apply
from nnlab.graders.reporting import gradescope
from nnlab.graders.results import ComponentReport, Report, ScoredCheck, failed, passed
from nnlab.graders.runner import grade
from nnlab.graders.running.puppet import StudentError

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
RNG = np.random.default_rng(11)
E = RNG.standard_normal((4, 3))  # a right answer
X = np.array([[1.0, -2.0, 0.5], [-1.0, 3.0, -0.5], [2.0, 1.5, -3.0], [-0.7, -1.2, 0.9]])  # 6 of 12 positive


def positive_branch(mistake: str | None = "the x > 0 branch is scaled twice") -> dict[str, Subset]:
    return {"x>0": Subset(X > 0, "has x > 0", mistake, "branch-positive" if mistake else "")}


# ------------------------------------------------------------------------------- subsets
def test_a_subset_is_claimed_when_the_wrong_entries_are_exactly_it() -> None:
    actual = np.where(X > 0, 2 * E, E)
    finding = explain(actual, E, what="the input gradient", subsets=positive_branch())
    assert finding.diagnosis is not None and finding.confidence == LOOKS_LIKE
    assert finding.tag == "branch-positive"
    assert "exactly the 6 entries that have x > 0" in finding.observation
    assert finding.sentences().endswith(
        "Looks like: the x > 0 branch is scaled twice (the pattern fits; not confirmed)."
    )


def test_a_subset_without_a_mistake_is_only_an_observation() -> None:
    finding = explain(np.where(X > 0, 2 * E, E), E, what="the input gradient", subsets=positive_branch(None))
    assert finding.diagnosis is None and finding.confidence == ""
    assert finding.sentences() == (
        " Observed: the wrong entries are exactly the 6 entries that have x > 0; each is 2 times its right value."
    )


def test_a_subset_holding_only_some_wrong_entries_is_an_observation_not_a_claim() -> None:
    some = (X > 0) & (np.arange(12).reshape(4, 3) < 6)  # 3 of the 6 positive entries
    finding = explain(np.where(some, 2 * E, E), E, what="the input gradient", subsets=positive_branch())
    assert finding.diagnosis is None
    assert "every wrong entry has x > 0 (3 of the 6 such entries)" in finding.observation


def test_a_subset_that_is_nearly_everything_is_no_evidence() -> None:
    almost = np.ones((4, 3), dtype=bool)
    almost[0, 0] = False
    subsets = {"most": Subset(almost, "is not the first", "the first entry alone is right", "most")}
    assert explain(np.where(almost, 3 * E + 1, E), E, subsets=subsets).diagnosis is None


def test_two_subsets_with_different_mistakes_that_both_fit_claim_nothing() -> None:
    subsets = {**positive_branch(), "y>0": Subset(X > 0, "has y > 0", "the output branch is wrong", "branch-y")}
    finding = explain(np.where(X > 0, 2 * E, E), E, subsets=subsets)
    assert finding.diagnosis is None and finding.observation


def test_a_sign_flipped_on_one_column_is_observed_from_the_shape_alone() -> None:
    actual = E.copy()
    actual[:, 1] *= -1
    finding = explain(actual, E)
    assert finding.diagnosis is None
    assert (
        finding.observation
        == "the wrong entries are exactly the 4 entries that are in column 1; each has the wrong sign"
    )


def test_the_wrong_entries_of_one_channel_are_observed_with_what_they_hold() -> None:
    right = RNG.standard_normal((2, 3, 4, 4))
    actual = right.copy()
    actual[:, 2] = 0.0
    finding = explain(actual, right)
    assert finding.diagnosis is None
    assert (
        finding.observation == "the wrong entries are exactly the 32 entries that are in channel 2; each is 0 in yours"
    )


# ------------------------------------------------------------------------------- the border
def _border(shape: tuple[int, ...], width: int = 1) -> np.ndarray:
    mask = np.ones(shape, dtype=bool)
    mask[:, :, width:-width, width:-width] = False
    return mask


def test_the_border_is_claimed_only_when_the_wrong_entries_are_exactly_the_border() -> None:
    right = RNG.standard_normal((2, 2, 8, 8))
    finding = explain(np.where(_border(right.shape), right + 1, right), right, what="the output")
    assert finding.tag == "border-only" and finding.confidence == LOOKS_LIKE
    assert localise(np.where(_border(right.shape), right + 1, right), right)
    part = _border(right.shape) & (np.arange(8) < 4)  # half of the border: not the border
    assert explain(np.where(part, right + 1, right), right).tag != "border-only"
    assert localise(np.where(part, right + 1, right), right) == ""


def test_most_entries_of_a_small_image_are_no_border_evidence() -> None:
    """48 of 54 entries wrong, the 6 right ones inside: a 3x3 image has no interior to speak of."""
    right = RNG.standard_normal((3, 2, 3, 3))
    actual = np.where(_border(right.shape), right * 1.5 + 0.3, right)
    assert int((actual != right).sum()) == 48
    assert explain(actual, right).diagnosis is None
    assert localise(actual, right) == ""


# ------------------------------------------------------------------------------- factors
def test_a_factor_equal_to_a_quantity_of_the_case_names_its_mistake() -> None:
    factors = {1 / 12: ("avgpool-divided-twice", "divided by H'W' = 12, the number of output positions, twice")}
    finding = explain(E / 12, E, what="the output", factors=factors)
    assert finding.diagnosis is not None and finding.confidence == IS and finding.tag == "avgpool-divided-twice"
    assert finding.sentences() == (
        " Observed: every entry of the output is 1/12 of the right value."
        " Cause: divided by H'W' = 12, the number of output positions, twice."
    )


def test_a_factor_that_is_two_quantities_of_the_case_names_neither() -> None:
    factors = {4.0: ("times-channels", "summed over the C = 4 channels")}
    finding = explain(4 * E, E, batch=4, factors=factors)
    assert finding.diagnosis is None and finding.tag == "constant-factor"
    assert "more than one quantity of this case" in finding.observation


def test_the_batch_size_is_named_when_nothing_else_is_that_factor() -> None:
    finding = explain(4 * E, E, what="the weight gradient", batch=4)
    assert finding.tag == "times-batch-size" and finding.confidence == IS
    assert "N = 4 is the batch size" in finding.sentences()


@pytest.mark.parametrize(
    "factor, words", [(1 / 12, "is 1/12 of the right value"), (0.8, "is 4/5 of the right value"), (7.0, "is 7 times")]
)
def test_an_unexplained_factor_is_an_observation_written_as_a_fraction(factor: float, words: str) -> None:
    finding = explain(factor * np.ones((5, 5)) * np.arange(1, 26).reshape(5, 5), np.arange(1.0, 26).reshape(5, 5))
    assert finding.diagnosis is None and finding.tag == "constant-factor" and finding.confidence == ""
    assert words in finding.observation and "Cause" not in finding.sentences()


def test_a_generic_factor_two_is_a_pattern_not_a_confirmed_cause() -> None:
    assert explain(0.5 * E, E).confidence == LOOKS_LIKE
    assert explain(-E, E).confidence == IS  # the sign: the numbers say exactly what is wrong


# ------------------------------------------------------------------------------- canned rules
def test_all_zeros_is_observed_and_claims_no_cause_without_a_simulation() -> None:
    finding = explain(np.zeros_like(E), E, what="the weight gradient")
    assert finding.diagnosis is None and finding.tag == "all-zero"
    assert finding.sentences() == " Observed: the weight gradient is all zeros."
    assert "+=" not in finding.sentences()


def test_all_zeros_is_claimed_when_a_variant_reproduces_it() -> None:
    variants = {"grad-overwritten": (np.zeros_like(E), "the gradient was assigned (`=`), not added (`+=`)")}
    finding = explain(np.zeros_like(E), E, variants=variants)
    assert finding.tag == "grad-overwritten" and finding.confidence == IS


def test_a_variant_is_a_confirmed_cause_and_drops_its_numbered_suffix() -> None:
    variants = {"softmax-wrong-axis#0": (E[::-1].copy(), "normalised along axis 0")}
    diagnosis = diagnose(E[::-1].copy(), E, variants=variants)
    assert diagnosis is not None and diagnosis.tag == "softmax-wrong-axis" and diagnosis.confidence == IS


def test_a_variant_that_rounding_reproduces_as_well_claims_nothing() -> None:
    """Per-epoch losses of 1.43 and 1.21 reported as 1 and 1: the batch size of 1 (np.average's arguments
    swapped) and the losses rounded down both give that; the case cannot say which."""
    right, got = np.array([1.42737, 1.2144]), np.array([1.0, 1.0])
    variants = {"fit-arguments#average": (got.copy(), "the mean batch size, weighted by the losses")}
    finding = explain(got, right, variants=variants)
    assert finding.diagnosis is None and "2 different known mistakes" in finding.observation
    assert explain(got, right).tag == "rounded-values"  # without the variant, rounding is the one explanation


def test_a_buffer_left_at_its_start_outranks_rounding() -> None:
    """A running variance of 1 where 1.33 belongs: the update that never reached the buffer leaves exactly its
    starting value; rounding the right values gives 1 only because their integer part happens to be 1."""
    right, got = np.array([1.3274, 1.21, 1.45]), np.ones(3)
    variants = {"result-discarded": (np.ones(3), "the update was applied to a copy")}
    assert explain(got, right, variants=variants).tag == "result-discarded"


def test_the_right_entries_in_the_wrong_order_are_named() -> None:
    right = RNG.standard_normal((2, 3, 4, 4))
    assert explain(right.transpose(0, 2, 3, 1).reshape(right.shape), right).tag == "axes-permuted"
    assert explain(right[:, :, ::-1].copy(), right).tag == "reversed-axis"
    assert explain(E.T.copy().reshape(4, 3), E).tag == "transposed"


def test_an_off_by_one_shift_is_observed() -> None:
    right = RNG.standard_normal((2, 6))
    actual = np.concatenate([np.zeros((2, 1)), right[:, :-1]], axis=1)
    assert "shifted by one along axis 1" in explain(actual, right).observation


# ------------------------------------------------------------------------------- shapes
def test_a_wrong_shape_a_formula_mistake_gives_names_the_formula() -> None:
    right = np.zeros((2, 3, 3, 3))
    shapes = {(2, 3, 2, 3): ("conv-size-missing-plus-one", "H' was computed without the +1")}
    finding = explain(np.zeros((2, 3, 2, 3)), right, what="the output", shapes=shapes)
    assert finding.tag == "conv-size-missing-plus-one" and finding.confidence == LOOKS_LIKE
    other = explain(np.zeros((2, 3, 1, 3)), right, shapes=shapes)
    assert other.diagnosis is None and other.tag == "wrong-shape"


def test_a_size_formula_is_no_claim_when_the_entries_both_shapes_hold_are_wrong_too() -> None:
    """A wrong count of windows leaves the windows it has right: values that differ there too refute it."""
    right = RNG.standard_normal((2, 3, 2, 3))
    shapes = {(2, 3, 2, 2): ("square-only-index", "the width was computed with the height's numbers", True)}
    cropped = explain(right[..., :2].copy(), right, what="the output", shapes=shapes)
    assert cropped.tag == "square-only-index" and cropped.confidence == LOOKS_LIKE
    other = explain(RNG.standard_normal((2, 3, 2, 2)), right, what="the output", shapes=shapes)
    assert other.diagnosis is None and "values are wrong too" in other.observation


def test_the_right_values_with_an_extra_axis_of_length_one_name_keepdims() -> None:
    right = RNG.standard_normal(3)
    finding = explain(right[None, :], right, what="the gradient of `bias`", batch=5)
    assert finding.tag == "length-one-axis" and "keepdims=True" in finding.diagnosis.text


def test_with_a_batch_of_one_an_unsummed_gradient_and_keepdims_claim_neither() -> None:
    right = RNG.standard_normal(3)
    finding = explain(right[None, :], right, what="the gradient of `bias`", batch=1)
    assert finding.diagnosis is None and "look alike" in finding.observation


# ------------------------------------------------------------------------------- the row
def test_a_failed_row_says_expected_got_where_then_the_cause() -> None:
    outcome = judge("backward: c0", np.where(X > 0, 2 * E, E), E, "the input gradient", subsets=positive_branch())
    text = outcome.feedback
    assert text.startswith("the input gradient: 6 of 12 entries differ; first at index")
    assert text.index("got") < text.index("Observed:") < text.index("Looks like:")
    assert outcome.misconception == "branch-positive" and outcome.confidence == LOOKS_LIKE


@pytest.mark.parametrize(
    "actual, hints",
    [
        (4 * E, {"batch": 4}),
        (-E, {}),
        (np.zeros_like(E), {"variants": {"grad-overwritten": (np.zeros_like(E), "assigned, not added")}}),
        (np.where(X > 0, 2 * E, E), {"subsets": positive_branch()}),
        (E.T.copy().reshape(4, 3), {}),
        ((10 * E).astype(np.int64), {}),
    ],
    ids=["batch", "sign", "variant", "subset", "transposed", "integer"],
)
def test_no_internal_tag_appears_in_the_sentence(actual: np.ndarray, hints: dict) -> None:
    outcome = judge("c", actual, E, "the result", **hints)
    assert outcome.misconception and outcome.confidence in (IS, LOOKS_LIKE)
    assert outcome.misconception not in outcome.feedback


def test_a_combined_row_carries_its_surest_finding() -> None:
    observed = failed("c", "a.", "all-zero")
    confirmed = failed("c", "b.", "times-batch-size", confidence=IS)
    combined = first_failure("c", [observed, confirmed])
    assert (combined.misconception, combined.confidence, combined.feedback) == ("times-batch-size", IS, "a. b.")


def test_the_json_report_carries_each_failed_checks_misconception_and_confidence() -> None:
    outcomes = [
        passed("forward: c0"),
        failed("backward: c0", "the input gradient: ... Cause: ...", "times-batch-size", confidence=IS),
        failed("backward: c1", "the input gradient: ... Observed: ...", "all-zero"),
        failed("backward: c2", "the input gradient: ..."),
    ]
    checks = [ScoredCheck("layers.Linear", "reference", o, float(o.passed), 1.0) for o in outcomes]
    report = Report("s", 0, [ComponentReport("layers.Linear", "a3", checks)])
    (test,) = gradescope.to_gradescope(report)["tests"]
    assert test["extra_data"]["diagnoses"] == [
        {"check": "backward: c0", "misconception": "times-batch-size", "confidence": "is"},
        {"check": "backward: c1", "misconception": "all-zero", "confidence": ""},
    ]
    assert gradescope.render(report) == gradescope.render(report)  # the same report, the same bytes


# ------------------------------------------------------------------------------- crashes
def test_a_shape_error_inside_a_promised_call_carries_the_contract() -> None:
    contract = backward_contract((4, 3), (4, 2), {"weight": (2, 3)})
    with pytest.raises(StudentError) as raised, promised(contract):
        raise StudentError("ValueError", "operands could not be broadcast together with shapes (4,2) (2,3)")
    assert raised.value.contract == contract
    assert "grad_x of the shape of x, (4, 3)" in contract and "grad_y of shape (4, 2)" in contract
    with pytest.raises(StudentError) as other, promised(contract):
        raise StudentError("ZeroDivisionError", "division by zero")
    assert other.value.contract == ""  # not a shape error: the contract would be beside the point


def test_a_broadcast_error_in_backward_is_reported_with_the_contract_it_broke(tmp_path: Path) -> None:
    for module in ("base", "layers", "activations"):
        shutil.copy(REFERENCE / f"{module}.py", tmp_path / f"{module}.py")
    source = (tmp_path / "layers.py").read_text()
    wrong = source.replace(
        "        grad_x = grad_y @ self.weight.data\n", "        grad_x = grad_y * self.weight.data\n"
    )
    assert wrong != source
    (tmp_path / "layers.py").write_text(wrong)
    report = grade(tmp_path, load_course(), only=["layers.Linear"], isolate=False)
    errors = [c.outcome.feedback for c in report.components[0].checks if c.outcome.status == "error"]
    assert errors and all("could not be broadcast" in e for e in errors)
    assert any("The contract: backward(grad_y) takes grad_y of shape" in e and "returns grad_x" in e for e in errors)


def test_nan_alone_claims_no_overflow() -> None:
    """nan where the true value is finite comes as well from the root or log of a negative number as from inf -
    inf after an overflow: it is stated, not blamed on an overflow; an inf still says overflow."""
    expected = np.array([0.5, 1.0, -0.3])
    finding = explain(np.array([np.nan, 1.0, np.nan]), expected, what="the output")
    assert finding.diagnosis is None and "square root or log of a negative number" in finding.observation
    assert diagnose(np.array([np.inf, 1.0, -0.3]), expected).tag == "overflow"


# ------------------------------------------------------------------------------- dtype rows
@pytest.mark.parametrize(
    ("dtype", "tag"),
    [(np.bool_, "boolean-result"), (np.int64, "integer-dtype"), (np.float32, "float32"), (np.complex128, "wrong-type")],
)
def test_a_result_that_is_no_float64_is_tagged_by_what_its_dtype_says(dtype: type, tag: str) -> None:
    """Only a float of another precision is the float32 mistake: booleans are a comparison's result (or an array
    made like a boolean mask), integers truncate."""
    text, found = dtype_problem("backward returned", np.dtype(dtype), "gradients must be float64")
    assert found == tag and text.startswith("backward returned")
    assert most_telling_dtype(["float32", found]) == ("float32" if tag == "wrong-type" else tag)
    assert most_telling_dtype(["wrong-shape", found]) == found


def test_a_loss_gradient_of_integers_is_no_float32_mistake(tmp_path: Path) -> None:
    """The loss's type row shares the modules' rule: an integer gradient names the integers it returned."""
    mutant = Mutant(
        "mse-int-grad",
        "losses.MSELoss",
        "",
        "        return 2.0 * self._diff / self._diff.size\n",
        "        return (2.0 * self._diff / self._diff.size).astype(int)\n",
    )
    report = grade(apply([mutant], tmp_path / "s"), load_course(), only=["losses.MSELoss"], isolate=False, seed=0)
    rows = [c.outcome for c in report.components[0].checks if c.outcome.name.startswith("forward returns a float")]
    failed_rows = [r for r in rows if not r.passed]
    assert failed_rows and all(r.misconception == "integer-dtype" for r in failed_rows)
    assert all("backward returned integers (dtype int64)" in r.feedback for r in failed_rows)
