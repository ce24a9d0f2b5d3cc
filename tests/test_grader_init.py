"""Is the rubric of the initialisers fair (graders/judging/checks/initializers.py)?

The questions every rubric answers:
* Does the reference score full marks under several seeds?
* Does every realistic bug (graders/mutants/init.py) lose points on its own component only,
  with feedback that names its bug class?
* Do correct implementations that draw differently (tests/alternatives/init_*) score full
  marks? Draws are judged by their statistics, never entry by entry.
And two about the statistics themselves: a correct draw passes whatever the seed, and no known
mistake is within the tolerance of the right standard deviation.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

import numpy as np
import pytest
from evidence import alternative_submission, assert_caught_only_on_its_component, failures, is_partial
from nnlab.exercises.components import component
from nnlab.exercises.course import Assignment, ComponentEntry, Course, load_course
from nnlab.graders import mutants, settings
from nnlab.graders.judging.checks.init_formulas import OPERATOR, PRECEDENCE, ROOT_SCOPE, formulas
from nnlab.graders.judging.checks.initializers import _judge_draw, _kurtosis, _names, _rule
from nnlab.graders.mutants.init import MUTANTS
from nnlab.graders.runner import grade
from nnlab.graders.running import doubles
from nnlab.reference import init

INITIALIZERS = ["init.xavier_uniform", "init.xavier_normal", "init.kaiming_uniform", "init.kaiming_normal"]
ALL = ["init.fan_in_and_fan_out", *INITIALIZERS]
ALTERNATIVES = sorted((Path(__file__).parent / "alternatives").glob("init_*"))
# What the course should give them (until the built-in course lists them, these points are used).
POINTS = {"api": 1, "reference": 4, "properties": 1, "contracts": 1}
ENTRIES = (
    ComponentEntry("init.fan_in_and_fan_out", {"api": 1, "reference": 2, "properties": 1}),
    *(ComponentEntry(name, dict(POINTS)) for name in INITIALIZERS),
)


def course() -> Course:
    """The built-in course once it grades the initialisers, else a course of their entries alone."""
    built_in = load_course()
    graded = {c.name for a in built_in.assignments for c in a.components}
    if set(ALL) <= graded:
        return built_in
    return Course("initialisers", (Assignment("a4-training", "Training", "", ENTRIES),))


@pytest.mark.parametrize("seed", [0, 7, 2024])
def test_reference_scores_full_marks(seed: int) -> None:
    report = grade(mutants.reference_folder(), course(), only=ALL, isolate=False, seed=seed)
    assert report.score == report.max_score > 0, failures(report)


def test_every_component_has_its_families_covered() -> None:
    """Every family the course gives points to has at least one check (and so one outcome)."""
    report = grade(mutants.reference_folder(), course(), only=ALL, isolate=False, seed=1)
    entries = {entry.name: entry for _, entry in course().entries(only=ALL)}
    for graded in report.components:
        families = {check.family for check in graded.checks}
        wanted = {family for family, points in entries[graded.component].points.items() if points}
        assert wanted <= families, (graded.component, wanted - families)


def test_there_are_enough_mutants() -> None:
    """At least 8 bugs, at least two per component, unique ids."""
    assert len(MUTANTS) >= 8
    assert len({m.id for m in MUTANTS}) == len(MUTANTS)
    for name in ALL:
        assert sum(m.component == name for m in MUTANTS) >= 2, name


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.id for m in MUTANTS])
def test_mutant_loses_points_on_its_component_only(mutant: mutants.Mutant, tmp_path: Path) -> None:
    """The bug costs points on its own component, nowhere else, and the feedback names it. A wrong
    fan_in_and_fan_out costs that function only: the initialisers run with a correct one."""
    folder = mutants.apply([mutant], tmp_path / "submission")
    report = grade(folder, course(), only=ALL, isolate=False, seed=0)
    assert_caught_only_on_its_component(mutant, report)


@pytest.mark.parametrize("folder", ALTERNATIVES, ids=[f.name for f in ALTERNATIVES])
@pytest.mark.parametrize("seed", [0, 5])
def test_correct_alternative_scores_full_marks(folder: Path, seed: int, tmp_path: Path) -> None:
    """rng.random() * 2b - b, standard_normal * std, Box-Muller, integer draws, bounds written
    directly, fans as numpy ints: correct code that draws differently loses nothing."""
    submission = alternative_submission(folder, ["init"], tmp_path / folder.name)
    report = grade(submission, course(), only=ALL, isolate=False, seed=seed)
    assert report.score == report.max_score > 0, failures(report)


def test_alternatives_cover_every_component() -> None:
    complete = [f for f in ALTERNATIVES if not is_partial(f)]
    assert len(complete) >= 2 and len(ALTERNATIVES) > len(complete)
    for folder in complete:
        assert (folder / "init.py").exists(), folder


def test_same_seed_same_feedback(tmp_path: Path) -> None:
    chosen = [m for m in MUTANTS if m.id in ("xavier-uniform-sqrt3-for-sqrt6", "kaiming-normal-a-ignored")]
    folder = mutants.apply(chosen, tmp_path / "s")
    runs = [grade(folder, course(), only=INITIALIZERS, isolate=False, seed=3) for _ in range(2)]
    assert failures(runs[0]) == failures(runs[1]) != ""


def test_child_process_grading_matches_in_process() -> None:
    report = grade(mutants.reference_folder(), course(), only=ALL, isolate=True, seed=4)
    assert report.score == report.max_score > 0, failures(report)


CASES = [(name, case) for name in INITIALIZERS for case in component(name).cases]


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{n}: {c.id}" for n, c in CASES])
def test_a_correct_draw_passes_the_statistics_for_any_seed(name: str, case) -> None:
    """Twenty seeds of the reference's own draws: no false alarm (each is ~6 standard errors away)."""
    function = getattr(init, name.split(".")[1])
    shape = tuple(case.input_shape)
    for seed in range(20):
        draw = function(shape, rng=np.random.default_rng(seed), **case.kwargs)
        assert _judge_draw(component(name), shape, dict(case.kwargs), draw) is None, (name, case.id, seed)


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{n}: {c.id}" for n, c in CASES])
def test_no_known_mistake_hides_within_the_tolerance(name: str, case) -> None:
    """Every mistake the feedback can name is at least twice the tolerance away from the right std,
    so a correct draw is never diagnosed and a mistaken one is never passed."""
    entry = component(name)
    shape = tuple(case.input_shape)
    rule = _rule(entry, shape, dict(case.kwargs))
    n = math.prod(shape)
    tolerance = settings.INIT_SIGMAS * math.sqrt((_kurtosis(entry.distribution) - 1.0) / (4.0 * n))
    for std, tag, _ in rule.mistakes:
        assert abs(std / rule.std - 1.0) > 2 * tolerance, (case.id, tag, std, rule.std)


