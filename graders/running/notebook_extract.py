"""Notebook submissions: a notebook's code cells back into the modules of a submission.

A generated notebook marks the code cells of each module (its given code and its solution
cells) with the ``nnlab`` cell metadata and the tag ``nnlab:module=<module>``; a hand-made
notebook may write its modules with ``%%writefile <module>.py`` cells instead. Joined in
notebook order, the cells of one module are that module, which ``nnlab grade`` then grades
like a folder.

A notebook runs beside its release's modules (``from training import fit`` in a6's early
stopping cell, ``from base import Module`` everywhere), so the folder made from it holds them
too: every module of the assignment's release (its prerequisites complete, the rest stubs),
each followed by the notebook's cells of that module, whose definitions replace the release's
as they do in the kernel. The assignment is the notebook's own (its ``nnlab`` metadata) unless
the caller names one; a notebook of no known assignment gives its cells' modules only.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nnlab.exercises.course import Course

TAG = re.compile(r"^nnlab:module=(?P<module>[A-Za-z_]\w*)$")
WRITEFILE = re.compile(r"^%%writefile(?P<append>\s+-a)?\s+(?P<path>\S+)\s*$")
_FUTURE = re.compile(r"^from __future__ import .+$", re.MULTILINE)
_MAGIC = re.compile(r"^(?P<indent>[ \t]*)(?P<line>[%!].*)$", re.MULTILINE)


class NotebookError(ValueError):
    """A notebook that cannot be read, or that holds no module."""


def read_notebook(path: Path) -> dict[str, Any]:
    """The notebook at ``path`` as plain JSON data, or a one-line :class:`NotebookError` saying why not.

    Only the structure extraction needs is checked (nbformat 4: a list of cells with a type and
    a source), so grading a notebook does not pay for importing nbformat and its JSON schemas.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotebookError(f"{path}: no such notebook") from None
    except IsADirectoryError:
        raise NotebookError(f"{path}: is a folder (expected a notebook file)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise NotebookError(f"{path}: cannot be read ({error})") from None
    except json.JSONDecodeError as error:
        raise NotebookError(f"{path}: not a Jupyter notebook (not JSON: {error})") from None
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list) or not isinstance(data.get("nbformat"), int) or data["nbformat"] < 4:
        raise NotebookError(f"{path}: not a Jupyter notebook (expected nbformat 4 JSON with a list of cells)")
    for number, cell in enumerate(cells, 1):
        source = cell.get("source") if isinstance(cell, dict) else None
        if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str) or not _is_source(source):
            raise NotebookError(f"{path}: cell {number} is malformed (expected a cell_type and a source)")
        cell["source"] = source if isinstance(source, str) else "".join(source)
        if not isinstance(cell.get("metadata", {}), dict):
            raise NotebookError(f"{path}: cell {number} is malformed (its metadata is not a mapping)")
    return data


def _is_source(source: object) -> bool:
    return isinstance(source, str) or (isinstance(source, list) and all(isinstance(s, str) for s in source))


def cell_module(cell: dict[str, Any]) -> str | None:
    """The module a code cell belongs to: its ``nnlab`` metadata, else its ``nnlab:module=`` tag."""
    meta = cell.get("metadata") or {}
    module = meta["nnlab"].get("module") if isinstance(meta.get("nnlab"), dict) else None
    if isinstance(module, str) and re.fullmatch(r"[A-Za-z_]\w*", module):
        return module
    for tag in meta.get("tags", []) or []:
        match = TAG.match(str(tag))
        if match:
            return match["module"]
    return None


def module_cells(notebook: dict[str, Any]) -> dict[str, list[str]]:
    """``{module: [cell source, ...]}`` in notebook order, from tags/metadata or ``%%writefile`` cells."""
    modules: dict[str, list[str]] = {}
    for cell in notebook["cells"]:
        if cell.get("cell_type") != "code":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        module = cell_module(cell)
        if module is not None:
            modules.setdefault(module, []).append(source)
            continue
        first, _, body = source.lstrip("\n").partition("\n")
        match = WRITEFILE.match(first.strip())
        if match and match["path"].endswith(".py"):
            name = Path(match["path"]).stem  # the file name only: a notebook never writes outside the folder
            if re.fullmatch(r"[A-Za-z_]\w*", name):
                if not match["append"]:
                    modules[name] = []
                modules.setdefault(name, []).append(body)
    return modules


def join_module(cells: list[str]) -> str:
    """One module from its cells: ``from __future__`` lines first, IPython magics commented out."""
    futures: list[str] = []
    bodies = []
    for source in cells:
        futures += [line for line in _FUTURE.findall(source) if line not in futures]
        body = _FUTURE.sub("", source)
        bodies.append(_MAGIC.sub(lambda m: f"{m['indent']}# {m['line']}  (IPython only)", body).strip("\n"))
    return "\n".join(futures) + ("\n\n" if futures else "") + "\n\n\n".join(bodies) + "\n"


def notebook_assignment(notebook: dict[str, Any]) -> str | None:
    """The assignment a generated notebook belongs to (its ``nnlab`` metadata), or None."""
    meta = (notebook.get("metadata") or {}).get("nnlab")
    name = meta.get("assignment") if isinstance(meta, dict) else None
    return name if isinstance(name, str) and name else None


def submission_modules(
    notebook: dict[str, Any], course: Course | None = None, assignment: str | None = None
) -> dict[str, str]:
    """``{module: source}``: the release's modules of the assignment, with the notebook's cells of each module.

    Args:
        notebook: a notebook as :func:`read_notebook` returns it.
        course: the course (default: the built-in course).
        assignment: the assignment whose release the notebook runs beside (default: the
            notebook's own); unknown to the course: the notebook's cells only.
    """
    cells = module_cells(notebook)
    release = _release(course, assignment or notebook_assignment(notebook)) if cells else {}
    modules = {}
    for module, sources in cells.items():
        modules[module] = join_module([release[module], *sources] if module in release else sources)
    return {**modules, **{module: source for module, source in release.items() if module not in modules}}


def _release(course: Course | None, assignment: str | None) -> dict[str, str]:
    if assignment is None:
        return {}
    from nnlab.exercises.course import CourseError, load_course
    from nnlab.exercises.release import release_modules

    try:
        chosen = (course or load_course()).assignment(assignment)
    except CourseError:
        return {}
    return release_modules(chosen)


def extract_modules(
    notebook_path: Path, target: Path, course: Course | None = None, assignment: str | None = None
) -> list[Path]:
    """Write the modules of the notebook ``notebook_path`` into the folder ``target`` (created).

    Args:
        notebook_path: the notebook.
        target: the folder to write (a submission folder that ``nnlab grade`` grades).
        course, assignment: see :func:`submission_modules`.

    Returns:
        The module files written: the notebook's modules in notebook order, then the release's others.

    Raises:
        NotebookError: the notebook does not parse, or holds no cell tagged with a module
            (``nnlab:module=<module>``) and no ``%%writefile <module>.py`` cell.
    """
    notebook = read_notebook(Path(notebook_path))
    modules = submission_modules(notebook, course, assignment)
    if not modules:
        raise NotebookError(
            f"{notebook_path}: holds no module (expected code cells tagged nnlab:module=<module>, as the "
            "generated notebooks have, or cells starting with %%writefile <module>.py)"
        )
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for module, source in modules.items():
        path = target / f"{module}.py"
        path.write_text(source, encoding="utf-8")
        written.append(path)
    return written
