"""A submission holding both the modules and the notebook (a whole release folder or Classroom repository)
is graded, per component, from the version the student wrote: in GitHub Classroom's grading command,
Gradescope's run_autograder and ``nnlab grade --batch``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from nnlab.exercises.course import load_course
from nnlab.graders.mutants import catalogue
from nnlab.graders.running.notebook_merge import graded_folder

from nnlab.cli import main

# One worker runs this module, so its generated releases are built once, not once per worker.
pytestmark = pytest.mark.xdist_group("notebook-or-modules")

ASSIGNMENT = "a1-perceptron"
FULL = 18  # a1-perceptron's points
BOTH_NOTE = "models.Perceptron: graded from models.py; the notebook's cell was also filled"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("merge") / "out"
    result = CliRunner().invoke(main, ["generate", ASSIGNMENT, "--out", str(out), "--seed", "4242"])
    assert result.exit_code == 0, result.output
    return out / ASSIGNMENT


def _filled_notebook(generated: Path, edit: tuple[str, str] | None = None, only: str | None = None) -> dict:
    """The release notebook with its solution cells answered by the reference (nbgrader's source notebook).

    ``only``: answer that component's cell only; ``edit``: a textual edit (a mutant) of the answers.
    """
    source = json.loads((generated.parent / "nbgrader" / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    answers = {
        c["metadata"]["nbgrader"]["grade_id"]: c["source"] for c in source["cells"] if "nbgrader" in c["metadata"]
    }
    notebook = json.loads((generated / "release" / f"{ASSIGNMENT}.ipynb").read_text())
    for cell in notebook["cells"]:
        meta = cell["metadata"]
        if not meta.get("nbgrader", {}).get("solution"):
            continue
        if only is not None and meta.get("nnlab", {}).get("component") != only:
            continue
        text = answers[meta["nbgrader"]["grade_id"]]
        text = text if isinstance(text, str) else "".join(text)
        if edit is not None and edit[0] in text:
            text = text.replace(edit[0], edit[1], 1)
        cell["source"] = text
    return notebook


def _perceptron_mutant() -> tuple[str, str]:
    mutant = next(m for m in catalogue() if m.component == "models.Perceptron")
    return mutant.old, mutant.new


def _release(generated: Path, target: Path, notebook: dict | None = None, modules: tuple[str, ...] = ()) -> Path:
    """A copy of the release: ``modules`` replaced by the solution's, the notebook by ``notebook``."""
    shutil.copytree(generated / "release", target)
    for module in modules:
        shutil.copy(generated / "solution" / f"{module}.py", target / f"{module}.py")
    if notebook is not None:
        (target / f"{ASSIGNMENT}.ipynb").write_text(json.dumps(notebook))
    return target


# ------------------------------------------------------------------------------- the folder graded
def test_a_pristine_release_is_graded_as_it_is(generated: Path, tmp_path: Path) -> None:
    graded = graded_folder(generated / "release", tmp_path / "scratch", load_course(), ASSIGNMENT)
    assert graded.folder == generated / "release" and graded.notes == []
    assert not (tmp_path / "scratch").exists()


def test_each_component_comes_from_where_it_was_written(generated: Path, tmp_path: Path) -> None:
    # activations.py written; in the notebook only the Perceptron cell: every component from its written side.
    notebook = _filled_notebook(generated, only="models.Perceptron")
    folder = _release(generated, tmp_path / "release", notebook, modules=("activations",))
    graded = graded_folder(folder, tmp_path / "scratch", load_course(), ASSIGNMENT)
    assert graded.folder != folder and graded.folder.is_relative_to(tmp_path / "scratch")
    assert (graded.folder / "activations.py").read_text() == (generated / "solution" / "activations.py").read_text()
    models = (graded.folder / "models.py").read_text()
    assert "NotImplementedError" not in models.split("class Perceptron")[1].split("\nclass ")[0]
    assert graded.notes == [
        f"graded from the notebook {ASSIGNMENT}.ipynb (models.py held the release's stubs): models.Perceptron"
    ]
    # The student's files are untouched.
    assert (folder / "models.py").read_text() == (generated / "release" / "models.py").read_text()


def test_a_comment_or_docstring_edit_of_a_stub_is_not_writing_it(generated: Path, tmp_path: Path) -> None:
    notebook = _filled_notebook(generated, only="models.Perceptron")
    folder = _release(generated, tmp_path / "release", notebook)
    models = folder / "models.py"
    text = models.read_text().replace(
        "raise NotImplementedError(", "# I will do this later\n        raise NotImplementedError("
    )
    models.write_text(text)
    graded = graded_folder(folder, tmp_path / "scratch", load_course(), ASSIGNMENT)
    assert graded.folder != folder and "models.Perceptron" in graded.notes[0]


# ------------------------------------------------------------------------------- GitHub Classroom
def _classroom(generated: Path, repository: Path) -> tuple[float, float, str]:
    """The workflow's grading command run in ``repository``: (points, max points, log)."""
    workflow = yaml.safe_load((generated / "classroom" / ".github" / "workflows" / "classroom.yml").read_text())
    step = next(s for s in next(iter(workflow["jobs"].values()))["steps"] if s.get("id") == "nnlab")
    output = repository.parent / "github_output"
    output.write_text("")
    env = {**os.environ, "GITHUB_OUTPUT": str(output), "NNLAB_GRADING_SEED": "12345"}
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repository, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    import base64

    line = next(line for line in output.read_text().splitlines() if line.startswith("result="))
    decoded = json.loads(base64.b64decode(line.split("=", 1)[1]))
    return sum(t["score"] for t in decoded["tests"]), decoded["max_score"], result.stdout


def test_classroom_grades_a_repository_whose_notebook_holds_the_answers_full_marks(
    generated: Path, tmp_path: Path
) -> None:
    repository = tmp_path / "repo"
    shutil.copytree(generated / "classroom", repository)
    (repository / f"{ASSIGNMENT}.ipynb").write_text(json.dumps(_filled_notebook(generated)))
    score, total, log = _classroom(generated, repository)
    assert (score, total) == (FULL, FULL), log
    assert f"graded from the notebook {ASSIGNMENT}.ipynb" in log


# ------------------------------------------------------------------------------- Gradescope
def test_run_autograder_grades_a_release_folder_whose_notebook_holds_the_answers_full_marks(
    generated: Path, tmp_path: Path
) -> None:
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    with zipfile.ZipFile(generated / "autograder" / "autograder.zip") as archive:
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    # The whole release uploaded: pristine modules, the notebook filled in.
    _release(generated, root / "submission", _filled_notebook(generated))
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "NNLAB_PYTHON": sys.executable}
    result = subprocess.run(["bash", str(root / "run_autograder")], cwd=root, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads((root / "results" / "results.json").read_text())
    assert data["score"] == data["max_score"] == FULL, data["output"]
    assert f"graded from the notebook {ASSIGNMENT}.ipynb" in data["output"]


# ------------------------------------------------------------------------------- nnlab grade --batch
def test_a_batch_grades_each_component_from_the_version_the_student_wrote(generated: Path, tmp_path: Path) -> None:
    students = tmp_path / "students"
    students.mkdir()
    mutant = _perceptron_mutant()
    _release(generated, students / "notebook", _filled_notebook(generated))
    _release(generated, students / "modules", modules=("activations", "models"))
    # Both written: the modules are graded (the notebook's mutant does not count), and a note says so.
    _release(generated, students / "both", _filled_notebook(generated, mutant), modules=("activations", "models"))
    _release(generated, students / "mixed", _filled_notebook(generated, only="models.Perceptron"), ("activations",))
    _release(generated, students / "mutant", _filled_notebook(generated, mutant))
    out = tmp_path / "reports"
    command = [sys.executable, "-m", "nnlab", "grade", str(students), "--batch", "--output", str(out)]
    result = subprocess.run(
        [*command, "--assignment", ASSIGNMENT, "--jobs", "2"], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    reports = {
        name: json.loads((out / f"{name}.json").read_text())
        for name in ("notebook", "modules", "both", "mixed", "mutant")
    }
    for name in ("notebook", "modules", "both", "mixed"):
        assert reports[name]["score"] == FULL, (name, reports[name]["output"])
    assert "graded from the notebook" in reports["notebook"]["output"]
    assert "notebook" not in reports["modules"]["output"]
    assert BOTH_NOTE in reports["both"]["output"] and "graded from the notebook" not in reports["both"]["output"]
    # A mutant planted in the notebook's cell loses points on its component only.
    components = reports["mutant"]["extra_data"]["components"]
    assert components["models.Perceptron"] < 10, reports["mutant"]["output"]
    assert components["activations.Step"] == 5 and components["activations.Identity"] == 3


# ------------------------------------------------------------------------------- every assignment
@pytest.fixture(scope="module")
def every(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("every") / "out"
    result = CliRunner().invoke(main, ["generate", "--out", str(out), "--seed", "4242"])
    assert result.exit_code == 0, result.output
    return out


def _answered(out: Path, name: str) -> dict:
    source = json.loads((out / "nbgrader" / "source" / name / f"{name}.ipynb").read_text())
    answers = {
        c["metadata"]["nbgrader"]["grade_id"]: c["source"] for c in source["cells"] if "nbgrader" in c["metadata"]
    }
    notebook = json.loads((out / name / "release" / f"{name}.ipynb").read_text())
    for cell in notebook["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("solution"):
            cell["source"] = answers[cell["metadata"]["nbgrader"]["grade_id"]]
    return notebook


@pytest.mark.parametrize("name", [a.name for a in load_course().assignments])
def test_every_release_is_recognised_as_stubs_and_its_answered_notebook_as_written(
    every: Path, tmp_path: Path, name: str
) -> None:
    course = load_course()
    assignment = course.assignment(name)
    release = every / name / "release"
    assert graded_folder(release, tmp_path / "pristine", course, name).notes == []
    folder = shutil.copytree(release, tmp_path / "release")
    (folder / f"{name}.ipynb").write_text(json.dumps(_answered(every, name)))
    graded = graded_folder(folder, tmp_path / "scratch", course, name)
    written = [c.name for c in assignment.components if c.name in graded.notes[0]]
    # Every component with a solution region (BatchNorm2d has none of its own: its cell is given code).
    assert written == [c.name for c in assignment.components if c.name != "layers.BatchNorm2d"], graded.notes
    # The solution's modules with the answered notebook: the modules are graded, a note per component.
    for path in (every / name / "solution").glob("*.py"):
        shutil.copy(path, folder / path.name)
    both = graded_folder(folder, tmp_path / "both", course, name)
    assert both.folder == folder and len(both.notes) == len(written)
    assert all(note.endswith("the notebook's cell was also filled") for note in both.notes)


def test_nnlab_grade_gives_an_a7_release_answered_in_its_notebook_full_marks(every: Path, tmp_path: Path) -> None:
    """BatchNorm2d (given code in layers.py) builds on the notebook's _BatchNorm, which goes where the stub was."""
    name = "a7-cnn"
    folder = shutil.copytree(every / name / "release", tmp_path / "release")
    (folder / f"{name}.ipynb").write_text(json.dumps(_answered(every, name)))
    result = subprocess.run(
        [sys.executable, "-m", "nnlab", "grade", str(folder), "--assignment", name, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["score"] == report["max_score"] > 0, report["output"]
