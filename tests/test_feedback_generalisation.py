"""Does the diagnosis generalise to bugs it was not written for?

The catalogue's mutants (graders/mutants) are the bugs the feedback was tuned on. The
held-apart sets (tests/heldout) are realistic student bugs written from scratch, each with the
diagnosis tags (``expect``) or phrases (``phrases``) any correct explanation would carry. Each
set was written blind (its blind rate is in its module's docstring) and read afterwards by the
people improving the diagnosis, so here they measure that what was learnt stays learnt; a new
blind set measures generalisation once, before anybody reads it. Each set is held to the targets
on its own: nine in ten named where the set has been worked on, an honest floor (its measured
rate) where it has not yet.
Graded as the suite grades mutants (in-process, seed 0, the built-in course, the mutant's
own component only), each must be caught; none may carry a claim that belongs to another
mistake (``evidence.feedback_verdict``). Issue 11's target.

    python3 tests/test_feedback_generalisation.py    # the per-mutant tables and the rate of each set
"""

from __future__ import annotations

import ast
import sys
import tempfile
import time
import warnings
from functools import cache
from pathlib import Path

import pytest
from evidence import OBSERVATIONS, Verdict, every_bug_class, feedback_verdict, grade_mutant, unvouched_claims
from heldout import HELDOUT
from heldout.drill_act_loss import DRILL_A
from heldout.drill_layers import DRILL_L
from heldout.drill_optim import DRILL_O
from heldout.drill_others import DRILL_T
from heldout.fresh import FRESH
from heldout.fresh_aa import FRESH_AA
from heldout.fresh_ab import FRESH_AB
from heldout.fresh_ab2 import FRESH_AB2
from heldout.fresh_ac import FRESH_AC
from heldout.fresh_ac2 import FRESH_AC2
from heldout.fresh_ad import FRESH_AD
from heldout.fresh_ad2 import FRESH_AD2
from heldout.fresh_ae import FRESH_AE
from heldout.fresh_ae2 import FRESH_AE2
from heldout.fresh_af import FRESH_AF
from heldout.fresh_af2 import FRESH_AF2
from heldout.fresh_ag import FRESH_AG
from heldout.fresh_ag2 import FRESH_AG2
from heldout.fresh_ah import FRESH_AH
from heldout.fresh_ah2 import FRESH_AH2
from heldout.fresh_ai import FRESH_AI
from heldout.fresh_ai2 import FRESH_AI2
from heldout.fresh_aj import FRESH_AJ
from heldout.fresh_aj2 import FRESH_AJ2
from heldout.fresh_ak import FRESH_AK
from heldout.fresh_ak2 import FRESH_AK2
from heldout.fresh_c import FRESH_C
from heldout.fresh_d import FRESH_D
from heldout.fresh_e import FRESH_E
from heldout.fresh_f import FRESH_F
from heldout.fresh_g import FRESH_G
from heldout.fresh_h import FRESH_H
from heldout.fresh_i import FRESH_I
from heldout.fresh_j import FRESH_J
from heldout.fresh_k import FRESH_K
from heldout.fresh_l import FRESH_L
from heldout.fresh_m import FRESH_M
from heldout.fresh_n import FRESH_N
from heldout.fresh_o import FRESH_O
from heldout.fresh_p import FRESH_P
from heldout.fresh_q import FRESH_Q
from heldout.fresh_r import FRESH_R
from heldout.fresh_s import FRESH_S
from heldout.fresh_t import FRESH_T
from heldout.fresh_u import FRESH_U
from heldout.fresh_v import FRESH_V
from heldout.fresh_w import FRESH_W
from heldout.fresh_x import FRESH_X
from heldout.fresh_y import FRESH_Y
from heldout.fresh_z import FRESH_Z
from nnlab.exercises.course import load_course
from nnlab.graders.judging import checks
from nnlab.graders.mutants import Mutant, apply, catalogue
from nnlab.graders.results import PASSED, Report

