"""Shared test configuration: hypothesis profiles and the PyTorch oracle fixture.

Hypothesis profiles are registered here once. ``ci`` (the default) is derandomized with no
example database, so every run of the suite sees the same cases; ``dev`` explores more.
Choose with ``pytest --hypothesis-profile=dev``.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=25,  # enough to cover the drawn shapes; the suite must stay under ~10 min
    deadline=None,  # 2-core CI machines stall; timing is for benchmarks/, not tests
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile("dev", parent=settings.get_profile("ci"), max_examples=200)
settings.load_profile("ci")


@pytest.fixture
def rng() -> np.random.Generator:
    """A fixed-seed generator: tests are deterministic."""
    return np.random.default_rng(20261123)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip every ``@pytest.mark.torch`` test, with the reason, when PyTorch is absent."""
    try:
        import torch  # noqa: F401
    except ImportError:
        skip = pytest.mark.skip(reason="PyTorch (the test-only oracle) is not installed: pip install torch==2.13.0")
        for item in items:
            if "torch" in item.keywords:
                item.add_marker(skip)
