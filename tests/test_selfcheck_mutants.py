"""Every mutant of graders/mutants fails the release's self-checker on its own component.

The grader catches each mutant with its hidden inputs and the reference at hand; the
self-checker has only the public fixtures, the student's own code and the checker's doubles.
Each mutant is checked in process against fixtures written once per test process (so the
tests spread over pytest-xdist workers), stopping at the first failed check.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from nnlab.exercises.components import CATALOGUE
from nnlab.graders import selfcheck
from nnlab.graders.mutants import Mutant, apply, catalogue

from nnlab.fixtures import write_fixtures

MUTANTS = catalogue()
# Mutants only the grader can catch (it compares with the reference on hidden inputs, which a
# release must not carry), with the reason.
GRADER_ONLY: dict[str, str] = {
    "xavier-normal-clipped-three-std": (
        "a clip at 3 std moves the std by about 1 %, inside the self-checker's tolerance for its draws; only the "
        "grader's tail count (no entry beyond 3 std among 60 000 normal draws) sees the truncation"
    ),
    "kaiming-uniform-default-generator-seeded": (
        "the self-checker's draws all pass a generator; the fallback for rng=None is seen only by the grader, which "
        "calls the initialiser twice without one and compares the weights"
    ),
}


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fixtures")
    write_fixtures(folder, sorted({m.component for m in MUTANTS}))
    return folder


def test_every_mutant_belongs_to_a_component_the_fixtures_cover() -> None:
    assert len(MUTANTS) >= 235
    assert {m.component for m in MUTANTS} <= set(CATALOGUE)
    assert set(GRADER_ONLY) <= {m.id for m in MUTANTS}


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.id for m in MUTANTS])
def test_the_mutant_fails_the_self_checker_on_its_own_component(mutant: Mutant, fixtures: Path, tmp_path: Path) -> None:
    folder = apply([mutant], tmp_path / "submission")
    results = selfcheck.check(folder, fixtures, only=[mutant.component], fail_fast=True)
    failed = [r for r in results if r.status in ("failed", "not implemented")]
    if mutant.id in GRADER_ONLY:
        pytest.skip(GRADER_ONLY[mutant.id])
    assert failed, f"{mutant.id} ({mutant.description}) passes all {len(results)} checks of {mutant.component}"
    assert all(r.component == mutant.component for r in results)
    assert "\n" not in failed[0].message and "Traceback" not in failed[0].message