@pytest.mark.parametrize("shape", [(3, 5), (7, 1), (8, 3, 3, 3), (4, 3, 2, 5), (6, 2, 3), (2, 3, 1, 1, 4)])
def test_the_graders_fan_double_agrees_with_the_reference(shape: tuple[int, ...]) -> None:
    """The fan_in_and_fan_out put in place while an initialiser is graded is the reference's."""
    assert doubles.correct_fan_in_and_fan_out(shape) == init.fan_in_and_fan_out(shape)


def test_a_wrong_draw_is_told_by_its_cause() -> None:
    """One feedback, spelled out: the rule with this case's numbers and the mistake that fits.
    With mode='fan_out', fan_in in its place is what a mode ignored and what fans swapped both
    give: one draw names neither, a second draw with mode='fan_in' tells which."""
    entry = component("init.kaiming_normal")
    shape = (300, 120)

    def mode_ignored(kwargs: dict) -> np.ndarray:
        return init.kaiming_normal(shape, **{**kwargs, "mode": "fan_in"}, rng=np.random.default_rng(0))

    kwargs = {"mode": "fan_out", "nonlinearity": "relu"}
    wrong = mode_ignored(kwargs)
    text, tag = _judge_draw(entry, shape, kwargs, wrong)
    assert tag == "std" and "Cause" not in text and "fan = fan_out = 300" in text
    text, tag = _judge_draw(entry, shape, kwargs, wrong, mode_ignored)
    assert tag == "mode-ignored"
    assert "fan = fan_out = 300" in text and "mode was ignored" in text


# Kaiming gains that do not follow the nonlinearity, each with the tag and words it is told by: at the default a = 0
# all three give sqrt(2) to a tanh layer; a leaky slope a != 0 and a slope given to tanh tell them apart.
ONE_GAIN = {
    "leaky_relu's for every nonlinearity": (
        lambda nonlinearity, a: init.calculate_gain("leaky_relu", a),
        "nonlinearity-ignored",
        "the gain of leaky_relu",
    ),
    "ReLU's always": (lambda nonlinearity, a: math.sqrt(2.0), "nonlinearity-ignored", "ReLU's gain sqrt(2) was used"),
    "ReLU's where a = 0": (
        lambda nonlinearity, a: init.calculate_gain(nonlinearity, a) if a else math.sqrt(2.0),
        "zero-taken-as-unset",
        "a = 0 was taken as 'no slope given'",
    ),
}


@pytest.mark.parametrize("mistake", ONE_GAIN)
def test_a_gain_that_ignores_the_nonlinearity_is_told_by_the_probes(mistake: str) -> None:
    """One draw of a tanh layer fits the three; the probe draws (a leaky slope, a slope given to tanh) name one."""
    gain_of, tag, words = ONE_GAIN[mistake]
    entry = component("init.kaiming_normal")

    def draw(shape: tuple[int, ...], kwargs: dict) -> np.ndarray:
        fan_in, fan_out = init.fan_in_and_fan_out(shape)
        fan = fan_out if kwargs.get("mode") == "fan_out" else fan_in
        gain = gain_of(kwargs.get("nonlinearity", "leaky_relu"), kwargs.get("a", 0.0))
        return np.random.default_rng(2).normal(0.0, gain / math.sqrt(fan), size=shape)

    shape, kwargs = (200, 150), {"nonlinearity": "tanh"}
    text, got = _judge_draw(entry, shape, kwargs, draw(shape, kwargs), functools.partial(draw, shape), draw)
    assert got == tag and words in text, (mistake, got, text)