NAMED_TARGET = 0.9  # issue 11: at least 90 % of the held-apart bugs named
MINIMUM_SIZE = 60
# Each held-apart set, in the order they were written: its mutants, their id prefix, its least size
# and the share of it that must be named (the target, or the floor measured where it is not met).
SETS: dict[str, tuple[list[Mutant], str, int, float]] = {
    "set A": (HELDOUT, "ho-", MINIMUM_SIZE, NAMED_TARGET),
    "set B": (FRESH, "hb-", 45, NAMED_TARGET),
    "set C": (FRESH_C, "hc-", MINIMUM_SIZE, NAMED_TARGET),
    "set D": (FRESH_D, "hd-", MINIMUM_SIZE, NAMED_TARGET),  # blind 33/78 (42 %); worked on since
    "set E": (FRESH_E, "he-", MINIMUM_SIZE, NAMED_TARGET),  # blind 41/76 (54 %), 15 misleading; worked on since
    "set F": (FRESH_F, "hf-", MINIMUM_SIZE, NAMED_TARGET),  # blind 34/77 (44 %), 18 misleading; worked on since
    "set G": (FRESH_G, "hg-", MINIMUM_SIZE, NAMED_TARGET),  # blind 35/78 (45 %), 15 misleading; worked on since
    "set H": (FRESH_H, "hh-", MINIMUM_SIZE, NAMED_TARGET),  # blind 39/79 (49 %), 16 misleading; worked on since
    "set I": (FRESH_I, "hi-", MINIMUM_SIZE, NAMED_TARGET),  # blind 49/77 (64 %), 12 misleading; worked on since
    "set J": (FRESH_J, "hj-", MINIMUM_SIZE, NAMED_TARGET),  # blind 33/72 (46 %), 13 misleading; worked on since
    "set K": (FRESH_K, "hk-", MINIMUM_SIZE, NAMED_TARGET),  # blind 33/74 (45 %), 14 misleading; worked on since
    "set L": (FRESH_L, "hl-", MINIMUM_SIZE, NAMED_TARGET),  # blind 56/74 (76 %), 20 misleading; worked on since
    "set M": (FRESH_M, "hm-", MINIMUM_SIZE, NAMED_TARGET),  # blind 51/72 (71 %), 12 misleading; worked on since
    "set N": (FRESH_N, "hn-", MINIMUM_SIZE, NAMED_TARGET),  # blind 45/71 (63 %), 9 misleading; worked on since
    "set O": (FRESH_O, "hso-", MINIMUM_SIZE, NAMED_TARGET),  # blind 53/71 (75 %), 10 misleading; worked on since
    "set P": (FRESH_P, "hsp-", MINIMUM_SIZE, NAMED_TARGET),  # blind 64/71 (90 %), 8 misleading (30 flagged); taught
    "set Q": (FRESH_Q, "hsq-", MINIMUM_SIZE, NAMED_TARGET),  # blind 63/75 (84 %), 4 misleading (19 flagged); taught
    "set R": (FRESH_R, "hsr-", MINIMUM_SIZE, NAMED_TARGET),  # blind 64/74 (86 %), 2 misleading (8 flagged); taught, 73
    "set S": (FRESH_S, "hss-", MINIMUM_SIZE, NAMED_TARGET),  # blind 62/75 (83 %), 2 misleading (14 flagged); taught, 71
    "set T": (FRESH_T, "hst-", MINIMUM_SIZE, NAMED_TARGET),  # blind 69/77 (90 %), 2 misleading (11 flagged); taught, 76
    "set U": (FRESH_U, "hsu-", MINIMUM_SIZE, NAMED_TARGET),  # blind 67/77 (87 %), 5 misleading (11 flagged); taught
    "set V": (FRESH_V, "hsv-", MINIMUM_SIZE, NAMED_TARGET),  # blind 64/72 (89 %), 2 misleading (12 flagged); taught
    "set W": (FRESH_W, "hsw-", MINIMUM_SIZE, NAMED_TARGET),  # blind 60/73 (82 %), 4 misleading (19 flagged); taught
    "set X": (FRESH_X, "hsx-", MINIMUM_SIZE, NAMED_TARGET),  # blind 54/73 (74 %), 2 misleading (12 flagged); taught
    "set Y": (FRESH_Y, "hsy-", MINIMUM_SIZE, NAMED_TARGET),  # blind 54/74 (73 %), 7 misleading (16 flagged); taught
    "set Z": (FRESH_Z, "hsz-", MINIMUM_SIZE, NAMED_TARGET),  # blind 60/75 (80 %), 0 misleading (9 flagged); taught
    # Not blind: bugs written by the sessions that taught them, one family each, before set AA was graded
    "drill 1": ([*DRILL_A, *DRILL_L, *DRILL_O, *DRILL_T], "drill-", MINIMUM_SIZE, NAMED_TARGET),
    "set AA": (FRESH_AA, "hsaa-", MINIMUM_SIZE, NAMED_TARGET),  # blind 53/67 (79 %), 4 misleading (10 flagged); taught
    # blind 58/77 (75 %), 4 misleading (13 flagged); taught
    "set AB": ([*FRESH_AB, *FRESH_AB2], "hsab-", MINIMUM_SIZE, NAMED_TARGET),
    # blind 35/75 (47 %), 7 misleading (14 flagged); taught
    "set AC": ([*FRESH_AC, *FRESH_AC2], "hsac-", MINIMUM_SIZE, NAMED_TARGET),
    # realistic bugs, half of them whole methods rewritten in a student's style; blind 53/74 (72 %), 8 misleading
    # (13 flagged), one dropped after grading; taught
    "set AD": ([*FRESH_AD, *FRESH_AD2], "hsad-", MINIMUM_SIZE, NAMED_TARGET),
    # set AD's brief, graded after set AD was taught: blind 66/75 (88 %), 12 flagged (9 the right diagnosis under
    # another tag, 3 wrong claims); taught
    "set AE": ([*FRESH_AE, *FRESH_AE2], "hsae-", MINIMUM_SIZE, NAMED_TARGET),
    # set AD's brief again (64 of 76 whole methods rewritten), graded after set AE was taught: blind 69/76 (91 %),
    # 10 flagged (9 the right diagnosis under another tag, 1 wrong claim); taught
    "set AF": ([*FRESH_AF, *FRESH_AF2], "hsaf-", MINIMUM_SIZE, NAMED_TARGET),
    # the same brief, graded after set AF was taught: blind 67/73 (92 %), 4 flagged (2 the right diagnosis under
    # another tag, 2 wrong claims); taught
    "set AG": ([*FRESH_AG, *FRESH_AG2], "hsag-", MINIMUM_SIZE, NAMED_TARGET),
    # the same brief, graded after set AG was taught: blind 69/76 (91 %), 9 flagged (5 the right diagnosis under
    # another tag, 1 imprecise, 3 wrong claims)
    "set AH": ([*FRESH_AH, *FRESH_AH2], "hsah-", MINIMUM_SIZE, NAMED_TARGET),
    # the same brief, graded after set AH was taught: blind 78/86 (91 %), 8 flagged (6 the right diagnosis under
    # another tag, 2 wrong claims)
    "set AI": ([*FRESH_AI, *FRESH_AI2], "hsai-", MINIMUM_SIZE, NAMED_TARGET),
    # the same brief, graded after set AI was taught: blind 91/96 (95 %), 19 flagged (15 the right diagnosis under
    # another tag, 1 imprecise, 3 wrong claims), one dropped after grading (no mistake under docs/api.md)
    "set AJ": ([*FRESH_AJ, *FRESH_AJ2], "hsaj-", MINIMUM_SIZE, NAMED_TARGET),
    # the same brief, graded after set AJ was taught: blind 76/90 (84 %), 7 flagged (6 the right diagnosis under
    # another tag, 1 imprecise, no wrong claim)
    "set AK": ([*FRESH_AK, *FRESH_AK2], "hsak-", MINIMUM_SIZE, 0.88),
}
EVERY = [m for mutants, *_ in SETS.values() for m in mutants]
# Misleading claims measured on a blind set and not mended yet, bug by bug: the test below fails on any other
# misleading claim, and on a listed bug once it is mended (then strike it), so the list only shrinks.
UNMENDED: dict[str, frozenset[str]] = {
    # (The imprecise or wrong claims the tag-vocabulary audit found, under tags no mutant expected, which the
    # misleading count could not see, were mended class by class and each id struck.)
}
# Grader gaps a blind set found and not closed yet (the same rule: any other miss fails, a closed one is struck).
UNCAUGHT: dict[str, frozenset[str]] = {
    # Precision lost in a far tail (GELU's 1 + erf and the sigmoid's 1 - 1/(1 + e^x) cancel to 0 below x = -6 and
    # -37): the lost values are below 1e-11, under every absolute tolerance the grader uses. Catching them needs a
    # relative check of the tails that docs/api.md does not promise; left open.
    "set AC": frozenset({"hsac-gelu-cdf-one-plus-erf", "hsac-sigmoid-negative-branch-one-minus"}),
}
# Families a set lost a bug of after grading (no mistake under docs/api.md, or unsafe in-process); see its module.
UNCOVERED = {
    "set D": ("init.fan_in_and_fan_out",),
    "set P": ("layers.Conv2d",),
    "set T": ("models.Perceptron",),
    "drill 1": ("init.xavier_normal",),  # its one xavier_normal bug was set AA's, which keeps it
    "set AC": ("gradcheck.relative_error",),  # its one bug (np.nanmax) is no mistake under the rubric
}
# Every component family the course grades has held-apart bugs (several activations).
FAMILIES = {
    "activations": 5,
    "layers.Linear": 1,
    "layers.Conv2d": 1,
    "layers.MaxPool2d": 1,
    "layers.AvgPool2d": 1,
    "layers.Flatten": 1,
    "layers.BatchNorm1d": 1,
    "layers.BatchNorm2d": 1,
    "layers.Dropout": 1,
    "losses": 5,
    "optimizers.SGD": 1,
    "optimizers.Adagrad": 1,
    "optimizers.RMSprop": 1,
    "optimizers.Adadelta": 1,
    "optimizers.Adam": 1,
    "optimizers.AdamW": 1,
    "init.fan_in_and_fan_out": 1,
    "init.xavier_uniform": 1,
    "init.xavier_normal": 1,
    "init.kaiming_uniform": 1,
    "init.kaiming_normal": 1,
    "training.minibatches": 1,
    "training.fit": 1,
    "models.Perceptron": 1,
    "models.Sequential": 1,
    "gradcheck.numerical_gradient": 1,
    "gradcheck.relative_error": 1,
    "early_stopping.fit_early_stopping": 1,
}


