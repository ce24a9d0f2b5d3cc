"""Notebooks: built from notebook.py, generated and autograded by nbgrader itself, executed with
nbclient, and read back as submissions by ``nnlab grade``.

Every kernel these tests start is a kernel spec for the running Python, installed into a
temporary prefix (``python -m ipykernel install --prefix``), with Jupyter's user folders in
that prefix too, so the machine's own kernels and configuration play no part.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nnlab.exercises.course import load_course
from nnlab.exercises.release import NotebookSourceError
from nnlab.exercises.stubs import BEGIN, END
from nnlab.graders.mutants import catalogue, reference_folder

from nnlab.notebooks import (
    NotebookError,
    build_source_notebook,
    extract_modules,
    write_nbgrader_course,
    write_release_notebook,
)
from nnlab.notebooks.course_dir import student_notebook
from nnlab.notebooks.kernel import execute as run_notebook
from nnlab.notebooks.kernel import isolated_jupyter

HERE = Path(__file__).resolve().parent
TINY_COURSE = HERE / "notebooks" / "course.toml"
KERNEL = "nnlab-test"
SEED = 8675309  # the autograder's seed in these tests: it must never reach a student file


# ------------------------------------------------------------------------------- helpers
@pytest.fixture(scope="module")
def jupyter_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment whose only Jupyter kernel is ``nnlab-test``: this Python, in a temporary prefix."""
    env = isolated_jupyter(tmp_path_factory.mktemp("jupyter"), KERNEL)
    env["PYTHONWARNINGS"] = "ignore"
    return env


def run(command: list[str], env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run a command; on failure, the assertion message carries its own stdout and stderr."""
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, (
        f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    )
    return result


def nbgrader(*args: str, env: dict[str, str], root: Path) -> subprocess.CompletedProcess:
    return run([sys.executable, "-m", "nbgrader", *args, f"--Execute.kernel_name={KERNEL}"], env=env, cwd=root)


def execute(notebook: nbformat.NotebookNode, folder: Path, env: dict[str, str]) -> nbformat.NotebookNode:
    """Run the notebook top to bottom in ``folder`` with nbclient (errors recorded, not raised)."""
    return run_notebook(notebook, folder, env, KERNEL)


def errors(notebook: nbformat.NotebookNode) -> dict[str, str]:
    """Cell id -> ``ename: evalue`` of every cell that raised."""
    found = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                found[cell.id] = f"{output.ename}: {output.evalue}"
    return found


def stderr_cells(notebook: nbformat.NotebookNode) -> list[str]:
    return [
        c.id for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "stream" and o.name == "stderr"
    ]


def solution_bodies() -> list[str]:
    """Every non-trivial line inside a solution region of the reference (what a release must not hold)."""
    lines = []
    for path in reference_folder().glob("*.py"):
        inside = False
        for line in path.read_text(encoding="utf-8").splitlines():
            if BEGIN in line:
                inside = True
            elif END in line:
                inside = False
            elif inside and len(line.strip()) > 25:
                lines.append(line.strip())
    return lines


def fill(student: nbformat.NotebookNode, source: nbformat.NotebookNode, edit: tuple[str, str] | None = None):
    """The student notebook with every solution cell answered by the source's (reference) code."""
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells if "nbgrader" in c.metadata}
    filled = nbformat.from_dict(student)
    for cell in filled.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell.source = answers[meta["grade_id"]]
            if edit and edit[0] in cell.source:
                cell.source = cell.source.replace(edit[0], edit[1], 1)
    return filled


