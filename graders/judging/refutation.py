"""A simulated mistake must fit every case it was simulated on, not only the one it reproduces.

A variant (the numbers a known mistake gives) that reproduces a student's wrong answer on one case
says what the mistake *is* only if the component's other cases agree. One case can make two mistakes
coincide (softplus's log1p(e^z) and a precedence slip at beta = 2; dividing by h and a whole-array
probe on an x of one entry); another case, where they differ, tells them apart. So every comparison a
component's rows make with :func:`.checks.support.judge` is written in a ledger, and once all rows
have run, each claim a variant or an exact factor made is tested against the ledger's other comparisons of
the same quantity that offer the same mistake:

* a case the student got wrong, with numbers the mistake does not give there, refutes it unless a
  second case confirms it (one mistake behind one component's rows is the simplest reading; a
  student with two mistakes loses a name, never gets a wrong one);
* for a factor that means one mistake on every case (a sign flipped, the batch size, the number of
  entries), a comparison of the same row (the same settings, so the same path through the code)
  that the student got right where the factor would have shown refutes it too (abs(error) is no
  sign flip where the error +1 comes back right); a variant's tag names a class whose simulation
  varies from case to case (softmax over "another" axis), a rubric's factor table may name several
  divisors under one tag, and another row may run a path of the code the mistake never touched, so
  a right comparison is evidence against those factors in its own row only.

A check that reruns the student's code on an input of its own, where mistakes its case gave alike differ, and
keeps the one mistake the rerun reproduces, writes that rerun in the ledger as the second case that confirms it
(:func:`confirm`): it confirms that one claim and refutes none.

A refuted claim becomes an observation: the row keeps what came and where, without a cause. The
ledger costs one list append per comparison; it is read only when a row claims a simulated mistake.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np
from nnlab.graders.results import Outcome

from .diagnose import IS, Diagnosis, Finding, factor_readings
from .evidence import constant_factor, same
from .tolerance import agrees, as_array


@dataclass
class Comparison:
    """One :func:`judge` call: what it compared, with which hints, and, when it failed, what it wrote."""

    row: str
    what: str
    actual: Any
    expected: Any
    hints: Mapping[str, Any]
    finding: Finding | None = None  # None: the comparison passed
    sentences: str = ""  # the finding's text, as the row's feedback holds it
    rerun: bool = False  # a check's own rerun of the student's code (see :func:`confirm`), in no row's feedback

    def simulations(self, tag: str) -> list[np.ndarray]:
        """What the mistake ``tag`` gives on this case: its variants (a joint one ``a+b``, mistakes this case gives
        alike, stands for each of them), and the right values scaled by each factor a factor claim of ``tag`` stands
        for (a mean computed as a sum is N times the right value, whatever N)."""
        variants = (self.hints.get("variants") or {}).items()
        values = [np.asarray(v) for k, (v, _) in variants if _base(k) == tag or tag in _base(k).split("+")]
        expected = np.asarray(self.expected, dtype=np.float64)
        factors = factor_readings(self.hints.get("batch"), expected.size, self.hints.get("factors"))
        shaped = [reshape(expected) for reshape in SHAPE_SIMULATIONS.get(tag, ())]
        return values + [c * expected for c in factors.get(tag, [])] + shaped

    @cached_property
    def claim(self) -> str:
        """The simulated mistake (a variant, an exact factor) this comparison named, or ''."""
        # (a tag that a simulation shares with another rule, a rearrangement of the axes, is a claim of that rule)
        if self.finding is None or self.finding.confidence != IS:
            return ""
        actual = _numbers(self.actual)
        if actual is None:
            return ""
        tag = self.finding.tag
        return tag if any(same(actual, v) for v in self.simulations(tag)) else ""

    @cached_property
    def by_factor_only(self) -> bool:
        """The claim is an exact factor, no variant reproducing it."""
        actual = _numbers(self.actual)
        variants = (self.hints.get("variants") or {}).items()
        return actual is None or not any(
            _base(k) == self.claim and same(actual, np.asarray(v)) for k, (v, _) in variants
        )


class Ledger:
    """The comparisons of one component's rows, in the order they ran."""

    def __init__(self) -> None:
        self.row = ""
        self.comparisons: list[Comparison] = []

    def settle(self, outcome: Outcome) -> Outcome:
        """``outcome`` with every claim of its row that another case refutes turned into an observation."""
        if outcome.passed:
            return outcome
        mine = [c for c in self.comparisons if c.row == outcome.name and c.finding is not None and not c.rerun]
        feedback, tag, confidence = outcome.feedback, outcome.misconception, outcome.confidence
        refuted = set()
        for comparison in mine:
            if not comparison.claim or comparison.sentences not in feedback:
                continue
            witness = self._refuting(comparison)
            if witness is None:
                continue
            refuted.add(comparison.claim)
            observed = Finding(_observation(comparison, witness))
            feedback = feedback.replace(comparison.sentences, observed.sentences(), 1)
        if not refuted:
            return outcome
        if tag in refuted and confidence == IS:
            standing = [c for c in mine if c.claim and c.claim not in refuted and c.sentences in feedback]
            shaped = any(np.shape(_numbers(c.actual)) != np.shape(c.expected) for c in mine if c.claim in refuted)
            fallback = "wrong-shape" if shaped else "values"
            tag, confidence = (standing[0].claim, IS) if standing else (fallback, "")
        return replace(outcome, feedback=feedback, misconception=tag, confidence=confidence)

    def _refuting(self, claim: Comparison) -> Comparison | None:
        """Another case of the same quantity, wrong too but not as the claimed mistake makes it wrong, when no
        other case confirms the mistake; None when the claim stands.

        A second case that reproduces the mistake where it is visible confirms it: a simulation that is coarser
        on a third case (a threshold it leaves out) does not undo two cases that agree.
        """
        if claim.by_factor_only:
            right = self._right_where_visible(claim)
            if right is not None:
                return right
        refuting = None
        for other in self.comparisons:
            # (a passed comparison never evaluated its hints: they stay unevaluated, no call into the submission)
            if other is claim or other.finding is None or other.what != claim.what:
                continue
            if other.expected is claim.expected:
                continue  # the same case judged again (with fewer variants) is no other case
            actual = _numbers(other.actual)
            if actual is None:
                continue
            try:
                values = other.simulations(claim.claim)
            except Exception:  # noqa: BLE001 (a simulation that cannot be made on this case: no evidence)
                continue
            if any(same(actual, v) and not _invisible(v, other) for v in values):
                return None  # confirmed on another case
            if other.rerun:
                continue  # (a rerun stands for the one mistake it confirmed: it refutes nothing)
            if claim.claim in SHAPE_SIMULATIONS:
                # A shape mistake the ledger simulates (a squeeze) refutes where this case came back in a shape it does
                # not give (flat, with two axes longer than 1): one mistake behind every case is the simpler reading.
                if refuting is None and not any(np.shape(v) == actual.shape for v in values):
                    refuting = other
                continue
            # (a result of the wrong shape refutes nothing: shape mistakes are simulated by their shapes alone)
            right_shape = actual.shape == np.shape(other.expected)
            if values and refuting is None and right_shape and not any(same(actual, v) for v in values):
                # A factor claim's table names the divisors it knows, and one claim may stand for several that agree
                # on its case (no division, and the stride's area at stride 1): another factor here refutes nothing.
                expected = np.asarray(other.expected, dtype=np.float64)
                if not (claim.by_factor_only and constant_factor(actual, expected) is not None):
                    refuting = other  # wrong here, but not as the mistake would be
        return refuting

    def _right_where_visible(self, claim: Comparison) -> Comparison | None:
        """A case of the same quantity the student got right where the claimed factor would have shown (a sign
        flipped where the right value is not 0): the mistake is not made there, so one case's factor is no cause.
        Only for the factors that mean one mistake everywhere (a sign, the batch size, the number of entries): a
        variant's tag names a class whose simulation differs from case to case (softmax over "another" axis)."""
        for other in self.comparisons:
            # (the same row only: another row may run another path of the code, a shared slope's or a vector's, that
            # the mistake never touched)
            if other.finding is not None or other.what != claim.what or other.row != claim.row:
                continue
            expected = np.asarray(other.expected, dtype=np.float64)
            # (the grader's own factors only: a rubric's table may name several divisors that agree on the claim's
            # case under one tag, no division and the stride's area at stride 1, and one of them fits this case)
            factors = factor_readings(other.hints.get("batch"), expected.size, None)
            values = [c * expected for c in factors.get(claim.claim, [])]
            if values and not any(_invisible(v, other) for v in values):
                return other
        return None