def _normalised(line: str) -> str:
    """A line with its inner whitespace collapsed and its indentation kept: in Python a line moved into or out of
    a block (one statement indented under an ``else``) is another program."""
    return line[: len(line) - len(line.lstrip())] + " ".join(line.split())


def _changes(mutant: Mutant) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The lines an edit replaces and the lines it puts there, whitespace-normalised and without
    the unchanged lines around them: two mutants with the same changes on the same component are
    the same bug, however their spans were cut (indentation counts: it is Python's block structure)."""
    old = [_normalised(line) for line in mutant.old.splitlines()]
    new = [_normalised(line) for line in mutant.new.splitlines()]
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return tuple(old[start : len(old) - end]), tuple(new[start : len(new) - end])


def _grade(mutant: Mutant) -> Report:
    """The mutant's component graded as a student's would be, as the catalogue's mutants are
    (``evidence.grade_mutant``: an activation's, layer's or loss's training row only where the other rows leave the
    mutant uncaught)."""
    with tempfile.TemporaryDirectory(prefix=f"{mutant.id}-") as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # mutants overflow on purpose
        folder = apply([mutant], Path(tmp) / "submission")
        return grade_mutant(folder, load_course(), [mutant.component], mutant.component)


@cache
def _graded_set(name: str) -> tuple[tuple[Mutant, Report, Verdict], ...]:
    """Every held-apart mutant of one set graded once (shared by the three tests of that set)."""
    classes = every_bug_class()
    return tuple((m, report, feedback_verdict(m, report, classes)) for m in SETS[name][0] for report in [_grade(m)])


def _graded() -> dict[str, tuple[tuple[Mutant, Report, Verdict], ...]]:
    return {name: _graded_set(name) for name in SETS}


def _each_set() -> list:
    """One parameter per set. The three tests that read a set's grades share an xdist group, so each
    set is graded once, on one worker (pyproject.toml's addopts: --dist loadgroup), and the sets
    spread over the workers."""
    return [
        pytest.param(name, id=name.replace(" ", "-"), marks=pytest.mark.xdist_group(f"held-apart {name}"))
        for name in SETS
    ]


def _rate(verdicts: list[Verdict], name: str = "held-apart") -> str:
    named = sum(v.named for v in verdicts)
    misleading = sum(bool(v.misleading) for v in verdicts)
    return f"{name}: {named}/{len(verdicts)} named ({100 * named / len(verdicts):.0f} %), {misleading} misleading"


def _first_sentence(report: Report, verdict: Verdict) -> str:
    """The feedback a student reads first: the naming check's if any, else the first failure's."""
    failed = [c.outcome for r in report.components for c in r.checks if c.outcome.status != PASSED]
    if not failed:
        return ""
    outcome = next((o for o in failed if o.name in verdict.naming), failed[0])
    text = " ".join(outcome.feedback.split())
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


# ------------------------------------------------------------------------------- the set itself
def test_held_apart_set_is_large_and_covers_every_family() -> None:
    for name, (mutants, prefix, size, _) in SETS.items():
        assert len(mutants) >= size, f"{name}: {len(mutants)} bugs, want at least {size}"
        assert all(m.id.startswith(prefix) and (m.expect or m.phrases) for m in mutants), name
        for family, least in FAMILIES.items():
            if family in UNCOVERED.get(name, ()):
                continue
            count = sum(m.component == family or m.module == family for m in mutants)
            assert count >= least, f"{name}, {family}: {count} held-apart bugs, want at least {least}"
    ids = [m.id for m in EVERY]
    assert len(set(ids)) == len(ids)


def test_held_apart_bugs_apply_and_change_the_code(tmp_path: Path) -> None:
    """Each edit's text occurs exactly once in the reference (apply checks) and changes it."""
    for mutant in EVERY:
        assert any(_changes(mutant)), f"{mutant.id} is a no-op"
        folder = apply([mutant], tmp_path / mutant.id)
        assert mutant.new in (folder / f"{mutant.module}.py").read_text(encoding="utf-8")


def test_held_apart_bugs_are_not_in_the_catalogue() -> None:
    """Held apart means held apart: no catalogue mutant makes the same edit of the same component,
    and no bug of a set repeats one of an earlier set."""
    known = {(m.component, _changes(m)): m.id for m in catalogue()}
    copies = {m.id: known[(m.component, _changes(m))] for m in EVERY if (m.component, _changes(m)) in known}
    assert not copies, f"held-apart bugs copied into graders/mutants (write new ones): {copies}"
    earlier: dict[tuple, str] = {}
    repeats = {}
    for mutants, *_ in SETS.values():
        repeats |= {m.id: earlier[(m.component, _changes(m))] for m in mutants if (m.component, _changes(m)) in earlier}
        earlier |= {(m.component, _changes(m)): m.id for m in mutants}
    assert not repeats, f"a later set repeats an earlier one (write new ones): {repeats}"


def test_the_training_row_claims_no_mistake() -> None:
    """What lets :func:`_grade` leave the convergence row out where another row catches the bug: every tag the
    convergence checks can give is an observation, so that row never names nor misleads."""
    source = (Path(checks.__file__).parent / "convergence.py").read_text(encoding="utf-8")
    position = {"failed": 2, "Outcome": 3}  # failed(name, feedback, tag), Outcome(name, status, feedback, tag)
    tags = {
        node.args[position[name]].value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and (name := getattr(node.func, "id", "")) in position
        and len(node.args) > position[name]
        and isinstance(node.args[position[name]], ast.Constant)
    }
    assert {"does-not-train", "diverges"} <= tags <= OBSERVATIONS.keys(), tags


# ------------------------------------------------------------------------------- the feedback
@pytest.mark.parametrize("name", _each_set())
def test_every_held_apart_bug_is_caught(name: str) -> None:
    """Each loses points on its own component: the rubric notices bugs it was not written for."""
    known = UNCAUGHT.get(name, frozenset())
    missed = {m.id for m, _, verdict in _graded_set(name) if not verdict.caught}
    assert not missed - known, f"{name}, not caught (grader gaps): {sorted(missed - known)}"
    assert not known - missed, f"{name}: caught now, strike them from UNCAUGHT: {sorted(known - missed)}"


@pytest.mark.parametrize("name", _each_set())
def test_feedback_names_nine_held_apart_bugs_in_ten(name: str) -> None:
    """Each set on its own: nine in ten named, or at least its recorded floor where a set is still
    below the target (the floor only ever rises, to the rate measured)."""
    results = _graded_set(name)
    verdicts = [v for _, _, v in results]
    print(_rate(verdicts, name))
    unnamed = [m.id for m, _, v in results if not v.named]
    assert len(results) - len(unnamed) >= SETS[name][3] * len(results), f"{_rate(verdicts, name)}; not named: {unnamed}"


@pytest.mark.parametrize("name", _each_set())
def test_no_held_apart_feedback_names_another_mistake(name: str) -> None:
    """A wrong diagnosis is worse than none: no claim that belongs to another bug class."""
    results = _graded_set(name)
    known = UNMENDED.get(name, frozenset())
    misleading = {m.id: [str(c) for c in v.claims] for m, _, v in results if v.misleading and m.id not in known}
    assert not misleading, f"{_rate([v for _, _, v in results], name)}; misleading claims: {misleading}"
    mended = sorted(known - {m.id for m, _, v in results if v.misleading})
    assert not mended, f"{name}: no longer misleading, strike them from UNMENDED: {mended}"


@pytest.mark.parametrize("name", _each_set())
def test_every_claim_is_an_observation_or_a_bug_class(name: str) -> None:
    """The misleading count sees only claims under some mutant's tag: a claim under a tag no mutant expects, and no
    observation, could be wrong unseen. Every such tag needs a mutant that earns it (or is an observation)."""
    unvouched = {m.id: sorted({c.tag for c in unvouched_claims(m, report)}) for m, report, _ in _graded_set(name)}
    unvouched = {bug: tags for bug, tags in unvouched.items() if tags}
    assert not unvouched, f"{name}: claims under tags no mutant expects: {unvouched}"


# ------------------------------------------------------------------------------- the table
def main() -> None:
    started = time.process_time()
    graded = _graded()
    seconds = time.process_time() - started
    for name, results in graded.items():
        print(f"\n{name}\n{'id':58} caught named  misleading / first sentence")
        for mutant, report, verdict in results:
            print(
                f"{mutant.id:58} {'yes' if verdict.caught else 'NO':6} {'yes' if verdict.named else 'no':6}"
                f" {', '.join(verdict.misleading) or '-'}"
            )
            print(f"    {_first_sentence(report, verdict)[:200]}")
    print()
    for name, results in graded.items():
        print(_rate([v for _, _, v in results], name) + f"; {sum(v.caught for _, _, v in results)} caught")
    print(f"{seconds:.1f} s CPU")


if __name__ == "__main__":
    sys.exit(main())
