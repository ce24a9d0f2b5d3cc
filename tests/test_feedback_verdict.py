"""The feedback-quality bar of issue 11 (evidence.feedback_verdict), on hand-built reports.

A mutant's component must *name* its bug class (a tag of ``expect`` that is not a mere
observation, or one of its ``phrases``) and carry no *claim* of another mutant's bug class.
"""

from __future__ import annotations

from evidence import OBSERVATIONS, catalogue_bug_classes, claimed, every_bug_class, feedback_verdict, unvouched_claims
from nnlab.graders.mutants import Mutant, catalogue
from nnlab.graders.results import ERROR, FAILED, PASSED, ComponentReport, Outcome, Report, ScoredCheck

COMPONENT = "losses.CrossEntropyLoss"
MUTANT = Mutant("ce-grad-not-divided", COMPONENT, "no / N in backward", "old", "new", ("ce-grad-not-divided",))
CLASSES = {"ce-grad-not-divided", "ce-grad-no-onehot", "sign-flipped", "gradcheck", "exception"}


def _check(
    name: str, tag: str = "", feedback: str = "wrong", confidence: str = "", status: str = FAILED
) -> ScoredCheck:
    outcome = Outcome(name, status, "" if status == PASSED else feedback, tag, {}, confidence)
    return ScoredCheck(COMPONENT, "reference", outcome, 1.0 if status == PASSED else 0.0, 1.0)


def _report(*checks: ScoredCheck, elsewhere: ScoredCheck | None = None) -> Report:
    components = [ComponentReport(COMPONENT, "a2", [_check("signature", status=PASSED), *checks])]
    if elsewhere is not None:
        components.append(ComponentReport("losses.MSELoss", "a2", [elsewhere]))
    return Report("student", 0, components)


def test_a_confirmed_diagnosis_of_its_class_names_it() -> None:
    verdict = feedback_verdict(MUTANT, _report(_check("backward: 5 classes", "ce-grad-not-divided", confidence="is")))
    assert verdict.caught and verdict.named and not verdict.misleading and verdict.ok
    assert verdict.naming == ["backward: 5 classes"]


def test_an_observation_locates_the_error_but_does_not_name_it() -> None:
    """A mutant that expects only "gradcheck" is never named: the gradient check says where, not why."""
    mutant = Mutant("x", COMPONENT, "", "o", "n", ("gradcheck", "exception"))
    report = _report(_check("gradient check: 5 classes", "gradcheck"), _check("api", "exception", status=ERROR))
    verdict = feedback_verdict(mutant, report, CLASSES)
    assert verdict.caught and not verdict.named and not verdict.misleading and not verdict.ok


def test_a_phrase_in_the_feedback_names_it_when_no_tag_does() -> None:
    mutant = Mutant("x", COMPONENT, "", "o", "n", ("gradcheck",), phrases=("does not use `bias`",))
    report = _report(_check("gradient check", "gradcheck", "Forward DOES NOT USE `BIAS`: read self.bias.data."))
    assert feedback_verdict(mutant, report, CLASSES).named


def test_a_claim_of_another_mistake_is_misleading_whatever_its_confidence() -> None:
    for confidence in ("is", "looks like", ""):
        report = _report(
            _check("backward: 5 classes", "ce-grad-not-divided", confidence="is"),
            _check("backward: batch of 1", "ce-grad-no-onehot", "Looks like: no one-hot.", confidence),
        )
        verdict = feedback_verdict(MUTANT, report, CLASSES)
        assert verdict.named and verdict.misleading == ["ce-grad-no-onehot"] and not verdict.ok
        (claim,) = verdict.claims
        assert claim.check == "backward: batch of 1" and claim.confidence == confidence
        assert "ce-grad-no-onehot" in str(claim) and "Looks like: no one-hot." in str(claim)


def test_a_synonym_in_expect_observations_and_unknown_tags_are_not_misleading() -> None:
    mutant = Mutant("x", COMPONENT, "", "o", "n", ("ce-grad-not-divided", "sign-flipped"))
    report = _report(
        _check("backward: 5 classes", "sign-flipped", confidence="is"),  # listed as the same mistake
        _check("gradient check", "gradcheck"),  # an observation
        _check("backward: batch of 1", "a-tag-no-mutant-has", confidence="looks like"),  # no bug class of the catalogue
    )
    verdict = feedback_verdict(mutant, report, CLASSES)
    assert verdict.named and verdict.misleading == []


def test_only_failed_checks_of_the_mutants_component_count() -> None:
    report = _report(
        _check("backward: 5 classes", "ce-grad-no-onehot", status=PASSED),
        elsewhere=ScoredCheck("losses.MSELoss", "reference", Outcome("backward", FAILED, "x", "sign-flipped"), 0, 1),
    )
    verdict = feedback_verdict(MUTANT, report, CLASSES)
    assert not verdict.caught and not verdict.named and not verdict.misleading


def test_the_default_bug_classes_are_every_mutants_expected_tags_less_the_observations() -> None:
    from test_feedback_generalisation import EVERY

    classes = every_bug_class()
    assert catalogue_bug_classes() == {t for m in catalogue() for t in m.expect} - OBSERVATIONS.keys()
    assert classes == {t for m in [*catalogue(), *EVERY] for t in m.expect} - OBSERVATIONS.keys()
    assert not classes & OBSERVATIONS.keys() and len(classes) > 100


def test_a_joint_tag_claims_each_of_its_mistakes() -> None:
    """ "One of 2 mistakes, which this case cannot tell apart: A; or B" names the bug when it is A or B, and
    misleads when it is neither; a #setting suffix is the setting a mistake ignored, not another mistake."""
    assert claimed("ce-grad-not-divided+sign-flipped#dim") == ("ce-grad-not-divided", "sign-flipped")
    joint = _report(_check("backward: 5 classes", "ce-grad-not-divided+sign-flipped", confidence="is"))
    verdict = feedback_verdict(MUTANT, joint, CLASSES)
    assert verdict.named and not verdict.misleading
    other = _report(_check("backward: 5 classes", "ce-grad-no-onehot+sign-flipped", confidence="is"))
    verdict = feedback_verdict(MUTANT, other, CLASSES)
    assert not verdict.named and verdict.misleading == ["ce-grad-no-onehot+sign-flipped"]


def test_a_claim_no_mutant_expects_is_unvouched() -> None:
    """A tag that is neither an observation nor any mutant's bug class could mislead unseen: it is reported."""
    report = _report(
        _check("backward: 5 classes", "ce-grad-not-divided", confidence="is"),
        _check("backward: 2 classes", "no-mutant-expects-this", confidence="is"),
        _check("gradient check", "gradcheck"),
    )
    assert [c.tag for c in unvouched_claims(MUTANT, report)] == ["no-mutant-expects-this"]


def test_every_observation_is_documented_and_reports_never_group_by_one() -> None:
    """Two checks with the same observation may fail for two reasons: grouping treats them as observations too."""
    from nnlab.graders.reporting.grouping import OBSERVED_ONLY

    assert all(reason for reason in OBSERVATIONS.values())
    assert OBSERVED_ONLY <= OBSERVATIONS.keys()
