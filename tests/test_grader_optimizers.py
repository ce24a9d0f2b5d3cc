"""Is the rubric of the optimizers fair? (graders/judging/checks/optimizers.py)

* Does the reference score full marks under several seeds, in-process and in a child?
* Does every realistic bug (graders/mutants/optimizers.py) lose points on its own
  component only, with feedback that names its bug class?
* Do correct implementations written differently (tests/alternatives/optimizers_*) score
  full marks: entry loops, in-place updates with ``out=``, new arrays, state keyed by
  ``id(p)`` or kept in objects, CS231n's velocity and Nesterov formulations?
* Do the simulated mistakes reproduce the reference when no bug is switched on?
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
from nnlab.exercises.components import OPTIMIZERS
from nnlab.exercises.course import load_course
from nnlab.graders import mutants
from nnlab.graders.judging.catalogue import Context, checks_for
from nnlab.graders.judging.checks import optimizer_mistakes
from nnlab.graders.judging.checks import optimizers as rubric
from nnlab.graders.mutants.optimizers import MUTANTS
from nnlab.graders.runner import grade

COMPONENTS = [c.name for c in OPTIMIZERS]
ALTERNATIVES = sorted((Path(__file__).parent / "alternatives").glob("optimizers_*"))
# Student code (mutants) may overflow on purpose; warnings never cost points (docs/api.md).
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


@pytest.mark.parametrize("seed", [0, 3, 2024])
def test_reference_scores_full_marks(seed: int) -> None:
    report = grade(mutants.reference_folder(), load_course(), only=COMPONENTS, isolate=False, seed=seed)
    assert report.score == report.max_score > 0, failures(report)


def test_reference_scores_full_marks_in_a_child_process() -> None:
    """The real path: parameters and optimizer live in a worker, one round trip per step."""
    report = grade(mutants.reference_folder(), load_course(), only=["optimizers.Adam"], seed=5)
    assert report.score == report.max_score > 0, failures(report)


def test_every_family_with_points_has_a_check() -> None:
    course = {entry.name: entry for _, entry in load_course().entries(only=COMPONENTS)}
    for component in OPTIMIZERS:
        for family, points in course[component.name].points.items():
            if points:
                assert checks_for(component, family), (component.name, family)


@pytest.mark.parametrize("component", OPTIMIZERS, ids=COMPONENTS)
def test_simulation_without_bug_is_the_reference(component) -> None:
    """The simulator that computes known mistakes agrees with the reference when bug-free."""
    ctx = Context(component, None, 0)  # no session needed: only the seeded draws
    arrays, grads = rubric.trajectory_problem(ctx, "simulate")
    for case in component.cases:
        expected = rubric.reference_run(component.name, case.kwargs, arrays, grads)
        simulated = rubric.simulate(component.formula, rubric.hyper(component, case.kwargs), arrays, grads)
        for ps, qs in zip(simulated, expected, strict=False):
            for p, q in zip(ps, qs, strict=False):
                np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-14)


def test_there_are_enough_mutants() -> None:
    """At least 14 bugs, several per optimizer, ids unique."""
    assert len(MUTANTS) >= 14
    assert len({m.id for m in MUTANTS}) == len(MUTANTS)
    for name in COMPONENTS:
        assert sum(m.component == name for m in MUTANTS) >= 2, name


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.id for m in MUTANTS])
def test_mutant_loses_points_on_its_component_only(mutant: mutants.Mutant, tmp_path: Path) -> None:
    """The bug costs points on its own optimizer, nowhere else, and the feedback names it."""
    folder = mutants.apply([mutant], tmp_path / "submission")
    course = convergence_only_for(load_course(), mutant.component)
    report = grade(folder, course, only=components_it_can_reach(mutant, COMPONENTS), isolate=False, seed=0)
    assert_caught_only_on_its_component(mutant, report)


@pytest.mark.parametrize("folder", ALTERNATIVES, ids=[f.name for f in ALTERNATIVES])
@pytest.mark.parametrize("seed", [0, 11])
def test_correct_but_different_scores_full_marks(folder: Path, seed: int, tmp_path: Path) -> None:
    submission = alternative_submission(folder, ["optimizers"], tmp_path / folder.name)
    report = grade(submission, load_course(), only=COMPONENTS, isolate=False, seed=seed)
    assert report.score == report.max_score > 0, failures(report)


def test_there_are_three_alternatives_of_every_optimizer() -> None:
    complete = [f for f in ALTERNATIVES if not is_partial(f)]
    assert len(complete) >= 3
    for folder in complete:
        source = (folder / "optimizers.py").read_text(encoding="utf-8")
        for name in COMPONENTS:
            assert f"class {name.split('.')[1]}(" in source, (folder.name, name)


def test_feedback_names_the_first_diverging_step(tmp_path: Path) -> None:
    """Adam without bias correction: step 1 named, both values, and the misconception."""
    mutant = next(m for m in MUTANTS if m.id == "adam-no-bias-correction")
    report = grade(
        mutants.apply([mutant], tmp_path / "s"),
        load_course(),
        only=["optimizers.Adam"],
        isolate=False,
        seed=0,
    )
    outcome = [c.outcome for c in report.components[0].checks if c.outcome.name == "trajectory: defaults"][0]
    assert outcome.misconception == "adam-no-bias-correction"
    assert outcome.feedback.startswith("after step 1 of 8")
    assert "expected" in outcome.feedback and "bias correction" in outcome.feedback


def test_a_late_divergence_is_located(tmp_path: Path) -> None:
    """Momentum with the wrong sign agrees on step 1 and diverges at step 2."""
    mutant = next(m for m in MUTANTS if m.id == "sgd-momentum-wrong-sign")
    report = grade(
        mutants.apply([mutant], tmp_path / "s"),
        load_course(),
        only=["optimizers.SGD"],
        isolate=False,
        seed=0,
    )
    outcome = [c.outcome for c in report.components[0].checks if c.outcome.name == "trajectory: momentum"][0]
    assert outcome.feedback.startswith("after step 2 of 8") and "Step 1 matched" in outcome.feedback
    assert outcome.misconception == "momentum-wrong-sign"


def _case_problem(component_name: str, case_id: str) -> tuple:
    component = next(c for c in OPTIMIZERS if c.name == component_name)
    case = next(c for c in component.cases if c.id == case_id)
    arrays, grads = rubric.trajectory_problem(Context(component, None, 0), case.id)
    hp = rubric.hyper(component, case.kwargs)
    return hp, arrays, grads, rubric.reference_run(component.name, case.kwargs, arrays, grads)


def test_two_mistakes_that_give_the_same_numbers_are_named_together() -> None:
    """With lr = weight_decay, AdamW's p *= 1 - weight_decay and p *= 1 - lr are the same step:
    the feedback names both, never one of them at random."""
    hp, arrays, grads, expected = _case_problem("optimizers.AdamW", "amsgrad")
    assert hp["lr"] == hp["weight_decay"]
    student = rubric.simulate("adamw", hp, arrays, grads, "adamw-decay-uses-lr-only")
    found = rubric.reproducing("adamw", hp, arrays, grads, expected, student)
    assert list(found) == ["adamw-decay-without-lr+adamw-decay-uses-lr-only"]
    assert "cannot tell apart" in found["adamw-decay-without-lr+adamw-decay-uses-lr-only"][1]


def test_another_case_that_contradicts_a_mistake_drops_it() -> None:
    """A case where the student is wrong, and the mistake would be wrong differently, refutes it;
    a case the student gets right refutes nothing (the mistake may sit in a branch)."""
    hp, arrays, grads, expected = _case_problem("optimizers.AdamW", "amsgrad")
    student = rubric.simulate("adamw", hp, arrays, grads, "adamw-decay-uses-lr-only")
    strong = _case_problem("optimizers.AdamW", "strong decoupled decay")
    wrong_there = rubric.simulate("adamw", strong[0], strong[1], strong[2], "adamw-decay-uses-lr-only")
    found = rubric.reproducing("adamw", hp, arrays, grads, expected, student, [(*strong, wrong_there)])
    assert list(found) == ["adamw-decay-uses-lr-only"]  # decay-without-lr predicts another trajectory there
    right_there = rubric.reproducing("adamw", hp, arrays, grads, expected, student, [(*strong, strong[3])])
    assert list(right_there) == ["adamw-decay-without-lr+adamw-decay-uses-lr-only"]


def test_a_square_written_as_a_matrix_product_is_simulated_where_it_runs() -> None:
    """g @ g for g * g runs on square gradients only: there its simulation names it; on a (3, 4) gradient it
    raises, as the student's step does, so it claims no trajectory, and a case the student ran there refutes it."""
    rng = np.random.default_rng(0)
    hp = rubric.hyper(next(c for c in OPTIMIZERS if c.formula == "adagrad"), {})
    square = [rng.standard_normal((4, 4)), rng.standard_normal(5)]
    grads = [[rng.standard_normal(a.shape) for a in square] for _ in range(3)]
    student = rubric.simulate("adagrad", hp, square, grads, "matmul-for-elementwise")
    found = rubric.reproducing("adagrad", hp, square, grads, rubric.simulate("adagrad", hp, square, grads), student)
    assert list(found) == ["matmul-for-elementwise"]
    oblong = [rng.standard_normal((3, 4))]
    oblong_grads = [[rng.standard_normal((3, 4))] for _ in range(3)]
    with pytest.raises(optimizer_mistakes.Undefined):
        rubric.simulate("adagrad", hp, oblong, oblong_grads, "matmul-for-elementwise")
    ran_there = rubric.simulate("adagrad", hp, oblong, oblong_grads, "not-per-coordinate")
    right = rubric.simulate("adagrad", hp, oblong, oblong_grads)
    refuted = rubric.reproducing(
        "adagrad",
        hp,
        square,
        grads,
        rubric.simulate("adagrad", hp, square, grads),
        student,
        [(hp, oblong, oblong_grads, right, ran_there)],
    )
    assert not refuted


