"""One component, one specification: the rubric reads what it knows of a component from its entry.

* The rubric modules that used to keep per-component tables (properties, inputs, convergence and
  the hypothesis runner's drive) name no component and branch on no component's name.
* Adding a built-in component takes its reference class, its catalogue entry, its course entry,
  its mutants and its alternatives, and nothing else: a copy of the catalogue with one more
  activation, built like the others, gets a check in every family with points, is graded to
  full marks from its entry alone, and its properties, inputs and convergence come from that entry.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest
from nnlab.exercises import components
from nnlab.exercises.components import (
    BIG,
    CATALOGUE,
    ODD_PART_IS_X,
    ZERO_BELOW,
    Case,
    Component,
    Draw,
    Extremes,
    Invariant,
)
from nnlab.exercises.course import ComponentEntry, load_course
from nnlab.graders.judging.catalogue import FAMILIES, checks_for
from nnlab.graders.judging.checks import convergence, properties
from nnlab.graders.judging.checks.inputs import kinks_for, parameter_values
from nnlab.graders.mutants import apply
from nnlab.graders.results import ComponentReport
from nnlab.graders.runner import grade_component
from nnlab.graders.running.puppet import InProcessSession
from nnlab.reference import activations as reference_activations

# Overflowing a wrong formula on purpose is part of what the variants below do.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

CHECKS = Path(__file__).resolve().parents[1] / "graders" / "judging" / "checks"
JUDGING = CHECKS.parent
# Every module that judges: the rubric, its diagnosis tables and the crash, contract and evidence
# readers. None names a component; each reads what it needs from the component's entry.
NAME_FREE = sorted(str(path.relative_to(JUDGING)) for path in JUDGING.rglob("*.py"))
MODULES = sorted({c.module for c in CATALOGUE.values()})
# "activations.GELU", or a prefix such as "layers.BatchNorm": a string that picks out components.
COMPONENT_NAME = re.compile(rf"({'|'.join(MODULES)})\.[A-Za-z_0-9]*")


def _name_keyed(source: str) -> list[str]:
    """Where ``source`` names a component or branches on a component's name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and COMPONENT_NAME.fullmatch(node.value):
            found.append(f"line {node.lineno}: the literal {node.value!r}")
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            names = [o for o in operands if isinstance(o, ast.Attribute) and o.attr in ("name", "class_name")]
            strings = [o for o in ast.walk(node) if isinstance(o, ast.Constant) and isinstance(o.value, str)]
            if names and strings:
                found.append(f"line {node.lineno}: `{ast.unparse(node)}`")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("startswith", "endswith")
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr in ("name", "class_name")
        ):
            found.append(f"line {node.lineno}: `{ast.unparse(node)}`")
    return found


def test_the_scan_finds_name_keyed_code() -> None:
    """The scan below would have caught what these modules held before (it is not vacuous)."""
    old = (
        'if ctx.component.name == "activations.PReLU":\n    x = x.reshape(-1, 1)\n'
        'if component.name.startswith("layers.BatchNorm") and name == "weight":\n    pass\n'
        'if ctx.component.name in ("activations.Softmax", "activations.LogSoftmax"):\n    pass\n'
        'EXTREME_SETTINGS = {"activations.GELU": ({"approximate": "tanh"},)}\n'
    )
    found = _name_keyed(old)
    branches = {f.split(":")[0] for f in found if "`" in f}
    literals = {f.split(":")[0] for f in found if "literal" in f}
    assert branches == {"line 1", "line 3", "line 5"} and literals == {"line 1", "line 3", "line 5", "line 7"}, found
    # Comparing with the component under test, or naming a parameter, is not keying on a name.
    assert not _name_keyed('if qualname != ctx.component.name:\n    kw.get("dim", -1)\n')


@pytest.mark.parametrize("module", NAME_FREE)
def test_rubric_module_names_no_component(module: str) -> None:
    found = _name_keyed((JUDGING / module).read_text(encoding="utf-8"))
    assert not found, f"graders/judging/{module} keys on component names:\n" + "\n".join(found)


@pytest.mark.parametrize("component", CATALOGUE.values(), ids=list(CATALOGUE))
def test_every_entry_speaks_the_checks_vocabulary(component: Component) -> None:
    """A misspelt relation, law, geometry, dataset, loss or layer would fail silently or crash the grader."""
    assert {i.relation for i in component.invariants} <= set(properties.RELATIONS)
    assert set(component.laws) <= set(properties.LAWS)
    assert component.geometry in ("", *properties.CONFIGS)
    assert component.ties_in in ("input", "pieces")
    parameters = [name for name, _ in component.signature]
    assert all(p in parameters for p in component.kink_params) and len(component.kink_params) in (0, 2)
    assert component.margin_param in ("", *parameters)
    for name, spec in (*component.param_draws, *component.buffers):
        assert spec.distribution in ("normal", "uniform"), name
    assert not component.builds_on or (len(component.builds_on) == 2 and component.builds_on[0] in CATALOGUE)
    scenario = component.convergence
    if scenario is not None:
        assert scenario.data in convergence.DATASETS and scenario.loss in convergence.LOSSES
        assert scenario.targets in ("class", "column")
        assert all(layer.name in CATALOGUE for layer in scenario.network)
        assert component.name in {layer.name for layer in scenario.network} or component.kind == "loss"


