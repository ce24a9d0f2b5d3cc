"""Does nnlab install from a wheel (and an sdist) anywhere, with every module, template and data file?

The real tools: the wheel and the sdist are built from a copy of the source tree, the wheel is
installed with pip into a fresh virtual environment (not editable), and every command runs there
from a folder outside the repository. A subpackage or a data file left out of the wheel fails
one of these tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

# One worker runs this module, so the wheel is built and installed into a venv once, not once per worker.
pytestmark = pytest.mark.xdist_group("packaging")

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PACKAGE_DIRS = PYPROJECT["tool"]["setuptools"]["package-dir"]  # {"nnlab.graders": "graders", ...}
SKIP = {"__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis"}


def _source_files() -> dict[str, Path]:
    """Every file that belongs in the installed package: ``{path in the wheel: path in the tree}``."""
    files = {}
    for package, folder in PACKAGE_DIRS.items():
        base = ROOT / folder
        prefix = package.replace(".", "/")
        for path in base.rglob("*"):
            relative = path.relative_to(base)
            if path.is_dir() or SKIP & set(relative.parts) or path.suffix == ".pyc":
                continue
            # A folder that is itself a mapped package (nnlab -> nnlab/) is listed under its own name.
            if package == "nnlab" and relative.parts[0] in {p.split(".")[1] for p in PACKAGE_DIRS if "." in p}:
                continue
            files[f"{prefix}/{relative.as_posix()}"] = path
    return files


def test_every_package_folder_is_listed_in_pyproject() -> None:
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = set()
    for package, folder in PACKAGE_DIRS.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            if SKIP & set(init.parts):
                continue
            relative = init.parent.relative_to(ROOT / folder)
            found.add(".".join([package, *relative.parts]))
    found = {f for f in found if not any(f.startswith(o + ".") or f == o for o in ("nnlab.reference.tests",))}
    assert found <= listed, f"subpackages missing from pyproject's packages: {sorted(found - listed)}"


def _copy_tree(target: Path) -> Path:
    """The files git would check out (build artefacts and caches left behind)."""
    tracked = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True)
    if tracked.returncode != 0:  # not a git checkout: copy the tree
        shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(*SKIP, "build", "dist", "*.egg-info", ".git"))
        return target
    for name in tracked.stdout.splitlines():
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A wheel and an sdist built from a copy of the tree, and a wheel built from the sdist."""
    work = tmp_path_factory.mktemp("build")
    tree = _copy_tree(work / "tree")
    dist = work / "dist"

    def build(*args: str, source: Path) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "build", "--no-isolation", *args, "-o", str(dist), str(source)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]

    build("--wheel", "--sdist", source=tree)
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        archive.extractall(work / "unpacked", filter="data")
    (unpacked,) = (work / "unpacked").iterdir()
    from_sdist = work / "from-sdist"
    from_sdist.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--wheel", "-o", str(from_sdist), str(unpacked)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (wheel_from_sdist,) = from_sdist.glob("*.whl")
    return {"wheel": wheel, "sdist": sdist, "wheel_from_sdist": wheel_from_sdist}


@pytest.mark.parametrize("which", ["wheel", "wheel_from_sdist"])
def test_the_wheel_holds_every_module_template_and_data_file(built: dict[str, Path], which: str) -> None:
    with zipfile.ZipFile(built[which]) as archive:
        names = set(archive.namelist())
    missing = sorted(set(_source_files()) - names)
    assert not missing, f"{which} lacks {len(missing)} files, e.g. {missing[:8]}"


def _venv_python(folder: Path) -> Path:
    return folder / ("Scripts" if os.name == "nt" else "bin") / "python"


@pytest.fixture(scope="module")
def installed(built: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed by pip (not editable); its python."""
    folder = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    python = _venv_python(folder)
    result = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(built["wheel"])],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return python


def _run(python: Path, cwd: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    nnlab = python.parent / "nnlab"
    return subprocess.run([str(nnlab), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


@pytest.mark.slow
def test_the_installed_wheel_imports_from_the_venv_not_the_source_tree(installed: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            str(installed),
            "-c",
            "import nnlab.graders.judging.checks, nnlab.graders.mutants as m; print(m.reference_folder())",
        ],  # noqa: E501
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert str(installed.parents[1]) in result.stdout and str(ROOT) not in result.stdout


@pytest.mark.slow
def test_the_example_course_ships_where_the_instructor_guide_says(installed: Path, tmp_path: Path) -> None:
    """docs/instructor-guide.md: ``nnlab.examples()`` is the installed example courses' folder."""
    code = (
        "import nnlab; from nnlab.exercises.course import load_course; "
        "course = load_course(nnlab.examples() / 'huber-course' / 'course.toml'); "
        "print(nnlab.examples()); print(*course.custom_sources)"
    )
    result = subprocess.run([str(installed), "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    folder, modules = result.stdout.splitlines()
    assert folder.startswith(str(installed.parents[1])) and modules == "robust"


@pytest.mark.slow
def test_every_command_runs_from_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    demo = _run(installed, tmp_path, "demo")
    assert demo.returncode == 0 and "Total:" in demo.stdout, demo.stderr[-2000:]

    out = tmp_path / "course"
    generate = _run(installed, tmp_path, "generate", "a1-perceptron", "--out", str(out))
    assert generate.returncode == 0, generate.stderr[-2000:]
    assignment = out / "a1-perceptron"

    graded = _run(
        installed, tmp_path, "grade", str(assignment / "solution"), "--assignment", "a1-perceptron", "--format", "json"
    )
    assert graded.returncode == 0, graded.stderr[-2000:]
    results = json.loads(graded.stdout)
    assert results["score"] == results["max_score"] > 0

    check = _run(installed, assignment / "release", "check")
    assert check.returncode == 0, check.stderr[-2000:]
    assert "nnlab check" in check.stdout and "not implemented" in check.stdout
