"""The reference is the oracle: it must score full marks on the whole course, under any seed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from nnlab.exercises.course import load_course
from nnlab.graders.runner import grade

REFERENCE = Path(__file__).resolve().parents[1] / "reference"


@pytest.mark.parametrize("seed", range(10))
def test_the_reference_scores_full_marks(seed: int) -> None:
    report = grade(REFERENCE, load_course(), seed=seed, isolate=False)
    lost = [
        f"{c.test_name}: {c.outcome.feedback}"
        for comp in report.components
        for c in comp.checks
        if not c.outcome.passed
    ]
    assert not lost, "\n".join(lost[:10])
    assert report.score == report.max_score > 0


def test_the_same_seed_gives_byte_identical_json_for_the_whole_course() -> None:
    command = [sys.executable, "-m", "nnlab", "grade", str(REFERENCE), "--seed", "3", "--format", "json"]
    first = subprocess.run(command, capture_output=True, timeout=300)
    second = subprocess.run(command, capture_output=True, timeout=300)
    assert first.returncode == 0, first.stderr.decode()
    assert first.stdout == second.stdout
