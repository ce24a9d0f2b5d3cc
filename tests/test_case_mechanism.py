"""One case mechanism: is every case of the rubric a ``Case`` of its component's catalogue entry?

The cases of minibatches, fit, numerical_gradient, relative_error and fit_early_stopping used to be
tuples in their rubric modules, each turned into checks by a registration loop; they are now cases
of their entries (exercises/components.py), read by one per-case check each, like every other
kind's. So a rubric module registers each check once, at module level, and a case added to an entry
is a new row that the rubric grades from the entry alone.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest
from nnlab.exercises.components import CATALOGUE, Case
from nnlab.exercises.course import ComponentEntry, load_course
from nnlab.graders import mutants
from nnlab.graders.judging.catalogue import checks_for
from nnlab.graders.mutants.early_stopping import MUTANTS as EARLY_STOPPING_MUTANTS
from nnlab.graders.mutants.others import MUTANTS as OTHER_MUTANTS
from nnlab.graders.runner import grade_component
from nnlab.graders.running.puppet import InProcessSession

CHECKS = Path(__file__).resolve().parents[1] / "graders" / "judging" / "checks"


def _is_check_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "check"


def nested_registrations(source: str) -> list[str]:
    """Checks registered anywhere but once at module level: ``@check`` on a function defined inside
    another function (a registration helper), or a ``check(...)`` call inside a loop."""
    found = []

    def visit(node: ast.AST, inside: str) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if inside and any(_is_check_call(d) for d in node.decorator_list):
                found.append(f"{node.lineno}: {node.name} registered inside a {inside}")
            for statement in node.body:  # not its decorators: those run where the function is defined
                visit(statement, "function")
            return
        if _is_check_call(node) and inside:
            found.append(f"{node.lineno}: check(...) called inside a {inside}")
            return
        if isinstance(node, (ast.For, ast.While, ast.comprehension)):
            inside = inside or "loop"
        for child in ast.iter_child_nodes(node):
            visit(child, inside)

    for statement in ast.parse(source).body:
        visit(statement, "")
    return found


def test_the_scan_finds_registration_loops() -> None:
    source = """
@check("api", "signature", KIND)
def fine(ctx): ...

def _register(label):
    @check("reference", label, KIND)
    def case(ctx): ...

for label in LABELS:
    check("reference", label, KIND)(judge)
"""
    assert [line.split(": ")[1] for line in nested_registrations(source)] == [
        "case registered inside a function",
        "check(...) called inside a loop",
    ]


@pytest.mark.parametrize("module", sorted(p.name for p in CHECKS.glob("*.py")))
def test_every_check_is_registered_once_at_module_level(module: str) -> None:
    found = nested_registrations((CHECKS / module).read_text(encoding="utf-8"))
    assert not found, f"{module}: put the cases in the component's entry and register one per-case check: {found}"


# The rows of each: the case's id, after the check's line where it has one.
LINES = {
    "training.minibatches": "",
    "training.fit": "",
    "gradcheck.numerical_gradient": "central differences",
    "gradcheck.relative_error": "value",
    "early_stopping.fit_early_stopping": "",
}
# One more case per component, unlike the entry's: other shapes, steps, scripts.
EXTRA = {
    "training.minibatches": Case("batch_size=3 of 7 samples", {"batch_size": 3}, (7, 2), target_shape=(7, 2)),
    "training.fit": Case(
        "batches of 2 of 6 samples, one output", {"epochs": 2, "batch_size": 2}, (6, 4), target_shape=(6, 1)
    ),
    "gradcheck.numerical_gradient": Case("a 1x5 row, step h=1e-4", {"h": 1e-4}, (1, 5)),
    "gradcheck.relative_error": Case("zeros in a 3x6 array", input_shape=(3, 6), inputs="zeros"),
    "early_stopping.fit_early_stopping": Case("patience 1", {"patience": 1}, losses=(3, 2, 2.5, 1)),
}
ASSIGNMENT = {entry.name: assignment for assignment, entry in load_course().entries()}


@pytest.mark.parametrize("name", sorted(LINES))
def test_the_reference_rows_are_the_entrys_cases(name: str) -> None:
    component = CATALOGUE[name]
    rows = [row for check in checks_for(component, "reference") for row, _ in check.runs(component)]
    line = LINES[name]
    assert rows == [f"{line}: {case.id}" if line else case.id for case in component.cases]


# A mistake each new case shows, and what its row then says of the case's data.
CAUGHT = {
    "training.minibatches": ("minibatches-drops-last-batch", "batch_size=3) for 7 samples"),
    "training.fit": ("fit-no-zero-grad", "fit(..., epochs=2, batch_size=2) on 6 samples"),
    "gradcheck.numerical_gradient": ("numgrad-forward-difference", "h=0.0001) for x of shape (1, 5)"),
    "gradcheck.relative_error": ("relerr-mean-not-max", "for arrays of shape (3, 6)"),
    "early_stopping.fit_early_stopping": ("early-stopping-patience-off-by-one", "losses [3.0, 2.0, 2.5, 1.0]"),
}


def _grade_with_extra(name: str, folder: Path) -> dict:
    """The reference-family rows of ``folder`` for ``name``, graded with its entry's cases and the extra one."""
    component = dataclasses.replace(CATALOGUE[name], cases=(*CATALOGUE[name].cases, EXTRA[name]))
    report = grade_component(
        folder,
        ASSIGNMENT[name],
        ComponentEntry(name, {"reference": 10.0}),
        0,
        InProcessSession,
        catalogue={**CATALOGUE, name: component},
    )
    return {check.outcome.name: check.outcome for check in report.checks}


def _row(name: str) -> str:
    return f"{LINES[name]}: {EXTRA[name].id}" if LINES[name] else EXTRA[name].id


@pytest.mark.parametrize("name", sorted(EXTRA))
def test_a_case_added_to_the_entry_is_judged_on_its_own_data(name: str, tmp_path: Path) -> None:
    """A mistake fails the new row, and the row's feedback quotes the new case's shapes, steps or script."""
    mutant_id, quoted = CAUGHT[name]
    mutant = next(m for m in (*OTHER_MUTANTS, *EARLY_STOPPING_MUTANTS) if m.id == mutant_id)
    outcome = _grade_with_extra(name, mutants.apply([mutant], tmp_path / "submission"))[_row(name)]
    assert not outcome.passed and quoted in outcome.feedback, outcome.feedback


@pytest.mark.parametrize("name", sorted(EXTRA))
def test_a_case_added_to_the_entry_is_a_row_graded_from_it(name: str) -> None:
    """The new case is one more row and the reference passes it: the check runs on whatever data
    (shapes, steps, scripts) the case holds."""
    rows = _grade_with_extra(name, mutants.reference_folder())
    assert len(rows) == len(CATALOGUE[name].cases) + 1 and _row(name) in rows
    assert all(outcome.passed for outcome in rows.values()), {n: o.feedback for n, o in rows.items() if not o.passed}
