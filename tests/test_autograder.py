"""Do the generated autograders grade where courses run: Gradescope's run_autograder in a root laid out
like /autograder, and the GitHub Classroom workflow's own grading command?"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from nnlab.graders.mutants import apply, catalogue

from nnlab.cli import main

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "tests" / "gradescope_schema.json").read_text())
EXTENSIONS = {"max_score"}  # nnlab's addition to the published keys (Gradescope ignores unknown keys)
ASSIGNMENT = "a1-perceptron"
SECRET = 987654321987654321


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("autograder") / "out"
    args = ["generate", ASSIGNMENT, "--out", str(out), "--seed", str(SECRET), "--student", "ada@example.edu"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return out / ASSIGNMENT


def _gradescope_root(generated: Path, base: Path, submission: dict[str, str] | Path | None) -> Path:
    """A folder laid out as Gradescope lays out /autograder: the zip in source/, run_autograder copied."""
    root = base / "autograder"
    (root / "source").mkdir(parents=True)
    with zipfile.ZipFile(generated / "autograder" / "autograder.zip") as archive:
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    if isinstance(submission, Path):
        for path in submission.glob("*.py"):
            shutil.copy(path, root / "submission" / path.name)
    return root


def _run_autograder(root: Path, python: str = sys.executable) -> dict:
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "NNLAB_PYTHON": python}
    result = subprocess.run(["bash", str(root / "run_autograder")], cwd=root, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads((root / "results" / "results.json").read_text())
    published = {k: v for k, v in data.items() if k not in EXTENSIONS}
    jsonschema.Draft202012Validator(SCHEMA).validate(published)
    return data


def test_run_autograder_gives_the_reference_solution_full_marks(generated: Path, tmp_path: Path) -> None:
    root = _gradescope_root(generated, tmp_path, generated / "solution")
    data = _run_autograder(root)
    assert data["score"] == data["max_score"] == 18
    names = [t["name"] for t in data["tests"]]
    assert "models.Perceptron: matches the reference" in names and len(names) == len(set(names))
    # The seed never reaches the student: not in the output, not in extra_data.
    assert "seed" not in data["extra_data"] and "hidden seed" in data["output"]
    text = json.dumps(data)
    config = (root / "source" / "nnlab-autograder.toml").read_text()
    secret = config.split("secret = ")[1].split()[0]
    assert secret not in text
    # The course's visibilities: rows on the hidden inputs are shown after publishing.
    hidden = {t["name"] for t in data["tests"] if t.get("visibility") == "after_published"}
    assert hidden == {n for n in names if n.endswith("matches the reference")}


def test_run_autograder_takes_points_from_a_mutant_on_its_component_only(generated: Path, tmp_path: Path) -> None:
    mutant = next(m for m in catalogue() if m.component == "models.Perceptron")
    submission = apply([mutant], tmp_path / "mutant")
    root = _gradescope_root(generated, tmp_path, submission)
    data = _run_autograder(root)
    components = data["extra_data"]["components"]
    assert components["models.Perceptron"] < 10
    assert components["activations.Step"] == 5 and components["activations.Identity"] == 3
    failed = [t for t in data["tests"] if t["status"] == "failed"]
    assert failed and all(t["name"].startswith("models.Perceptron") for t in failed)
    assert all(t["output"] for t in failed)


def test_run_autograder_gives_an_empty_submission_zero_with_a_message(generated: Path, tmp_path: Path) -> None:
    root = _gradescope_root(generated, tmp_path, None)
    data = _run_autograder(root)
    assert data["score"] == 0 and data["max_score"] == 18
    assert "Nothing was graded" in data["output"] and "models.py" in data["output"]
    # The same rows as a full submission: a row's name does not depend on the outcome.
    full = _run_autograder(_gradescope_root(generated, tmp_path / "full", generated / "solution"))
    assert [t["name"] for t in data["tests"]] == [t["name"] for t in full["tests"]]


def test_run_autograder_grades_a_zip_of_the_solution_full_marks(generated: Path, tmp_path: Path) -> None:
    root = _gradescope_root(generated, tmp_path, None)
    with zipfile.ZipFile(root / "submission" / "hw.zip", "w") as archive:
        for path in (generated / "solution").glob("*.py"):
            archive.write(path, f"my-work/{path.name}")
    data = _run_autograder(root)
    assert data["score"] == data["max_score"] == 18, data["output"]


def test_run_autograder_grades_a_notebook_submission_as_a_notebook(generated: Path, tmp_path: Path) -> None:
    source = generated.parent / "nbgrader" / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"  # solution cells
    root = _gradescope_root(generated, tmp_path, None)
    shutil.copy(source, root / "submission" / f"{ASSIGNMENT}.ipynb")
    assert _run_autograder(root)["score"] == 18
    pristine = _gradescope_root(generated, tmp_path / "pristine", None)
    shutil.copy(generated / "release" / f"{ASSIGNMENT}.ipynb", pristine / "submission" / f"{ASSIGNMENT}.ipynb")
    data = _run_autograder(pristine)
    assert data["score"] == 0 and "not implemented" in data["output"] and "not submitted" not in data["output"]


def test_run_autograder_names_why_a_broken_notebook_or_zip_was_not_graded(generated: Path, tmp_path: Path) -> None:
    root = _gradescope_root(generated, tmp_path, None)
    (root / "submission" / "hw.ipynb").write_text("not json {")
    data = _run_autograder(root)
    assert data["score"] == 0
    assert "Nothing was graded: hw.ipynb: not a Jupyter notebook" in data["output"], data["output"]
    broken = _gradescope_root(generated, tmp_path / "zip", None)
    (broken / "submission" / "hw.zip").write_bytes(b"PK\x03\x04 truncated")
    assert "Nothing was graded: not a valid zip file" in _run_autograder(broken)["output"]


def test_run_autograder_grades_a_student_on_their_variant(generated: Path, tmp_path: Path) -> None:
    root = _gradescope_root(generated, tmp_path, generated / "solution")
    metadata = {"users": [{"email": "Ada@example.edu", "name": "Ada", "sid": "1"}]}
    (root / "submission_metadata.json").write_text(json.dumps(metadata))
    data = _run_autograder(root)
    assert data["extra_data"]["variant"] == 1 and data["score"] == data["max_score"]


def test_the_student_code_cannot_read_the_autograder_config(generated: Path, tmp_path: Path) -> None:
    solution = tmp_path / "spy"
    shutil.copytree(generated / "solution", solution)
    root = _gradescope_root(generated, tmp_path, None)
    config = root / "source" / "nnlab-autograder.toml"
    # A module that, if it could read the configuration, would raise it into the feedback.
    spy = (
        f"\ntry:\n    _seen = open({str(config)!r}).read()\nexcept OSError:\n    _seen = ''\n"
        "if _seen:\n    raise RuntimeError(_seen)\n"
    )
    (solution / "models.py").write_text((solution / "models.py").read_text() + spy)
    for path in solution.glob("*.py"):
        shutil.copy(path, root / "submission" / path.name)
    data = _run_autograder(root)
    secret = config.read_text().split("secret = ")[1].split()[0]
    assert secret not in json.dumps(data)
    assert data["score"] == data["max_score"]  # the module imported: the read failed


# ---------------------------------------------------------------------------- Classroom
def _workflow(generated: Path) -> dict:
    return yaml.safe_load((generated / "classroom" / ".github" / "workflows" / "classroom.yml").read_text())


def test_the_classroom_workflow_runs_on_push_and_reports_to_classroom(generated: Path) -> None:
    workflow = _workflow(generated)
    assert workflow["name"] == "Autograding Tests"
    assert "push" in workflow["on"]
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert uses[0].startswith("actions/checkout@") and any(u.startswith("actions/setup-python@") for u in uses)
    grading = next(s for s in steps if s.get("id") == "nnlab")
    assert "python -m nnlab.classroom" in grading["run"] and ASSIGNMENT in grading["run"]
    assert grading["env"]["NNLAB_GRADING_SEED"] == "${{ secrets.NNLAB_GRADING_SEED }}"
    reporter = steps[-1]
    assert reporter["uses"] == "classroom-resources/autograding-grading-reporter@v1"
    assert reporter["with"]["runners"] == "nnlab"
    assert reporter["env"]["NNLAB_RESULTS"] == "${{ steps.nnlab.outputs.result }}"
    assert job["permissions"] if "permissions" in job else workflow["permissions"]["checks"] == "write"


def _run_grading_step(generated: Path, repository: Path, tmp_path: Path, seed: str | None) -> tuple[int, dict, str]:
    """The workflow's own grading command, run with bash in ``repository`` as the runner would."""
    grading = next(s for s in next(iter(_workflow(generated)["jobs"].values()))["steps"] if s.get("id") == "nnlab")
    output = tmp_path / "github_output"
    output.write_text("")
    env = {k: v for k, v in os.environ.items() if k != "NNLAB_GRADING_SEED"}
    env["GITHUB_OUTPUT"] = str(output)
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"  # `python` is this interpreter
    if seed is not None:
        env["NNLAB_GRADING_SEED"] = seed
    result = subprocess.run(
        ["bash", "-e", "-c", grading["run"]], cwd=repository, env=env, capture_output=True, text=True
    )
    lines = [line for line in output.read_text().splitlines() if line.startswith("result=")]
    decoded = json.loads(base64.b64decode(lines[0].split("=", 1)[1])) if lines else {}
    return result.returncode, decoded, result.stdout + result.stderr


