"""Is a check a rubric line? Its registered line names every row it produces, whatever the submission did.

Gradescope and JUnit match rows by name from one submission to the next: a row whose name
depends on the outcome (passed under one wording, failed or not submitted under another) is a
new row. For a representative component of every kind, the rows (names and points) must be
the same for the reference, a missing module, a stub, a module that fails to import, a
component that crashes or hangs, and catalogue mutants.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from nnlab.exercises.components import CATALOGUE
from nnlab.exercises.course import load_course
from nnlab.exercises.stubs import stub_folder
from nnlab.graders.judging import catalogue, checks  # noqa: F401  (registers every check before the monkeypatch)
from nnlab.graders.judging.catalogue import FAMILIES, CheckDef, checks_for
from nnlab.graders.mutants import apply, reference_folder
from nnlab.graders.mutants import catalogue as mutant_catalogue
from nnlab.graders.reporting.gradescope import to_gradescope
from nnlab.graders.results import Report, failed, passed
from nnlab.graders.runner import grade

COURSE = load_course()
REFERENCE = reference_folder()
# One or more of every kind: element-wise and row-wise activations, a parametrised one, layers
# with parameters, windows, running statistics and randomness, losses with a kink, an optimizer,
# an initializer, the training functions, both models, gradient checking and early stopping.
COMPONENTS = (
    "activations.ReLU",
    "activations.Softmax",
    "activations.PReLU",
    "layers.Linear",
    "layers.Conv2d",
    "layers.BatchNorm2d",
    "layers.Dropout",
    "losses.CrossEntropyLoss",
    "losses.HingeLoss",
    "optimizers.Adam",
    "init.kaiming_uniform",
    "training.minibatches",
    "training.fit",
    "models.Perceptron",
    "models.Sequential",
    "gradcheck.numerical_gradient",
    "early_stopping.fit_early_stopping",
)
# Mutants without a max shift overflow on purpose.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")
MODULES = sorted({name.split(".")[0] for name in COMPONENTS})
Rows = dict[str, Counter]


def rows(report: Report) -> Rows:
    """Per component: the multiset of (row name, points) in the report and in its Gradescope JSON."""
    out: Rows = {
        c.component: Counter((s.test_name, round(s.max_score, 6)) for s in c.checks) for c in report.components
    }
    for granularity in ("check", "family"):
        for test in to_gradescope(report, granularity=granularity)["tests"]:
            out[test["tags"][0]][(f"gradescope {granularity}: {test['name']}", test["max_score"])] += 1
    return out


def _grade(folder: Path, only: tuple[str, ...] | list[str] = COMPONENTS, **options: object) -> Rows:
    return rows(grade(folder, COURSE, only=list(only), seed=0, jobs=1, **options))


def _copy_reference(target: Path, edit: Callable[[str, str], str] = lambda module, text: text) -> Path:
    """The reference modules in ``target``, each passed through ``edit(module, text)``."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(REFERENCE / "base.py", target / "base.py")
    for module in MODULES:
        (target / f"{module}.py").write_text(edit(module, (REFERENCE / f"{module}.py").read_text()))
    return target


def _replaced(body: str) -> Callable[[str, str], str]:
    """An edit that replaces every component of the module by a function running ``body``."""

    def edit(module: str, text: str) -> str:
        names = [name.split(".")[1] for name in COMPONENTS if name.startswith(module + ".")]
        return text + "".join(f"\n\ndef {name}(*args, **kwargs):\n    {body}\n" for name in names)

    return edit


@pytest.fixture(scope="module")
def reference_rows() -> Rows:
    return _grade(REFERENCE, isolate=False)


def _same(expected: Rows, got: Rows, components: tuple[str, ...] | list[str] = COMPONENTS) -> None:
    for component in components:
        only_expected = sorted((expected[component] - got[component]).elements())
        only_got = sorted((got[component] - expected[component]).elements())
        assert not only_expected and not only_got, f"{component}: reference's {only_expected}, this one's {only_got}"


def test_a_missing_module_has_the_references_rows(reference_rows: Rows, tmp_path: Path) -> None:
    # Each component graded from a folder without its module (but with another, as a submission has).
    for module in MODULES:
        folder = tmp_path / module
        folder.mkdir()
        shutil.copy(REFERENCE / "base.py", folder)
        other = next(m for m in MODULES if m != module)
        shutil.copy(REFERENCE / f"{other}.py", folder)
        only = [name for name in COMPONENTS if name.startswith(module + ".")]
        _same(reference_rows, _grade(folder, only, isolate=False), only)


def test_a_stub_has_the_references_rows(reference_rows: Rows, tmp_path: Path) -> None:
    stub_folder(REFERENCE, tmp_path)
    _same(reference_rows, _grade(tmp_path, isolate=False))


def test_a_module_that_fails_to_import_has_the_references_rows(reference_rows: Rows, tmp_path: Path) -> None:
    _copy_reference(tmp_path, lambda module, text: text + "\ndef broken(:\n")
    _same(reference_rows, _grade(tmp_path, isolate=False))


def test_a_component_that_crashes_has_the_references_rows(reference_rows: Rows, tmp_path: Path) -> None:
    _copy_reference(tmp_path, _replaced("raise RuntimeError('crashed')"))
    _same(reference_rows, _grade(tmp_path, isolate=False))


@pytest.mark.parametrize("component", ["activations.ReLU", "training.fit"])
def test_a_component_that_hangs_has_the_references_rows(reference_rows: Rows, tmp_path: Path, component: str) -> None:
    _copy_reference(tmp_path, _replaced("while True:\n        pass"))
    _same(reference_rows, _grade(tmp_path, [component], time_limit=2), [component])


@pytest.mark.parametrize("component", COMPONENTS)
def test_catalogue_mutants_have_the_references_rows(reference_rows: Rows, tmp_path: Path, component: str) -> None:
    """The first two mutants of each component: wrong values, crashes, wrong shapes, as they come."""
    mutants = [m for m in mutant_catalogue() if m.component == component][:2]
    for mutant in mutants:
        got = _grade(apply([mutant], tmp_path / mutant.id), [component], isolate=False)
        _same(reference_rows, got, [component])


def test_a_check_that_names_its_outcome_otherwise_still_produces_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever name a check gives its outcome (from what the submission did), the row is its line."""
    mine = "activations.ReLU"
    extra = [
        CheckDef(
            "a line",
            "contracts",
            frozenset({"activation"}),
            lambda ctx: passed("passed, in other words"),
            when=lambda component: component.name == mine,
        ),
        CheckDef(
            "another line",
            "contracts",
            frozenset({"activation"}),
            lambda ctx: failed("failed: 3 != 4", "no"),
            when=lambda component: component.name == mine,
        ),
    ]
    monkeypatch.setattr(catalogue, "CHECKS", [*catalogue.CHECKS, *extra])
    report = grade(REFERENCE, COURSE, only=[mine], isolate=False)
    names = {check.outcome.name: check.outcome.status for check in report.components[0].checks}
    assert names["a line"] == "passed" and names["another line"] == "failed"
    assert not {"passed, in other words", "failed: 3 != 4"} & names.keys()


@pytest.mark.parametrize("component", sorted(CATALOGUE))
def test_every_row_of_a_component_has_its_own_name(component: str) -> None:
    """Two rows of one name would merge in Gradescope and in a regrade's comparison."""
    names = Counter(
        name
        for family in FAMILIES
        for check in checks_for(CATALOGUE[component], family)
        for name, _ in check.runs(CATALOGUE[component])
    )
    assert not [name for name, count in names.items() if count > 1]
