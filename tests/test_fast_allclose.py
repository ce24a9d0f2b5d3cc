"""The grader's allclose is numpy's, to the bit: only its cost differs (judging/tolerance.py).
So are its other fast paths: ``agrees`` is ``compare(...).ok`` without the sentence, and the
optimizer fixtures' grouping of simulated mistakes (``_first_same``) is ``_same`` row by row.

Every diagnosis compares simulated mistakes with the student's arrays through it, so any
disagreement with ``np.allclose`` would change a verdict. Compared on arrays of every kind the
grader meets: nan, both infinities, signed zeros, subnormals, the largest floats, float32,
integers and booleans, broadcast shapes and shapes that do not broadcast.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from nnlab.graders.judging.checks.optimizer_mistakes import _first_same, _same
from nnlab.graders.judging.tolerance import agrees, agrees_rowwise, allclose, close_to_each, compare

SPECIAL = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1e308, -1e308, 5e-324, 1.0, -1.0]
floats = st.one_of(st.sampled_from(SPECIAL), st.floats(allow_nan=True, allow_infinity=True, width=64))
TOLERANCES = st.sampled_from([(1e-5, 1e-8), (1e-9, 1e-12), (1e-7, 0.0), (0.0, 1e-3), (0.0, 0.0), (1e-6, 1e-300)])


def _numpy_or_error(a: object, b: object, rtol: float, atol: float, equal_nan: bool = False) -> object:
    try:
        return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))
    except Exception as error:  # noqa: BLE001 (the same exception type is the contract)
        return type(error)


def _ours_or_error(a: object, b: object, rtol: float, atol: float, equal_nan: bool = False) -> object:
    try:
        return allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)
    except Exception as error:  # noqa: BLE001
        return type(error)


@settings(max_examples=300, deadline=None)
@given(
    a=hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=2, max_side=3), elements=floats),
    data=st.data(),
    tolerances=TOLERANCES,
    equal_nan=st.booleans(),
)
def test_allclose_agrees_with_numpy_on_floats(
    a: np.ndarray, data: st.DataObject, tolerances: tuple, equal_nan: bool
) -> None:
    rtol, atol = tolerances
    nearby = a * (1 + data.draw(st.sampled_from([0.0, 1e-13, 1e-8, 1e-6, 1e-3])))
    b = data.draw(st.one_of(st.just(nearby), hnp.arrays(np.float64, a.shape, elements=floats)))
    assert _ours_or_error(a, b, rtol, atol, equal_nan) == _numpy_or_error(a, b, rtol, atol, equal_nan)
    assert _ours_or_error(b, a, rtol, atol, equal_nan) == _numpy_or_error(b, a, rtol, atol, equal_nan)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (np.array([1.0, 2.0], dtype=np.float32), np.array([1.0, 2.0000001])),
        (np.array([1, 2, 3]), np.array([1.0, 2.0, 3.0000001])),
        (np.array([1.0, 0.0]), np.array([True, False])),
        (np.array([True, False]), np.array([1.0, 0.0])),
        (np.array([[1.0, 2.0]]), np.array([1.0, 2.0 + 1e-9])),  # broadcast
        (np.zeros((2, 3)), 0),
        (3.0, 3.0 + 1e-9),
        (np.zeros((2, 3)), np.zeros((3, 2))),  # does not broadcast: ValueError from both
        (np.array([np.inf, -np.inf]), np.array([np.inf, np.inf])),
        (np.array([np.nan, 1.0]), np.array([np.nan, 1.0])),
        (np.array([1, 2]), np.array([np.nan, 2.0])),
        (np.array([1 + 1j]), np.array([1 + 1j])),  # complex: handed to numpy
        ([1.0, 2.0], (1.0, 2.0)),
    ],
)
@pytest.mark.parametrize(("rtol", "atol"), [(1e-5, 1e-8), (1e-9, 1e-12), (0.0, 0.0)])
@pytest.mark.parametrize("equal_nan", [False, True])
def test_allclose_agrees_with_numpy_on_other_kinds(
    a: object, b: object, rtol: float, atol: float, equal_nan: bool
) -> None:
    assert _ours_or_error(a, b, rtol, atol, equal_nan) == _numpy_or_error(a, b, rtol, atol, equal_nan)


@settings(max_examples=100, deadline=None)
@given(
    rows=hnp.arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 4)), elements=floats),
    tolerances=TOLERANCES,
)
def test_close_to_each_is_allclose_row_by_row(rows: np.ndarray, tolerances: tuple) -> None:
    rtol, atol = tolerances
    for value in rows:
        expected = [bool(np.allclose(row, value, rtol=rtol, atol=atol)) for row in rows]
        assert close_to_each(rows, value, rtol=rtol, atol=atol).tolist() == expected


@settings(max_examples=200, deadline=None)
@given(
    a=hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=2, max_side=3), elements=floats),
    data=st.data(),
    scale=st.sampled_from([None, 0.0, 1e-3, 1.0, 1e6]),
    rtol=st.sampled_from([1e-9, 1e-6, 1e-3]),
)
def test_agrees_is_compare_ok(a: np.ndarray, data: st.DataObject, scale: float | None, rtol: float) -> None:
    nearby = a * (1 + data.draw(st.sampled_from([0.0, 1e-13, 1e-8, 1e-6, 1e-3])))
    other = data.draw(
        st.one_of(
            st.just(nearby),
            hnp.arrays(np.float64, a.shape, elements=floats),
            hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=2, max_side=3), elements=floats),
            st.sampled_from([None, "text", [1.0, 2.0], 3, True, np.array(["a"])]),
        )
    )
    expected = np.where(np.isfinite(a), a, 1.0)  # compare's expected values are finite
    assert agrees(other, expected, scale, rtol) == compare(other, expected, scale, rtol).ok


@settings(max_examples=100, deadline=None)
@given(
    actual=hnp.arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(0, 4)), elements=floats),
    data=st.data(),
    rtol=st.sampled_from([1e-9, 1e-6, 1e-3]),
)
def test_agrees_rowwise_is_agrees_row_by_row(actual: np.ndarray, data: st.DataObject, rtol: float) -> None:
    nearby = actual * (1 + data.draw(st.sampled_from([0.0, 1e-9, 1e-6, 1e-3])))
    expected = data.draw(st.one_of(st.just(nearby), hnp.arrays(np.float64, actual.shape, elements=floats)))
    expected = np.where(np.isfinite(expected), expected, 1.0)  # compare's expected values are finite
    rows = [agrees(a, e, rtol=rtol) for a, e in zip(actual, expected, strict=True)]
    assert agrees_rowwise(actual, expected, rtol=rtol).tolist() == rows


@settings(max_examples=100, deadline=None)
@given(
    heads=hnp.arrays(np.float64, st.tuples(st.integers(0, 5), st.integers(1, 6)), elements=floats),
    data=st.data(),
)
def test_first_same_is_the_first_head_same_finds(heads: np.ndarray, data: st.DataObject) -> None:
    rows = list(heads)
    if rows:
        near = rows[data.draw(st.integers(0, len(rows) - 1))]
        a = near * (1 + data.draw(st.sampled_from([0.0, 1e-9, 1e-6, 1e-3])))
    else:
        a = np.zeros(heads.shape[1])
    a = data.draw(st.one_of(st.just(a), hnp.arrays(np.float64, heads.shape[1:], elements=floats)))
    expected = next((i for i, head in enumerate(rows) if _same(a, head)), None)
    assert _first_same(a, rows) == expected
