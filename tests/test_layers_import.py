"""Do the packages import in one direction only: nnlab (the commands) -> graders -> exercises, reference?

Every module is parsed, not imported, so an import inside a function (the late ones, kept off the
start-up path) counts as much as one at the top, and a relative import is resolved to the module it
names. ``templates/`` is data that every layer may read.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Folder -> installed package (pyproject.toml's package-dir).
PACKAGES = {
    "nnlab": "nnlab",
    "graders": "nnlab.graders",
    "exercises": "nnlab.exercises",
    "reference": "nnlab.reference",
    "templates": "nnlab.templates",
}
# What a layer may import of nnlab, besides the ``nnlab`` package itself and its version.
ROOT_NAMES = ("nnlab", "nnlab.__version__")
ALLOWED = {
    "reference": ("nnlab.reference",),
    "exercises": ("nnlab.exercises", "nnlab.reference", "nnlab.templates"),
    "graders": ("nnlab.graders", "nnlab.exercises", "nnlab.reference", "nnlab.templates"),
}


def _module_name(path: Path, root: Path) -> tuple[str, bool]:
    """``graders/reporting/html.py`` -> ``("nnlab.graders.reporting.html", False)``; True for a package."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    parts[0] = PACKAGES[parts[0]]
    package = parts[-1] == "__init__"
    return ".".join(parts[:-1] if package else parts), package


def imported(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """Every module ``path`` imports (``from m import a`` gives ``m`` and ``m.a``), anywhere in the file."""
    module, package = _module_name(path, root)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's package, one level up per further dot
                base = module.split(".") if package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            found += [(node.lineno, target), *((node.lineno, f"{target}.{a.name}") for a in node.names)]
    return found


def _violations(layer: str) -> list[str]:
    allowed = ALLOWED[layer]
    bad = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        for line, name in imported(path):
            if name.split(".")[0] != "nnlab" or name in ROOT_NAMES:
                continue
            if not any(name == a or name.startswith(a + ".") for a in allowed):
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return bad


@pytest.mark.parametrize("layer", list(ALLOWED))
def test_a_layer_imports_only_the_layers_below_it(layer: str) -> None:
    assert _violations(layer) == []


# Inside graders/, three layers under the runner (runner.py, batch.py, courses.py, demo.py): what
# each may import of nnlab.graders, besides results.py and settings.py, the records and settings
# every layer shares. ``selfcheck`` travels into releases alone, so it imports only itself.
GRADER_LAYERS = {
    "running": ("nnlab.graders.running",),
    "judging": ("nnlab.graders.judging", "nnlab.graders.running"),
    "reporting": ("nnlab.graders.reporting",),
    "selfcheck": ("nnlab.graders.selfcheck",),
}
SHARED = ("nnlab.graders.results", "nnlab.graders.settings")


@pytest.mark.parametrize("folder", list(GRADER_LAYERS))
def test_a_grader_layer_imports_only_the_layers_below_it(folder: str) -> None:
    """A file's folder says what it may import: running knows nothing of judging, judging writes no
    report, reporting reads results without reaching back into the checks."""
    allowed = (*GRADER_LAYERS[folder], *SHARED)
    bad = []
    for path in sorted((ROOT / "graders" / folder).rglob("*.py")):
        for line, name in imported(path):
            if name.startswith("nnlab.graders") and name != "nnlab.graders":
                if not any(name == a or name.startswith(a + ".") for a in allowed):
                    bad.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert bad == []


def test_the_shared_records_import_no_layer() -> None:
    for name in ("results.py", "settings.py"):
        assert [n for _, n in imported(ROOT / "graders" / name) if n.startswith("nnlab.graders.")] == []


CHECKS = "nnlab.graders.judging.checks"


def test_no_rubric_file_imports_another() -> None:
    """A rubric file (one that registers checks, each a row) imports the shared helpers (checks/support.py,
    the hypothesis runner in checks/drive.py), the inputs and the diagnosis, never another rubric file: what a
    row does is in its own file and the modules below it."""
    folder = ROOT / "graders" / "judging" / "checks"
    scans = {path.stem: imported(path) for path in folder.glob("*.py")}
    rubric = {
        stem for stem, names in scans.items() if any(n == "nnlab.graders.judging.catalogue.check" for _, n in names)
    }
    assert {"modules", "losses", "optimizers", "training"} <= rubric and "support" not in rubric
    bad = [
        f"checks/{stem}.py:{line} imports {name}"
        for stem in sorted(rubric)
        for line, name in scans[stem]
        if name.startswith(CHECKS + ".") and name.split(".")[4] in rubric - {stem}
    ]
    assert bad == []


def test_graders_import_no_command_level_module() -> None:
    """The graders' allowance is written positively; this names the commands it must never reach."""
    cli = ("nnlab.cli", "nnlab.bundle", "nnlab.notebooks", "nnlab.generate", "nnlab.autograder", "nnlab.classroom")
    names = {name for path in (ROOT / "graders").rglob("*.py") for _, name in imported(path)}
    assert not [n for n in names if any(n == c or n.startswith(c + ".") for c in cli)]


@pytest.mark.parametrize(
    "source, module, expected",
    [
        pytest.param("from nnlab.cli import main", "graders/x.py", "nnlab.cli.main", id="absolute"),
        pytest.param("def f():\n    import nnlab.bundle\n", "graders/x.py", "nnlab.bundle", id="in a function"),
        pytest.param("from ..notebooks import x", "nnlab/graders_like/y.py", "nnlab.notebooks.x", id="two dots"),
        pytest.param("from . import cli", "nnlab/y.py", "nnlab.cli", id="one dot"),
        pytest.param("from .insight import render", "graders/__init__.py", "nnlab.graders.insight", id="package"),
    ],
)
def test_the_scan_resolves_every_form_of_import(source: str, module: str, expected: str, tmp_path: Path) -> None:
    """Is an import found whether absolute, relative or inside a function (the scan must not miss one)?"""
    path = tmp_path / module
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")
    assert expected in [name for _, name in imported(path, tmp_path)]