def test_a_factor_equal_to_lr_is_refuted_by_another_case() -> None:
    """m = beta1 * m + (1 - beta2) * g makes every Adam step (1 - beta2) / (1 - beta1) = 1/100 of the right one,
    which at lr = 0.01 is also lr applied twice: the defaults (lr = 0.001) refute lr twice, and the copied share
    is named alone."""
    hp, arrays, grads, expected = _case_problem("optimizers.Adam", "amsgrad")
    assert np.isclose(hp["lr"], (1 - hp["betas"][1]) / (1 - hp["betas"][0]))
    student = rubric.simulate("adam", hp, arrays, grads, "betas-swapped#m-share")
    both = rubric.reproducing("adam", hp, arrays, grads, expected, student)
    assert "lr-applied-twice" in next(iter(both))
    defaults = _case_problem("optimizers.Adam", "defaults")
    there = rubric.simulate("adam", defaults[0], defaults[1], defaults[2], "betas-swapped#m-share")
    found = rubric.reproducing("adam", hp, arrays, grads, expected, student, [(*defaults, there)])
    assert list(found) == ["betas-swapped#m-share"]
    assert not rubric._unsimulated("adam", {0.01: ("lr-applied-twice", "the update was multiplied by lr twice")})


def test_the_kept_state_separates_mistakes_that_move_the_parameters_alike() -> None:
    """No eps in Adadelta's sqrt(acc_delta) and an update never written to p.data both leave p where it was; only
    the second lets acc_delta grow: the simulated states differ where the parameters do not."""
    hp, arrays, grads, expected = _case_problem("optimizers.Adadelta", "defaults")
    student = rubric.simulate("adadelta", hp, arrays, grads, "result-discarded#update")
    found = rubric.reproducing("adadelta", hp, arrays, grads, expected, student)
    assert list(found) == ["adadelta-eps-numerator-missing+result-discarded"]
    held = optimizer_mistakes.kept_state("adadelta", hp, arrays, grads, "result-discarded#update")
    zeros = optimizer_mistakes.kept_state("adadelta", hp, arrays, grads, "adadelta-eps-numerator-missing")
    assert any(np.any(a) for a in held) and any(not np.any(a) for a in zeros)
    kept = rubric.reproducing("adadelta", hp, arrays, grads, expected, student, separate=lambda tags: tags[-1:])
    assert [tag.partition("#")[0] for tag in kept] == ["result-discarded"]


