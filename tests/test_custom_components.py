"""Can an instructor's course folder hold components of its own, graded and handed out like nnlab's?

The example course examples/huber-course adds ``robust.HuberLoss`` (components/robust.py and its
entry components/robust.toml) beside nnlab's ``losses.MSELoss``. Established here:

* the course loads, with a catalogue of nnlab's components and its own (nnlab's is untouched);
* the HuberLoss reference is PyTorch's ``HuberLoss`` (the oracle);
* the reference scores full marks, each of the example's mutants loses points on HuberLoss only,
  and the correct alternative scores full marks;
* ``nnlab generate --course`` writes a release whose HuberLoss is a stub and whose checker (plain
  pytest, no nnlab) fails on it and passes on the solution, a solution with full marks, and a
  Gradescope autograder that grades the course's own component;
* a malformed entry is a one-line error naming the file, the key and what was expected;
* the built-in course is what it was (no components of its own, the same modules and files).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from evidence import failures, lost_points, tags_of
from nnlab.exercises.components import CATALOGUE
from nnlab.exercises.course import CourseError
from nnlab.graders.courses import load_course  # checked against the graders too, as the commands do
from nnlab.graders.mutants import Mutant, reference_folder
from nnlab.graders.runner import dependency_notes, grade
from nnlab.graders.running.loader import API_MODULES

from nnlab.autograder import course_files, grade_submission
from nnlab.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "huber-course"
COURSE = EXAMPLE / "course.toml"
HUBER = "robust.HuberLoss"
ASSIGNMENT = "a1-robust-regression"
SECRET = 987_654_321


def _mutants() -> list[Mutant]:
    """The example's mutants (examples/huber-course/mutants/robust.py), read as an instructor would."""
    spec = importlib.util.spec_from_file_location("huber_course_mutants", EXAMPLE / "mutants" / "robust.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.MUTANTS)


MUTANTS = _mutants()


def _submission(target: Path, robust: str) -> Path:
    """A submission: nnlab's reference losses.py and ``robust`` as robust.py (no base.py: nnlab's is used)."""
    target.mkdir(parents=True)
    shutil.copy(reference_folder() / "losses.py", target / "losses.py")
    (target / "robust.py").write_text(robust, encoding="utf-8")
    return target


def _reference_text() -> str:
    return (EXAMPLE / "components" / "robust.py").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- the course
def test_the_example_course_loads_with_a_catalogue_of_its_own() -> None:
    course = load_course(COURSE)
    huber = course.component(HUBER)
    assert (huber.kind, huber.target, huber.signature) == ("loss", "same", (("delta", 1.0),))
    assert len(huber.cases) >= 4 and any(case.kwargs for case in huber.cases)
    assert course.modules == (*API_MODULES, "robust")
    assert set(course.catalogue) == set(CATALOGUE) | {HUBER}
    assert HUBER not in CATALOGUE, "nnlab's own catalogue must not change"
    assert course.assignment_of(HUBER).name == ASSIGNMENT


@pytest.mark.torch
@pytest.mark.parametrize("delta", [1.0, 0.5, 3.0])
def test_huber_reference_agrees_with_torch(delta: float, rng: np.random.Generator) -> None:
    import torch

    course = load_course(COURSE)
    with course.references():
        from nnlab.reference.robust import HuberLoss  # the course's, importable while graded

        ours = HuberLoss(delta)
        x, t = 2.0 * rng.standard_normal((7, 4)), rng.standard_normal((7, 4))
        value, grad = ours.forward(x, t), ours.backward()
    xt = torch.tensor(x, requires_grad=True)
    expected = torch.nn.HuberLoss(delta=delta)(xt, torch.tensor(t))  # reduction="mean" is the default
    expected.backward()
    assert np.isclose(value, expected.item(), rtol=1e-12, atol=0)
    np.testing.assert_allclose(grad, xt.grad.numpy(), rtol=1e-12, atol=1e-15)
    assert "nnlab.reference.robust" not in sys.modules, "the course's reference outlives its block"


# ----------------------------------------------------------------------------- grading
@pytest.mark.parametrize("seed", [0, 7])
def test_the_reference_scores_full_marks(seed: int, tmp_path: Path) -> None:
    report = grade(_submission(tmp_path / "ref", _reference_text()), load_course(COURSE), isolate=False, seed=seed)
    assert {c.component for c in report.components} == {"losses.MSELoss", HUBER}
    assert report.score == report.max_score > 0, failures(report)


def test_a_submission_of_only_the_course_module_is_graded_in_a_child_process(tmp_path: Path) -> None:
    """The real path (a worker per component); the folder holds robust.py and nothing of nnlab's."""
    folder = tmp_path / "only"
    folder.mkdir()
    (folder / "robust.py").write_text(_reference_text(), encoding="utf-8")
    report = grade(folder, load_course(COURSE), only=[HUBER], seed=3)
    assert report.score == report.max_score > 0, failures(report)


def test_the_example_has_three_mutants_of_its_component() -> None:
    assert len(MUTANTS) >= 3 and len({m.id for m in MUTANTS}) == len(MUTANTS)
    assert {m.component for m in MUTANTS} == {HUBER}


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.id for m in MUTANTS])
def test_each_mutant_loses_points_on_huberloss_only(mutant: Mutant, tmp_path: Path) -> None:
    text = _reference_text()
    assert text.count(mutant.old) == 1, f"{mutant.id}: its text must occur once in components/robust.py"
    folder = _submission(tmp_path / mutant.id, text.replace(mutant.old, mutant.new))
    report = grade(folder, load_course(COURSE), isolate=False, seed=0)
    assert set(lost_points(report)) == {HUBER}, failures(report)
    if mutant.expect:  # what a generic check names (gradcheck, a factor of the batch size)
        assert tags_of(report, HUBER) & set(mutant.expect), (mutant.expect, tags_of(report, HUBER))


