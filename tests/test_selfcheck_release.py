"""A release's checker under the real tools: plain `pytest` in the release folder, nnlab unreachable.

Each test runs `python -m pytest` in a subprocess whose working directory is the release,
with no PYTHONPATH to the repository and a sitecustomize that makes any import of nnlab
raise (and leave a mark): the checker must run on numpy, pytest and hypothesis alone.
One test runs `nnlab check` with the installed reference replaced by its stubs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from nnlab.exercises.course import load_course
from release_folders import release

BLOCKER = """
import importlib.abc, os, sys

class _NoNnlab(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "nnlab" or name.startswith("nnlab."):
            open(os.environ["NNLAB_IMPORT_MARK"], "a").write(name + "\\n")
            raise ImportError("the release checker must not import nnlab")
        return None

sys.meta_path.insert(0, _NoNnlab())
"""


def run_pytest(folder: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    blocker = tmp_path / "blocker"
    blocker.mkdir(exist_ok=True)
    (blocker / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    mark = tmp_path / "nnlab-imported.txt"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTEST_ADDOPTS", "PYTEST_XDIST_WORKER")}
    env |= {"PYTHONPATH": str(blocker), "NNLAB_IMPORT_MARK": str(mark), "COLUMNS": "200"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *args], cwd=folder, env=env, capture_output=True, text=True, timeout=300
    )
    assert not mark.exists(), f"the checker imported {mark.read_text()}"
    return result


@pytest.mark.parametrize("assignment", ["a2-neurons", "a7-cnn"])
def test_pristine_release_pytest_prints_one_not_implemented_line_per_component(assignment: str, tmp_path: Path) -> None:
    folder = release(tmp_path / "release", assignment, solved=False)
    result = run_pytest(folder, tmp_path)
    components = [c.name for c in load_course().assignment(assignment).components]
    lines = [line for line in result.stdout.splitlines() if "not implemented" in line]
    assert result.returncode == 1, result.stdout + result.stderr
    assert sorted(lines) == sorted(lines) and len(lines) == len(components), result.stdout
    for name in components:
        assert sum(line.startswith(f"{name}: not implemented (") for line in lines) == 1, result.stdout
    assert "Traceback" not in result.stdout and "Error" not in result.stderr
    assert f"{len(components)} failed" in result.stdout


def test_solved_release_passes_and_k_narrows_to_one_component(tmp_path: Path) -> None:
    folder = release(tmp_path / "release", "a7-cnn", solved=True)
    everything = run_pytest(folder, tmp_path)
    assert everything.returncode == 0, everything.stdout[-3000:]
    assert " passed" in everything.stdout and "failed" not in everything.stdout
    conv = run_pytest(folder, tmp_path, "-k", "Conv2d", "-vv")  # -vv: the ini file says -q
    ran = [line for line in conv.stdout.splitlines() if "PASSED" in line]
    assert conv.returncode == 0 and ran and all("layers.Conv2d" in line for line in ran), conv.stdout[-3000:]


def test_a_bug_is_one_line_without_traceback_under_pytest(tmp_path: Path) -> None:
    folder = release(tmp_path / "release", "a1-perceptron", solved=True)
    activations = folder / "activations.py"
    text = activations.read_text(encoding="utf-8")
    assert text.count("(x > 0).astype(np.float64)") == 1
    activations.write_text(text.replace("(x > 0).astype(np.float64)", "(x >= 0).astype(np.float64)"), encoding="utf-8")
    result = run_pytest(folder, tmp_path, "-k", "Step")
    assert result.returncode == 1
    assert "activations.Step: value and derivative at the kink x = 0" in result.stdout, result.stdout
    assert "Traceback" not in result.stdout and "def " not in result.stdout


STUBBED_REFERENCE = """
import sys
from pathlib import Path
import nnlab.reference as reference
from nnlab.graders.mutants import reference_folder
from nnlab.exercises.stubs import stub_folder

stubs = Path(sys.argv[1])
stub_folder(reference_folder(), stubs)
(stubs / "__init__.py").write_text("")
reference.__path__[:] = [str(stubs)]  # `import nnlab.reference.layers` now finds the stubs
from nnlab.reference.layers import Linear
try:
    Linear(2, 3).forward(__import__("numpy").ones((1, 2)))
except NotImplementedError:
    pass
else:
    raise SystemExit("the reference was not replaced by stubs")
from nnlab.cli import main
sys.argv = ["nnlab", "check", sys.argv[2]]
main()
"""


def test_nnlab_check_in_a_release_never_uses_the_installed_reference(tmp_path: Path) -> None:
    folder = release(tmp_path / "release", "a7-cnn", solved=True)
    script = tmp_path / "stubbed.py"
    script.write_text(STUBBED_REFERENCE, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "stubs"), str(folder)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("nnlab check: a7-cnn") and "NotImplementedError" not in result.stdout
    total = result.stdout.strip().splitlines()[-1]
    checks = int(total.split(" of ")[1].split()[0])
    assert total == f"{checks} of {checks} checks pass.", result.stdout[-3000:]
