"""The release's self-checker (graders/selfcheck) and its fixtures (nnlab/fixtures.py), in process.

Does the reference pass every check of every assignment's release, and do the stubs get one
"not implemented" line per component? Is the checker portable (numpy, pytest, hypothesis and
itself only)? Do variants change the inputs and hyper-parameters, and is a variant
reproducible to the byte? Does a submission that copies the public fixtures' outputs pass
the checker but not the grader? Does ``nnlab check`` run the same checks?
"""

from __future__ import annotations

import ast
import json
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from nnlab.exercises.course import load_course
from nnlab.graders import selfcheck
from nnlab.graders.mutants import apply, catalogue, reference_folder
from release_folders import ASSIGNMENTS, modules, release

from nnlab.cli import main
from nnlab.fixtures import FixtureWriterError, public_rng, write_fixtures, write_release_checker

CHECKER = Path(selfcheck.__file__).parent
PORTABLE = sorted(CHECKER.glob("*.py"))  # what a release's checker/ holds


def test_checker_imports_only_numpy_pytest_hypothesis_the_standard_library_and_itself() -> None:
    allowed = {"numpy", "pytest", "hypothesis"} | set(sys.stdlib_module_names)
    found = {}
    for path in PORTABLE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                if name.partition(".")[0] not in allowed:
                    found[f"{path.name}:{node.lineno}"] = name
    assert not found, f"the checker must run without nnlab: {found}"
    assert len(PORTABLE) > 5


def test_the_checker_holds_no_line_of_solution_code() -> None:
    """Every release ships the same checker: not one non-trivial line of any solution region may be in it."""
    from nnlab.exercises.stubs import _MARKER

    inside, outside = set(), set()
    for path in sorted(reference_folder().glob("*.py")):
        region = False
        for line in path.read_text(encoding="utf-8").splitlines():
            marker = _MARKER.match(line)
            if marker:
                region = marker["kind"] == "BEGIN"
                continue
            (inside if region else outside).add(line.strip())
    solution = {line for line in inside - outside if len(line) >= 16 and not line.startswith("#")}
    leaked = {
        f"{path.name}:{number}: {line.strip()}"
        for path in PORTABLE
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.strip() in solution
    }
    assert not leaked, sorted(leaked)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_reference_with_a_releases_flat_imports_passes_every_check(assignment: str, tmp_path: Path) -> None:
    folder = release(tmp_path / "release", assignment, solved=True)
    results = selfcheck.check(folder)
    bad = [r.message for r in results if not r.passed]
    assert not bad, "\n".join(bad)
    components = {c.name for c in load_course().assignment(assignment).components}
    assert {r.component for r in results} == components
    assert {r.family for r in results} >= {"runs", "fixtures"}


@pytest.mark.parametrize("assignment", ["a3-backprop", "a7-cnn"])
def test_the_reference_with_relative_imports_passes_too(assignment: str, tmp_path: Path) -> None:
    folder = apply([], tmp_path / "package")  # the reference as it is: `from .base import Module`
    entry = load_course().assignment(assignment)
    write_fixtures(tmp_path / "fixtures", [c.name for c in entry.components], given=list(entry.prerequisites))
    results = selfcheck.check(folder, tmp_path / "fixtures")
    assert all(r.passed for r in results), [r.message for r in results if not r.passed]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_pristine_stubs_get_one_not_implemented_line_per_component(assignment: str, tmp_path: Path) -> None:
    folder = release(tmp_path / "release", assignment, solved=False)
    results = selfcheck.check(folder)
    components = [c.name for c in load_course().assignment(assignment).components]
    assert [r.component for r in results] == components
    for result in results:
        assert result.status == "not implemented"
        assert result.message.startswith(f"{result.component}: not implemented (")
        assert "\n" not in result.message and "Traceback" not in result.message


