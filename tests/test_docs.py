"""docs/api.md, the project's own student API, agrees with the reference and is what users are pointed to.

Every component of the grader catalogue must appear in the section of its module with the
constructor (or function) signature the reference defines, read with ``inspect.signature``, so
a changed default or a renamed parameter fails here until the page is updated. And no
user-facing file refers to a specification outside the repository.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import pytest
from nnlab.exercises.components import CATALOGUE

ROOT = Path(__file__).resolve().parents[1]
API_DOC = ROOT / "docs" / "api.md"
# What users read: the package's folders (code, messages, templates, course files) and the README.
USER_FACING = ("README.md", "pyproject.toml", "docs", "graders", "nnlab", "exercises", "reference", "templates")
SUFFIXES = (".py", ".j2", ".md", ".toml", ".txt", ".yml", ".yaml", ".sh", ".json", ".html", ".ipynb")

# Documented beyond the catalogue: support code students use, and what will be graded next.
DOCUMENTED_TOO = (
    "base.Parameter",
    "base.Optimizer",
    "base.as_float_array",
    "base.check_ndim",
    "base.check_feature_size",
    "base.pair",
    "base.manual_seed",
    "base.default_generator",
    "training.accuracy",
    "init.calculate_gain",
    "init.fan_in_and_fan_out",
    "init.xavier_uniform",
    "init.xavier_normal",
    "init.kaiming_uniform",
    "init.kaiming_normal",
    "early_stopping.fit_early_stopping",
    "early_stopping.evaluate_loss",
    "early_stopping.copy_state",
    "early_stopping.load_state",
    "datasets.logic_gate",
    "datasets.blobs",
    "datasets.moons",
    "datasets.spirals",
    "datasets.load_digits",
    "builders.build_mlp",
    "builders.build_cnn",
    "builders.conv_output_size",
    "builders.reset_parameters",
)

Signature = list[tuple[str, str, Any]]  # (name, kind, default); kind as inspect names it
NO_DEFAULT = "<required>"


def _sections(text: str) -> dict[str, str]:
    """The ``## `module` `` sections of the page, by module name."""
    sections: dict[str, str] = {}
    for part in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        heading, _, body = part.partition("\n")
        match = re.match(r"`(\w+)`", heading.strip())
        if match:
            sections[match.group(1)] = body
    return sections


def _documented(section: str, name: str) -> list[Signature]:
    """Every inline code span ``name(...)`` of ``section`` that reads as a signature."""
    found = []
    for span in re.findall(r"`([^`\n]+)`", section):
        if not span.startswith(f"{name}(") or not span.endswith(")"):
            continue
        try:
            found.append(_from_ast(ast.parse(f"def {span}: pass").body[0].args))  # type: ignore[attr-defined]
        except (SyntaxError, ValueError):
            continue  # an example call such as Linear(2, 3) or kaiming_uniform(a=sqrt(5))
    return found


def _from_ast(args: ast.arguments) -> Signature:
    positional = args.args
    defaults = [NO_DEFAULT] * (len(positional) - len(args.defaults)) + [ast.literal_eval(d) for d in args.defaults]
    signature: Signature = [(a.arg, "POSITIONAL_OR_KEYWORD", d) for a, d in zip(positional, defaults, strict=True)]
    if args.vararg:
        signature.append((args.vararg.arg, "VAR_POSITIONAL", NO_DEFAULT))
    for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        signature.append((a.arg, "KEYWORD_ONLY", NO_DEFAULT if d is None else ast.literal_eval(d)))
    if args.kwarg:
        signature.append((args.kwarg.arg, "VAR_KEYWORD", NO_DEFAULT))
    return signature


def _from_reference(component: str) -> Signature:
    module, name = component.split(".")
    obj = getattr(importlib.import_module(f"nnlab.reference.{module}"), name)
    return [
        (p.name, p.kind.name, NO_DEFAULT if p.default is p.empty else p.default)
        for p in inspect.signature(obj).parameters.values()
    ]


def _render(signature: Signature) -> str:
    parts = []
    for name, kind, default in signature:
        if kind == "KEYWORD_ONLY" and not any(p.startswith("*") for p in parts):
            parts.append("*")
        prefix = {"VAR_POSITIONAL": "*", "VAR_KEYWORD": "**"}.get(kind, "")
        parts.append(f"{prefix}{name}" if default == NO_DEFAULT else f"{name}={default!r}")
    return ", ".join(parts)


def _same(a: Signature, b: Signature) -> bool:
    """Same names, kinds and defaults; ``1e-05 == 1e-5`` and a tuple default compares by value."""
    return len(a) == len(b) and all(
        x[:2] == y[:2] and type(x[2]) is type(y[2]) and x[2] == y[2] for x, y in zip(a, b, strict=True)
    )


COMPONENTS = list(dict.fromkeys([*CATALOGUE, *DOCUMENTED_TOO]))


@pytest.mark.parametrize("component", COMPONENTS, ids=COMPONENTS)
def test_api_doc_gives_every_catalogue_component_the_reference_signature(component: str) -> None:
    """Every graded component (and the support code students use) with the reference's signature."""
    module, name = component.split(".")
    sections = _sections(API_DOC.read_text(encoding="utf-8"))
    assert module in sections, f"docs/api.md has no section '## `{module}`' for {component}"
    expected = _from_reference(component)
    documented = _documented(sections[module], name)
    wanted = f"`{name}({_render(expected)})`"
    assert documented, f"docs/api.md's `{module}` section does not give {name}'s signature; expected {wanted}"
    assert any(_same(d, expected) for d in documented), (
        f"docs/api.md gives {name}({', '.join(_render(d) for d in documented)}), but the reference defines {wanted}"
    )
    stale = [d for d in documented if {p[0] for p in d} == {p[0] for p in expected} and not _same(d, expected)]
    assert not stale, f"docs/api.md also gives a stale {name}({_render(stale[0])}); the reference is {wanted}"


def test_api_doc_signature_reader_notices_a_changed_default() -> None:
    """The check above is not vacuous: a page with another default fails it."""
    page = "## `layers`\n\n| `Linear(in_features, out_features, bias=False)` |\n"
    documented = _documented(_sections(page)["layers"], "Linear")
    assert documented and not any(_same(d, _from_reference("layers.Linear")) for d in documented)


def _user_facing_files() -> list[Path]:
    files = []
    for entry in USER_FACING:
        path = ROOT / entry
        candidates = [path] if path.is_file() else sorted(path.rglob("*")) if path.is_dir() else []
        files += [f for f in candidates if f.is_file() and f.suffix in SUFFIXES and "__pycache__" not in f.parts]
    return files


def test_no_user_facing_file_points_at_an_api_spec_outside_the_repository() -> None:
    files = _user_facing_files()
    assert API_DOC in files and len(files) > 50, "the scan found too few files to mean anything"
    offenders = []
    for path in files:
        relative = path.relative_to(ROOT)
        inside_docs = relative.parts[0] == "docs"
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            # shared/API.md lives outside the repository; a bare "API.md" (case-sensitive, so
            # docs/api.md itself is fine) can only mean that file, except inside docs/.
            if "shared/API.md" in line or (not inside_docs and "API.md" in line):
                offenders.append(f"{relative}:{number}: {line.strip()[:100]}")
    assert not offenders, "point at docs/api.md instead:\n" + "\n".join(offenders)


def test_readme_points_at_the_api_doc() -> None:
    assert "docs/api.md" in (ROOT / "README.md").read_text(encoding="utf-8")