@pytest.mark.parametrize(
    ("formula", "tag"),
    [
        ("rmsprop", "floor-division"),
        ("adagrad", "floor-division"),
        ("adam", "copy-paste-wrong-state#m"),
        ("adamw", "adamw-l2-decay#times-lr"),
    ],
)
def test_a_simulated_mistake_of_a_class_reproduces_itself(formula: str, tag: str) -> None:
    """A floor division in the step, a moment updated from the other, AdamW's decay in L2's place with lr: each
    simulated trajectory is named by its own simulation, and by no other mistake."""
    component = next(c for c in OPTIMIZERS if c.formula == formula)
    ctx = Context(component, None, 0)
    arrays, grads = rubric.trajectory_problem(ctx, "class")
    kwargs = next(c.kwargs for c in component.cases if c.kwargs.get("weight_decay", 0) or formula != "adamw")
    hp = rubric.hyper(component, kwargs)
    student = rubric.simulate(formula, hp, arrays, grads, tag)
    found = rubric.reproducing(formula, hp, arrays, grads, rubric.simulate(formula, hp, arrays, grads), student)
    assert [t.partition("#")[0] for t in found] == [tag.partition("#")[0]]


@pytest.mark.parametrize(
    ("formula", "case_id", "tag"),
    [
        ("sgd", "dampening", "momentum-on-velocity-and-gradient#dampening-lost"),
        ("sgd", "nesterov", "momentum-as-average#look-ahead"),
        ("rmsprop", "momentum, no weight decay", "momentum-on-velocity-and-gradient"),
        ("adam", "amsgrad", "amsgrad-wrong-operand#previous-average"),
        ("adam", "amsgrad", "state-reset#m+v"),
        ("adamw", "defaults", "decay-factor-form#divided-by-lr"),
        ("adamw", "defaults", "decay-factor-form#lr-over-decay"),
        ("sgd", "nesterov", "aliasing#previous-velocity"),
        ("sgd", "nesterov, weight decay", "aliasing#previous-velocity"),
        ("rmsprop", "defaults", "saved-state-overwritten#root-eps"),
        ("adagrad", "eps 1e-3", "saved-state-overwritten#root-eps"),
        ("adam", "defaults", "saved-state-overwritten#denominator"),
        ("adam", "amsgrad", "saved-state-overwritten#root"),
        ("adamw", "defaults", "saved-state-overwritten#root-corrected"),
        ("adadelta", "defaults", "saved-state-overwritten#square-avg-rooted"),
        ("adadelta", "eps 1e-3", "saved-state-overwritten#acc-delta-rooted"),
        ("adadelta", "defaults", "saved-state-overwritten#both"),
    ],
)
def test_a_slip_of_a_known_class_is_named_by_its_class(formula: str, case_id: str, tag: str) -> None:
    """Momentum times (b + g), dampening lost; Nesterov's direction an average; two moments kept in locals; amsgrad's
    maximum against the last average; AdamW's factor a quotient: each is named by its own class on a case it shows."""
    component = next(c for c in OPTIMIZERS if c.formula == formula)
    hp, arrays, grads, expected = _case_problem(component.name, case_id)
    student = rubric.simulate(formula, hp, arrays, grads, tag)
    found = rubric.reproducing(formula, hp, arrays, grads, expected, student)
    assert [t.partition("#")[0] for t in found] == [tag.partition("#")[0]]