@pytest.mark.parametrize("name", INITIALIZERS)
def test_a_mistyped_formula_is_told_from_its_own_draws(name: str) -> None:
    """Every claimable typing slip of the rule (init_formulas: operator precedence, the root's
    scope, an operator, a missing root), drawn as a student's code would draw it, is named by its
    own class whenever its std differs from the rule's; a slip that is the rule times a constant
    is never claimed by the search (many slips give one factor)."""
    entry = component(name)
    checked = 0
    for formula in formulas(entry.rule, entry.distribution):

        def draw(shape: tuple[int, ...], kwargs: dict, formula=formula) -> np.ndarray:
            std = formula.value(_names(entry, shape, kwargs))
            rng = np.random.default_rng(1)
            if entry.distribution == "uniform":
                return rng.uniform(-math.sqrt(3.0) * std, math.sqrt(3.0) * std, size=shape)
            return rng.normal(0.0, std, size=shape)

        for case in entry.cases:
            shape, kwargs = tuple(case.input_shape), dict(case.kwargs)
            again = functools.partial(draw, shape)  # the same shape, other arguments
            got = _judge_draw(entry, shape, kwargs, draw(shape, kwargs), again, draw)
            if got is None:  # this case's numbers make the slip the rule itself (gain 1 under a root)
                assert math.isclose(formula.value(_names(entry, shape, kwargs)), _rule(entry, shape, kwargs).std)
            elif formula.claim:
                assert got[1] == formula.claim, (case.id, formula.typed, got)
                checked += 1
            else:
                assert got[1] not in (PRECEDENCE, ROOT_SCOPE, OPERATOR), (case.id, formula.typed, got)
    assert checked >= 10


def _kaiming_draw(shape: tuple[int, ...], kwargs: dict, seed: int, two_on_top: bool) -> np.ndarray:
    """kaiming_normal's draw from a generator of ``seed``, with He et al.'s 2 put on top of the gain or not."""
    fan_in, fan_out = init.fan_in_and_fan_out(shape)
    fan = fan_out if kwargs.get("mode") == "fan_out" else fan_in
    gain = init.calculate_gain(kwargs.get("nonlinearity", "leaky_relu"), kwargs.get("a", 0.0))
    std = gain * math.sqrt((2.0 if two_on_top else 1.0) / fan)
    return np.random.default_rng(seed).normal(0.0, std, size=shape)


def test_a_factor_two_is_claimed_only_where_the_draw_puts_it_in_the_scale() -> None:
    """A kaiming_normal std sqrt(2) times the rule's for every nonlinearity is what He et al.'s 2 on top of the gain
    gives, and what a normal drawn by hand of variance 2 gives. Replayed from the generator's seed, the weights are
    its own normal draws scaled: the factor is the scale's, and the slip is claimed. Drawn from another generator
    (no unit normal of this one), both are said, under the observation."""
    entry = component("init.kaiming_normal")
    shape, kwargs, seed = (400, 150), {}, 11

    def draw(shape: tuple[int, ...], kwargs: dict, seed: int = seed) -> np.ndarray:
        return _kaiming_draw(shape, kwargs, seed, two_on_top=True)

    again = functools.partial(draw, shape)
    text, tag = _judge_draw(entry, shape, kwargs, draw(shape, kwargs), again, draw, seed)
    assert tag == "formula-constant" and "He et al.'s 2" in text and "the draw is right" in text, text
    text, tag = _judge_draw(entry, shape, kwargs, draw(shape, kwargs), again, draw, seed + 1)
    assert tag == "std" and "He et al.'s 2" in text and "Box-Muller" in text and "Cause" not in text, text


@pytest.mark.parametrize("name", ["init.xavier_normal", "init.kaiming_normal"])
def test_a_box_muller_radius_without_its_two_is_read_from_the_generators_uniforms(name: str) -> None:
    """Box-Muller made by hand with the radius sqrt(-log u1) draws normals of variance 1/2: only their std shows in
    the statistics, 1/sqrt(2) of the rule's, as a std that lost its 2 gives. The generator's uniforms, replayed, give
    the weights entry by entry: the radius is named, with the std reading beside it (the very same weights)."""
    entry = component(name)
    shape, kwargs, seed = (300, 200), {}, 5

    def draw(shape: tuple[int, ...], kwargs: dict, seed: int = seed) -> np.ndarray:
        rng = np.random.default_rng(seed)
        u1, u2 = rng.random(shape), rng.random(shape)
        std = _rule(entry, shape, kwargs).std
        return std * np.sqrt(-np.log(u1)) * np.cos(2.0 * np.pi * u2)

    text, tag = _judge_draw(entry, shape, kwargs, draw(shape, kwargs), functools.partial(draw, shape), draw, seed)
    assert tag == "formula-constant", text
    assert "sqrt(-log(u1)) * cos(2 pi u2)" in text and "from the std, with the radius right" in text, text
