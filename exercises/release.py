"""The reference modules as notebook cells and as the flat modules a notebook's folder holds.

A notebook runs in a folder of plain modules (``base.py``, ``layers.py``, ...) imported flat
(``from base import Module``), so every relative import of the reference (``from .base import
...``) is rewritten here. A reference module splits into:

* its *parts*: one per top-level class or function that holds solution regions (what a
  student writes in a solution cell), and the *given* code around them (imports, constants,
  helpers without regions), which a locked cell of the notebook holds;
* its *release* form: the stub of every region, except the components an assignment ships
  complete (its prerequisites).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .course import Assignment
from .stubs import BEGIN, count_regions, make_stub

_MARKER_LINE = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION\s*$")
_RELATIVE = re.compile(r"^(?P<indent>[ \t]*)from \.(?P<module>\w*) import (?P<names>.+)$", re.MULTILINE)


class NotebookSourceError(ValueError):
    """A notebook source (or the reference it draws on) cannot be turned into a notebook."""


def flat_imports(source: str) -> str:
    """``from .base import X`` -> ``from base import X``; ``from . import a, b`` -> ``import a, b``."""

    def replace(match: re.Match) -> str:
        if match["module"]:
            return f"{match['indent']}from {match['module']} import {match['names']}"
        return f"{match['indent']}import {match['names']}"

    return _RELATIVE.sub(replace, source)


Sources = Mapping[str, Path]  # a course's own reference modules, {module: file} (Course.custom_sources)


def reference_folder() -> Path:
    """nnlab's reference modules: ``reference/`` beside ``exercises/``, in the source tree as in the
    installed package (where both are folders of ``nnlab/``)."""
    return Path(__file__).resolve().parents[1] / "reference"


def reference_source(module: str, sources: Sources | None = None) -> str:
    """The reference module ``module``: nnlab's, or one of ``sources``."""
    path = (sources or {}).get(module) or reference_folder() / f"{module}.py"
    if not path.is_file():
        raise NotebookSourceError(f"no reference module {module}.py")
    return path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class ModuleParts:
    """One reference module cut into notebook cells (flat imports).

    Attributes:
        given: the code outside every part (imports, constants, helpers), in source order.
        parts: top-level name -> its source (decorators included), for every top-level class or
            function with a solution region, and for every component of the course catalogue.
        owner: a helper with regions that no component is named after (``_BatchNorm``) -> the
            first part that uses it; it travels in that part's cell.
    """

    module: str
    given: str
    parts: dict[str, str]
    owner: dict[str, str]


def module_parts(module: str, sources: Sources | None = None) -> ModuleParts:
    """Cut the reference module ``module`` into the given code and its parts."""
    from nnlab.exercises.components import CATALOGUE

    source = flat_imports(reference_source(module, sources))
    tree = ast.parse(source, f"{module}.py")
    lines = source.splitlines()
    components = {name.split(".")[1] for name in CATALOGUE if name.split(".")[0] == module}
    given: list[str] = []
    parts: dict[str, str] = {}
    helpers: list[str] = []
    cursor = 0  # first line (0-based) not yet assigned
    for node in tree.body:
        start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))]) - 1
        end = _end(lines, node)
        text = "\n".join(lines[start:end])
        is_docstring = (
            node is tree.body[0]
            and isinstance(node, ast.Expr)
            and isinstance(getattr(node, "value", None), ast.Constant)
        )
        is_all = isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets)
        is_def = isinstance(node, (ast.ClassDef, ast.FunctionDef))
        if is_def and (node.name in components or BEGIN in text):
            given.append("\n".join(lines[cursor:start]))
            parts[node.name] = text
            if node.name not in components:
                helpers.append(node.name)
        elif is_docstring or is_all:
            given.append("\n".join(lines[cursor:start]))
        else:
            given.append("\n".join(lines[cursor:end]))
        cursor = end
    owner = {}
    for helper in helpers:
        users = [name for name, text in parts.items() if name != helper and re.search(rf"\b{helper}\b", text)]
        owner[helper] = users[0] if users else helper
    code = re.sub(r"\n{3,}", "\n\n\n", "\n".join(given)).strip("\n") + "\n"
    return ModuleParts(module, code, parts, owner)