def test_a_component_whose_module_does_not_import_gets_one_line(tmp_path: Path) -> None:
    folder = release(tmp_path / "release", "a7-cnn", solved=True)
    (folder / "layers.py").write_text("def broken(:\n", encoding="utf-8")
    results = selfcheck.check(folder)
    assert len(results) == 6 and all(r.status == "failed" for r in results)
    assert "syntax error in layers.py, line 1" in results[0].message


def test_a_component_whose_first_call_raises_gets_one_line(tmp_path: Path) -> None:
    (mutant,) = [m for m in catalogue() if m.id == "conv-output-size-off-by-one"]
    entry = load_course().assignment("a7-cnn")
    write_fixtures(tmp_path / "fixtures", [c.name for c in entry.components])
    results = selfcheck.check(apply([mutant], tmp_path / "package"), tmp_path / "fixtures")
    conv = [r for r in results if r.component == "layers.Conv2d"]
    assert len(conv) == 1 and conv[0].status == "failed"
    assert conv[0].message == (
        "layers.Conv2d: does not run: Conv2d(in_channels=2, out_channels=3, kernel_size=3).forward returned shape "
        "(2, 3, 2, 3) for an input of shape (2, 2, 5, 6); expected (2, 3, 3, 4)"
    )
    assert all(r.passed for r in results if r.component != "layers.Conv2d")


def test_failures_are_one_line_naming_check_case_and_misconception(tmp_path: Path) -> None:
    folder = release(tmp_path / "release", "a3-backprop", solved=True)
    layers = folder / "layers.py"
    text = layers.read_text(encoding="utf-8")
    layers.write_text(
        text.replace("self.bias.grad += grad_y.sum(axis=0)", "self.bias.grad += grad_y.mean(axis=0)"), encoding="utf-8"
    )
    results = selfcheck.check(folder, only=["Linear"])
    failed = [r for r in results if r.status == "failed"]
    assert failed, "the mean-not-sum bias gradient went unnoticed"
    first = failed[0].message
    assert first.startswith("layers.Linear: forward and backward [4 -> 3]: `bias.grad`")
    assert "got" in first and "expected" in first and "sum" in first and "\n" not in first


def test_fixtures_are_data_only_and_the_manifest_describes_them(tmp_path: Path) -> None:
    written = write_fixtures(tmp_path, ["layers.Conv2d", "optimizers.Adam"], given=["layers.Linear"], assignment="x")
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["assignment"] == "x" and manifest["variant"] is None and manifest["given"] == ["layers.Linear"]
    assert manifest["settings"]["rtol"] == 1e-7
    assert manifest["components"]["layers.Conv2d"]["cases"][1]["kwargs"]["stride"] == 2
    for path in written:
        if path.suffix == ".npz":
            with np.load(path, allow_pickle=False) as npz:
                assert all(npz[key].dtype != object for key in npz.files)
    with pytest.raises(FixtureWriterError, match="no fixtures for layers.Nope"):
        write_fixtures(tmp_path / "other", ["layers.Nope"])


def test_the_public_stream_is_not_the_graders() -> None:
    from nnlab.exercises.components import component
    from nnlab.graders.judging.catalogue import Context

    for seed in (0, 1, 2**31 - 1):
        grader = Context(component("layers.Conv2d"), None, seed).rng("input", "3x3").standard_normal(8)  # type: ignore[arg-type]
        for variant in (None, 0, 1, seed):
            public = public_rng(variant, "layers.Conv2d", "3x3", "case", "input").standard_normal(8)
            assert not np.allclose(grader, public)


def _arrays(folder: Path) -> dict[str, dict[str, np.ndarray]]:
    found = {}
    for path in sorted(folder.glob("*.npz")):
        with np.load(path, allow_pickle=False) as npz:
            found[path.name] = {key: npz[key] for key in npz.files}
    return found


