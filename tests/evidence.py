"""Reading grading reports in tests: which components lost points, with which feedback and tags."""

from __future__ import annotations

import ast
import dataclasses
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from nnlab.exercises.components import CATALOGUE
from nnlab.exercises.course import Course
from nnlab.graders.mutants import Mutant, catalogue, reference_folder
from nnlab.graders.results import OBSERVATIONS, PASSED, Report
from nnlab.graders.runner import grade


def lost_points(report: Report) -> dict[str, float]:
    """``{component: points lost}`` for every component that lost any."""
    return {c.component: round(c.max_score - c.score, 6) for c in report.components if c.score < c.max_score}


def failures(report: Report) -> str:
    """Every failed test with its feedback, for assertion messages."""
    return "\n".join(
        f"{check.test_name}: {check.outcome.feedback}"
        for c in report.components
        for check in c.checks
        if not check.outcome.passed
    )


def tags_of(report: Report, component: str) -> set[str]:
    """The misconception tags of a component's failed checks."""
    return {
        check.outcome.misconception
        for c in report.components
        if c.component == component
        for check in c.checks
        if not check.outcome.passed
    }


def convergence_only_for(course: Course, component: str) -> Course:
    """``course`` without convergence points for every component but ``component``.

    A mutant changes one component; the others' convergence checks train code whose other
    families (reference values, trajectories, gradients) are graded all the same, so skipping
    their training keeps the suite fast and proves nothing less about "only its component".
    """
    return convergence_where(course, lambda name: name == component)


# The kinds whose convergence check trains a network with the component (graders/judging/checks/convergence.py):
# every tag it gives is an observation (test_feedback_generalisation::test_the_training_row_claims_no_mistake),
# so it names no mistake and misleads about none. The other kinds' convergence checks read their mistakes.
TRAINED_WITH = ("activation", "layer", "loss")


def without_training_rows(course: Course) -> Course:
    """``course`` without the convergence family of its activations, layers and losses."""
    return convergence_where(course, lambda name: CATALOGUE[name].kind not in TRAINED_WITH)


def grade_mutant(folder: Path, course: Course, only: list[str], component: str) -> Report:
    """A mutant's submission graded as the suite reads it (in-process, seed 0), the training rows first left out.

    A network trained with an activation, layer or loss says what the component does to a whole network, under
    observation tags only, so where another row already costs the component points it adds nothing to what the
    tests read: it is graded (about half of such a grading's time) only where the component lost no points
    without it.
    """
    report = grade(folder, without_training_rows(course), only=only, isolate=False, seed=0)
    if all(c.score == c.max_score for c in report.components if c.component == component):
        report = grade(folder, course, only=only, isolate=False, seed=0)
    return report


def convergence_where(course: Course, keep: Callable[[str], bool]) -> Course:
    """``course`` with convergence points only for the components whose name ``keep`` accepts."""

    def entry(c):
        if keep(c.name):
            return c
        return dataclasses.replace(c, points={f: p for f, p in c.points.items() if f != "convergence"})

    return dataclasses.replace(
        course,
        assignments=tuple(
            dataclasses.replace(a, components=tuple(entry(c) for c in a.components)) for a in course.assignments
        ),
    )


def components_it_can_reach(mutant: Mutant, components: list[str]) -> list[str]:
    """Of ``components`` (the mutant's module's), those whose code the mutant's edit can change.

    Only the mutant's own component when the edit stays inside the body of its class and leaves
    every other top-level statement of the module as it was (compared as syntax trees), no other
    code names that class or inherits from it, and the edit declares no ``global``: the other
    classes then run exactly the reference's code, so grading them again proves nothing. Every
    component otherwise (an edit of a shared helper or base class reaches them all).
    """
    own = mutant.component.split(".")[-1]
    reference = (reference_folder() / f"{mutant.module}.py").read_text(encoding="utf-8")
    edited = reference.replace(mutant.old, mutant.new, 1)
    if "global " in mutant.new:
        return components

    def split(text: str) -> tuple[ast.ClassDef | None, list[str]]:
        tree = ast.parse(text)
        mine = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == own), None)
        return mine, [ast.dump(n) for n in tree.body if n is not mine]

    (mine, others), (_, edited_others) = split(reference), split(edited)
    if mine is None or others != edited_others:
        return components
    start = reference.index(mutant.old)
    body_start = sum(len(line) for line in reference.splitlines(keepends=True)[: mine.body[0].lineno - 1])
    if start < body_start:
        return components  # the edit reaches the class line itself (its bases or decorators)
    outside = ast.parse(reference)
    outside.body = [n for n in outside.body if not (isinstance(n, ast.ClassDef) and n.name == own)]
    if any(isinstance(n, ast.Name) and n.id == own for n in ast.walk(outside)):
        return components
    return [mutant.component]