_SQUARE_LINE = '            state["sum"] = state["sum"] + g * g\n'
_SQUARED = {
    # g **= 2 writes into p.grad (no weight decay made a new array); g2 = g * g read in the step leaves it alone
    "in-place": (_SQUARE_LINE, '            g **= 2\n            state["sum"] = state["sum"] + g\n'),
    "variable": (
        _SQUARE_LINE + '            p.data -= clr * (g / (np.sqrt(state["sum"]) + self.eps))\n',
        '            g2 = g * g\n            state["sum"] = state["sum"] + g2\n'
        '            p.data -= clr * (g2 / (np.sqrt(state["sum"]) + self.eps))\n',
    ),
}


@pytest.mark.parametrize(("how", "tag"), [("in-place", "modifies-grad"), ("variable", "copy-paste")])
def test_p_grad_tells_an_in_place_square_from_a_squared_variable(how: str, tag: str, tmp_path: Path) -> None:
    """Adagrad stepping along g^2: the square taken in place and the square kept in a variable and read in the step
    move the parameters alike; whether step() changed p.grad names which, even on a case with weight decay."""
    old, new = _SQUARED[how]
    mutant = mutants.Mutant(f"adagrad-square-{how}", "optimizers.Adagrad", "", old, new, (tag,))
    report = grade(
        mutants.apply([mutant], tmp_path / "s"), load_course(), only=[mutant.component], isolate=False, seed=0
    )
    named = {c.outcome.misconception for c in report.components[0].checks if c.outcome.name.startswith("trajectory")}
    assert named == {tag}


