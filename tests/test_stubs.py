"""Are stubs generated mechanically, and do malformed solution regions raise (as in nbgrader)?"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from nnlab.exercises.stubs import StubError, count_regions, make_stub, stub_folder
from nnlab.graders.running.loader import API_MODULES

REFERENCE = Path(__file__).resolve().parents[1] / "reference"

GOOD = '''
class A:
    def forward(self, x):
        """Doc."""
        x = x + 0
        ### BEGIN SOLUTION
        y = 2 * x
        ### END SOLUTION
        return y
'''


def test_a_region_becomes_not_implemented_naming_the_method() -> None:
    stub = make_stub(GOOD)
    assert 'raise NotImplementedError("A.forward: your code here")' in stub
    assert "2 * x" not in stub and '"""Doc."""' in stub and "x = x + 0" in stub


@pytest.mark.parametrize(
    "source, message",
    [
        pytest.param(GOOD.replace("        ### END SOLUTION\n", ""), "without an END", id="no END"),
        pytest.param(GOOD.replace("        ### BEGIN SOLUTION\n", ""), "without a BEGIN", id="no BEGIN"),
        pytest.param(
            GOOD.replace("        y = 2 * x\n", "        ### BEGIN SOLUTION\n"), "inside the region", id="nested BEGIN"
        ),
        pytest.param("### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n", "outside a function", id="module level"),
        pytest.param(
            GOOD.replace("        ### END SOLUTION", "    ### END SOLUTION"),
            "indented differently",
            id="misaligned END",
        ),
    ],
)
def test_malformed_regions_raise(source: str, message: str) -> None:
    with pytest.raises(StubError, match=message):
        make_stub(source, "m.py")


def test_every_reference_module_stubs_to_valid_python(tmp_path: Path) -> None:
    written = stub_folder(REFERENCE, tmp_path)
    names = {p.name for p in written}
    for module in API_MODULES:
        assert f"{module}.py" in names
        source = (REFERENCE / f"{module}.py").read_text()
        assert count_regions(source) > 0, f"{module}.py has no solution region"
        stub = (tmp_path / f"{module}.py").read_text()
        ast.parse(stub)
        assert "### BEGIN SOLUTION" not in stub
    assert (tmp_path / "base.py").read_text() == (REFERENCE / "base.py").read_text()