def assert_caught_only_on_its_component(mutant: Mutant, report: Report) -> None:
    """The rule every mutant is held to: it loses points on its own component, nowhere else,
    and the feedback of that component names its bug class and no other (:func:`feedback_verdict`)."""
    lost = lost_points(report)
    assert mutant.component in lost, f"{mutant.id} is not caught: {mutant.component} scores full marks"
    assert set(lost) == {mutant.component}, f"{mutant.id} also costs points elsewhere:\n{failures(report)}"
    assert_feedback_names_it(mutant, report)


def assert_feedback_names_it(mutant: Mutant, report: Report) -> None:
    """The bar of issue 11 on a graded mutant: named, and no claim of another mistake."""
    verdict = feedback_verdict(mutant, report)
    tags = tags_of(report, mutant.component)
    assert verdict.named, (
        f"{mutant.id}: no diagnosis names it: expected one of {mutant.expect} (observations do not count: "
        f"{sorted(tags & OBSERVATIONS.keys())}) among the diagnoses {sorted(tags)}:\n{failures(report)}"
    )
    assert not verdict.misleading, f"{mutant.id}: claims of another mistake:\n" + "\n".join(map(str, verdict.claims))
    unvouched = unvouched_claims(mutant, report)
    assert not unvouched, f"{mutant.id}: claims under tags no mutant expects and no observation:\n" + "\n".join(
        map(str, unvouched)
    )


# ----------------------------------------------------------------------------- feedback quality


@dataclass(frozen=True)
class Claim:
    """A failed check's diagnosis: its tag, how sure it is, and the sentence the student reads."""

    check: str
    tag: str
    confidence: str
    feedback: str

    def __str__(self) -> str:
        how = self.confidence or "unspecified"
        return f"{self.tag} ({how}) in {self.check!r}: {' '.join(self.feedback.split())}"


@dataclass(frozen=True)
class Verdict:
    """How well a component's feedback explains one mutant (see :func:`feedback_verdict`).

    Attributes:
        caught: the mutant's component lost points.
        named: its feedback names the mutant's bug class.
        misleading: the tags of claims that belong to another mutant's bug class (sorted, unique).
        claims: those misleading claims in full (check, tag, confidence, sentence).
        naming: the checks whose tag or phrase named the bug class.
    """

    caught: bool
    named: bool
    misleading: list[str] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    naming: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """The bar of issue 11: named, and nothing misleading."""
        return self.named and not self.misleading


@cache
def catalogue_bug_classes() -> frozenset[str]:
    """Every tag some catalogue mutant expects, less the observations: the named mistakes."""
    return frozenset(t for m in catalogue() for t in m.expect) - OBSERVATIONS.keys()


@cache
def every_bug_class() -> frozenset[str]:
    """Every tag some mutant expects, the catalogue's or a held-apart set's, less the observations."""
    from test_feedback_generalisation import EVERY  # imported late: that module imports this one

    return catalogue_bug_classes() | (frozenset(t for m in EVERY for t in m.expect) - OBSERVATIONS.keys())


def claimed(tag: str) -> tuple[str, ...]:
    """The mistakes a tag claims. A joint tag ``a+b`` is one sentence naming mistakes a case cannot tell apart,
    so it claims each; a ``#setting`` suffix says which setting a mistake ignored, not another mistake."""
    return tuple(dict.fromkeys(part.partition("#")[0] for part in tag.split("+") if part))


