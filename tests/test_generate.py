"""Does `nnlab generate` write, per assignment, a release without answers, a solution with full marks,
a Gradescope autograder and a Classroom repository, refusing to write over anything, and keeping
the instructor's secret out of every student's file?"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from nnlab.exercises.course import load_course
from nnlab.exercises.stubs import _MARKER, _enclosing_functions
from nnlab.graders.runner import grade

from nnlab.cli import main
from nnlab.secret import assignment_secret, grading_seed

# One worker runs this module, so the generated course is built once, not once per worker.
pytestmark = pytest.mark.xdist_group("generate")

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = ROOT / "exercises"
SECRET = 4_611_686_018_427_387_903 - 12345  # a fixed course secret: its digits must appear in no student file


def _course_without_notebooks(target: Path) -> Path:
    """The built-in course's files without its notebook sources (those are tested with the notebooks)."""
    shutil.copy(EXERCISES / "course.toml", target / "course.toml")
    for folder in EXERCISES.iterdir():
        if (folder / "assignment.toml").is_file():
            (target / folder.name).mkdir()
            shutil.copy(folder / "assignment.toml", target / folder.name / "assignment.toml")
    return target / "course.toml"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every assignment of the course, generated once, with two students' variants."""
    base = tmp_path_factory.mktemp("generate")
    (base / "course").mkdir()
    course = _course_without_notebooks(base / "course")
    out = base / "out"
    args = ["generate", "--all", "--course", str(course), "--out", str(out), "--seed", str(SECRET)]
    result = CliRunner().invoke(main, [*args, "--student", "alice", "--student", "bob@example.edu"])
    assert result.exit_code == 0, result.output
    return out


def _course(generated: Path):  # noqa: ANN202
    return load_course(generated.parent / "course" / "course.toml")


