"""Correct code written differently passes every check of the release's self-checker.

Every folder of tests/alternatives (the graders' evidence: loops, einsum, other stable
formulas, other attribute names and layouts, __slots__, generators, own batching, classes
written separately) is checked against public fixtures of every component it holds; the
instructor's grader gives each of them full marks (tests/test_grader_*.py), and the
checker a student runs must not disagree. Also: a mistake the checker can only report as an
exception still points at its cause.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from evidence import alternative_submission
from nnlab.exercises.components import CATALOGUE
from nnlab.graders import selfcheck
from nnlab.graders.mutants import apply, reference_folder

from nnlab.fixtures import write_fixtures

ALTERNATIVES = sorted(p for p in (Path(__file__).parent / "alternatives").iterdir() if p.is_dir())
# The modules of each area (the folder name's prefix) and the components checked there.
AREAS = {
    "activations": (["activations"], ["activations"]),
    "layers": (["layers"], ["layers"]),
    "losses": (["losses"], ["losses"]),
    "optimizers": (["optimizers"], ["optimizers"]),
    "others": (["models", "training", "gradcheck"], ["models", "training", "gradcheck"]),
    "init": (["init"], ["init"]),
    "early_stopping": (["early_stopping", "training"], ["early_stopping"]),
}


def _area(folder: Path) -> str:
    return next(area for area in AREAS if folder.name.startswith(area + "_"))


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fixtures")
    write_fixtures(folder, list(CATALOGUE))
    return folder


def test_every_alternative_folder_belongs_to_an_area() -> None:
    assert len(ALTERNATIVES) >= 50
    for folder in ALTERNATIVES:
        assert any(folder.name.startswith(area + "_") for area in AREAS), folder.name


@pytest.mark.parametrize("folder", ALTERNATIVES, ids=[f.name for f in ALTERNATIVES])
def test_a_correct_alternative_passes_every_check(folder: Path, fixtures: Path, tmp_path: Path) -> None:
    modules, checked = AREAS[_area(folder)]
    submission = alternative_submission(folder, modules, tmp_path / "submission")
    shutil.copy(reference_folder() / "base.py", submission / "base.py")
    components = [name for name in CATALOGUE if name.split(".")[0] in checked]
    results = selfcheck.check(submission, fixtures, only=components)
    assert {r.component for r in results} == set(components)
    bad = [r.message for r in results if r.status not in ("passed", "skipped")]
    assert not bad, "\n".join(bad)


def test_calling_a_module_object_instead_of_forward_is_explained(fixtures: Path, tmp_path: Path) -> None:
    """docs/api.md: modules need not be callable, so `layer(h)` fails on the checker's doubles; the
    one line says to call `forward` by name."""
    from nnlab.graders.mutants import Mutant

    mutant = Mutant(
        "sequential-calls-layers",
        "models.Sequential",
        "forward calls layer(x), relying on __call__",
        "            x = layer.forward(x)",
        "            x = layer(x)",
    )
    results = selfcheck.check(apply([mutant], tmp_path / "submission"), fixtures, only=["models.Sequential"])
    (result,) = results
    assert result.status == "failed" and "object is not callable" in result.message
    assert "`layer.forward(x)`" in result.message and "need not be callable" in result.message