def _score(result: dict) -> tuple[float, float]:
    """What the reporter computes: the tests' scores against max_score."""
    return sum(t["score"] for t in result["tests"]), result["max_score"]


def test_the_workflow_grading_command_gives_the_solution_full_marks(generated: Path, tmp_path: Path) -> None:
    repository = tmp_path / "repo"
    shutil.copytree(generated / "classroom", repository)
    for path in (generated / "solution").glob("*.py"):
        shutil.copy(path, repository / path.name)
    status, result, log = _run_grading_step(generated, repository, tmp_path, "12345")
    assert status == 0, log
    assert _score(result) == (18, 18) and result["status"] == "pass"
    assert {t["status"] for t in result["tests"]} == {"pass"}


def test_the_workflow_grading_command_gives_a_pristine_release_zero(generated: Path, tmp_path: Path) -> None:
    repository = tmp_path / "repo"
    shutil.copytree(generated / "classroom", repository)
    status, result, log = _run_grading_step(generated, repository, tmp_path, "12345")
    assert status == 0, log
    assert _score(result) == (0, 18) and result["status"] == "fail"
    assert "not implemented" in log


def test_the_workflow_fails_clearly_without_the_secret(generated: Path, tmp_path: Path) -> None:
    status, result, log = _run_grading_step(generated, generated / "classroom", tmp_path, None)
    assert status != 0 and not result
    assert "NNLAB_GRADING_SEED is not set" in log


# ------------------------------------------------------------------- setup.sh, for real
@pytest.mark.slow
def test_setup_sh_installs_nnlab_from_the_zip_into_a_fresh_venv_and_grades(generated: Path, tmp_path: Path) -> None:
    root = _gradescope_root(generated, tmp_path, generated / "solution")
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "NNLAB_PYTHON": _base_python()}
    setup = subprocess.run(["bash", str(root / "source" / "setup.sh")], env=env, capture_output=True, text=True)
    assert setup.returncode == 0, setup.stdout[-2000:] + setup.stderr[-3000:]
    venv_python = root / "nnlab-venv" / "bin" / "python"
    where = subprocess.run(
        [str(venv_python), "-I", "-c", "import nnlab; print(nnlab.__file__)"], capture_output=True, text=True
    )
    assert str(root / "nnlab-venv") in where.stdout and str(ROOT) not in where.stdout
    data = _run_autograder(root, python=str(venv_python))
    assert data["score"] == data["max_score"] == 18


def _base_python() -> str:
    """The interpreter this one's venv (if any) was made from: a python that can make venvs."""
    return getattr(sys, "_base_executable", sys.executable)
