"""Is plain data the only thing that crosses from student code, and is decoding safe?"""

from __future__ import annotations

import numpy as np
import pytest
from nnlab.graders.running import plain


def test_round_trip_keeps_values_types_and_dtypes() -> None:
    value = {
        "array": np.arange(6, dtype=np.float32).reshape(2, 3),
        "empty": np.zeros((0, 3)),
        "scalar": np.float64(2.5),
        "tuple": (1, 2.0, "three", None, True),
        "nan": float("nan"),
        "handle": plain.Handle(3, "Linear"),
        "nested": [[np.int64(4)], {"k": np.array([True, False])}],
    }
    back = plain.loads(plain.dumps(value))
    assert back["array"].dtype == np.float32 and np.array_equal(back["array"], value["array"])
    assert back["empty"].shape == (0, 3)
    assert type(back["scalar"]) is np.float64 and back["scalar"] == 2.5
    assert back["tuple"] == (1, 2.0, "three", None, True)
    assert np.isnan(back["nan"])
    assert back["handle"] == plain.Handle(3, "Linear")
    assert back["nested"][1]["k"].dtype == bool


class LyingArray(np.ndarray):
    """An ndarray subclass whose comparisons always say 'equal'."""

    def __eq__(self, other):  # noqa: ANN001, ANN204
        return True


def test_subclasses_are_copied_into_base_arrays() -> None:
    lying = np.arange(3.0).view(LyingArray)
    clean = plain.to_plain(lying)
    assert type(clean) is np.ndarray


def test_objects_become_handles_or_are_refused() -> None:
    class Thing:
        pass

    with pytest.raises(plain.NotPlain):
        plain.to_plain(Thing())
    assert plain.to_plain([Thing()], make_handle=lambda obj: "H") == ["H"]


@pytest.mark.parametrize(
    "message",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\x00\x00\x00\x00\x00\x00\x00\x40{}", id="header longer than message"),
        pytest.param(plain.dumps({"a": np.zeros(4)})[:-8], id="array bytes missing"),
        pytest.param(plain.dumps({"a": np.zeros(4)}) + b"junk", id="trailing bytes"),
        pytest.param(
            b'\x00\x00\x00\x00\x00\x00\x00\x2e{"__array__":0,"dtype":"|O","shape":[1]}' + b"\x00" * 8, id="object dtype"
        ),
    ],
)
def test_malformed_messages_are_rejected(message: bytes) -> None:
    with pytest.raises((plain.NotPlain, ValueError)):
        plain.loads(message)
