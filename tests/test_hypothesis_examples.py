"""Do the grader's hypothesis examples come from the seed alone?

Recent hypothesis versions mix into their draws the literals of every loaded module that is not
installed in site-packages. The grader's examples must not depend on which modules happen to be
loaded, on the numbers written in them, or on how nnlab was installed; and grading must leave
nothing (a ``.hypothesis/`` cache) in the working directory.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import strategies as st
from nnlab.exercises.components import component
from nnlab.graders.judging.catalogue import Context
from nnlab.graders.judging.checks.drive import hypothesis_check
from nnlab.graders.mutants import reference_folder
from nnlab.graders.running.puppet import InProcessSession

STRATEGY = st.tuples(st.integers(0, 2**32 - 1), st.integers(1, 10**6), st.floats(-1e6, 1e6))


def _examples(seed: int) -> list[tuple]:
    drawn: list[tuple] = []

    def body(example: tuple) -> None:
        drawn.append(example)

    with InProcessSession() as session:
        outcome = hypothesis_check(Context(component("activations.Tanh"), session, seed), "draws", STRATEGY, body)
    assert outcome.passed
    return drawn


def test_loading_a_module_full_of_constants_changes_no_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _examples(seed=3)
    # A local module (outside site-packages, not a test file) whose literals fit every draw above.
    literals = ", ".join(str(n) for n in (4021, 77777, 123457, 999983, 2**31 - 5))
    (tmp_path / "course_constants.py").write_text(f"NUMBERS = ({literals}, 0.123456, -54321.5)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module("course_constants")
    try:
        assert _examples(seed=3) == before
    finally:
        sys.modules.pop("course_constants", None)


def test_grading_leaves_nothing_in_the_working_directory(tmp_path: Path) -> None:
    """A fresh process (hypothesis fixes its storage folder once per process: pytest's is elsewhere)."""
    here = tmp_path / "cwd"
    here.mkdir()
    output = tmp_path / "report.json"
    command = [sys.executable, "-m", "nnlab", "grade", str(reference_folder()), "--only", "activations.Tanh"]
    done = subprocess.run([*command, "--format", "json", "-o", str(output)], cwd=here, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(output.read_text())["score"] > 0
    assert list(here.iterdir()) == []