def part_source(parts: ModuleParts, name: str) -> str:
    """The source of a solution cell for ``name``: the helpers it owns, then the part itself."""
    if name not in parts.parts:
        raise NotebookSourceError(
            f"{parts.module}.{name}: not a class or function with a solution region in reference/{parts.module}.py"
        )
    owned = [parts.parts[h] for h, owner in parts.owner.items() if owner == name and h != name]
    return "\n\n\n".join([*owned, parts.parts[name]]) + "\n"


def release_module(
    module: str, complete: set[str] | frozenset[str] = frozenset(), sources: Sources | None = None
) -> str:
    """The module as a release ships it: flat imports, every region stubbed but those of ``complete``.

    ``complete``: top-level names (classes or functions) kept as the reference has them, with
    the helpers they build on (``_BatchNorm`` for ``BatchNorm1d``).
    """
    source = flat_imports(reference_source(module, sources))
    if not count_regions(source):
        return source
    stub = make_stub(source, f"{module}.py")
    if not complete:
        return stub
    keep = set(complete)
    parts = module_parts(module, sources)
    keep |= {h for h, owner in parts.owner.items() if owner in complete}
    original = _top_level_spans(source)
    stubbed = _top_level_spans(stub)
    stub_lines = stub.splitlines(keepends=True)
    source_lines = source.splitlines(keepends=True)
    # Replace from the bottom up so that earlier spans keep their line numbers.
    for name in sorted(keep & set(stubbed), key=lambda n: stubbed[n][0], reverse=True):
        s0, s1 = stubbed[name]
        o0, o1 = original[name]
        # Shipped complete: the code without its markers (a release holds no solution region).
        stub_lines[s0:s1] = [line for line in source_lines[o0:o1] if not _MARKER_LINE.match(line)]
    return "".join(stub_lines)


def _end(lines: list[str], node: ast.stmt) -> int:
    """The node's last line (1-based), counting the indented comments after its last statement.

    The AST ends a function at its last statement, before a trailing ``### END SOLUTION``.
    """
    end = last = node.end_lineno or node.lineno
    while end < len(lines) and (not lines[end].strip() or (lines[end][:1] in " \t" and lines[end].lstrip()[:1] == "#")):
        end += 1
        if lines[end - 1].strip():
            last = end
    return last


def _top_level_spans(source: str) -> dict[str, tuple[int, int]]:
    spans = {}
    lines = source.splitlines()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
            spans[node.name] = (start, _end(lines, node))
    return spans


def release_modules(assignment: Assignment, sources: Sources | None = None) -> dict[str, str]:
    """``{module: source}`` of every reference module as the assignment's release has it (flat imports).

    The assignment's prerequisites ship complete; every other solution region is a stub.
    ``sources``: the course's own reference modules, which the release holds too.
    """
    complete: dict[str, set[str]] = {}
    for name in assignment.prerequisites:
        module, _, obj = name.partition(".")
        complete.setdefault(module, set()).add(obj)
    modules = [p.stem for p in sorted(reference_folder().glob("*.py")) if p.name != "__init__.py"]
    return {
        module: release_module(module, complete.get(module, set()), sources)
        for module in [*modules, *sorted(sources or {})]
    }


def write_release_modules(assignment: Assignment, target: Path, sources: Sources | None = None) -> list[Path]:
    """Every reference module into ``target`` with flat imports, as the assignment's release has them.

    The assignment's prerequisites ship complete; every other solution region is a stub.
    ``sources``: the course's own reference modules, written beside nnlab's.
    """
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for module, source in release_modules(assignment, sources).items():
        out = target / f"{module}.py"
        out.write_text(source, encoding="utf-8")
        written.append(out)
    return written