# Shape mistakes the ledger can simulate on another case: ``tag -> (what the mistake makes of the right value)``.
SHAPE_SIMULATIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], ...]] = {
    "squeezed-output": (lambda e: e.reshape(tuple(n for n in e.shape if n != 1)),),
}


def _invisible(value: np.ndarray, comparison: Comparison) -> bool:
    expected = np.asarray(comparison.expected, dtype=np.float64)
    if value.shape != expected.shape or value.dtype.kind not in "biuf":
        return False
    return agrees(value, expected, scale=comparison.hints.get("scale"))


def _numbers(value: Any) -> np.ndarray | None:
    array = as_array(value)
    return None if array is None or array.dtype.kind not in "biuf" else array.astype(np.float64)


def _observation(claim: Comparison, witness: Comparison) -> str:
    where = claim.finding.observation if claim.finding else ""
    other = f"'{witness.row}'" if witness.row != claim.row else "another input of this test"
    if claim.claim in SHAPE_SIMULATIONS:
        note = _shape_note(witness, other)
    else:
        right = "which yours gets right" if witness.finding is None else "which is wrong in another way"
        note = (
            f"{claim.what} is what one known mistake gives on this case, but that mistake would give other numbers "
            f"on {other}, {right}: this case alone does not say what the mistake is"
        )
    return f"{where}; {note}" if where else note