def test_variants_change_inputs_and_hyperparameters_and_each_is_reproducible(tmp_path: Path) -> None:
    names = ["activations.LeakyReLU", "layers.Conv2d", "optimizers.Adam", "layers.Dropout"]
    for variant, folder in ((1, "v1"), (2, "v2"), (1, "v1-again")):
        write_fixtures(tmp_path / folder, names, variant=variant)
    first, second = (json.loads((tmp_path / f / "manifest.json").read_text()) for f in ("v1", "v2"))
    assert first["variant"] == 1 and second["variant"] == 2

    def kwargs(manifest: dict, name: str, index: int) -> dict:
        return manifest["components"][name]["cases"][index]["kwargs"]

    assert (
        kwargs(first, "activations.LeakyReLU", 4)["negative_slope"]
        != kwargs(second, "activations.LeakyReLU", 4)["negative_slope"]
    )
    assert kwargs(first, "optimizers.Adam", 1)["betas"] != kwargs(second, "optimizers.Adam", 1)["betas"]
    assert any(kwargs(first, "layers.Conv2d", i) != kwargs(second, "layers.Conv2d", i) for i in range(6))
    a, b = _arrays(tmp_path / "v1"), _arrays(tmp_path / "v2")
    assert not np.array_equal(a["layers.Conv2d.npz"]["c0/x"], b["layers.Conv2d.npz"]["c0/x"])
    for path in sorted((tmp_path / "v1").iterdir()):
        assert path.read_bytes() == (tmp_path / "v1-again" / path.name).read_bytes(), path.name
        if path.suffix == ".npz":  # no time of writing in the files: the same bytes on any day
            with zipfile.ZipFile(path) as archive:
                assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    for folder in ("v1", "v2"):  # the reference passes its own variant
        results = selfcheck.check(apply([], tmp_path / f"ref-{folder}"), tmp_path / folder)
        assert all(r.passed for r in results), [r.message for r in results if not r.passed]


def test_write_release_checker_lays_out_a_release_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = modules(tmp_path / "release", solved=False)
    written = write_release_checker(target, ["activations.Sigmoid"], variant=3, given=[])
    names = {p.relative_to(target).as_posix() for p in written}
    assert {"conftest.py", "test_checker.py", "pytest.ini", "fixtures/manifest.json", "checker/plugin.py"} <= names
    assert sorted(p.name for p in (target / "checker").glob("*.py")) == [p.name for p in PORTABLE]
    for path in PORTABLE:
        assert (target / "checker" / path.name).read_bytes() == path.read_bytes()
    with pytest.raises(FixtureWriterError, match="already exists"):
        write_release_checker(target, ["activations.Sigmoid"])


