"""Import the student's modules from a folder, written with flat or relative imports.

The folder is imported as a package of its own (a fresh name per load) so that relative
imports (``from .base import Module``) work, and a meta-path finder answers flat imports
(``from base import Module``, ``import layers``) with the *same* module objects, so a
release (flat imports) and a copy of a package (relative imports) load alike. The approach
is the instructor grader's; this copy needs the standard library only.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import itertools
import sys
import types
from pathlib import Path
from typing import Any

API_MODULES = ("activations", "layers", "losses", "optimizers", "models", "training", "gradcheck")
SUPPORT_MODULE = "base"
_COUNTER = itertools.count()


class _FlatAliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``import layers`` -> ``<package>.layers`` (one module object, not two)."""

    def __init__(self, package: str, names: set[str]) -> None:
        self.package, self.names = package, names

    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001, ANN201 (importlib's protocol)
        if fullname in self.names:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):  # noqa: ANN001, ANN201
        return importlib.import_module(f"{self.package}.{spec.name}")

    def exec_module(self, module) -> None:  # noqa: ANN001
        pass  # already executed under its package name


class Student:
    """The student's modules, imported; an import error is kept, never raised."""

    def __init__(self, folder: str | Path, support: str | Path | None = None) -> None:
        self.folder = Path(folder).resolve()
        self.package = f"_nnlab_student_{next(_COUNTER)}"
        self.errors: dict[str, str] = {}
        self.modules: dict[str, types.ModuleType] = {}
        package = types.ModuleType(self.package)
        package.__path__ = [str(self.folder)]  # type: ignore[attr-defined]
        package.__package__ = self.package
        sys.modules[self.package] = package
        names = {p.stem for p in self.folder.glob("*.py") if not _is_test_file(p.stem)} | {SUPPORT_MODULE}
        if not (self.folder / f"{SUPPORT_MODULE}.py").exists() and support is not None:
            base = types.ModuleType(f"{self.package}.{SUPPORT_MODULE}")
            base.__package__ = self.package
            base.__file__ = str(support)
            source = Path(support).read_text(encoding="utf-8")
            exec(compile(source, str(support), "exec"), base.__dict__)
            sys.modules[base.__name__] = base
            package.base = base  # type: ignore[attr-defined]
        # Flat names already imported from elsewhere (the folder is on sys.path under pytest)
        # would be other module objects: forget them so every import meets this package's.
        self._hidden = {name: sys.modules.pop(name) for name in names if name in sys.modules}
        self._finder = _FlatAliasFinder(self.package, names)
        sys.meta_path.insert(0, self._finder)

    def module(self, name: str) -> types.ModuleType:
        """The module ``name`` (imported at the first call); raises ImportError with one line."""
        if name in self.modules:
            return self.modules[name]
        if name in self.errors:
            raise ImportError(self.errors[name])
        if not (self.folder / f"{name}.py").exists():
            self.errors[name] = f"{name}.py is missing from {self.folder}"
            raise ImportError(self.errors[name])
        try:
            module = importlib.import_module(f"{self.package}.{name}")
        except BaseException as error:  # noqa: BLE001 (SystemExit and KeyboardInterrupt too)
            self.errors[name] = describe_import_error(name, error)
            raise ImportError(self.errors[name]) from None
        self.modules[name] = module
        return module

    def get(self, qualname: str) -> Any:
        """``"layers.Conv2d"`` -> the student's class (or function)."""
        module_name, _, attr = qualname.partition(".")
        module = self.module(module_name)
        try:
            return getattr(module, attr)
        except AttributeError:
            raise ImportError(f"{module_name}.py has no {attr}") from None

    def close(self) -> None:
        """Forget this load (in-process checking of several folders one after another)."""
        for name in [n for n in sys.modules if n == self.package or n.startswith(self.package + ".")]:
            del sys.modules[name]
        for name in self._finder.names:
            module = sys.modules.get(name)
            if module is not None and getattr(module, "__name__", "").startswith(self.package + "."):
                del sys.modules[name]
        if self._finder in sys.meta_path:
            sys.meta_path.remove(self._finder)
        for name, module in self._hidden.items():
            sys.modules.setdefault(name, module)


def _is_test_file(stem: str) -> bool:
    """pytest's own files in a release folder are not the student's modules."""
    return stem == "conftest" or stem.startswith("test_") or stem.endswith("_test")


def describe_import_error(name: str, error: BaseException) -> str:
    """One line: what went wrong while importing, and where in the student's file."""
    if isinstance(error, SyntaxError):
        return (
            f"{name}.py does not import: syntax error in {Path(error.filename or '?').name}, line {error.lineno}: "
            f"{error.msg}"
        )
    tb, where = error.__traceback__, ""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.startswith("<") and "site-packages" not in filename and "importlib" not in filename:
            where = f" ({Path(filename).name}, line {tb.tb_lineno})"
        tb = tb.tb_next
    return f"{name}.py does not import: {type(error).__name__}{where}: {str(error)[:300]}"