def test_a_course_components_builds_on_says_where_to_start(tmp_path: Path) -> None:
    """The dependency note reads the graded course's entries: a course's own component that builds on
    nnlab's MSELoss points at a failing MSELoss, which nnlab's own table knows nothing of."""
    course = load_course(COURSE)
    huber = replace(course.component(HUBER), builds_on=("losses.MSELoss", "reuses MSELoss's squared error"))
    (module,) = course.custom
    course = replace(course, custom=(replace(module, components=(huber,)),))
    folder = _submission(tmp_path / "both", _reference_text().replace(MUTANTS[0].old, MUTANTS[0].new))
    losses = (folder / "losses.py").read_text(encoding="utf-8")
    wrong = "        loss = np.mean(self._diff**2)\n"
    assert losses.count(wrong) == 1
    (folder / "losses.py").write_text(losses.replace(wrong, "        loss = np.sum(self._diff**2)\n"), "utf-8")
    report = grade(folder, course, isolate=False, seed=0)
    assert set(lost_points(report)) == {HUBER, "losses.MSELoss"}, failures(report)
    (note,) = report.notes
    assert note.startswith(f"{HUBER} lost points") and "Fix losses.MSELoss first" in note
    assert dependency_notes(report.components) == []  # nnlab's own entries: HuberLoss builds on nothing


@pytest.mark.parametrize("seed", [0, 11])
def test_the_alternative_scores_full_marks(seed: int, tmp_path: Path) -> None:
    alternative = (EXAMPLE / "alternatives" / "clipped" / "robust.py").read_text(encoding="utf-8")
    report = grade(_submission(tmp_path / "alt", alternative), load_course(COURSE), isolate=False, seed=seed)
    assert report.score == report.max_score > 0, failures(report)


def test_student_code_cannot_read_the_course_reference(tmp_path: Path) -> None:
    """The course's reference is hidden from the worker like nnlab's (where the sandbox can hide files)."""
    reference = EXAMPLE / "components" / "robust.py"
    folder = tmp_path / "copycat"
    folder.mkdir()
    (folder / "robust.py").write_text(
        f"import pathlib\nexec(pathlib.Path({str(reference)!r}).read_text().replace('from .base', 'from base'))\n",
        encoding="utf-8",
    )
    report = grade(folder, load_course(COURSE), only=[HUBER], seed=0)
    if not any("hidden" in p for p in report.protections):
        pytest.skip("the sandbox cannot hide files here (it needs root and mount namespaces)")
    assert report.score == 0, "the worker read the course's reference solution"