# ------------------------------------------------------------------------------- builder
def test_source_notebook_has_nbgrader_cells_with_the_course_points():
    course = load_course(TINY_COURSE)
    notebook = build_source_notebook(course, course.assignments[0], seed=SEED)
    meta = {c.id: c.metadata.get("nbgrader") for c in notebook.cells}
    assert meta["activations-Step"] == {
        "grade": False,
        "grade_id": "activations-Step",
        "locked": False,
        "schema_version": 3,
        "solution": True,
    }
    assert meta["tests-activations-Sigmoid"]["points"] == 6.0 and meta["tests-activations-Sigmoid"]["grade"]
    assert meta["given-activations"]["locked"] and not meta["given-activations"]["solution"]
    ids = [c.id for c in notebook.cells]
    assert ids.index("given-activations") < ids.index("activations-Step"), "the given code comes first"
    step = next(c for c in notebook.cells if c.id == "activations-Step")
    assert step.metadata["nnlab"] == {"module": "activations", "component": "activations.Step"}
    assert "nnlab:module=activations" in step.metadata["tags"]
    assert BEGIN in step.source and "class Step" in step.source
    assert "from base import" in notebook.cells[ids.index("given-activations")].source, "flat imports"
    assert notebook.cells[0].source.startswith("# Two activations")


def test_module_cells_of_a_source_notebook_make_an_importable_module(tmp_path):
    course = load_course(TINY_COURSE)
    path = tmp_path / "tiny.ipynb"
    nbformat.write(build_source_notebook(course, course.assignments[0], seed=SEED), str(path))
    (written,) = extract_modules(path, tmp_path / "sub")
    (written.parent / "base.py").write_text((reference_folder() / "base.py").read_text())
    run(
        [sys.executable, "-c", "import activations; activations.Sigmoid().forward([0.0])"],
        os.environ,
        cwd=written.parent,
    )


def test_a_directive_for_an_ungraded_component_is_an_error_naming_the_line(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (tmp_path / "course.toml").write_text(TINY_COURSE.read_text().replace('"tiny"', '"bad"'))
    toml = (TINY_COURSE.parent / "tiny" / "assignment.toml").read_text().replace('name = "tiny"', 'name = "bad"')
    (folder / "assignment.toml").write_text(toml)
    (folder / "notebook.py").write_text(
        "# %%\n# nnlab: solution activations.Step\n\n# %%\n# nnlab: tests layers.Linear\n"
    )
    course = load_course(tmp_path / "course.toml")
    with pytest.raises(NotebookSourceError, match=r"notebook.py, line 5: layers.Linear is not graded by bad"):
        build_source_notebook(course, course.assignments[0], seed=SEED)


# ------------------------------------------------------------------------------- nbgrader
@pytest.mark.slow
def test_nbgrader_generates_and_autogrades_full_and_partial_marks(tmp_path, jupyter_env):
    """nbgrader itself: generate_assignment, two submissions, autograde, scores from its gradebook."""
    from nbgrader.api import Gradebook

    course = load_course(TINY_COURSE)
    tiny = course.assignments[0]
    write_nbgrader_course(course, [tiny], tmp_path, seed=SEED)
    root = tmp_path / "nbgrader"
    nbgrader("generate_assignment", "tiny", "--force", env=jupyter_env, root=root)

    # The student version: no solution code, no hidden test, no seed; as nnlab's own release notebook.
    release = root / "release" / "tiny"
    text = (release / "tiny.ipynb").read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text and str(SEED) not in text
    assert not [line for line in solution_bodies() if line in text]
    ours = write_release_notebook(course, tiny, tmp_path / "ours", seed=SEED)
    theirs = nbformat.read(str(release / "tiny.ipynb"), as_version=4)
    assert [c.source for c in nbformat.read(str(ours), as_version=4).cells] == [c.source for c in theirs.cells]

    # Two students: the reference solution, and the reference with a planted bug in Sigmoid.
    source = nbformat.read(str(root / "source" / "tiny" / "tiny.ipynb"), as_version=4)
    sigmoid = next(c.source for c in source.cells if c.id == "activations-Sigmoid")
    mutant = next(m for m in catalogue() if m.component == "activations.Sigmoid" and m.old in sigmoid)
    for student, edit in (("alice", None), ("bob", (mutant.old, mutant.new))):
        folder = root / "submitted" / student / "tiny"
        folder.mkdir(parents=True)
        shutil.copytree(release, folder, dirs_exist_ok=True)  # what nbgrader collects: the whole folder
        nbformat.write(fill(theirs, source, edit), str(folder / "tiny.ipynb"))
    result = nbgrader("autograde", "tiny", env=jupyter_env, root=root)

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="nnlab-notebook-test-course") as gradebook:
        scores = {}
        for student in ("alice", "bob"):
            notebook = gradebook.find_submission_notebook("tiny", "tiny", student)
            scores[student] = {g.name: (g.auto_score, g.max_score) for g in notebook.grades if g.max_score}
    log = f"nbgrader output:\n{result.stderr[-4000:]}"
    assert scores["alice"] == {"tests-activations-Step": (3.0, 3.0), "tests-activations-Sigmoid": (6.0, 6.0)}, log
    assert scores["bob"]["tests-activations-Step"] == (3.0, 3.0), log
    assert 0 < scores["bob"]["tests-activations-Sigmoid"][0] < 6.0, f"{mutant.id}: {scores['bob']}\n{log}"

    # The autograded notebook shows the feedback on stdout, and nothing on stderr.
    graded = nbformat.read(str(root / "autograded" / "bob" / "tiny" / "tiny.ipynb"), as_version=4)
    assert not stderr_cells(graded), log
    cell = next(c for c in graded.cells if c.id == "tests-activations-Sigmoid")
    shown = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    assert "activations.Sigmoid:" in shown and "/ 6 points" in shown, shown

    # The visible check cells ran the release checker: silent success for alice, the misconception for bob.
    alice = nbformat.read(str(root / "autograded" / "alice" / "tiny" / "tiny.ipynb"), as_version=4)
    assert not errors(alice), errors(alice)
    passed = "".join(o.get("text", "") for c in alice.cells if c.id.startswith("check-") for o in c.outputs)
    assert "activations.Step: all" in passed and "activations.Sigmoid: all" in passed, passed
    assert list(errors(graded)) == ["check-activations-Sigmoid"], errors(graded)
    message = errors(graded)["check-activations-Sigmoid"]
    assert message.startswith("AssertionError: activations.Sigmoid: ") and "\n" not in message, message


