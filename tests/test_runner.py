"""Does grading survive broken submissions, costing only the broken component?"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from nnlab.exercises.course import load_course
from nnlab.exercises.stubs import stub_folder
from nnlab.graders.mutants import apply, catalogue
from nnlab.graders.results import ComponentReport, ScoredCheck, failed, passed
from nnlab.graders.runner import GradingError, dependency_notes, grade
from nnlab.graders.running.imports import disallowed_imports

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
COURSE = load_course()


def by_component(report) -> dict:  # noqa: ANN001
    return {c.component: c for c in report.components}


def copy_reference(tmp_path: Path, *modules: str) -> Path:
    for module in ("base", *modules):
        shutil.copy(REFERENCE / f"{module}.py", tmp_path / f"{module}.py")
    return tmp_path


def test_a_missing_module_scores_zero_as_not_submitted(tmp_path: Path) -> None:
    report = grade(
        copy_reference(tmp_path, "activations"), COURSE, only=["layers.Flatten", "activations.Tanh"], isolate=False
    )
    flatten, tanh = by_component(report)["layers.Flatten"], by_component(report)["activations.Tanh"]
    assert flatten.score == 0 and flatten.max_score > 0
    assert flatten.note.startswith("not submitted")
    assert tanh.score == tanh.max_score


def test_a_syntax_error_costs_only_its_module(tmp_path: Path) -> None:
    copy_reference(tmp_path, "activations", "layers")
    (tmp_path / "layers.py").write_text((REFERENCE / "layers.py").read_text() + "\ndef broken(:\n")
    report = grade(tmp_path, COURSE, only=["layers.Flatten", "activations.Tanh"])
    flatten, tanh = by_component(report)["layers.Flatten"], by_component(report)["activations.Tanh"]
    assert flatten.score == 0 and "syntax error in layers.py" in flatten.note
    assert tanh.score == tanh.max_score


def test_a_pristine_stub_scores_zero_with_one_line(tmp_path: Path) -> None:
    stub_folder(REFERENCE, tmp_path)
    report = grade(tmp_path, COURSE, only=["layers.Linear", "activations.ReLU", "optimizers.SGD"], isolate=False)
    for component in report.components:
        assert component.score == 0, component.component
        assert component.note == "not implemented (the stub still raises NotImplementedError)"


def test_a_disallowed_import_costs_the_component_that_uses_it(tmp_path: Path) -> None:
    copy_reference(tmp_path, "activations")
    source = (REFERENCE / "activations.py").read_text()
    source = source.replace("class Tanh(", "import scipy.special\n\n\nclass Tanh(", 1)
    source = source.replace("class Tanh(Module):", "class Tanh(Module):\n    _uses = scipy.special", 1)
    (tmp_path / "activations.py").write_text(source)
    report = grade(tmp_path, COURSE, only=["activations.Tanh", "activations.ReLU"], isolate=False)
    tanh, relu = by_component(report)["activations.Tanh"], by_component(report)["activations.ReLU"]
    assert tanh.score == 0 and "scipy" in tanh.note
    assert relu.score == relu.max_score
    allowed = grade(tmp_path, COURSE, only=["activations.Tanh"], isolate=False, allow_imports=("scipy",))
    assert allowed.score == allowed.max_score


@pytest.mark.parametrize(
    "source, charged",
    [
        ("import numpy as np\n\nclass A:\n    def f(self):\n        return np.ones(1)\n", {}),
        (
            "class A:\n    def f(self):\n        def g():\n            import torch\n        return g\n",
            {"m.A": {"torch"}},
        ),
        ("import scipy\n\nclass A:\n    pass\n", {"m.*": {"scipy"}}),
        (
            "import importlib\n\ndef f():\n    return importlib.import_module('sci' + 'py')\n",
            {"m.f": {"a dynamic import (__import__/importlib)"}},
        ),
        ("def f():\n    return __import__('torch')\n", {"m.f": {"a dynamic import (__import__/importlib)"}}),
    ],
    ids=["numpy only", "nested function", "unused at module level", "importlib", "__import__"],
)
def test_disallowed_imports_are_found_wherever_they_are(source: str, charged: dict, tmp_path: Path) -> None:
    """The one-walk shortcut for clean modules must not hide an import nested anywhere."""
    (tmp_path / "m.py").write_text(source)
    (tmp_path / "other.py").write_text("import torch\n")
    assert disallowed_imports(tmp_path, set(), modules={"m"}) == charged
    assert "other.*" in disallowed_imports(tmp_path, set())  # every module when none is named


def test_a_missing_class_is_not_submitted(tmp_path: Path) -> None:
    copy_reference(tmp_path)
    (tmp_path / "activations.py").write_text("import numpy as np\n")
    report = grade(tmp_path, COURSE, only=["activations.Tanh"], isolate=False)
    assert report.score == 0
    assert "has no Tanh" in report.components[0].note


@pytest.mark.parametrize("path", ["does-not-exist", "README.md"])
def test_grading_what_is_not_a_folder_is_a_grading_error(path: str) -> None:
    with pytest.raises(GradingError, match="expected a folder"):
        grade(Path(__file__).resolve().parents[1] / path, COURSE)


def test_the_same_seed_gives_the_same_report() -> None:
    first = grade(REFERENCE, COURSE, only=["layers.Conv2d"], seed=7, isolate=False)
    second = grade(REFERENCE, COURSE, only=["layers.Conv2d"], seed=7, isolate=False)
    assert [(c.test_name, c.score, c.outcome) for c in first.components[0].checks] == [
        (c.test_name, c.score, c.outcome) for c in second.components[0].checks
    ]


def test_code_that_draws_from_unseeded_randomness_gets_the_same_feedback_for_the_same_seed(tmp_path: Path) -> None:
    """A Dropout that draws from np.random or base's shared generator (no rng of its own): every
    row seeds both first, so its failing rows quote the same numbers run after run, in a child
    process as in this one (where the generators' states carry over from the first run)."""
    dropout = next(m for m in catalogue() if m.id == "dropout-not-rescaled")
    shared = apply([dropout], tmp_path / "shared")  # without rng, the reference draws from base's generator
    legacy = apply([dropout], tmp_path / "legacy")  # and this one from np.random's global state
    source = (legacy / "layers.py").read_text(encoding="utf-8")
    unseeded = "self.rng = default_generator() if rng is None else rng"
    assert unseeded in source
    (legacy / "layers.py").write_text(source.replace(unseeded, "self.rng = np.random"), encoding="utf-8")
    for folder in (shared, legacy):
        runs = [
            grade(folder, COURSE, only=["layers.Dropout"], seed=3, isolate=isolate) for isolate in (False, False, True)
        ]
        feedback = [[(c.test_name, c.score, c.outcome.feedback) for c in run.components[0].checks] for run in runs]
        assert feedback[0] == feedback[1] == feedback[2], folder.name
        assert runs[0].score < runs[0].max_score


def _scored(component: str, score: float) -> ComponentReport:
    outcome = passed("x") if score == 1 else failed("x", "wrong", "")
    return ComponentReport(component, "a", [ScoredCheck(component, "reference", outcome, score, 1.0)])


def test_a_component_that_builds_on_a_failing_one_says_where_to_start() -> None:
    """SiLU keeps a Sigmoid: when both lose points the report points at Sigmoid first."""
    notes = dependency_notes([_scored("activations.Sigmoid", 0.5), _scored("activations.SiLU", 0.0)])
    assert len(notes) == 1 and "Fix activations.Sigmoid first" in notes[0]
    assert dependency_notes([_scored("activations.Sigmoid", 1), _scored("activations.SiLU", 0.0)]) == []
    assert dependency_notes([_scored("activations.Sigmoid", 0.5), _scored("activations.SiLU", 1)]) == []
