"""Which modules a submission imports, and which of its components use each.

Read from the source with ``ast`` (nothing is executed): a submission may import numpy,
the standard library, the support module and its own files; anything else (torch,
scipy, the reference itself) is reported on the components whose code uses it. An import
at module level is charged to every class or function that mentions the imported name; an
import inside a class or function, to that component.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from collections.abc import Collection, Iterator
from pathlib import Path

from nnlab.graders import settings

ALWAYS_ALLOWED = {"numpy", "__future__", "base"}


def _top(name: str) -> str:
    return name.split(".")[0]


def disallowed_imports(folder: Path, allowed: set[str], modules: Collection[str] | None = None) -> dict[str, set[str]]:
    """``{"layers.Conv2d": {"torch"}, ...}`` for every component using a disallowed module.

    A module-level import that no component mentions is charged to ``"<module>.*"``.
    Files that do not parse are skipped (the import of that module reports the error).
    ``modules``: only these modules' files are read (those of the components being graded).
    """
    local = {p.stem for p in folder.glob("*.py")}
    ok = ALWAYS_ALLOWED | set(sys.stdlib_module_names) | local | set(allowed)
    found: dict[str, set[str]] = defaultdict(set)
    for path in sorted(folder.glob("*.py")):
        if modules is not None and path.stem not in modules:
            continue
        if path.is_symlink() or not path.is_file() or path.stat().st_size > settings.SUBMISSION_FILE_BYTES:
            continue  # never followed or read by the grader (the sandboxed copy leaves it out too)
        source = path.read_text(encoding="utf-8", errors="replace")
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue  # importing the module will report what is wrong with it
        if not _imports_outside(tree, ok, source):
            continue  # the common case, decided in one walk: nothing to charge to anyone
        module = path.stem
        top_level: dict[str, str] = {}  # bound name -> disallowed module
        for node in tree.body:
            for name, source in _bindings(node):
                if _top(source) not in ok:
                    top_level[name] = _top(source)
        for node in tree.body:
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                owner = f"{module}.{node.name}"
                used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
                used |= {
                    n.value.id for n in ast.walk(node) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
                }
                for name, source in top_level.items():
                    if name in used:
                        found[owner].add(source)
                for inner in ast.walk(node):
                    for _, source in _bindings(inner):
                        if _top(source) not in ok:
                            found[owner].add(_top(source))
                    if _is_dynamic_import(inner):
                        found[owner].add("a dynamic import (__import__/importlib)")
        charged = {m for owner, s in found.items() if owner.startswith(f"{module}.") for m in s}  # this module's
        for source in top_level.values():
            if source not in charged:
                found[f"{module}.*"].add(source)
    return dict(found)


def _imports_outside(tree: ast.AST, ok: set[str], source: str) -> bool:
    """Does the module import, anywhere, a module outside ``ok`` or import dynamically?"""
    # An import is a statement, so without a dynamic import's name in the text the statements
    # alone are read: a tenth of the nodes, and this runs on every file of every grading.
    dynamic = "__import__" in source or "import_module" in source
    return any(
        _is_dynamic_import(node) or any(_top(name) not in ok for _, name in _bindings(node))
        for node in (ast.walk(tree) if dynamic else _statements(tree))
    )


def _statements(tree: ast.AST) -> Iterator[ast.AST]:
    """Every statement of ``tree``, however deeply nested in classes, functions and blocks."""
    pending = [tree]
    while pending:
        node = pending.pop()
        yield node
        for block in ("body", "orelse", "finalbody", "handlers", "cases"):
            statements = getattr(node, block, None)
            if isinstance(statements, list):
                pending.extend(statements)


def _bindings(node: ast.AST) -> list[tuple[str, str]]:
    if isinstance(node, ast.Import):
        return [((a.asname or a.name).split(".")[0], a.name) for a in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [(a.asname or a.name, node.module) for a in node.names]
    return []


def _is_dynamic_import(node: ast.AST) -> bool:
    if isinstance(node, ast.Call):
        fn = node.func
        if isinstance(fn, ast.Name) and fn.id == "__import__":
            return True
        if isinstance(fn, ast.Attribute) and fn.attr == "import_module":
            return True
    return False


def charged_to(component: str, found: dict[str, set[str]]) -> set[str]:
    """The disallowed modules a component is charged with (its own and its module's unattributed)."""
    module = component.split(".")[0]
    return found.get(component, set()) | found.get(f"{module}.*", set())