# ---------------------------------------------------------------------------- refusing
def test_generate_refuses_a_folder_that_holds_anything_and_leaves_it_untouched(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    result = CliRunner().invoke(main, ["generate", "a1-perceptron", "--out", str(tmp_path)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "not an empty folder" in lines[0] and "nothing was written" in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt"]
    assert (tmp_path / "mine.txt").read_text() == "keep me"
    assert not [p for p in tmp_path.parent.iterdir() if p.name.startswith(f".{tmp_path.name}.nnlab-")]


@pytest.mark.parametrize(
    "text, message",
    [
        pytest.param("[course]\ntitle = 3\nassignments = 7\n", "course.assignments", id="assignments not a list"),
        pytest.param("[course\n", "not valid TOML", id="not TOML"),
    ],
)
def test_a_malformed_course_file_is_one_line_naming_the_file_and_nothing_is_written(
    tmp_path: Path, text: str, message: str
) -> None:
    course = tmp_path / "course.toml"
    course.write_text(text)
    result = CliRunner().invoke(main, ["generate", "--course", str(course), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and str(course) in lines[0] and message in lines[0], result.output
    assert not (tmp_path / "out").exists()


def test_a_failure_half_way_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nnlab.generate as generate

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("the solution writer broke")

    monkeypatch.setattr(generate, "write_solution", broken)
    result = CliRunner().invoke(main, ["generate", "a1-perceptron", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "the solution writer broke" in result.output
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------ layout
def test_generate_writes_the_layout_for_every_assignment(generated: Path) -> None:
    course = _course(generated)
    assert (generated / ".nnlab-secret.toml").stat().st_mode & 0o077 == 0  # private to the instructor
    for assignment in course.assignments:
        folder = generated / assignment.name
        assert sorted(p.name for p in folder.iterdir()) == [
            "autograder",
            "classroom",
            "release",
            "release-alice",
            "release-bob@example.edu",
            "solution",
            "variants.csv",
        ]
        release = folder / "release"
        for module in ("base", "activations", "layers", "losses", "optimizers", "models", "training", "gradcheck"):
            source = (release / f"{module}.py").read_text()
            assert "from ." not in source, f"{module}.py keeps a relative import"
        readme = (release / "README.md").read_text()
        assert assignment.title in readme and "docs/api.md" in readme and "pytest" in readme
        assert all(c.name in readme for c in assignment.components)
        assert (release / "docs" / "api.md").is_file()
        with zipfile.ZipFile(folder / "autograder" / "autograder.zip") as archive:
            names = set(archive.namelist())
            assert {"setup.sh", "run_autograder", "nnlab-autograder.toml", "requirements.txt"} <= names
            assert any(n.endswith(".whl") and "/" not in n for n in names)
            assert archive.getinfo("run_autograder").external_attr >> 16 & 0o111  # executable
        assert (folder / "classroom" / ".github" / "workflows" / "classroom.yml").is_file()
        assert (folder / "variants.csv").read_text().splitlines() == [
            "student,variant,release",
            "alice,1,release-alice",
            "bob@example.edu,2,release-bob@example.edu",
        ]


def test_every_release_imports_flat_from_its_own_folder(generated: Path) -> None:
    release = generated / "a7-cnn" / "release"
    code = "import base, activations, layers, losses, optimizers, models, training, gradcheck; print('ok')"
    result = subprocess.run([sys.executable, "-c", code], cwd=release, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


def test_the_solution_of_a_first_assignment_gets_full_marks_from_nnlab_grade(generated: Path) -> None:
    solution = generated / "a1-perceptron" / "solution"
    course = generated.parent / "course" / "course.toml"
    args = ["grade", str(solution), "--assignment", "a1-perceptron", "--course", str(course), "--format", "json"]
    result = subprocess.run([sys.executable, "-m", "nnlab", *args], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    import json

    data = json.loads(result.stdout)
    assert data["score"] == data["max_score"] > 0


@pytest.mark.slow
def test_the_solution_of_every_assignment_gets_full_marks(generated: Path) -> None:
    course = _course(generated)
    for assignment in course.assignments[1:]:
        report = grade(generated / assignment.name / "solution", course, assignment=assignment.name, seed=3)
        lost = [c.component for c in report.components if c.score < c.max_score]
        assert report.score == report.max_score > 0 and not lost, (assignment.name, lost)


# ----------------------------------------------------------------------- prerequisites
@pytest.mark.parametrize(
    "name",
    [
        pytest.param("a4-training", marks=pytest.mark.slow),
        pytest.param("a5-optimizers", marks=pytest.mark.slow),
        pytest.param("a6-regularisation", marks=pytest.mark.slow),
        "a7-cnn",  # ~10 s: grades its nine prerequisites
    ],
)
def test_releases_from_a4_on_ship_their_prerequisites_complete_and_working(generated: Path, name: str) -> None:
    course = _course(generated)
    assignment = course.assignment(name)
    release = generated / name / "release"
    # Complete: the grader gives every prerequisite full marks inside the release.
    report = grade(release, course, only=list(assignment.prerequisites), seed=1, jobs=2)
    lost = [(c.component, c.note) for c in report.components if c.score < c.max_score]
    assert not lost, lost
    # ...and the assignment's own components are stubs.
    own = grade(release, course, assignment=name, seed=1, jobs=2)
    assert own.score == 0 and all("not implemented" in c.note for c in own.components)


def test_an_a7_release_trains_with_its_given_components(generated: Path) -> None:
    code = """
import numpy as np
from activations import ReLU
from layers import Linear
from losses import CrossEntropyLoss
from models import Sequential
from optimizers import Adam
from training import fit
rng = np.random.default_rng(0)
X = rng.normal(size=(64, 4)); y = (X[:, 0] > 0).astype(int)
model = Sequential(Linear(4, 8), ReLU(), Linear(8, 2))
losses = fit(model, CrossEntropyLoss(), Adam(model.parameters(), lr=0.05), X, y, epochs=30, batch_size=16,
             rng=np.random.default_rng(1))
print(losses[0] > 2 * losses[-1])
"""
    release = generated / "a7-cnn" / "release"
    result = subprocess.run([sys.executable, "-c", code], cwd=release, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "True", result.stderr[-2000:]


# ------------------------------------------------------------------------ no answers
def _solution_lines(given: set[str]) -> dict[str, set[str]]:
    """Per component: the non-trivial lines of its solution regions in reference/ (that appear nowhere
    outside a region, and in no region of a ``given`` component)."""
    from nnlab.exercises.components import CATALOGUE

    per_component: dict[str, set[str]] = {}
    outside: set[str] = set()
    for path in sorted((ROOT / "reference").glob("*.py")):
        source = path.read_text()
        owners = _enclosing_functions(source, path.name)
        region_owner = None
        for number, line in enumerate(source.splitlines(), start=1):
            marker = _MARKER.match(line)
            if marker:
                region_owner = owners[number] if marker["kind"] == "BEGIN" else None
                continue
            text = line.strip()
            if region_owner is None:
                outside.add(text)
                continue
            top = region_owner.split(".")[0]
            components = [f"{path.stem}.{top}"]
            if components[0] not in CATALOGUE:  # a shared base (_BatchNorm): charge it to its users
                components = [c for c in CATALOGUE if c.startswith(f"{path.stem}.{top.lstrip('_')}")]
            for component in components:
                per_component.setdefault(component, set()).add(text)
    trivial = {line for lines in per_component.values() for line in lines if len(line) < 16 or line.startswith("#")}
    given_lines = {line for c in given for line in per_component.get(c, set())}
    return {c: lines - trivial - outside - given_lines for c, lines in per_component.items() if c not in given}


def _text_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.suffix not in (".npz", ".whl", ".zip", ".png")]


def test_no_release_holds_a_line_of_solution_code(generated: Path) -> None:
    course = _course(generated)
    for assignment in course.assignments:
        secret_lines = _solution_lines(set(assignment.prerequisites))
        for release in sorted((generated / assignment.name).glob("release*")):
            for path in _text_files(release):
                lines = {line.strip() for line in path.read_text(encoding="utf-8", errors="replace").splitlines()}
                for component, solution in secret_lines.items():
                    leaked = solution & lines
                    assert not leaked, (
                        f"{path.relative_to(generated)} holds {component}'s solution: {sorted(leaked)[:3]}"
                    )
            for path in release.rglob("*.npz"):
                with np.load(path, allow_pickle=False) as data:  # arrays only: no pickled code
                    assert all(isinstance(data[k], np.ndarray) for k in data.files)


def test_the_solution_regions_of_the_reference_are_found(generated: Path) -> None:
    """The leak test above is not vacuous: it knows lines of every graded component."""
    lines = _solution_lines(set())
    course = _course(generated)
    missing = [c.name for a in course.assignments for c in a.components if not lines.get(c.name)]
    assert missing == ["activations.Identity"], missing  # `return x` and the like are too short to tell
    stub = (generated / "a7-cnn" / "release" / "layers.py").read_text()
    ast.parse(stub)
    assert 'raise NotImplementedError("Conv2d.forward: your code here")' in stub


# ------------------------------------------------------------------------ hidden seed
def _secrets(assignment: str) -> set[str]:
    secret = assignment_secret(SECRET, assignment)
    seeds = {grading_seed(secret, v) for v in (None, 1, 2)}
    return {str(SECRET), str(secret), *map(str, seeds)}


def test_no_release_or_classroom_file_holds_the_secret(generated: Path) -> None:
    course = _course(generated)
    for assignment in course.assignments:
        hidden = _secrets(assignment.name)
        folder = generated / assignment.name
        for top in [*folder.glob("release*"), folder / "classroom"]:
            for path in top.rglob("*"):
                if path.is_file():
                    data = path.read_bytes()
                    assert not [s for s in hidden if s.encode() in data], path
    config = (generated / "a1-perceptron" / "autograder" / "nnlab-autograder.toml").read_text()
    assert str(assignment_secret(SECRET, "a1-perceptron")) in config and str(SECRET) not in config
    assert f"secret = {SECRET}" in (generated / ".nnlab-secret.toml").read_text()


def test_the_release_notebook_holds_no_seed_and_no_solution(tmp_path: Path) -> None:
    pytest.importorskip("jupytext")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["generate", "a1-perceptron", "--out", str(out), "--seed", str(SECRET)])
    assert result.exit_code == 0, result.output
    hidden = _secrets("a1-perceptron") | {str(grading_seed(assignment_secret(SECRET, "nbgrader")))}
    release = out / "a1-perceptron" / "release"
    notebooks = list(release.glob("*.ipynb"))
    assert notebooks, "the release has no notebook"
    for path in release.rglob("*"):
        if path.is_file():
            assert not [s for s in hidden if s.encode() in path.read_bytes()], path
    text = notebooks[0].read_text()
    assert not re.search(r"BEGIN (SOLUTION|HIDDEN TESTS)", text)


# --------------------------------------------------------------------------- variants
def test_variants_are_numbered_releases_recorded_for_the_instructor(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["generate", "a2-neurons", "--out", str(out), "--variants", "3"])
    assert result.exit_code == 0, result.output
    folder = out / "a2-neurons"
    assert sorted(p.name for p in folder.glob("release*")) == ["release", "release-01", "release-02", "release-03"]
    assert (folder / "variants.csv").read_text().splitlines()[1:] == [",1,release-01", ",2,release-02", ",3,release-03"]


def test_a_roster_csv_gives_each_student_a_variant_the_autograder_knows(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("name,email\nAda,ada@example.edu\nAlan,alan@example.edu\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["generate", "a1-perceptron", "--out", str(out), "--student", str(roster)])
    assert result.exit_code == 0, result.output
    config = (out / "a1-perceptron" / "autograder" / "nnlab-autograder.toml").read_text()
    assert '"ada@example.edu" = 1' in config and '"alan@example.edu" = 2' in config
    assert (out / "a1-perceptron" / "release-ada@example.edu" / "README.md").is_file()
    assert '[variants."a1-perceptron"]' in (out / ".nnlab-secret.toml").read_text()


@pytest.mark.parametrize(
    "args, message",
    [
        pytest.param(["--variants", "2", "--student", "ada"], "--variants and --student", id="both"),
        pytest.param(["--student", "a b"], "expected a student id", id="bad id"),
        pytest.param(["--student", "ada", "--student", "ada"], "given twice", id="twice"),
        pytest.param(["a9-nothing"], "no assignment 'a9-nothing'", id="unknown assignment"),
    ],
)
def test_bad_generate_options_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["generate", *args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
    assert not (tmp_path / "out").exists()
