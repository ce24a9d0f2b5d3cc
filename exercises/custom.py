"""A course's own components: reference modules and their catalogue entries, beside the course file.

A course folder may hold ``components/``: for each module of its own, the reference
(``robust.py``, written like ``reference/*.py``: ``from .base import Loss``, solution regions
between ``### BEGIN SOLUTION`` and ``### END SOLUTION``) and its catalogue entries
(``robust.toml``, one table per class)::

    [HuberLoss]
    kind = "loss"                  # the generic checks of this kind grade it
    target = "same"                # losses: "same" (real, shaped like the input), "binary" or "class"
    properties = ["nonnegative"]   # optional: the release checker's properties
    cases = [
        { id = "(N, D)", input_shape = [6, 3], scale = 2.0 },
        { id = "delta 0.5", kwargs = { delta = 0.5 }, input_shape = [5, 4] },
    ]

The constructor's signature and defaults are read from the reference class itself, so they are
written once. Every other field of a catalogue entry may be given too (exercises/entries.py reads
and checks them; docs/instructor-guide.md lists them). The course's catalogue is nnlab's plus
these entries (see ``Course.catalogue``); a module named like one of nnlab's, or like a standard
library module, is an error. Every malformed file raises :class:`~course.CourseError` with one
line naming the file, the key and what was expected.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import keyword
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nnlab.exercises.components import CATALOGUE, REQUIRED, Component

from .entries import check_references, read_entry

if TYPE_CHECKING:
    from .course import Rubric

FOLDER = "components"  # beside the course file
REFERENCE_PACKAGE = "nnlab.reference"  # a course module is imported as part of it (``from .base import``)
# Names a release folder already uses, or that would shadow what the checker imports.
RESERVED = frozenset({"base", "numpy", "pytest", "hypothesis", "checker", "fixtures", "conftest", "submission", "docs"})


@dataclass(frozen=True)
class CustomModule:
    """One module of a course's own: its reference, its entries file, and the components it defines."""

    name: str
    source: Path
    entries: Path
    components: tuple[Component, ...]


def _error(path: Path, where: str, expected: str) -> ValueError:
    from .course import CourseError

    return CourseError(f"{path}: {where}: expected {expected}")


def builtin_modules() -> frozenset[str]:
    """The modules of nnlab's reference (``layers``, ``losses``, ... and ``base``)."""
    folder = Path(__file__).resolve().parent.parent / "reference"
    if not folder.is_dir():  # installed (non-editable) layout
        from importlib import resources

        folder = Path(str(resources.files(REFERENCE_PACKAGE)))
    return frozenset(p.stem for p in folder.glob("*.py") if p.name != "__init__.py")


def read_components(course_file: Path, rubric: Rubric | None = None) -> tuple[CustomModule, ...]:
    """The modules of ``components/`` beside ``course_file`` (none when there is no such folder).

    ``rubric``: the graders' property names, which an entry's ``properties`` must be among (unchecked without).
    """
    from .course import _read_toml

    folder = course_file.parent / FOLDER
    if not folder.is_dir():
        return ()
    sources = {p.stem: p for p in folder.glob("*.py") if p.name != "__init__.py"}
    tables = {p.stem: p for p in folder.glob("*.toml")}
    for stem in sorted(set(sources) ^ set(tables)):
        have, want = (sources[stem], f"{stem}.toml") if stem in sources else (tables[stem], f"{stem}.py")
        raise _error(have, "file", f"{want} beside it (a reference module and its catalogue entries go in pairs)")
    taken = builtin_modules()
    modules = []
    for stem in sorted(sources):
        _check_module_name(sources[stem], stem, taken)
        raw = _read_toml(tables[stem], "components file")
        modules.append(_module(stem, sources[stem], tables[stem], raw, rubric))
    # What an entry names of other components (builds_on, a convergence network) is known once all are read.
    catalogue = {**CATALOGUE, **{c.name: c for m in modules for c in m.components}}
    for m in modules:
        for component in m.components:
            check_references(_error, m.entries, component, catalogue)
    return tuple(modules)


