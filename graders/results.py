"""What grading produces: one result per check, grouped per component, in one report.

A check *definition* (a function in the catalogue) is separate from its *result* (these
dataclasses), and both from how a report is *rendered* (reports/). A crash inside a check
becomes a failed result that carries the error, never an exception that stops grading.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# Statuses, from a student's point of view.
PASSED = "passed"
FAILED = "failed"  # ran and gave a wrong answer
ERROR = "error"  # raised, timed out or crashed
NOT_IMPLEMENTED = "not implemented"
NOT_SUBMITTED = "not submitted"


# Tags that say WHAT was observed, never WHY: they name no mistake in the student's code, so
# carrying one is no claim (it cannot mislead) and expecting one is no diagnosis (it cannot
# name a bug class). Everything else a failed check tags is a claim, whatever its confidence.
OBSERVATIONS: dict[str, str] = {
    "gradcheck": "backward disagrees with finite differences of forward (the gradient-check family)",
    "exception": "the student's code raised (the runner quotes the exception)",
    "timeout": "the student's code ran out of time",
    "unexpected-result": "a value the grader cannot read came back",
    "property": "a property-based check found a counterexample",
    "values": "the values are wrong (a check's fallback with no cause)",
    "patience": "early stopping stopped at the wrong epoch (fallback with no cause)",
    "composition": "Sequential differs from its layers' composition (fallback with no cause)",
    "all-zero": "the result is all zeros (many mistakes leave zeros: diagnose.py makes it an observation)",
    "constant-factor": "every entry is off by one factor that no quantity of the case explains",
    "wrong-shape": "the result has another shape (which formula gives it is the diagnosis)",
    "transposed-shape": "the result has the transposed shape",
    "wrong-type": "the result is not of the type the API asks for",
    "batch-sizes": "minibatches of the wrong sizes (fallback with no cause)",
    "order-changed": "without shuffle the samples came in another order (fallback with no cause)",
    "does-not-converge": "training with the optimizer does not reach the target loss",
    "no-convergence": "training does not reach the target (fallback with no cause)",
    "does-not-move": "the optimizer left the parameters where they were",
    "moves-without-gradient": "the parameters moved although every gradient was 0",
    "non-finite": "nan or inf appeared (where it first appeared is the observation)",
    "memoryless": "each step ignores the earlier ones (fallback with no cause)",
    "small-difference": "a small term (an eps) differs (fallback with no cause)",
    "mirror-image": "one side of 0 gives f(-x), the mirror image, which several mistakes give alike (no cause)",
    # A property or contract check's own name for what it found (the sentence may read a factor; the tag claims
    # no cause). A check that finds the cause tags the cause instead.
    "does-not-train": "a network trained with the component does not reach the reference's accuracy",
    "diverges": "a network trained with the component reached nan or inf",
    "signature": "a constructor or function signature differs from the API's (a default, a name)",
    "attributes": "an attribute or a returned value has another type or shape than the API asks for",
    "dtype": "an array of another dtype than float64 came back",
    "std": "an initializer's draws have another standard deviation than its rule gives",
    "gain-scaling": "an initializer's draws do not scale with the gain as the rule says",
    "not-finite": "nan or inf came back where the API promises finite values",
    "out-of-range": "a value lies outside the range the API promises",
    "not-zero": "a value that must be 0 (relative_error(a, a)) is not",
    "order-dependent": "swapping arguments or their order changed a result that must not depend on it",
    "epochs": "training ran another number of epochs or batches than asked",
    "dropout-rate": "dropout dropped another share of entries than p",
    "dropout-all-dropped": "dropout dropped every entry",
    "dropout-wrong-scale": "dropout's kept entries are not x / (1 - p) (the factor is the observation)",
    "bn-not-normalised": "batch norm's training output is not normalised per channel",
    "shift-invariance": "a loss changed when a constant was added to a row of logits",
    "hinge-margin-met": "the hinge loss is not 0 (or its gradient not 0) where every margin is met",
    "mse-property": "MSE is negative, or not 0 with a zero gradient at input == target",
    "bce-gradient": "BCE's gradient is not finite at p = 0 or 1, or points the wrong way",
    "moves-uphill": "an optimizer's step moved with the gradient, uphill",
    "adam-first-step-size": "Adam's first step is not about lr in every entry",
    "parameters-mixed": "parameters optimized together do not move as each would alone",
}


@dataclass(frozen=True)
class Outcome:
    """The result of one check on one component, before points are attached.

    Attributes:
        name: what was checked, e.g. ``backward: stride 2, padding 1``: the line the check registered
            (catalogue.CheckDef.runs), whatever the submission did; the runner sees to it.
        status: one of the statuses above.
        feedback: what was expected, what came, where; empty when passed.
        misconception: short tag of the diagnosed mistake, e.g. ``grad-times-batch-size``
            (internal: reports and statistics use it; the student reads ``feedback``).
        figures: what a picture explains, as plain data for the HTML report, e.g.
            ``{"loss_curves": {"yours": [...], "reference": [...]}}`` or
            ``{"error_map": {"title": ..., "values": 2-D list}}``.
        confidence: how sure the diagnosis is: ``"is"`` when a simulated mistake reproduces
            the student's numbers, ``"looks like"`` when only a pattern fits, empty when there
            is no diagnosis (or a check names its tag without saying how sure it is).
    """

    name: str
    status: str
    feedback: str = ""
    misconception: str = ""
    figures: dict = field(default_factory=dict, compare=False)
    confidence: str = ""  # after figures: Outcome(name, status, feedback, tag, figures) stays valid

    @property
    def passed(self) -> bool:
        return self.status == PASSED


def passed(name: str) -> Outcome:
    return Outcome(name, PASSED)


def failed(
    name: str, feedback: str, misconception: str = "", figures: dict | None = None, confidence: str = ""
) -> Outcome:
    return Outcome(name, FAILED, feedback, misconception, figures or {}, confidence)


@dataclass(frozen=True)
class ScoredCheck:
    """An outcome with the points it earned; ``family`` is the check family."""

    component: str
    family: str
    outcome: Outcome
    score: float
    max_score: float
    interface: bool = False  # the check passes on a pristine stub

    @property
    def test_name(self) -> str:
        """``layers.Conv2d backward: stride 2, padding 1``: always starts with the component."""
        return f"{self.component} {self.outcome.name}"


@dataclass
class ComponentReport:
    component: str
    assignment: str
    checks: list[ScoredCheck] = field(default_factory=list)
    note: str = ""  # one line when the component could not be graded normally
    output: str = ""  # what the student's code printed (truncated)
    protections: list[str] = field(default_factory=list)  # what the sandbox achieved

    @property
    def score(self) -> float:
        return round(math.fsum(c.score for c in self.checks), 6)

    @property
    def max_score(self) -> float:
        return round(math.fsum(c.max_score for c in self.checks), 6)


@dataclass
class Report:
    submission: str
    seed: int
    components: list[ComponentReport] = field(default_factory=list)
    execution_time: float = 0.0
    protections: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Graded on the instructor's secret: every report says "a hidden seed", never the seed (it is the
    # Classroom secret, and whoever has it can compute the hidden inputs of everyone of that variant).
    seed_hidden: bool = False

    @property
    def seed_text(self) -> str:
        return "a hidden seed" if self.seed_hidden else f"seed {self.seed}"

    @property
    def score(self) -> float:
        return round(math.fsum(c.score for c in self.components), 6)

    @property
    def max_score(self) -> float:
        return round(math.fsum(c.max_score for c in self.components), 6)


# Control characters (terminal escapes that clear the screen or move the cursor, NUL, a
# carriage return that overwrites a line) as visible escapes: student text cannot forge a report.
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F)}
_CONTROLS_BUT_NEWLINE = {c: e for c, e in _CONTROLS.items() if c != 0x0A}


def printable(text: str, newlines: bool = False) -> str:
    """``text`` safe to show: valid UTF-8 (a lone surrogate becomes ``\\ud800``) with every
    control character escaped (``\\x1b``); with ``newlines``, line breaks are kept."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text.translate(_CONTROLS_BUT_NEWLINE if newlines else _CONTROLS)
