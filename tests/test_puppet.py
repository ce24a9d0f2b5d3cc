"""Do sessions report what student code did — values, errors, hangs, crashes, prints?"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from nnlab.graders.running.puppet import ChildSession, InProcessSession, StudentCrash, StudentError, StudentTimeout

MODULE = """
import os, sys, time
import numpy as np
from .base import Module

class Double(Module):
    def forward(self, x):
        print("forward called")
        return 2 * x
    def backward(self, g):
        raise NotImplementedError("Double.backward: your code here")

class Broken(Module):
    def forward(self, x):
        return x[100]

class Hang(Module):
    def forward(self, x):
        while True:
            pass

class Exit(Module):
    def forward(self, x):
        os._exit(3)

class Mutates(Module):
    def forward(self, x):
        x *= 0
        return x

class Formatted(Module):
    def forward(self, x):
        total = np.sum(
            x,
            axis=0,
            keepdims=True,
        )
        return x + total.reshape(
            7
        )
    def backward(self, g):
        if g > 0:
            return g
        return g
"""


@pytest.fixture
def submission(tmp_path: Path) -> Path:
    (tmp_path / "activations.py").write_text(MODULE)
    return tmp_path


@pytest.fixture(params=["in-process", "child"])
def session(request: pytest.FixtureRequest, submission: Path):  # noqa: ANN201
    s = InProcessSession() if request.param == "in-process" else ChildSession(time_budget=5)
    s.load(submission)
    yield s
    s.close()


def test_values_come_back_as_arrays(session) -> None:  # noqa: ANN001
    handle = session.new("activations.Double")
    assert np.array_equal(session.call(handle, "forward", np.ones(3)), 2 * np.ones(3))
    assert session.get(handle, "training") is True
    assert session.call(handle, "eval") == handle, "one object, one handle"


def test_student_exceptions_say_what_and_where(session) -> None:  # noqa: ANN001
    handle = session.new("activations.Broken")
    with pytest.raises(StudentError) as info:
        session.call(handle, "forward", np.ones(3))
    assert info.value.type_name == "IndexError"
    assert "activations.py, line" in info.value.where


def test_a_statement_over_several_lines_comes_back_whole(session) -> None:  # noqa: ANN001
    """The crash readers look for the mistake in what raised: a formatter's multi-line call has it on
    another line than the first. A compound statement's header stays its own line, without its body."""
    handle = session.new("activations.Formatted")
    with pytest.raises(StudentError) as info:
        session.call(handle, "forward", np.ones((2, 3)))
    assert info.value.source == "return x + total.reshape(\n    7\n)"
    with pytest.raises(StudentError) as info:
        session.call(handle, "backward", np.ones(3))
    assert info.value.type_name == "ValueError"
    assert info.value.source.strip() == "if g > 0:"


def test_stubs_are_reported_as_not_implemented(session) -> None:  # noqa: ANN001
    handle = session.new("activations.Double")
    with pytest.raises(StudentError) as info:
        session.call(handle, "backward", np.ones(3))
    assert info.value.not_implemented
    assert "not implemented" in info.value.describe()


def test_arguments_are_copies_unless_boxed(session) -> None:  # noqa: ANN001
    handle = session.new("activations.Mutates")
    x = np.ones(3)
    session.call(handle, "forward", x)
    assert np.array_equal(x, np.ones(3)), "the grader's own array is never modified"
    box = session.harness("array_box", x)
    session.call_unboxed(handle, "forward", box)
    assert np.array_equal(session.get(box, "value"), np.zeros(3)), "a boxed array shows the modification"


def test_a_hang_times_out_with_the_method_named(submission: Path) -> None:
    with ChildSession(time_budget=1.5) as session:
        session.load(submission)
        handle = session.new("activations.Hang")
        with pytest.raises(StudentTimeout) as info:
            session.call(handle, "forward", np.ones(2))
        assert "timed out after 1.5 s in forward" in info.value.describe()


def test_os_exit_is_a_crash_not_a_hang(submission: Path) -> None:
    with ChildSession(time_budget=5) as session:
        session.load(submission)
        handle = session.new("activations.Exit")
        with pytest.raises(StudentCrash) as info:
            session.call(handle, "forward", np.ones(2))
        assert "exited with status 3" in info.value.describe()


def test_prints_are_captured(submission: Path) -> None:
    with ChildSession(time_budget=5) as session:
        session.load(submission)
        session.call(session.new("activations.Double"), "forward", np.ones(2))
    assert "forward called" in session.output()