def test_an_aliased_previous_velocity_leaves_the_first_nesterov_step_right() -> None:
    """v_prev = v without a copy, then v updated in place: the first step (v_prev a fresh zeros array) is right, the
    second is plain momentum, the new velocity alone."""
    hp, arrays, grads, expected = _case_problem("optimizers.SGD", "nesterov")
    student = rubric.simulate("sgd", hp, arrays, grads, "aliasing#previous-velocity")
    assert optimizer_mistakes.same_trajectory(student[:1], expected[:1], arrays)
    assert not optimizer_mistakes.same_trajectory(student[:2], expected[:2], arrays)
    # the second step moves along the new velocity b = momentum * g1 + (1 - dampening) * g2 (with weight decay: none)
    assert hp["weight_decay"] == 0
    b = hp["momentum"] * np.asarray(grads[0][0]) + (1 - hp["dampening"]) * np.asarray(grads[1][0])
    assert np.allclose(student[1][0] - student[0][0], -hp["lr"] * b)


@pytest.mark.parametrize(
    ("formula", "case_id", "tags"),
    [
        ("adagrad", "eps 1e-3", ("saved-state-overwritten", "saved-state-overwritten#root-eps")),
        ("adam", "defaults", ("saved-state-overwritten#root", "saved-state-overwritten#root-corrected")),
    ],
)
def test_the_value_written_into_the_state_is_told_apart(formula: str, case_id: str, tags: tuple[str, ...]) -> None:
    """The running size replaced by its root, or by the root with eps added, or by the corrected root: the kept
    states differ, and where eps is large (or the correction far from 1) the trajectories name the one written."""
    component = next(c for c in OPTIMIZERS if c.formula == formula)
    hp, arrays, grads, expected = _case_problem(component.name, case_id)
    states = [optimizer_mistakes.kept_state(formula, hp, arrays, grads, tag) for tag in tags]
    assert any(not np.allclose(x, y) for x, y in zip(*states, strict=True))
    for tag in tags:
        student = rubric.simulate(formula, hp, arrays, grads, tag)
        assert list(rubric.reproducing(formula, hp, arrays, grads, expected, student)) == [tag]


def test_a_root_of_a_negative_number_is_found_at_the_step_that_raised() -> None:
    """1 - beta2 * t for 1 - beta2^t is negative from t = 2: the student's step 2 raises on a complex root, and the
    simulation takes the root of a negative number at that very step, after the same first step; after another
    first step it is not named."""
    component = next(c for c in OPTIMIZERS if c.formula == "adam")
    hp = rubric.hyper(component, {})
    arrays, grads = rubric.trajectory_problem(Context(component, None, 0), "root")
    before = rubric.simulate("adam", hp, arrays, grads[:1], "bias-correction-power#v")
    found = optimizer_mistakes.negative_root_at("adam", hp, arrays, grads, before)
    assert "bias-correction-power#v" in found
    assert all(t.startswith("bias-correction-power") for t in found)
    other = rubric.simulate("adam", hp, arrays, grads[:1], "adam-no-bias-correction")  # another first step
    assert not optimizer_mistakes.negative_root_at("adam", hp, arrays, grads, other)