def test_a_batch_grades_the_course_module_in_folders_and_zips(tmp_path: Path) -> None:
    """--batch (grading processes get the course by pickling) finds robust.py alone, in a folder or a zip."""
    from nnlab.graders.batch import grade_batch

    students = tmp_path / "students"
    (students / "ada").mkdir(parents=True)
    (students / "ada" / "robust.py").write_text(_reference_text(), encoding="utf-8")
    mutant = MUTANTS[0]
    with zipfile.ZipFile(students / "bob.zip", "w") as archive:
        archive.writestr("work/robust.py", _reference_text().replace(mutant.old, mutant.new))
    results = grade_batch(students, load_course(COURSE), tmp_path / "reports", jobs=2, assignment=ASSIGNMENT)
    scores = {
        r.student: {t["name"].split(":")[0] for t in r.report["tests"] if t["score"] < t["max_score"]} for r in results
    }
    assert scores == {"ada": {"losses.MSELoss"}, "bob": {"losses.MSELoss", HUBER}}, scores


def test_nnlab_check_makes_fixtures_for_the_course_module(tmp_path: Path) -> None:
    """Without a release's fixtures, nnlab check makes them from the course's reference."""
    (tmp_path / "robust.py").write_text(_reference_text().replace(MUTANTS[0].old, MUTANTS[0].new), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--course", str(COURSE), "--format", "json"])
    checks = json.loads(result.output)["results"]
    assert {c["component"] for c in checks} == {HUBER}, result.output
    assert any(c["status"] == "failed" for c in checks) and any(c["status"] == "passed" for c in checks)


KINDS_COURSE = {
    "course.toml": '[course]\nassignments = ["a1"]\n[defaults.points]\napi = 1\nreference = 4\ngradcheck = 2\n'
    "contracts = 1\n",
    "a1/assignment.toml": 'name = "a1"\n[[components]]\nname = "extra.Softsign"\n[[components]]\nname = "extra.Bias"\n',
    "components/extra.toml": """
[Softsign]
kind = "activation"
properties = ["monotone", "bounded", "backward-linear"]
cases = [{ id = "batch", input_shape = [4, 5] }, { id = "large inputs", input_shape = [3, 6], scale = 6.0 }]

[Bias]
kind = "layer"
params = ["bias"]
cases = [
    { id = "4 features", kwargs = { num_features = 4 }, input_shape = [5, 4] },
    { id = "batch of 2", kwargs = { num_features = 3 }, input_shape = [2, 3] },
]
""",
    "components/extra.py": """
import numpy as np

from .base import Module, Parameter, as_float_array


class Softsign(Module):
    def forward(self, x):
        x = as_float_array(x)
        ### BEGIN SOLUTION
        self._x = x
        return x / (1 + np.abs(x))
        ### END SOLUTION

    def backward(self, grad_y):
        ### BEGIN SOLUTION
        return grad_y / (1 + np.abs(self._x)) ** 2
        ### END SOLUTION


class Bias(Module):
    def __init__(self, num_features):
        super().__init__()
        self.bias = Parameter(np.zeros(num_features))

    def forward(self, x):
        ### BEGIN SOLUTION
        return as_float_array(x) + self.bias.data
        ### END SOLUTION

    def backward(self, grad_y):
        ### BEGIN SOLUTION
        self.bias.grad += grad_y.sum(axis=0)
        return np.array(grad_y, dtype=np.float64)
        ### END SOLUTION
""",
}


def test_an_activation_and_a_layer_of_a_course_are_graded_and_get_fixtures(tmp_path: Path) -> None:
    """The other kinds with generic checks: a course's own activation and layer with a parameter."""
    from nnlab.fixtures import write_fixtures

    for relative, text in KINDS_COURSE.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    course = load_course(tmp_path / "course.toml")
    assert course.component("extra.Bias").signature[0][0] == "num_features"
    submission = tmp_path / "submission"
    submission.mkdir()
    shutil.copy(tmp_path / "components" / "extra.py", submission / "extra.py")
    report = grade(submission, course, isolate=False, seed=0)
    assert report.score == report.max_score > 0, failures(report)
    with course.references():
        written = write_fixtures(tmp_path / "fixtures", ["extra.Softsign", "extra.Bias"], catalogue=course.catalogue)
    manifest = json.loads(written[-1].read_text())
    assert manifest["components"]["extra.Softsign"]["properties"] == ["monotone", "bounded", "backward-linear"]


# ----------------------------------------------------------------------------- generate
@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("huber")
    wheel = base / "nnlab-0.1.0-py3-none-any.whl"  # not installed here: any file stands for it
    wheel.write_bytes(b"stand-in")
    out = base / "out"
    args = ["generate", "--course", str(COURSE), "--out", str(out), "--seed", str(SECRET), "--wheel", str(wheel)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "classroom/: not written" in result.output  # the note says why
    return out / ASSIGNMENT


def _solution_lines() -> set[str]:
    lines, inside = set(), False
    for line in _reference_text().splitlines():
        if line.strip() in ("### BEGIN SOLUTION", "### END SOLUTION"):
            inside = line.strip() == "### BEGIN SOLUTION"
        elif inside and line.strip():
            lines.add(line.strip())
    return lines


def test_generate_writes_the_release_solution_and_autograder_but_no_classroom(generated: Path) -> None:
    assert (generated / "release" / "robust.py").is_file() and (generated / "solution" / "robust.py").is_file()
    assert (generated / "release" / "fixtures" / f"{HUBER}.npz").is_file()
    assert not (generated / "classroom").exists()
    course = generated / "autograder" / "course"
    assert (course / "components" / "robust.py").is_file() and (course / "components" / "robust.toml").is_file()


def test_the_release_stub_holds_no_solution(generated: Path) -> None:
    stub = (generated / "release" / "robust.py").read_text(encoding="utf-8")
    assert "NotImplementedError" in stub and "SOLUTION" not in stub
    assert "from base import" in stub  # flat imports, as every release module
    secret = _solution_lines()
    assert secret, "the leak check knows no solution line"
    for path in (generated / "release").rglob("*"):
        if path.is_file() and path.suffix in (".py", ".md", ".json", ".toml", ".ini"):
            held = secret & {line.strip() for line in path.read_text(encoding="utf-8").splitlines()}
            assert not held, f"{path.name} holds HuberLoss's solution: {sorted(held)[:2]}"


def _pytest(folder: Path) -> subprocess.CompletedProcess:
    """The release checker as a student runs it: plain pytest in the folder (checker/ imports no nnlab)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NNLAB", "PYTEST"))}
    command = [sys.executable, "-m", "pytest", "-k", "HuberLoss"]
    return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=120)


def test_the_release_checker_fails_on_the_stub_and_passes_on_the_solution(generated: Path, tmp_path: Path) -> None:
    release = shutil.copytree(generated / "release", tmp_path / "release")
    stub = _pytest(release)
    assert stub.returncode == 1 and "robust.HuberLoss: not implemented" in stub.stdout, stub.stdout + stub.stderr
    shutil.copy(generated / "solution" / "robust.py", release / "robust.py")
    solved = _pytest(release)
    assert solved.returncode == 0, solved.stdout + solved.stderr
    assert " passed" in solved.stdout and "failed" not in solved.stdout


def test_the_solution_scores_full_marks_in_the_gradescope_autograder(generated: Path, tmp_path: Path) -> None:
    """The autograder's copy of the course (its own components included) grades as nnlab grade does."""
    root = tmp_path / "autograder"
    shutil.copytree(generated / "autograder", root / "source")
    shutil.copytree(generated / "solution", root / "submission")
    results = grade_submission(root)
    assert results["score"] == results["max_score"] > 0, json.dumps(results["tests"], indent=1)[:2000]
    assert any(HUBER in test["name"] for test in results["tests"])


def test_an_ungradable_upload_scores_zero_on_the_course_component_too(generated: Path, tmp_path: Path) -> None:
    root = tmp_path / "autograder"
    shutil.copytree(generated / "autograder", root / "source")
    (root / "submission").mkdir()
    (root / "submission" / "notes.txt").write_text("no code")
    results = grade_submission(root)
    assert results["score"] == 0 < results["max_score"] and any(HUBER in t["name"] for t in results["tests"])


# ----------------------------------------------------------------------------- malformed entries
ENTRY = "components/robust.toml"
SOURCE = "components/robust.py"


def _edit(relative: str, old: str, new: str):  # noqa: ANN202
    def apply(course: Path) -> None:
        path = course / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (relative, old)
        path.write_text(text.replace(old, new), encoding="utf-8")

    return apply


def _rename(old: str, new: str):  # noqa: ANN202
    def apply(course: Path) -> None:
        for suffix in (".py", ".toml"):
            (course / "components" / f"{old}{suffix}").rename(course / "components" / f"{new}{suffix}")
        _edit(f"{ASSIGNMENT}/assignment.toml", f'"{old}.HuberLoss"', f'"{new}.HuberLoss"')(course)

    return apply


def _without_regions(course: Path) -> None:
    text = (course / SOURCE).read_text(encoding="utf-8")
    kept = [
        line
        for line in text.splitlines(keepends=True)
        if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")
    ]
    (course / SOURCE).write_text("".join(kept), encoding="utf-8")


MALFORMED = [
    pytest.param(_rename("robust", "losses"), "robust", "module name", "a name of its own", id="named like nnlab's"),
    pytest.param(_rename("robust", "random"), "random.py", "module name", "standard library", id="shadows stdlib"),
    pytest.param(lambda c: (c / ENTRY).unlink(), SOURCE, "file", "robust.toml beside it", id="entry missing"),
    pytest.param(_edit(ENTRY, 'kind = "loss"', 'kind = "lossy"'), ENTRY, "[HuberLoss].kind", "one of", id="kind"),
    pytest.param(_edit(ENTRY, 'target = "same"', "tagret = 1"), ENTRY, "[HuberLoss].tagret", "known key", id="typo"),
    pytest.param(_edit(ENTRY, "[HuberLoss]", "[Huber]"), ENTRY, "[Huber]", "a class defined in", id="no such class"),
    pytest.param(
        _edit(ENTRY, "kwargs = { delta = 0.5 }", "kwargs = { delt = 0.5 }"),
        ENTRY,
        "cases[3].kwargs.delt",
        "a constructor parameter, one of: delta",
        id="unknown argument",
    ),
    pytest.param(
        _edit(ENTRY, "input_shape = [6, 3]", "input_shape = [6, 0]"), ENTRY, "input_shape", "positive", id="shape"
    ),
    pytest.param(_edit(ENTRY, 'id = "vector"', 'id = "(N, D)"'), ENTRY, "cases", "unique ids", id="repeated case"),
    pytest.param(
        _edit(ENTRY, '"zero-at-target"', '"zero-at-targets"'), ENTRY, "properties", "nonnegative", id="property"
    ),
    pytest.param(_without_regions, SOURCE, "HuberLoss", "solution region", id="no solution region"),
    pytest.param(
        _edit(SOURCE, "    def __init__(self, delta: float = 1.0)", "    def __init__(self, delta: float = [1.0])"),
        SOURCE,
        "HuberLoss(delta=...)",
        "a number, string",
        id="default not plain",
    ),
    pytest.param(_edit(SOURCE, "import numpy as np", "import numpyy as np"), SOURCE, "import", "imports", id="import"),
    pytest.param(
        _edit("course.toml", "contracts = 1\n", "contracts = 1\nproperties = 1\n"),
        "assignment.toml",
        "components[1].points",
        "no properties check (the [defaults.points] give it some)",
        id="points without checks",
    ),
]


@pytest.mark.parametrize("break_it, file, key, expected", MALFORMED)
def test_a_malformed_custom_component_is_one_line_naming_file_key_and_expectation(
    break_it,
    file: str,
    key: str,
    expected: str,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    course = shutil.copytree(EXAMPLE, tmp_path / "course", ignore=shutil.ignore_patterns("mutants", "alternatives"))
    break_it(course)
    with pytest.raises(CourseError) as raised:
        load_course(course / "course.toml")
    message = str(raised.value)
    assert "\n" not in message, message
    assert file in message and key in message and expected in message, message


# ----------------------------------------------------------------------------- the built-in course
def test_the_builtin_course_is_unchanged_by_custom_components() -> None:
    course = load_course()
    assert course.custom == () and course.modules == API_MODULES and course.custom_sources == {}
    assert dict(course.catalogue) == CATALOGUE and course.private_files == []
    assert all(not name.startswith("components/") for name in course_files(course))
    with course.references():  # nothing to install: nnlab's reference as it is
        assert not [name for name in sys.modules if name.startswith("nnlab.reference.robust")]
