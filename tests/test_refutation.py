"""A simulated mistake that reproduces one case is withdrawn when another case of the same quantity refutes it."""

from __future__ import annotations

import numpy as np
from nnlab.graders.judging import refutation
from nnlab.graders.judging.checks.support import first_failure, judge

TEXT = "divided by h only once (a made-up mistake for the test)"


def _judged(book: refutation.Ledger, row: str, actual: np.ndarray, expected: np.ndarray, mistake: np.ndarray):
    book.row = row
    return judge(row, actual, expected, "the gradient", variants={"halved": (mistake, TEXT)})


def test_a_claim_another_case_refutes_becomes_an_observation() -> None:
    expected_a, expected_b = np.array([1.0, 2.0]), np.array([3.0, 4.0, 5.0])
    with refutation.ledger() as book:
        # case A: the student's numbers are what the mistake gives; case B: wrong, but not as the mistake would be
        a = _judged(book, "one entry", expected_a / 2, expected_a, expected_a / 2)
        b = _judged(book, "three entries", expected_b * 1.7, expected_b, expected_b / 2)
        settled = book.settle(a)
    assert a.misconception == "halved" and a.confidence == "is" and TEXT in a.feedback
    assert settled.misconception != "halved" and settled.confidence == ""
    assert TEXT not in settled.feedback
    assert "three entries" in settled.feedback and "does not say what the mistake is" in settled.feedback
    assert book.settle(b) == b  # a row with no claim is left as it is


def test_a_claim_a_second_case_confirms_stands() -> None:
    cases = [np.array([1.0, 2.0]), np.array([3.0, 4.0, 5.0]), np.array([6.0, 7.0])]
    with refutation.ledger() as book:
        a = _judged(book, "one", cases[0] / 2, cases[0], cases[0] / 2)
        _judged(book, "two", cases[1] / 2, cases[1], cases[1] / 2)  # confirms
        _judged(book, "three", cases[2] * 3, cases[2], cases[2] / 2)  # coarser simulation here: outvoted
        assert book.settle(a) == a


def test_passed_cases_and_wrong_shapes_refute_nothing() -> None:
    expected_a, expected_b = np.array([1.0, 2.0]), np.array([3.0, 4.0, 5.0])
    with refutation.ledger() as book:
        a = _judged(book, "one", expected_a / 2, expected_a, expected_a / 2)
        # right where the simulation says the mistake shows: tags name classes, whose simulations vary by case
        _judged(book, "right", expected_b, expected_b, expected_b / 2)
        _judged(book, "shape", np.zeros(2), expected_b, expected_b / 2)  # a shape mistake is simulated by shape
        assert book.settle(a) == a


def test_a_factor_claim_is_tested_on_the_other_cases_too() -> None:
    """N times the right value where N is the batch size: a case with another N refutes it when it is not a factor
    of the right values at all; a factor that no table names is no evidence (one claim may stand for several)."""
    wide, narrow = np.arange(1.0, 9.0).reshape(4, 2), np.arange(1.0, 7.0).reshape(2, 3)
    with refutation.ledger() as book:
        book.row = "batch of 4"
        claimed = judge(book.row, wide * 4, wide, "the gradient", batch=4)
        book.row = "batch of 2"
        judge(book.row, narrow * 4 + 1, narrow, "the gradient", batch=2)  # not twice the right values
        judge(book.row, narrow * 4, narrow, "the gradient", batch=2)  # a factor no quantity explains: no evidence
        settled = book.settle(claimed)
    assert claimed.misconception == "times-batch-size" and claimed.confidence == "is"
    assert settled.misconception != "times-batch-size" and "batch of 2" in settled.feedback
    with refutation.ledger() as book:
        book.row = "batch of 4"
        claimed = judge(book.row, wide * 4, wide, "the gradient", batch=4)
        book.row = "batch of 2"
        judge(book.row, narrow * 2, narrow, "the gradient", batch=2)
        assert book.settle(claimed) == claimed


def test_judge_outside_a_ledger_writes_nothing() -> None:
    outcome = judge("alone", np.array([0.5]), np.array([1.0]), "x", variants={"halved": (np.array([0.5]), TEXT)})
    assert outcome.misconception == "halved"


def test_a_factor_is_refuted_by_a_comparison_of_its_row_that_is_right_where_it_would_show() -> None:
    """abs(error): the -1 errors come back as +1 (a sign flip on every one of them), the +1 errors are right."""
    with refutation.ledger() as book:
        book.row = "update: 2 features"
        updates = [(-1.0, 1.0), (1.0, 1.0), (-1.0, 1.0)]  # (the error, what came back)
        row = first_failure(book.row, [judge("u", np.array([got]), np.array([e]), "the error") for e, got in updates])
        book.row = "another path"  # right there, but another row may run other code: no evidence for this one
        other = judge(book.row, np.array([-2.0]), np.array([-2.0]), "the error")
        assert book.settle(other) == other
        settled = book.settle(row)
    assert row.misconception == "sign-flipped"
    assert settled.misconception != "sign-flipped" and "yours gets right" in settled.feedback