# ------------------------------------------------------------------------------- one more component
# Swish is SiLU under another name (x * sigmoid(x)): a correct reference is at hand, and the new
# entry is built like SiLU's, with its own invariant and limits.
SWISH = components._activation("Swish", invariants=(ODD_PART_IS_X,), extremes=Extremes(limits=ZERO_BELOW))
SIBLING = "activations.SiLU"
COURSE = load_course()
# Its course entry: the points an activation gets by default.
POINTS = dict(next(e for _, e in COURSE.entries() if e.name == SIBLING).points)


class Swish(reference_activations.SiLU):
    """x * sigmoid(x), under another name."""


@pytest.fixture
def catalogue(monkeypatch: pytest.MonkeyPatch) -> dict[str, Component]:
    """nnlab's catalogue with one more component, and its reference class beside the others."""
    monkeypatch.setattr(reference_activations, "Swish", Swish, raising=False)
    extended = {**CATALOGUE, SWISH.name: SWISH}
    monkeypatch.setattr(components, "CATALOGUE", extended)
    return extended


@pytest.fixture(scope="module")
def submission(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference, with Swish written by the student too."""
    folder = apply([], tmp_path_factory.mktemp("swish") / "submission")
    with (folder / "activations.py").open("a", encoding="utf-8") as file:
        file.write('\n\nclass Swish(SiLU):\n    """x * sigmoid(x), under another name."""\n')
    return folder


def _grade(folder: Path, component: Component, catalogue: dict, points: dict[str, float]) -> ComponentReport:
    entry = ComponentEntry(component.name, points)
    return grade_component(
        folder, "a2-neurons", entry, 0, InProcessSession, catalogue={**catalogue, entry.name: component}
    )


def test_every_family_with_points_has_a_check_for_a_new_component() -> None:
    families = [f for f in FAMILIES if POINTS.get(f)]
    assert families == list(FAMILIES), "an activation has points in every family"
    for family in families:
        checks = [c.name for c in checks_for(SWISH, family)]
        assert checks, f"no {family} check applies to {SWISH.name}"
        # Built like SiLU, it gets SiLU's checks: none of them is keyed on SiLU's name.
        assert checks == [c.name for c in checks_for(CATALOGUE[SIBLING], family)], family


def test_a_new_component_is_graded_from_its_entry_alone(submission: Path, catalogue: dict) -> None:
    report = _grade(submission, SWISH, catalogue, POINTS)
    failures = [
        f"{c.family} | {c.outcome.name} | {c.outcome.feedback[:200]}" for c in report.checks if c.score < c.max_score
    ]
    assert report.score == report.max_score > 0, "\n".join(failures)
    assert {c.family for c in report.checks} == {f for f in FAMILIES if POINTS.get(f)}
    names = {c.outcome.name for c in report.checks}
    assert "invariants: f(x) - f(-x) = x" in names
    assert "trains an MLP 2-32-3 with your activation on the spirals to the reference's accuracy" in names


def _row(report: ComponentReport, start: str):
    (row,) = [c for c in report.checks if c.outcome.name.startswith(start)]
    return row


@pytest.mark.parametrize(
    ("field", "value", "row", "says"),
    [
        # Swish is not odd: the invariant the entry states is the one tried, under its statement.
        ("invariants", (Invariant("tanh is odd", "f(-x) = -f(x)"),), "invariants: tanh is odd", "f(-x) should be"),
        ("extremes", Extremes(limits=((BIG, 0.0),)), "stable at extreme inputs", "expected 0"),
    ],
    ids=["invariants", "extremes"],
)
def test_properties_come_from_the_entry(
    field: str, value: object, row: str, says: str, submission: Path, catalogue: dict
) -> None:
    """A wrong statement in the entry fails a correct submission: the check tries the entry's."""
    wrong = dataclasses.replace(SWISH, **{field: value})
    report = _grade(submission, wrong, catalogue, {"properties": 1})
    failed = _row(report, row)
    assert failed.score == 0 and says in failed.outcome.feedback, failed.outcome.feedback


def test_convergence_comes_from_the_entry(submission: Path, catalogue: dict) -> None:
    assert SWISH.convergence is not None
    scenario = dataclasses.replace(SWISH.convergence, description="a network described in its entry", epochs=20)
    report = _grade(submission, dataclasses.replace(SWISH, convergence=scenario), catalogue, {"convergence": 1})
    (row,) = report.checks
    assert row.outcome.name == "trains a network described in its entry to the reference's accuracy"
    assert row.score == row.max_score
    # No scenario in the entry: not trained.
    assert not checks_for(dataclasses.replace(SWISH, convergence=None), "convergence")


def test_inputs_come_from_the_entry() -> None:
    """Parameter values and kinks are drawn as the entry says."""
    drawn = dataclasses.replace(SWISH, param_draws=(("weight", Draw("uniform", low=2.0, high=3.0)),))
    values = parameter_values(drawn, "weight", (200,), np.random.default_rng(0))
    assert 2.0 <= values.min() and values.max() <= 3.0
    default = parameter_values(drawn, "bias", (200,), np.random.default_rng(0))
    assert default.min() < 0 < default.max()  # not named: 0.5 times standard normal
    kinked = dataclasses.replace(
        SWISH, signature=(("beta", 1.0), ("threshold", 20.0)), kink_params=("threshold", "beta")
    )
    assert kinks_for(kinked, Case("beta 2", {"beta": 2.0})) == (10.0,)
    assert kinks_for(kinked, Case("defaults")) == (20.0,)
    assert kinks_for(dataclasses.replace(SWISH, kinks=(0.5,)), Case("defaults")) == (0.5,)
