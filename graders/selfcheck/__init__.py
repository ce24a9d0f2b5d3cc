"""The student release's self-checker: runs with numpy, pytest and hypothesis only.

``nnlab generate`` copies this package verbatim into every release as ``checker/``, next to
``fixtures/`` (what the reference returned on seeded inputs, written at generate time). It
imports nothing but numpy, hypothesis, the standard library and itself (a test scans its
imports), so a student needs neither nnlab nor the reference to check their work:

* ``pytest`` in the release folder runs it (``conftest.py`` loads :mod:`.plugin`);
* ``nnlab check`` runs the same checks through :func:`check`.

Check families: ``runs`` (the component imports and runs; a stub gets one "not implemented"
line and nothing else), ``fixtures`` (values against the public fixtures), ``gradcheck``
(backward against the student's own forward), ``properties`` (hypothesis), ``contracts``
(docs/api.md's rules) and ``convergence`` (small training runs of the student's own code).
"""

from __future__ import annotations

from pathlib import Path

from . import (
    convergence,
    dropout,
    early_stopping,
    gradcheck,
    initializers,
    losses,
    models,
    modules,
    numerics,
    optimizers,
    properties,
    training,
)
from .core import FAMILIES, Check, Checker, Item, Result
from .manifest import MANIFEST, FixtureError, Manifest, load_manifest
from .report import render

# The order of the families is the order of a report: the cheap, telling checks first.
CHECKS: list[Check] = sorted(
    [
        *modules.CHECKS,
        *dropout.CHECKS,
        *gradcheck.CHECKS,
        *losses.CHECKS,
        *optimizers.CHECKS,
        *models.CHECKS,
        *training.CHECKS,
        *numerics.CHECKS,
        *initializers.CHECKS,
        *early_stopping.CHECKS,
        *properties.CHECKS,
        *convergence.CHECKS,
    ],
    key=lambda c: FAMILIES.index(c.family),
)


def open_checker(folder: str | Path, fixtures: str | Path | None = None, support: str | Path | None = None) -> Checker:
    """A :class:`Checker` of the modules in ``folder`` against ``fixtures`` (default ``folder/fixtures``).

    Args:
        folder: the student's modules (a release folder, or any folder of modules).
        fixtures: the folder holding ``manifest.json`` and the ``.npz`` files.
        support: the support module (``base.py``) to use when ``folder`` has none.
    """
    folder = Path(folder)
    manifest = load_manifest(Path(fixtures) if fixtures is not None else folder / "fixtures")
    return Checker(folder, manifest, CHECKS, Path(support) if support is not None else None)


def check(
    folder: str | Path,
    fixtures: str | Path | None = None,
    *,
    only: list[str] | None = None,
    fail_fast: bool = False,
    support: str | Path | None = None,
) -> list[Result]:
    """Run every check (or those of the components ``only``) and return the results."""
    checker = open_checker(folder, fixtures, support)
    try:
        return checker.run_all(only, fail_fast=fail_fast)
    finally:
        checker.close()


__all__ = [
    "CHECKS",
    "MANIFEST",
    "Check",
    "Checker",
    "FixtureError",
    "Item",
    "Manifest",
    "Result",
    "check",
    "load_manifest",
    "open_checker",
    "render",
]