def _base(tag: str) -> str:
    return tag.partition("#")[0]


_LEDGER: ContextVar[Ledger | None] = ContextVar("nnlab_refutation_ledger", default=None)


@contextmanager
def ledger() -> Iterator[Ledger]:
    """Write every comparison made inside the block into a new ledger (one component's rows)."""
    book = Ledger()
    token = _LEDGER.set(book)
    try:
        yield book
    finally:
        _LEDGER.reset(token)


def write(
    what: str,
    actual: Any,
    expected: Any,
    hints: Mapping[str, Any],
    finding: Finding | None = None,
    sentences: str = "",
) -> None:
    """Add one :func:`judge` comparison to the open ledger (none is open for a check run on its own)."""
    book = _LEDGER.get()
    if book is not None:
        book.comparisons.append(Comparison(book.row, what, actual, expected, hints, finding, sentences))


def confirm(what: str, actual: Any, expected: Any, tag: str, simulated: np.ndarray) -> None:
    """Add a rerun of the student's code on an input of a check's own (where mistakes a case gave alike differ)
    whose numbers ``simulated``, the mistake ``tag``'s, reproduce: a second case that confirms the claim, as
    another row's comparison of ``what`` would (a claim some other case refutes stands, see the module's rule)."""
    book = _LEDGER.get()
    if book is not None:
        finding = Finding(diagnosis=Diagnosis(tag, "", IS))
        hints = {"variants": {tag: (simulated, "")}}
        book.comparisons.append(Comparison(book.row, what, actual, expected, hints, finding, rerun=True))


def _shape_note(witness: Comparison, other: str) -> str:
    """A squeeze refuted by another case's shape: what that case came back as, flattened where it is."""
    theirs, right = _numbers(witness.actual), np.asarray(witness.expected, dtype=np.float64)
    shape = "?" if theirs is None else theirs.shape
    note = (
        f"np.squeeze gives this shape here, but on {other} it would give {tuple(n for n in right.shape if n != 1)}, "
        f"and yours gave {shape} there"
    )
    if theirs is not None and theirs.ndim == 1 and theirs.size == right.size and same(theirs, right.ravel()):
        note += ": on both, every entry in order as a 1-D array, so it is flattened (ravel, reshape(-1)), not squeezed"
    return note