def test_an_amsgrad_maximum_never_stored_is_told_from_a_denominator_read_from_its_key() -> None:
    """np.maximum(v_max, v) on a line of its own and v read from max_exp_avg_sq both divide an amsgrad step by eps
    alone; the first leaves the cases without amsgrad right, so a case the student gets right names it, and a case
    without amsgrad that the student gets wrong as well names the second (the first would leave that case right)."""
    hp, arrays, grads, expected = _case_problem("optimizers.Adam", "amsgrad")
    defaults = _case_problem("optimizers.Adam", "defaults")
    for tag, there in (
        ("result-discarded#amsgrad-max", defaults[3]),
        (
            "state-key-mismatch#v-read-from-vmax",
            rubric.simulate("adam", *defaults[:3], "state-key-mismatch#v-read-from-vmax"),
        ),
    ):
        student = rubric.simulate("adam", hp, arrays, grads, tag)
        found = rubric.reproducing("adam", hp, arrays, grads, expected, student, [(*defaults, there)])
        assert list(found) == [tag]
    kept = optimizer_mistakes.kept_state("adam", hp, arrays, grads, "result-discarded#amsgrad-max")
    assert any(not np.any(a) for a in kept) and sum(bool(np.any(a)) for a in kept) >= 2


@pytest.mark.parametrize(
    ("formula", "case_id", "tag"),
    [
        ("rmsprop", "centered", "sign-flipped#lerp-reversed-mean"),
        ("adam", "defaults", "sign-flipped#lerp-reversed-m"),
        ("adamw", "defaults", "sign-flipped#lerp-reversed-m"),
        ("adadelta", "defaults", "sign-flipped#lerp-reversed-u"),
        ("rmsprop", "defaults", "result-discarded#never-stored-v"),
        ("adagrad", "defaults", "result-discarded#never-stored-sum"),
    ],
)
def test_a_reversed_lerp_and_a_running_value_never_stored_are_named(formula: str, case_id: str, tag: str) -> None:
    """avg += w * (avg - x), a lerp with its difference reversed, moves each running average away from what it
    averages; np.add(sum, g * g) on a line of its own leaves the running size at its start: each is named."""
    component = next(c for c in OPTIMIZERS if c.formula == formula)
    hp, arrays, grads, expected = _case_problem(component.name, case_id)
    student = rubric.simulate(formula, hp, arrays, grads, tag)
    assert not optimizer_mistakes.same_trajectory(student, expected, arrays)
    # (RMSprop's average of squares left at zeros also fits an update in one branch of `if centered:` alone; a
    # centered case, wrong as well, tells them apart)
    centered = _case_problem(component.name, "centered") if formula == "rmsprop" else None
    others = [(*centered, rubric.simulate(formula, *centered[:3], tag))] if centered and case_id != "centered" else []
    found = rubric.reproducing(formula, hp, arrays, grads, expected, student, others)
    assert list(found) == [tag]


def _evidence_of(component_name: str, tag: str, but: str) -> list:
    """Every case of a component but ``but``, as reproducing() reads them; the student's trajectory is the mistake's."""
    component = next(c for c in OPTIMIZERS if c.name == component_name)
    others = [_case_problem(component_name, case.id) for case in component.cases if case.id != but]
    return [(*other, rubric.simulate(component.formula, *other[:3], tag)) for other in others]


