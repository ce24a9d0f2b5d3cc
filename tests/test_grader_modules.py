"""Does the rubric for activations and layers judge like a good teaching assistant?

Three kinds of evidence, each graded in-process on the components of one module only:

* the reference scores full marks under several seeds;
* every mutant of graders/mutants/{activations,layers}.py (a realistic student bug)
  loses points on its own component and nowhere else, and the failed checks name one
  of the misconceptions the mutant expects (the other components are graded too wherever the
  edit can reach their code: ``evidence.components_it_can_reach``);
* every correct-but-different implementation in tests/alternatives/{activations,layers}_*/
  (loops, other stable formulas, no base class, other tie-breaking) scores full marks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from evidence import (
    alternative_submission,
    assert_caught_only_on_its_component,
    components_it_can_reach,
    convergence_only_for,
    grade_mutant,
    is_partial,
)
from nnlab.exercises.components import ACTIVATIONS, LAYERS
from nnlab.exercises.course import load_course
from nnlab.graders.mutants import Mutant, apply, reference_folder
from nnlab.graders.mutants import activations as activation_mutants
from nnlab.graders.mutants import layers as layer_mutants
from nnlab.graders.results import ComponentReport
from nnlab.graders.runner import grade

# Mutants and alternatives overflow on purpose (that is what some checks are about).
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

COURSE = load_course()
COMPONENTS = {"activations": [c.name for c in ACTIVATIONS], "layers": [c.name for c in LAYERS]}
ALTERNATIVES = sorted(
    p for p in (Path(__file__).parent / "alternatives").iterdir() if p.name.split("_")[0] in COMPONENTS
)
# Graded in a child process with the real time limit: the point is that it fits.
ISOLATED = {("layers_loops", "layers.Conv2d")}
# The grader itself crashes on these (convergence family, not this rubric): see the reasons.


def _failures(component: ComponentReport) -> str:
    return "\n".join(
        f"  {c.family} | {c.outcome.name} | {c.outcome.misconception} | {c.outcome.feedback[:300]}"
        for c in component.checks
        if not c.outcome.passed
    )


@pytest.mark.parametrize("module", sorted(COMPONENTS))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_scores_full_marks(module: str, seed: int) -> None:
    report = grade(reference_folder(), COURSE, only=COMPONENTS[module], isolate=False, seed=seed)
    for component in report.components:
        assert component.max_score > 0
        assert component.score == component.max_score, f"{component.component}:\n{_failures(component)}"


def _mutant_params() -> list:
    return [pytest.param(m, id=m.id) for m in [*activation_mutants.MUTANTS, *layer_mutants.MUTANTS]]


def test_every_component_has_mutants() -> None:
    """At least one realistic bug per component, and the ids are unique."""
    mutants = [*activation_mutants.MUTANTS, *layer_mutants.MUTANTS]
    assert len({m.id for m in mutants}) == len(mutants)
    assert {m.component for m in mutants} == set(COMPONENTS["activations"] + COMPONENTS["layers"])
    assert all(m.expect for m in mutants)


@pytest.mark.parametrize("mutant", _mutant_params())
def test_mutant_loses_points_on_its_component_only(mutant: Mutant, tmp_path: Path) -> None:
    folder = apply([mutant], tmp_path / "submission")
    course = convergence_only_for(COURSE, mutant.component)
    reach = components_it_can_reach(mutant, COMPONENTS[mutant.module])
    report = grade_mutant(folder, course, reach, mutant.component)
    assert_caught_only_on_its_component(mutant, report)


@pytest.mark.parametrize(
    ("folder", "component"),
    [
        pytest.param(folder, name, id=f"{folder.name}-{name.split('.')[1]}")
        for folder in ALTERNATIVES
        for name in COMPONENTS[folder.name.split("_")[0]]
    ],
)
def test_alternative_scores_full_marks(folder: Path, component: str, tmp_path: Path) -> None:
    isolate = (folder.name, component) in ISOLATED
    submission = alternative_submission(folder, [folder.name.split("_")[0]], tmp_path / folder.name)
    report = grade(submission, COURSE, only=[component], isolate=isolate, seed=0)
    (result,) = report.components
    assert result.score == result.max_score, f"{folder.name} {component}: {result.note}\n{_failures(result)}"


def test_three_alternatives_per_module() -> None:
    for module in COMPONENTS:
        assert len([f for f in ALTERNATIVES if f.name.startswith(module + "_") and not is_partial(f)]) >= 3


# A weight gradient that comes out all zeros, three ways: only the last never stores it.
_WEIGHT_GRAD = "        self.weight.grad += grad_y.T @ self._x\n"
_ZERO_GRADIENTS = {
    # dW started at zeros, the product stored under a misspelt name, the zeros added in place: a store.
    "added-unfilled": "        dW = np.zeros_like(self.weight.data)\n        dw = grad_y.T @ self._x\n"
    "        self.weight.grad += dW\n",
    # the same zeros accumulated by rebinding, which stores as well
    "rebound-unfilled": "        dW = np.zeros_like(self.weight.data)\n        dw = grad_y.T @ self._x\n"
    "        self.weight.grad = self.weight.grad + dW\n",
    # the gradient accumulated into a copy: never stored
    "into-a-copy": "        dW = self.weight.grad.copy()\n        dW += grad_y.T @ self._x\n",
}


@pytest.mark.parametrize("isolate", [False, True], ids=["in-process", "isolated"])
@pytest.mark.parametrize("name", sorted(_ZERO_GRADIENTS))
def test_an_all_zero_gradient_is_never_stored_only_when_backward_never_writes(
    name: str, isolate: bool, tmp_path: Path
) -> None:
    """The claim "never stored into weight.grad" is about writes, which values alone cannot tell: an all-zero dW
    added in place leaves a marker's values as they were. The marker is read-only, so an in-place write shows."""
    mutant = Mutant(f"zero-{name}", "layers.Linear", name, _WEIGHT_GRAD, _ZERO_GRADIENTS[name], ("all-zero",))
    report = grade(apply([mutant], tmp_path / "submission"), COURSE, only=["layers.Linear"], isolate=isolate, seed=0)
    (result,) = report.components
    tags = {c.outcome.misconception for c in result.checks if not c.outcome.passed}
    assert result.score < result.max_score
    assert ("result-discarded" in tags) == (name == "into-a-copy"), tags
