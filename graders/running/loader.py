"""Import a submission: a folder holding some or all of the API modules.

The folder is imported as the package ``submission`` so that relative imports
(``from .base import Module``) work, and a meta-path finder answers flat imports
(``import layers``, ``from base import Module``) with the *same* module objects, so that a
submission may be written either way. When the folder has no support module (``base.py``)
the one that ships with nnlab is put in its place.

Runs in the student's process (the worker); imports nothing but the standard library (and the
list of API modules, itself plain data).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import types
from dataclasses import dataclass
from pathlib import Path

from nnlab.exercises.api import API_MODULES  # the standard library only, like this module

SUPPORT_MODULE = "base"
PACKAGE = "submission"


@dataclass
class ModuleStatus:
    """How importing one module of the submission went."""

    name: str
    state: str  # "ok", "missing" or "error"
    error: str = ""

    def as_plain(self) -> dict[str, str]:
        return {"name": self.name, "state": self.state, "error": self.error}


class _FlatAliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolve ``import layers`` to ``submission.layers`` (one module object, not two)."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001 (importlib's protocol)
        if fullname in self.names:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):  # noqa: ANN001
        return importlib.import_module(f"{PACKAGE}.{spec.name}")

    def exec_module(self, module) -> None:  # noqa: ANN001
        pass  # already executed under its package name


def _support_source() -> str:
    """The support module's source: ``reference/base.py``, beside this package (installed or not)."""
    return (Path(__file__).resolve().parents[2] / "reference" / "base.py").read_text(encoding="utf-8")


def load_submission(
    folder: str | Path, support_source: str | None = None, modules: list[str] | None = None
) -> dict[str, ModuleStatus]:
    """Import the API modules found in ``folder``; report per module, never raise.

    Args:
        folder: the submission directory (a copy the student's process may own).
        support_source: source of the support module to use when the folder lacks one.
        modules: import only these API modules (their own imports still work); default all.

    Returns:
        One :class:`ModuleStatus` per API module.
    """
    folder = Path(folder).resolve()
    package = types.ModuleType(PACKAGE)
    package.__path__ = [str(folder)]  # type: ignore[attr-defined]
    package.__package__ = PACKAGE
    sys.modules[PACKAGE] = package

    if not (folder / f"{SUPPORT_MODULE}.py").exists():
        support = types.ModuleType(f"{PACKAGE}.{SUPPORT_MODULE}")
        support.__package__ = PACKAGE
        support.__file__ = str(folder / f"{SUPPORT_MODULE}.py")
        exec(compile(support_source or _support_source(), "<nnlab support module base.py>", "exec"), support.__dict__)
        sys.modules[support.__name__] = support
        package.base = support  # type: ignore[attr-defined]

    local_names = {p.stem for p in folder.glob("*.py")} | {SUPPORT_MODULE}
    sys.meta_path.insert(0, _FlatAliasFinder(local_names))

    statuses: dict[str, ModuleStatus] = {}
    for name in modules or API_MODULES:
        if not (folder / f"{name}.py").exists():
            statuses[name] = ModuleStatus(name, "missing")
            continue
        try:
            importlib.import_module(f"{PACKAGE}.{name}")
        except BaseException as error:  # noqa: BLE001 (SystemExit and KeyboardInterrupt too)
            statuses[name] = ModuleStatus(name, "error", describe_import_error(error))
        else:
            statuses[name] = ModuleStatus(name, "ok")
    return statuses


def describe_import_error(error: BaseException) -> str:
    """One line: what went wrong while importing, and where in the student's file."""
    if isinstance(error, SyntaxError):
        where = f"{Path(error.filename or '?').name}, line {error.lineno}"
        return f"syntax error in {where}: {error.msg}"
    tb = error.__traceback__
    where = ""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.startswith("<") and "site-packages" not in filename:
            where = f" ({Path(filename).name}, line {tb.tb_lineno})"
        tb = tb.tb_next
    return f"{type(error).__name__} while importing{where}: {str(error)[:300]}"


def get_component(qualname: str) -> object:
    """``"layers.Conv2d"`` -> the class ``Conv2d`` of the imported ``submission.layers``."""
    module_name, _, attr = qualname.partition(".")
    module = sys.modules.get(f"{PACKAGE}.{module_name}")
    if module is None:
        raise LookupError(f"module {module_name} was not submitted")
    try:
        return getattr(module, attr)
    except AttributeError:
        raise LookupError(f"{module_name}.py has no {attr}") from None


def unload_submission() -> None:
    """Forget a previously loaded submission (in-process grading of several submissions)."""
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    finders = [f for f in sys.meta_path if isinstance(f, _FlatAliasFinder)]
    for finder in finders:
        sys.meta_path.remove(finder)
        for name in finder.names:
            module = sys.modules.get(name)
            if module is not None and getattr(module, "__name__", "").startswith(PACKAGE + "."):
                del sys.modules[name]
