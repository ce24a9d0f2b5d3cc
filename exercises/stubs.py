"""Student stubs: the reference with every solution region replaced by ``raise NotImplementedError``.

A solution region is the lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION``
(nbgrader's markers) inside a function body. Everything outside (signatures, docstrings,
input checks, support code) is what the student receives. Like nbgrader, a malformed region
(an END without a BEGIN, a BEGIN without an END, nested regions, markers outside a function)
raises :class:`StubError` naming the file and line instead of producing a broken stub.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
_MARKER = re.compile(r"^(?P<indent>[ \t]*)### (?P<kind>BEGIN|END) SOLUTION\s*$")


class StubError(ValueError):
    """A solution region is malformed."""


def _enclosing_functions(source: str, filename: str) -> dict[int, str]:
    """Line number -> qualified name of the innermost function containing it."""
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as error:
        raise StubError(f"{filename}, line {error.lineno}: not valid Python ({error.msg})") from None
    owner: dict[int, str] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    for line in range(child.lineno, (child.end_lineno or child.lineno) + 1):
                        owner[line] = name
                visit(child, name + ".")
            else:
                visit(child, prefix)

    visit(tree, "")
    return owner


def make_stub(source: str, filename: str = "<module>") -> str:
    """The stub of one module's source."""
    lines = source.splitlines(keepends=True)
    owners = _enclosing_functions(source, filename)
    out: list[str] = []
    begin: tuple[int, str] | None = None
    for number, line in enumerate(lines, start=1):
        match = _MARKER.match(line.rstrip("\n"))
        if match is None:
            if begin is None:
                out.append(line)
            continue
        kind, indent = match["kind"], match["indent"]
        if kind == "BEGIN":
            if begin is not None:
                raise StubError(
                    f"{filename}, line {number}: BEGIN SOLUTION inside the region opened at line {begin[0]}"
                )
            if number not in owners:
                raise StubError(f"{filename}, line {number}: BEGIN SOLUTION outside a function body")
            begin = (number, indent)
        else:
            if begin is None:
                raise StubError(f"{filename}, line {number}: END SOLUTION without a BEGIN SOLUTION")
            if indent != begin[1]:
                raise StubError(
                    f"{filename}, line {number}: END SOLUTION indented differently from its BEGIN (line {begin[0]})"
                )
            where = owners[begin[0]]
            out.append(f'{indent}raise NotImplementedError("{where}: your code here")\n')
            begin = None
    if begin is not None:
        raise StubError(f"{filename}, line {begin[0]}: BEGIN SOLUTION without an END SOLUTION")
    stub = "".join(out)
    try:
        ast.parse(stub, filename)
    except SyntaxError as error:  # e.g. a region that was a whole block's only statement
        raise StubError(f"{filename}: the stub is not valid Python (line {error.lineno}: {error.msg})") from None
    return stub


def count_regions(source: str) -> int:
    return sum(1 for line in source.splitlines() if (m := _MARKER.match(line)) and m["kind"] == "BEGIN")


def stub_folder(reference: Path, target: Path) -> list[Path]:
    """Write the stub of every module of ``reference`` into ``target``; the support module as is."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(reference.glob("*.py")):
        if path.name == "__init__.py":
            continue
        source = path.read_text(encoding="utf-8")
        text = make_stub(source, path.name) if count_regions(source) else source
        (target / path.name).write_text(text, encoding="utf-8")
        written.append(target / path.name)
    return written
