"""A submission that holds both module files and the assignment's notebook: grade what the student wrote.

A release (and a GitHub Classroom repository) holds the stub modules (``layers.py``, ...) and
the student notebook, whose solution cells define the same components. A student may write
either; submitting the whole folder then leaves the other one pristine. :func:`graded_folder`
builds the folder to grade, per component of the assignment:

* the notebook's cell when it is no longer the pristine stub and the module's class is;
* the module's class otherwise; when both were written, the module wins and a note says so.

"Pristine" is a comparison with the stubs nnlab itself generates (the release module of
:func:`~nnlab.exercises.release.release_modules`, the notebook cell of
:func:`~nnlab.exercises.release.part_source` with its regions stubbed by :func:`~nnlab.exercises.stubs.make_stub`),
on the syntax tree: comments, docstrings, blank lines and the text of the stub's
``raise NotImplementedError(...)`` do not count as writing anything.

Batch grading, Gradescope's autograder, GitHub Classroom's grading step and ``nnlab grade``
all call :func:`graded_folder` on the folder they would grade.
"""

from __future__ import annotations

import ast
import copy
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .notebook_extract import _FUTURE, _MAGIC, NotebookError, notebook_assignment, read_notebook

if TYPE_CHECKING:
    from nnlab.exercises.course import Course

_SKIP = {"__MACOSX", ".ipynb_checkpoints", ".git"}
_DEFS = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
COMPONENT_TAG = "nnlab:component="


@dataclass
class GradedFolder:
    """The folder to grade and the report notes that say where components were taken from."""

    folder: Path
    notes: list[str] = field(default_factory=list)


def component_cells(notebook: dict[str, Any]) -> dict[str, list[str]]:
    """``{component: [cell source, ...]}``: the solution cells of a generated notebook, in notebook order.

    A cell names its component in its ``nnlab`` metadata or with the tag ``nnlab:component=<name>``;
    the locked cells of given code (role ``given``) are not the student's.
    """
    cells: dict[str, list[str]] = {}
    for cell in notebook["cells"]:
        if cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata") or {}
        nnlab = meta.get("nnlab") if isinstance(meta.get("nnlab"), dict) else {}
        if nnlab.get("role") == "given":
            continue
        component = nnlab.get("component")
        if not isinstance(component, str):
            tags = [str(t) for t in meta.get("tags", []) or [] if str(t).startswith(COMPONENT_TAG)]
            component = tags[0].removeprefix(COMPONENT_TAG) if tags else None
        if component:
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            cells.setdefault(component, []).append(source)
    return cells


def graded_folder(
    folder: Path, scratch: Path, course: Course | None = None, assignment: str | None = None
) -> GradedFolder:
    """The folder to grade for the submission folder ``folder`` (unchanged unless it holds a notebook too).

    Args:
        folder: the folder of the student's modules, as the grading path found it.
        scratch: a folder in which a new sub-folder is made when components come from the notebook.
        course: the course (default: the built-in course).
        assignment: the assignment graded (default: the notebook's own).
    """
    folder = Path(folder)
    if not folder.is_dir():
        return GradedFolder(folder)
    found = _tagged_notebook(folder, assignment)
    if found is None:
        return GradedFolder(folder)
    notebook_path, notebook = found
    from nnlab.exercises.course import CourseError, load_course

    try:
        chosen = (course or load_course()).assignment(assignment or notebook_assignment(notebook) or "")
    except CourseError:
        return GradedFolder(folder)
    from nnlab.exercises.release import NotebookSourceError, release_modules
    from nnlab.exercises.stubs import StubError

    try:
        release = release_modules(chosen)
    except (StubError, NotebookSourceError, OSError):  # no stub to compare with: grade the folder as it is
        return GradedFolder(folder)
    cells = component_cells(notebook)
    originals: dict[str, str | None] = {}
    merged: dict[str, str] = {}
    notes: list[str] = []
    from_notebook: list[str] = []
    for entry in chosen.components:
        module, _, name = entry.name.partition(".")
        sources = cells.get(entry.name)
        if not sources:
            continue
        cell = _cell_code(sources)
        if _pristine_cell(module, name, cell):
            continue
        if module not in originals:
            originals[module] = _read_module(folder / f"{module}.py")
        original = originals[module]
        if original is not None and _module_written(original, release.get(module, ""), module, name):
            notes.append(f"{entry.name}: graded from {module}.py; the notebook's cell was also filled")
            continue
        try:
            ast.parse(cell)
        except SyntaxError as error:
            notes.append(
                f"{entry.name}: graded from {module}.py; the notebook's cell is not valid Python "
                f"(line {error.lineno}: {error.msg})"
            )
            continue
        base = merged.get(module, original if original is not None else release.get(module, ""))
        merged[module] = _with_cell(base, cell)
        from_notebook.append(entry.name)
    if not from_notebook:
        return GradedFolder(folder, notes)
    scratch.mkdir(parents=True, exist_ok=True)
    target = Path(tempfile.mkdtemp(prefix="graded-", dir=scratch))
    for path in sorted(folder.glob("*.py")):
        if path.is_file() and not path.is_symlink():
            shutil.copyfile(path, target / path.name)
    for module, source in merged.items():
        (target / f"{module}.py").write_text(source, encoding="utf-8")
    modules = sorted({c.split(".")[0] + ".py" for c in from_notebook})
    notes.insert(
        0,
        f"graded from the notebook {notebook_path.name} ({', '.join(modules)} held the release's stubs): "
        + ", ".join(from_notebook),
    )
    return GradedFolder(target, notes)


