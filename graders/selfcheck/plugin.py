"""pytest integration: one test item per check, one failure line per component not yet written.

A release's ``conftest.py`` loads this module (``pytest_plugins = ["checker.plugin"]``) and
its ``test_checker.py`` holds one parametrized test. Items are named
``<component>: <check> [<case>]``, so ``pytest -k Conv2d`` or ``pytest -k "Conv2d and
gradient"`` narrows the run. A component that does not run yet (its stub still raises
NotImplementedError, or its module does not import) keeps one item, which fails with one
line; its other items are deselected. Failures are reported without a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from . import FixtureError, open_checker
from .core import Checker, Item

RELEASE = Path(__file__).resolve().parent.parent  # checker/ sits in the release folder
_KEY = pytest.StashKey[Checker]()


def pytest_configure(config: pytest.Config) -> None:
    try:
        config.stash[_KEY] = open_checker(RELEASE)
    except FixtureError as error:
        raise pytest.UsageError(f"the release checker cannot run: {error}") from None


def pytest_unconfigure(config: pytest.Config) -> None:
    checker = config.stash.get(_KEY, None)
    if checker is not None:
        checker.close()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "check_item" in metafunc.fixturenames:
        items = metafunc.config.stash[_KEY].items()
        metafunc.parametrize("check_item", items, ids=[item.id for item in items])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    checker = config.stash[_KEY]
    keep, drop, seen = [], [], set()
    for test in items:
        item: Any = getattr(test, "callspec", None) and test.callspec.params.get("check_item")
        if not isinstance(item, Item) or checker.gate(item.component) is None:
            keep.append(test)
        elif item.component in seen:
            drop.append(test)
        else:
            seen.add(item.component)
            keep.append(test)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture
def checker(request: pytest.FixtureRequest) -> Checker:
    return request.config.stash[_KEY]


def run_item(checker: Checker, item: Item) -> None:
    """The body of the release's test: pass, skip, or fail with one line (no traceback)."""
    result = checker.run(item)
    if result.status == "skipped":
        pytest.skip(result.message)
    if not result.passed:
        pytest.fail(result.message, pytrace=False)