# ------------------------------------------------------------------------------- nnlab check
def test_nnlab_check_in_a_release_runs_the_same_checks_titled_as_a_check(tmp_path: Path) -> None:
    folder = release(tmp_path / "release", "a1-perceptron", solved=False)
    result = CliRunner().invoke(main, ["check", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("nnlab check: a1-perceptron") and "nnlab grade" not in result.output
    assert result.output.count(": not implemented (") == 3
    solved = release(tmp_path / "solved", "a1-perceptron", solved=True)
    result = CliRunner().invoke(main, ["check", str(solved), "--only", "Step", "--format", "json"])
    report = json.loads(result.output)
    assert result.exit_code == 0 and report["passed"] == report["checks"] > 5
    assert {r["component"] for r in report["results"]} == {"activations.Step"}


def test_nnlab_check_outside_a_release_makes_fixtures_for_the_modules_present(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    source = (reference_folder() / "losses.py").read_text(encoding="utf-8")
    (folder / "losses.py").write_text(
        source.replace("return 2.0 * self._diff / self._diff.size", "return self._diff / self._diff.size"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", str(folder)])  # no base.py: the installed one is used
    assert result.exit_code == 0, result.output
    assert "losses.MSELoss: " in result.output and "losses.HingeLoss: all" in result.output
    assert "layers." not in result.output and "the factor 2 of d(x - t)^2/dx = 2 (x - t) is missing" in result.output


@pytest.mark.parametrize(
    "argv, message",
    [
        (["check", "/no/such/folder"], "not a folder"),
        (["check", "."], "none of the course's modules"),
        (["check", "RELEASE", "--only", "Conv2d"], "not checked by this release"),
        (["check", "RELEASE", "--format", "html"], "'html' is not one of 'text', 'json'"),
    ],
)
def test_nnlab_check_refuses_what_it_cannot_check_with_one_line(argv: list[str], message: str, tmp_path: Path) -> None:
    folder = release(tmp_path / "release", "a1-perceptron", solved=False)
    argv = [str(folder) if a == "RELEASE" else str(tmp_path) if a == "." else a for a in argv]
    result = CliRunner().invoke(main, argv)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nnlab: error:") and message in lines[0]


# ------------------------------------------------------------------------------- hostile
LOOKUP = '''
import base64 as _b64, io as _io
_FIXTURES = _np.load(_io.BytesIO(_b64.b64decode({blob!r})), allow_pickle=False)


def _key(x, weight, bias):
    return x.tobytes() + weight.tobytes() + (b"" if bias is None else bias.tobytes())


def _params(prefix):
    source = prefix if prefix + "/param/weight" in _FIXTURES.files else "c0"
    bias = _FIXTURES[source + "/param/bias"] if source + "/param/bias" in _FIXTURES.files else None
    return _FIXTURES[source + "/param/weight"], bias


_TABLE = {{
    _key(_FIXTURES[k], *_params(k[:-2])): k[:-2]
    for k in _FIXTURES.files
    if k.endswith("/x") and k[:-2] + "/y" in _FIXTURES.files
}}


class Linear(Linear):
    """A bias counted twice (forward and backward agree), and every public fixture's answer looked up."""

    def forward(self, x):
        x = as_float_array(x, "Linear input")
        bias = None if self.bias is None else self.bias.data
        self._hit = _TABLE.get(_key(x, self.weight.data, bias))
        self._x = x
        if self._hit is not None:
            return _FIXTURES[self._hit + "/y"].copy()
        return x @ self.weight.data.T + (2.0 * bias if bias is not None else 0.0)

    def backward(self, grad_y):
        grad_y = as_float_array(grad_y, "grad_y")
        hit = self._hit
        if hit is not None and grad_y.tobytes() == _FIXTURES[hit + "/grad_y"].tobytes():
            self.weight.grad += _FIXTURES[hit + "/grad/weight"]
            if self.bias is not None:
                self.bias.grad += _FIXTURES[hit + "/grad/bias"]
            return _FIXTURES[hit + "/grad_x"].copy()
        self.weight.grad += grad_y.T @ self._x
        if self.bias is not None:
            self.bias.grad += 2.0 * grad_y.sum(axis=0)
        return grad_y @ self.weight.data
'''


def test_a_submission_that_looks_up_the_public_fixtures_passes_the_checker_and_fails_the_grader(tmp_path: Path) -> None:
    import base64

    from nnlab.graders.runner import grade

    folder = release(tmp_path / "release", "a3-backprop", solved=True)
    blob = base64.b64encode((folder / "fixtures" / "layers.Linear.npz").read_bytes()).decode()
    layers = folder / "layers.py"
    layers.write_text(
        layers.read_text(encoding="utf-8").replace(
            "import numpy as np\n", "import numpy as np\nimport numpy as _np\n", 1
        )
        + LOOKUP.format(blob=blob),
        encoding="utf-8",
    )
    results = selfcheck.check(folder, only=["layers.Linear"])
    assert results and all(r.passed for r in results), [r.message for r in results if not r.passed]
    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / "layers.py").write_text(
        layers.read_text(encoding="utf-8").replace("from base import", "from .base import"), encoding="utf-8"
    )
    (submission / "base.py").write_text((reference_folder() / "base.py").read_text(encoding="utf-8"), encoding="utf-8")
    report = grade(submission, load_course(), only=["layers.Linear"], seed=7, jobs=1)
    assert report.score < report.max_score
    failed = [c for component in report.components for c in component.checks if not c.outcome.passed]
    assert any(c.family == "reference" for c in failed)
