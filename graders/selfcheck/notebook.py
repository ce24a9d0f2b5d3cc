"""The notebook's "check your work" cells: the release checker on a class defined in the notebook.

``check("activations.Step", Step, globals())`` runs the public checks of one component on the
object the student just defined, against the release's fixtures (``fixtures/`` beside the
notebook), prints one short line when they pass, and raises AssertionError otherwise: the
checker's message of the first failure (the number failed and the next few printed above it),
or the one line "not implemented" of a component that is still a stub.

Every other component the checks use (SiLU's Sigmoid, a model's Linear, early stopping's
``fit``) is the kernel's own: a component of the assignment that ``namespace`` defines (the
notebook's cell), else the module the notebook imported from its folder (``import layers``:
the release's, prerequisites complete). So the checks meet the same classes, built on the same
``base.Module``, as the notebook's experiments do.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from . import open_checker
from .loader import describe_import_error

SHOWN = 5  # failures listed above the AssertionError


class _KernelCode:
    """The student's code as the checker sees it in a notebook: the notebook's objects, then the kernel's modules."""

    def __init__(self, objects: dict[str, Any]) -> None:
        self._objects = objects
        self.errors: dict[str, str] = {}

    def module(self, name: str) -> Any:
        if name in self.errors:
            raise ImportError(self.errors[name])
        try:
            return importlib.import_module(name)  # the kernel's (the notebook's folder is on sys.path)
        except BaseException as error:  # noqa: BLE001 (SystemExit and KeyboardInterrupt from a module too)
            self.errors[name] = describe_import_error(name, error)
            raise ImportError(self.errors[name]) from None

    def get(self, qualname: str) -> Any:
        if qualname in self._objects:
            return self._objects[qualname]
        module_name, _, attr = qualname.partition(".")
        try:
            return getattr(self.module(module_name), attr)
        except AttributeError:
            raise ImportError(f"{module_name}.py has no {attr}") from None

    def close(self) -> None:
        pass


def check(component: str, obj: Any, namespace: dict[str, Any] | None = None, folder: str | Path | None = None) -> None:
    """Run the public checks of ``component`` on ``obj``; print one line if they pass; AssertionError if not.

    Args:
        component: ``module.Class`` as in the API, e.g. ``"activations.Step"``.
        obj: the class (or function) the notebook defined.
        namespace: the notebook's globals, for the assignment's other components the checks may use.
        folder: the release folder holding ``fixtures/`` (default: the working directory, where the notebook runs).

    Raises:
        AssertionError: a check failed (the checker's message), or the component is not implemented yet.
    """
    checker = open_checker(Path(folder) if folder is not None else Path.cwd())
    try:
        # The checker loaded the folder's modules as a package of its own: the notebook's kernel has them already.
        checker.student.close()
        if component not in checker.manifest.components:
            known = ", ".join(checker.manifest.components)
            raise AssertionError(f"{component}: the release checker has no checks for it (it checks {known})")
        objects = {component: obj}
        for name, spec in checker.manifest.components.items():
            if namespace and name != component and spec.class_name in namespace:
                objects[name] = namespace[spec.class_name]
        checker.student = _KernelCode(objects)
        results = checker.run_all(only=[component])
    finally:
        checker.close()
    stub = [r for r in results if r.status == "not implemented"]
    if stub:
        raise AssertionError(stub[0].message)
    failed = [r for r in results if r.status == "failed"]
    skipped = [r for r in results if r.status == "skipped"]
    if not failed:
        note = f" ({len(skipped)} skipped: they need components not written yet)" if skipped else ""
        print(f"{component}: all {len(results) - len(skipped)} checks passed{note}")
        return
    print(f"{component}: {len(failed)} of {len(results)} checks failed (the first one is below)")
    for result in failed[1 : SHOWN + 1]:
        print(f"  - {result.message}")
    if len(failed) > SHOWN + 1:
        print(f"  ... and {len(failed) - SHOWN - 1} more")
    raise AssertionError(failed[0].message)