def _check_module_name(path: Path, name: str, taken: frozenset[str]) -> None:
    if not name.isidentifier() or keyword.iskeyword(name):
        raise _error(path, "module name", f"a Python identifier such as robust.py, got {name!r}")
    if name in taken or name in RESERVED or name.startswith("test_"):
        raise _error(path, "module name", f"a name of its own ({name!r} is nnlab's or a release's; e.g. robust.py)")
    if name in getattr(sys, "stdlib_module_names", ()):
        raise _error(path, "module name", f"a name of its own ({name!r} would shadow the standard library's)")


def _module(name: str, source: Path, entries: Path, raw: dict[str, Any], rubric: Rubric | None) -> CustomModule:
    if not raw:
        raise _error(entries, "[Class]", f"at least one table naming a class of {source.name}")
    reference = load_reference(name, source)
    text = source.read_text(encoding="utf-8")
    tree = ast.parse(text, str(source)).body
    classes = {node.name: node for node in tree if isinstance(node, ast.ClassDef)}
    lines = text.splitlines()
    functions = tuple(node.name for node in tree if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"))
    components = []
    for class_name, table in raw.items():
        if class_name not in classes:
            defined = ", ".join(sorted(classes)) or "none"
            raise _error(entries, f"[{class_name}]", f"a class defined in {source.name} (it defines: {defined})")
        node = classes[class_name]
        body = lines[node.lineno - 1 : node.end_lineno]
        if not any(line.strip() == "### BEGIN SOLUTION" for line in body):
            raise _error(
                source,
                class_name,
                "a solution region (### BEGIN SOLUTION ... ### END SOLUTION) in its methods: "
                "without one the release would hand out the solution",
            )
        signature = _signature(source, class_name, getattr(reference, class_name))
        components.append(read_entry(entries, _error, f"{name}.{class_name}", table, signature, functions, rubric))
    return CustomModule(name, source.resolve(), entries.resolve(), tuple(components))


def _signature(source: Path, class_name: str, cls: type) -> tuple[tuple[str, Any], ...]:
    """The constructor's parameters and defaults, as docs/api.md would list them."""
    rows = []
    for parameter in inspect.signature(cls).parameters.values():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        default = parameter.default
        if default is parameter.empty:
            rows.append((parameter.name, REQUIRED))
            continue
        if not _plain(default):
            raise _error(
                source,
                f"{class_name}({parameter.name}=...)",
                f"a default that is a number, string, boolean, None or a tuple of them, got {default!r}",
            )
        rows.append((parameter.name, default))
    return tuple(rows)


def _plain(value: Any) -> bool:
    if isinstance(value, tuple):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, (bool, int, float, str))


# ------------------------------------------------------------------------------- the reference
def load_reference(name: str, source: Path) -> types.ModuleType:
    """Import ``source`` as ``nnlab.reference.<name>`` (so ``from .base import Loss`` works); on return the
    name is registered as it was before (see :func:`installed` for keeping it)."""
    qualified = f"{REFERENCE_PACKAGE}.{name}"
    spec = importlib.util.spec_from_file_location(qualified, source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    module.__package__ = REFERENCE_PACKAGE
    previous = sys.modules.get(qualified)
    sys.modules[qualified] = module  # while it runs, as any import (dataclasses look their module up)
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # noqa: BLE001 (the instructor's code: any error is a one-line report)
        line = f", line {error.lineno}" if isinstance(error, SyntaxError) else ""
        raise _error(
            source, f"import{line}", f"a module that imports without error, got {type(error).__name__}: {error}"
        ) from None
    finally:
        if previous is None:
            sys.modules.pop(qualified, None)
        else:
            sys.modules[qualified] = previous
    return module


@contextmanager
def installed(modules: tuple[CustomModule, ...]) -> Iterator[None]:
    """Make the course's reference modules importable as ``nnlab.reference.<module>`` while grading.

    The checks find a component's reference by its name (``nnlab.reference.robust.HuberLoss``);
    processes forked inside the block (the grading pool) inherit the modules. On leaving,
    whatever held those names before is put back.
    """
    saved = {m.name: sys.modules.get(f"{REFERENCE_PACKAGE}.{m.name}") for m in modules}
    try:
        for m in modules:
            sys.modules[f"{REFERENCE_PACKAGE}.{m.name}"] = load_reference(m.name, m.source)
        yield
    finally:
        for name, previous in saved.items():
            if previous is None:
                sys.modules.pop(f"{REFERENCE_PACKAGE}.{name}", None)
            else:
                sys.modules[f"{REFERENCE_PACKAGE}.{name}"] = previous