def unvouched_claims(mutant: Mutant, report: Report) -> list[Claim]:
    """Claims on the mutant's component under a tag that is neither an observation nor any mutant's bug class.

    Such a claim can neither name a bug nor mislead by :func:`feedback_verdict`'s rule, so a wrong one would go
    unseen: every tag the grader gives must be an observation, or some mutant must expect it (the mutant that
    earns it vouches for the sentence)."""
    known = every_bug_class() | OBSERVATIONS.keys()
    return [
        Claim(check.outcome.name, check.outcome.misconception, check.outcome.confidence, check.outcome.feedback)
        for component in report.components
        if component.component == mutant.component
        for check in component.checks
        if check.outcome.status != PASSED and not set(claimed(check.outcome.misconception)) <= known
    ]


def feedback_verdict(mutant: Mutant, report: Report, bug_classes: Iterable[str] | None = None) -> Verdict:
    """Does the feedback on ``mutant.component`` name the mutant's mistake, and only it?

    The rule (issue 11):

    * **named**: a failed check of the component carries a tag of ``mutant.expect`` that is
      not an observation (see ``OBSERVATIONS``), or its feedback contains one of
      ``mutant.phrases`` (case-insensitive). An observation tag locates the error; it does
      not name a misconception, so a mutant that expects only observations is never named.
    * **misleading**: a failed check of the component carries a tag (a claim, whatever its
      ``confidence``: "is", "looks like" or unspecified) that is another mistake's bug class,
      i.e. in ``bug_classes`` (default: every catalogue and held-apart mutant's ``expect``,
      less the observations) and not in ``mutant.expect``. When two tags are the same mistake,
      the synonym belongs in the mutant's ``expect``.
    * A joint tag ``a+b`` ("one of these mistakes, which this case cannot tell apart") names
      the mutant when one of its mistakes is the mutant's, and misleads when none is
      (:func:`claimed`).

    ``bug_classes`` lets a caller judge against another vocabulary (a set under test adds its own tags).
    """
    classes = every_bug_class() if bug_classes is None else frozenset(bug_classes) - OBSERVATIONS.keys()
    own = set(mutant.expect)
    wanted = own - OBSERVATIONS.keys()
    phrases = [p.casefold() for p in mutant.phrases]
    caught, naming, claims = False, [], []
    for component in report.components:
        if component.component != mutant.component:
            continue
        caught = caught or component.score < component.max_score
        for check in component.checks:
            outcome = check.outcome
            if outcome.status == PASSED:
                continue
            text = outcome.feedback.casefold()
            mistakes = set(claimed(outcome.misconception))
            if mistakes & wanted or any(p in text for p in phrases):
                naming.append(outcome.name)
            if mistakes & classes and not mistakes & own:
                confidence = getattr(outcome, "confidence", "")
                claims.append(Claim(outcome.name, outcome.misconception, confidence, outcome.feedback))
    return Verdict(caught, bool(naming), sorted({c.tag for c in claims}), claims, naming)


# Alternatives that replace only a few components: the file is appended to the reference
# module when the test builds the submission (one copy of the reference, in reference/).
PARTIAL = "# nnlab-alternative: after-reference"


def is_partial(folder: Path) -> bool:
    """A folder of red-team alternatives that replace some components of the reference."""
    return any(PARTIAL in p.read_text(encoding="utf-8").splitlines()[:3] for p in folder.glob("*.py"))


def alternative_submission(folder: Path, modules: list[str], target: Path) -> Path:
    """``folder`` as a submission in ``target``: partial files appended to the reference
    module, modules it does not have taken from the reference."""
    target.mkdir(parents=True, exist_ok=True)
    for module in modules:
        own = folder / f"{module}.py"
        reference = (reference_folder() / f"{module}.py").read_text(encoding="utf-8")
        if not own.exists():
            text = reference
        else:
            text = own.read_text(encoding="utf-8")
            if PARTIAL in text.splitlines()[:3]:
                text = reference + "\n\n" + text
        (target / f"{module}.py").write_text(text, encoding="utf-8")
    for extra in folder.glob("*.py"):
        if extra.stem not in modules:
            shutil.copy(extra, target / extra.name)
    return target
