"""Is the rubric of the perceptron, Sequential, the training loop and gradcheck fair?

Three questions, asked of graders/judging/checks/{perceptron,sequential,training,gradient_checking}.py:
* Does the reference score full marks under several seeds?
* Does every realistic bug (graders/mutants/others.py) lose points on its own component
  only, with feedback that names its bug class?
* Do correct implementations written differently (tests/alternatives/others_*) score full
  marks?
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from evidence import (
    alternative_submission,
    assert_caught_only_on_its_component,
    components_it_can_reach,
    convergence_only_for,
    failures,
    is_partial,
)
from nnlab.exercises.course import load_course
from nnlab.graders import mutants
from nnlab.graders.judging.checks.gradient_checking import RELATIVE_ERROR_FLOOR, _order_cause, _relerr_matches
from nnlab.graders.judging.checks.training import _OFF_BY_ONE, _SLICE_ENDS, _SLICE_STARTS, _batches_problem, _indexed
from nnlab.graders.mutants.others import MUTANTS
from nnlab.graders.runner import grade

COMPONENTS = {
    "models": ["models.Perceptron", "models.Sequential"],
    "training": ["training.minibatches", "training.fit"],
    "gradcheck": ["gradcheck.numerical_gradient", "gradcheck.relative_error"],
}
ALL = [name for names in COMPONENTS.values() for name in names]
ALTERNATIVES = sorted((Path(__file__).parent / "alternatives").glob("others_*"))


@pytest.mark.parametrize("seed", [0, 7, 2024])
def test_reference_scores_full_marks(seed: int) -> None:
    """The reference loses nothing on any of the six components, whatever the seed."""
    report = grade(mutants.reference_folder(), load_course(), only=ALL, isolate=False, seed=seed)
    assert report.score == report.max_score > 0, failures(report)


def test_every_component_has_its_families_covered() -> None:
    """Every family the course gives points to has at least one check (and so one outcome)."""
    report = grade(mutants.reference_folder(), load_course(), only=ALL, isolate=False, seed=1)
    course = {entry.name: entry for _, entry in load_course().entries(only=ALL)}
    for component in report.components:
        families = {check.family for check in component.checks}
        wanted = {family for family, points in course[component.component].points.items() if points}
        assert wanted <= families, (component.component, wanted - families)


def test_there_are_enough_mutants() -> None:
    """At least 14 bugs, every component has several, and their ids are unique."""
    assert len(MUTANTS) >= 14
    assert len({m.id for m in MUTANTS}) == len(MUTANTS)
    for name in ALL:
        assert sum(m.component == name for m in MUTANTS) >= 3, name


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.id for m in MUTANTS])
def test_mutant_loses_points_on_its_component_only(mutant: mutants.Mutant, tmp_path: Path) -> None:
    """The bug costs points on its own component, nowhere else, and the feedback names it."""
    folder = mutants.apply([mutant], tmp_path / "submission")
    course = convergence_only_for(load_course(), mutant.component)
    reach = components_it_can_reach(mutant, COMPONENTS[mutant.module])
    report = grade(folder, course, only=reach, isolate=False, seed=0)
    assert_caught_only_on_its_component(mutant, report)


@pytest.mark.parametrize("folder", ALTERNATIVES, ids=[f.name for f in ALTERNATIVES])
@pytest.mark.parametrize("seed", [0, 5])
def test_correct_alternative_scores_full_marks(folder: Path, seed: int, tmp_path: Path) -> None:
    """Loops, views, lists instead of generators, flat iterators instead of index loops, other
    attribute layouts: correct code written differently loses nothing."""
    submission = alternative_submission(folder, list(COMPONENTS), tmp_path / folder.name)
    report = grade(submission, load_course(), only=ALL, isolate=False, seed=seed)
    assert report.score == report.max_score > 0, failures(report)


def test_alternatives_cover_every_component() -> None:
    """At least three alternative implementations of each component."""
    complete = [f for f in ALTERNATIVES if not is_partial(f)]
    assert len(complete) >= 3
    for folder in complete:
        for module in COMPONENTS:
            assert (folder / f"{module}.py").exists(), (folder, module)


def test_same_seed_same_feedback(tmp_path: Path) -> None:
    """A buggy submission gets byte-identical feedback for the same seed."""
    folder = mutants.apply(
        [m for m in MUTANTS if m.id in ("perceptron-updates-on-correct", "sequential-backward-not-chained")],
        tmp_path / "s",
    )
    runs = [grade(folder, load_course(), only=COMPONENTS["models"], isolate=False, seed=3) for _ in range(2)]
    assert failures(runs[0]) == failures(runs[1]) != ""


def test_child_process_grading_matches_in_process() -> None:
    """The six components score the same in an isolated child as in-process."""
    report = grade(mutants.reference_folder(), load_course(), only=ALL, isolate=True, seed=4)
    assert report.score == report.max_score > 0, failures(report)


@pytest.mark.parametrize(
    ("lo", "hi"),
    [(lo, hi) for lo in _SLICE_STARTS for hi in _SLICE_ENDS if (lo == "start") != (hi == "start + size")],
)
def test_a_slice_with_wrong_bounds_is_told_by_its_bounds(lo: str, hi: str) -> None:
    """Each simulated slice X[lo : hi] of a batch loop (a bound off by one, a length where a
    position belongs, the batch number where its first sample belongs), cut from 10 samples in
    batches of 4, is named by those bounds wherever its batches differ from the right ones."""
    X, y = _indexed(10, 2)
    first, end = _SLICE_STARTS[lo][0], _SLICE_ENDS[hi][0]
    cuts = [slice(first(s, k, 4, 10), end(s, k, 4, 10)) for k, s in enumerate(range(0, 10, 4))]
    problem = _batches_problem([(X[c], y[c]) for c in cuts], 10, 2, 4, shuffled=False)
    assert problem is not None and f"X[{lo} : {hi}]" in problem[0], problem
    assert problem[1] == ("slice-off-by-one" if (lo, hi) in _OFF_BY_ONE else "slice-bounds")


def _ratios(a: np.ndarray, b: np.ndarray) -> list[float]:
    with np.errstate(all="ignore"):
        return (np.abs(a - b) / np.maximum(RELATIVE_ERROR_FLOOR, np.abs(a) + np.abs(b))).ravel().tolist()


def test_the_last_ratio_kept_is_named_where_it_is_not_the_largest() -> None:
    """worst = r for worst = max(worst, r): the last entry's ratio, named where the last is not the largest (there
    it is the right value, no mistake)."""
    rng = np.random.default_rng(3)
    a = rng.standard_normal((3, 4))
    b = a * (1 + rng.uniform(-0.1, 0.1, a.shape))
    b[0, 1] = 1.5 * a[0, 1]  # the largest ratio, not the last
    assert "assigned-not-accumulated" in _relerr_matches(a, b, _ratios(a, b)[-1])
    b[2, 3] = 3.0 * a[2, 3]  # now the last ratio is the largest: the right value
    assert "assigned-not-accumulated" not in _relerr_matches(a, b, max(_ratios(a, b)))


def _with_nan() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    a = rng.standard_normal((2, 3))
    b = a * (1 + rng.uniform(-0.1, 0.1, a.shape))
    b[0, 1] = 1.5 * a[0, 1]
    a[0, 0] = np.nan
    return a, b, a[::-1, ::-1].copy(), b[::-1, ::-1].copy()


def test_a_nan_kept_only_where_it_sits_is_named_by_the_reduction_that_keeps_it_there() -> None:
    """A nan entry first and then last: Python's max keeps it only first, max(r, worst) and the last ratio kept only
    last, and those two part on the value with the nan first (the largest of the others, or the last one's ratio). The
    first ratio returned (a return inside the loop) keeps it only first too, and parts from max on the value with the
    nan last. A result that fits none names nothing."""
    a, b, ra, rb = _with_nan()
    largest = max(r for r in _ratios(a, b) if not np.isnan(r))
    python_max = _order_cause([(a, b, float("nan")), (ra, rb, largest)])
    assert python_max is not None and python_max[0] == "nan-hidden" and "comes first" in python_max[1]
    new_first = _order_cause([(a, b, largest), (ra, rb, float("nan"))])
    assert new_first is not None and new_first[0] == "nan-hidden" and "max(r, worst)" in new_first[1]
    last = _order_cause([(a, b, _ratios(a, b)[-1]), (ra, rb, float("nan"))])
    assert last is not None and last[0] == "assigned-not-accumulated"
    first = _order_cause([(a, b, float("nan")), (ra, rb, _ratios(ra, rb)[0])])
    assert first is not None and first[0] == "return-inside-loop"
    assert _order_cause([(a, b, float("nan")), (ra, rb, 0.5)]) is None