# ------------------------------------------------------------------------------- execution
def _built_in_with_notebooks() -> list[str]:
    course = load_course()
    return [a.name for a in course.assignments if a.notebook_source is not None]


@pytest.mark.slow
@pytest.mark.parametrize("name", _built_in_with_notebooks())
def test_notebook_runs_top_to_bottom_with_the_reference_solution(name, tmp_path, jupyter_env):
    course = load_course()
    assignment = course.assignment(name)
    try:
        write_nbgrader_course(course, [assignment], tmp_path, seed=SEED)
    except NotebookSourceError as error:
        pytest.fail(f"{name}: the notebook source does not build: {error}")
    folder = tmp_path / "nbgrader" / "source" / name
    notebook = execute(nbformat.read(str(folder / f"{name}.ipynb"), as_version=4), folder, jupyter_env)
    found = errors(notebook)
    assert not found, f"{name}: cells that raised with the reference solution: {found}"
    assert not stderr_cells(notebook)
    # One text per check cell: a kernel may split one print into several stream outputs.
    checked = ["".join(o.text for o in c.outputs if "text" in o) for c in notebook.cells if c.id.startswith("check-")]
    assert len(checked) == len(assignment.components) and all("checks passed" in t for t in checked), checked
    # Every experiment draws: the figures are in the notebook (the 60 s budget is benchmarks/bench_notebooks.py's).
    figures = [o for c in notebook.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(figures) >= 3, f"{name}: {len(figures)} figures drawn"
    earned = {
        c.id: float(o.data["text/plain"])
        for c in notebook.cells
        if c.id.startswith("tests-")
        for o in c.outputs
        if o.output_type == "execute_result"
    }
    full = {c.id: c.metadata["nbgrader"]["points"] for c in notebook.cells if c.id.startswith("tests-")}
    assert earned == full, f"{name}: points earned by the reference, against the cells' points"


@pytest.mark.slow
def test_student_version_with_pristine_stubs_fails_only_where_code_is_missing(tmp_path, jupyter_env):
    course = load_course(TINY_COURSE)
    tiny = course.assignments[0]
    write_nbgrader_course(course, [tiny], tmp_path, seed=SEED)
    folder = tmp_path / "nbgrader" / "source" / "tiny"
    path = write_release_notebook(course, tiny, folder, seed=SEED)
    notebook = execute(nbformat.read(str(path), as_version=4), folder, jupyter_env)
    found = errors(notebook)
    experiment = next(c.id for c in notebook.cells if "Sigmoid()" in c.source and "nbgrader" not in c.metadata)
    checks = ["check-activations-Step", "check-activations-Sigmoid"]
    assert sorted(found) == sorted([experiment, *checks]), found  # what needs the missing code
    assert found[experiment] == "NotImplementedError: your code here", found
    for check in checks:  # one line from the release checker, nothing more
        assert found[check] == f"AssertionError: {check[6:].replace('-', '.')}: not implemented (your code here)"


# ------------------------------------------------------------------------------- submissions
def test_nnlab_grade_scores_a_filled_notebook_like_a_folder(tmp_path):
    course = load_course(TINY_COURSE)
    tiny = course.assignments[0]
    source = build_source_notebook(course, tiny, seed=SEED)
    nbformat.write(fill(student_notebook(source), source), str(tmp_path / "submission.ipynb"))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "nnlab",
            "grade",
            str(tmp_path / "submission.ipynb"),
            "--course",
            str(TINY_COURSE),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["score"] == 9.0, report


def test_writefile_cells_make_modules(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("%%writefile activations.py\nimport numpy as np\nX = 1"),
        nbformat.v4.new_code_cell("%%writefile -a activations.py\nY = 2"),
        nbformat.v4.new_code_cell("print('not a module')"),
    ]
    nbformat.write(notebook, str(tmp_path / "hand.ipynb"))
    (path,) = extract_modules(tmp_path / "hand.ipynb", tmp_path / "out")
    assert path.name == "activations.py" and re.search(r"X = 1\s+Y = 2", path.read_text())


@pytest.mark.parametrize("content", ["{not json", '{"cells": 3}', ""], ids=["not-json", "not-a-notebook", "empty"])
def test_a_malformed_notebook_is_a_one_line_error(tmp_path, content):
    path = tmp_path / "broken.ipynb"
    path.write_text(content)
    with pytest.raises(NotebookError):
        extract_modules(path, tmp_path / "out")
    result = subprocess.run(
        [sys.executable, "-m", "nnlab", "grade", str(path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert result.stderr.startswith("nnlab: error: ") and result.stderr.count("\n") == 1, result.stderr


def test_a_batch_student_folder_holding_one_notebook_is_graded_by_its_modules(tmp_path):
    from nnlab.graders.batch import Entry, unpack

    course = load_course(TINY_COURSE)
    source = build_source_notebook(course, course.assignments[0], seed=SEED)
    student = tmp_path / "students" / "carol"
    student.mkdir(parents=True)
    nbformat.write(fill(student_notebook(source), source), str(student / "tiny.ipynb"))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    folder = unpack(Entry("carol", student), scratch)
    assert (folder / "activations.py").is_file() and "class Sigmoid" in (folder / "activations.py").read_text()


# ------------------------------------------------------------------------------- the built-in notebooks
def filled(name: str, edit: tuple[str, str] | None = None) -> nbformat.NotebookNode:
    """The student version of a built-in notebook, its solution cells answered with the reference."""
    course = load_course()
    source = build_source_notebook(course, course.assignment(name), seed=SEED)
    return fill(student_notebook(source), source, edit)


def test_a_notebook_submission_holds_the_release_modules_its_cells_import(tmp_path):
    mine = "# written by the student"
    notebook = filled("a6-regularisation", ("def fit_early_stopping(", f"{mine}\ndef fit_early_stopping("))
    nbformat.write(notebook, str(tmp_path / "a6.ipynb"))
    written = extract_modules(tmp_path / "a6.ipynb", tmp_path / "sub")
    assert {"base.py", "early_stopping.py", "layers.py", "training.py"} <= {p.name for p in written}
    # A prerequisite (a6's early stopping calls training.fit by design) ships complete, as in the release.
    training = ast.parse((tmp_path / "sub" / "training.py").read_text())
    fit = next(n for n in training.body if isinstance(n, ast.FunctionDef) and n.name == "fit")
    assert "NotImplementedError" not in ast.unparse(fit)
    # The notebook's cells come after the release's module: its definitions are the ones that count.
    text = (tmp_path / "sub" / "early_stopping.py").read_text()
    assert text.rindex("def fit_early_stopping(") > text.index(mine)


def test_nnlab_grade_gives_a6_filled_with_the_reference_full_marks_for_early_stopping(tmp_path):
    nbformat.write(filled("a6-regularisation"), str(tmp_path / "a6.ipynb"))
    result = subprocess.run(
        [sys.executable, "-m", "nnlab", "grade", str(tmp_path / "a6.ipynb"), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    # Only the notebook's own assignment is graded: the complete prerequisites are not the student's work.
    points = {c.name: c.max_score for c in load_course().assignment("a6-regularisation").components}
    assert report["extra_data"]["components"] == points, report["output"]


def test_a_batch_of_notebooks_gives_a6_filled_with_the_reference_full_marks(tmp_path):
    student = tmp_path / "students" / "dora"
    student.mkdir(parents=True)
    nbformat.write(filled("a6-regularisation"), str(student / "a6-regularisation.ipynb"))
    out = tmp_path / "reports"
    command = [sys.executable, "-m", "nnlab", "grade", str(tmp_path / "students"), "--batch", "--output", str(out)]
    result = subprocess.run(
        [*command, "--assignment", "a6-regularisation"], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    report = json.loads((out / "dora.json").read_text())
    assert report["score"] == 16.0, report.get("output")


@pytest.mark.parametrize("name", _built_in_with_notebooks())
def test_every_component_cell_keeps_its_class_when_only_the_solution_cells_are_filled(name):
    """A component with no solution region of its own (BatchNorm2d: all in _BatchNorm) is a locked, complete cell."""
    course = load_course()
    source = build_source_notebook(course, course.assignment(name), seed=SEED)
    student = student_notebook(source)
    answered = fill(student, source)
    for given, cell, answer in zip(source.cells, student.cells, answered.cells, strict=True):
        component = cell.metadata.get("nnlab", {}).get("component")
        if component is None:
            continue
        defined = {n.name for n in ast.parse(answer.source).body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
        assert component.split(".")[1] in defined, f"{component}: its cell defines {defined}"
        if BEGIN not in given.source:  # nothing to write: the student receives the class itself
            assert not cell.metadata["nbgrader"]["solution"] and cell.source == given.source, component


@pytest.mark.slow
def test_the_a7_student_version_filled_with_the_reference_runs_without_error(tmp_path, jupyter_env):
    course = load_course()
    write_nbgrader_course(course, [course.assignment("a7-cnn")], tmp_path, seed=SEED)
    folder = tmp_path / "nbgrader" / "source" / "a7-cnn"
    notebook = filled("a7-cnn")
    nbformat.write(notebook, str(folder / "a7-cnn.ipynb"))
    notebook = execute(notebook, folder, jupyter_env)
    assert not errors(notebook), errors(notebook)
    assert not stderr_cells(notebook)


# ------------------------------------------------------------------------------- the autograder cell
def test_the_autograder_cell_grades_the_notebook_file_in_a_separate_process(tmp_path, monkeypatch, capsys):
    from nnlab.notebooks.autograde import points

    course = load_course(TINY_COURSE)
    source = build_source_notebook(course, course.assignments[0], seed=SEED)
    monkeypatch.chdir(tmp_path)
    assert points("activations.Step", "tiny", seed=SEED, course=str(TINY_COURSE)) == 0.0
    assert "no notebook of tiny" in capsys.readouterr().out
    nbformat.write(fill(student_notebook(source), source), str(tmp_path / "tiny.ipynb"))
    assert points("activations.Step", "tiny", seed=SEED, course=str(TINY_COURSE)) == 3.0
    assert capsys.readouterr().out == "activations.Step: 3 / 3 points (all checks passed)\n"


HOSTILE = """\
# A student's cell before the autograder cell: rebinds the names and patches nnlab in this kernel.
import sys

import nnlab.graders.runner
import nnlab.notebooks.autograde

def _full_marks(*args, **kwargs):
    return 1000.0

nnlab.notebooks.autograde.points = _full_marks
sys.modules["nnlab.notebooks.autograde"].points = _full_marks
nnlab.graders.runner.grade = _full_marks
points = _nnlab_points = _nnlab_autograde = _full_marks
"""


@pytest.mark.slow
def test_a_notebook_that_patches_the_autograder_still_gets_the_points_its_code_earns(tmp_path, jupyter_env):
    """What the hidden cell grades is the notebook file, in another process: kernel patches change nothing."""
    course = load_course(TINY_COURSE)
    write_nbgrader_course(course, [course.assignments[0]], tmp_path, seed=SEED)
    folder = tmp_path / "nbgrader" / "source" / "tiny"  # the modules and the checker beside the notebook
    notebook = nbformat.read(str(folder / "tiny.ipynb"), as_version=4)
    sigmoid = next(c for c in notebook.cells if c.id == "activations-Sigmoid")
    mutant = next(m for m in catalogue() if m.component == "activations.Sigmoid" and m.old in sigmoid.source)
    sigmoid.source = sigmoid.source.replace(mutant.old, mutant.new, 1)
    first_tests = next(i for i, c in enumerate(notebook.cells) if c.id.startswith("tests-"))
    notebook.cells.insert(first_tests, nbformat.v4.new_code_cell(HOSTILE))
    nbformat.write(notebook, str(folder / "tiny.ipynb"))  # the file nbgrader runs, in the kernel's working folder

    notebook = execute(notebook, folder, jupyter_env)
    assert list(errors(notebook)) == ["check-activations-Sigmoid"], errors(notebook)  # the patches ran
    results = [(c.id, o) for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "execute_result"]
    earned = {cell: float(output.data["text/plain"]) for cell, output in results}
    graded = subprocess.run(
        [sys.executable, "-m", "nnlab", "grade", str(folder / "tiny.ipynb"), "--course", str(TINY_COURSE)]
        + ["--seed", str(SEED), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    components = json.loads(graded.stdout)["extra_data"]["components"]
    assert components["activations.Step"] == 3.0 and 0 < components["activations.Sigmoid"] < 6.0, components
    assert earned == {
        "tests-activations-Step": components["activations.Step"],
        "tests-activations-Sigmoid": components["activations.Sigmoid"],
    }, errors(notebook)


@pytest.mark.slow
@pytest.mark.parametrize("name", _built_in_with_notebooks())
def test_a_pristine_student_notebook_fails_only_where_code_is_missing(name, tmp_path, jupyter_env):
    """Every error of the student version, before any code is written, says 'not implemented'."""
    course = load_course()
    assignment = course.assignment(name)
    write_nbgrader_course(course, [assignment], tmp_path, seed=SEED)
    folder = tmp_path / "nbgrader" / "source" / name
    path = write_release_notebook(course, assignment, tmp_path / "student", seed=SEED)
    notebook = execute(nbformat.read(str(path), as_version=4), folder, jupyter_env)
    found = errors(notebook)
    unclear = {
        cell: error
        for cell, error in found.items()
        if not error.startswith("NotImplementedError: your code here")
        and not (cell.startswith("check-") and error.startswith("AssertionError") and "not implemented" in error)
    }
    assert found and not unclear, f"{name}: cells that fail without saying what is missing: {unclear}"
    assert not stderr_cells(notebook)