def _tagged_notebook(folder: Path, assignment: str | None) -> tuple[Path, dict[str, Any]] | None:
    """The first notebook under ``folder`` (shallowest first) with solution cells, of ``assignment`` if given."""
    paths = sorted(
        (p for p in folder.rglob("*.ipynb") if not _SKIP & set(p.relative_to(folder).parts)),
        key=lambda p: (len(p.parts), str(p)),
    )
    for path in paths:
        try:
            notebook = read_notebook(path)
        except NotebookError:
            continue
        own = notebook_assignment(notebook)
        if assignment is not None and own is not None and own != assignment:
            continue
        if component_cells(notebook):
            return path, notebook
    return None


def _read_module(path: Path) -> str | None:
    if not path.is_file() or path.is_symlink():
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _cell_code(sources: list[str]) -> str:
    """The cells of one component as module code: IPython magics commented out, no ``from __future__``."""
    bodies = [_MAGIC.sub(lambda m: f"{m['indent']}# {m['line']}", _FUTURE.sub("", s)).strip("\n") for s in sources]
    return "\n\n\n".join(b for b in bodies if b.strip()) + "\n"


@cache
def _stub_part(module: str, name: str) -> str | None:
    """The pristine solution cell of ``module.name`` (its helpers included), regions stubbed."""
    from nnlab.exercises.release import NotebookSourceError, module_parts, part_source
    from nnlab.exercises.stubs import StubError, make_stub

    try:
        return make_stub(part_source(module_parts(module), name), f"{module}.py")
    except (NotebookSourceError, StubError):
        return None


@cache
def _names(module: str, name: str) -> tuple[str, ...]:
    """``name`` and the helpers its notebook cell carries (``_BatchNorm`` for ``BatchNorm1d``)."""
    from nnlab.exercises.release import NotebookSourceError, module_parts

    try:
        parts = module_parts(module)
    except NotebookSourceError:
        return (name,)
    return (name, *sorted(h for h, owner in parts.owner.items() if owner == name and h != name))


def _pristine_cell(module: str, name: str, cell: str) -> bool:
    if not cell.strip():
        return True
    stub = _stub_part(module, name)
    try:
        tree = ast.parse(cell)
    except SyntaxError:
        return False
    return stub is not None and _shape(tree.body) == _shape(ast.parse(stub).body)


def _module_written(source: str, release: str, module: str, name: str) -> bool:
    """Does the module ``source`` define ``module.name`` (or a helper of it) otherwise than the release stub?"""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return True  # the student's own module: what they wrote, even broken
    names = set(_names(module, name))
    mine = [n for n in tree.body if isinstance(n, _DEFS) and n.name in names]
    if not mine:
        return False
    try:
        stub = [n for n in ast.parse(release).body if isinstance(n, _DEFS) and n.name in names]
    except SyntaxError:
        return True
    return _shape(mine) != _shape(stub)


class _Canonical(ast.NodeTransformer):
    """Docstrings dropped; ``raise NotImplementedError(<any message>)`` as one form (both stubs' messages)."""

    def generic_visit(self, node: ast.AST) -> ast.AST:
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and _is_docstring(body[0]) and not isinstance(node, ast.Module):
            node.body = body[1:] or [ast.Pass()]
        return super().generic_visit(node)

    def visit_Raise(self, node: ast.Raise) -> ast.AST:
        exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        if isinstance(exc, ast.Name) and exc.id == "NotImplementedError" and node.cause is None:
            return ast.Raise(exc=ast.Name("NotImplementedError", ast.Load()), cause=None)
        return node


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _shape(nodes: list[ast.stmt]) -> list[str]:
    return [ast.dump(_Canonical().visit(copy.deepcopy(n))) for n in nodes]


def _top_level_spans(source: str) -> dict[str, list[tuple[int, int]]]:
    """Every top-level definition's ``(first line, end line)`` (0-based, end exclusive), decorators included."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for node in ast.parse(source).body:
        if isinstance(node, _DEFS):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
            spans.setdefault(node.name, []).append((start, node.end_lineno or node.lineno))
    return spans


def _with_cell(source: str, cell: str) -> str:
    """``source`` with the definitions the cell makes replaced by the cell, at the first of them.

    The cell goes where its first definition was (so that later code, ``class BatchNorm2d(_BatchNorm)``,
    builds on the cell's); the module's other definitions of those names go. A cell that defines none
    of the module's names is added at the end.
    """
    defined = {n.name for n in ast.parse(cell).body if isinstance(n, _DEFS)}
    try:
        spans = _top_level_spans(source)
    except SyntaxError:
        return source.rstrip("\n") + "\n\n\n" + cell
    chosen = sorted(span for n in defined for span in spans.get(n, []))
    if not chosen:
        return source.rstrip("\n") + "\n\n\n" + cell
    lines = source.splitlines(keepends=True)
    first = chosen[0]
    for start, end in reversed(chosen):
        lines[start:end] = [cell] if (start, end) == first else []
    return "".join(lines)