@pytest.mark.parametrize(
    ("component_name", "case_id", "tag"),
    [
        ("optimizers.Adadelta", "defaults", "precedence#gradient-in-denominator"),
        ("optimizers.Adadelta", "rho 0", "precedence#gradient-in-denominator"),
        ("optimizers.Adadelta", "defaults", "eps-missing#denominator"),
        ("optimizers.Adadelta", "rho 0", "eps-missing#denominator"),
        ("optimizers.Adadelta", "eps 1e-3", "precedence#ratio-under-one-root"),
        ("optimizers.AdamW", "no decay", "wrong-hyperparameter#eps<>weight_decay"),
    ],
)
def test_a_division_by_zero_where_g_is_0_is_named_by_its_cause(component_name: str, case_id: str, tag: str) -> None:
    """0/0 exactly where the gradient is 0 comes from a step divided by g, from eps missing in one root, from a ratio
    written under one root without parentheses, or from an eps that is 0 because AdamW gave Adam its weight decay
    there: each is named by its own simulation (nan for nan, the finite entries to the tolerance, even where more than
    half of the trajectory is nan)."""
    component = next(c for c in OPTIMIZERS if c.name == component_name)
    hp, arrays, grads, expected = _case_problem(component_name, case_id)
    student = rubric.simulate(component.formula, hp, arrays, grads, tag)
    assert not np.isfinite(optimizer_mistakes.flat_changes(student, arrays)).all()
    others = _evidence_of(component_name, tag, but=case_id)
    found = rubric.reproducing(component.formula, hp, arrays, grads, expected, student, others)
    assert [t.partition("#")[0] for t in found] == [tag.partition("#")[0]]


def test_eps_left_out_is_read_from_nan_only_where_the_steps_fit_it() -> None:
    """Adadelta without eps in either root never moves, and divides 0 by 0 where g is 0: the nan reads as a missing
    eps when the other entries did not move either, even where a later step differs; a step divided by g, eps missing
    from the denominator alone, the ratio under one root unbracketed: each has nan at the same entries and moved the
    others, and none is "eps left out of both roots"."""
    hp, arrays, grads, _ = _case_problem("optimizers.Adadelta", "defaults")
    without = rubric.simulate("adadelta", hp, arrays, grads, "eps-missing")
    later = [*without[:-1], [p + 1.0 for p in without[-1]]]  # another mistake at the last step
    located = rubric.nonfinite("adadelta", hp, arrays, grads, later)
    assert located is not None and located.diagnosis is not None and located.diagnosis.tag == "eps-missing"
    for tag in ("precedence#gradient-in-denominator", "eps-missing#denominator", "precedence#ratio-under-one-root"):
        moved = rubric.simulate("adadelta", hp, arrays, grads, tag)
        located = rubric.nonfinite("adadelta", hp, arrays, grads, moved)
        assert "exactly the entries whose gradient was 0" in located.observation and located.diagnosis is None


def test_two_averages_in_one_array_are_told_from_a_numerator_that_reads_square_avg() -> None:
    """square_avg and acc_delta one array (dict.fromkeys, a chained assignment) make the ratio of roots 1, as a
    numerator that reads square_avg and a step that reads the average before its update do: the parameters move
    alike, but the one array is updated twice per step, and the kept state tells it from the others."""
    hp, arrays, grads, expected = _case_problem("optimizers.Adadelta", "defaults")
    student = rubric.simulate("adadelta", hp, arrays, grads, "aliasing#state")
    found = rubric.reproducing("adadelta", hp, arrays, grads, expected, student)
    assert set(next(iter(found)).split("+")) == {"adadelta-stale-average", "aliasing", "copy-paste-wrong-state"}
    one = optimizer_mistakes.kept_state("adadelta", hp, arrays, grads, "aliasing#state")  # the student's state

    def held(tags: list[str]) -> list[str]:  # _by_state's reading, on that state
        kept = {t: optimizer_mistakes.kept_state("adadelta", hp, arrays, grads, t) for t in tags}
        return [t for t in tags if all(any(k.shape == h.shape and np.allclose(k, h) for h in one) for k in kept[t])]

    assert held(["copy-paste-wrong-state#numerator", "adadelta-stale-average", "aliasing#state"]) == ["aliasing#state"]
    assert list(rubric.reproducing("adadelta", hp, arrays, grads, expected, student, separate=held)) == [
        "aliasing#state"
    ]
