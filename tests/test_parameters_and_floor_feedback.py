"""The evidence behind two claims: parameters left out of Sequential.parameters() (never an order mistake), and a
relative_error floor of the wrong size (told apart from no floor by the floor probe)."""

import numpy as np
from nnlab.graders.judging.checks.gradient_checking import _FLOOR_PROBE_ENTRY, _relerr_matches
from nnlab.graders.judging.checks.sequential import _left_out
from nnlab.graders.running.plain import Handle

LAYERS = [[Handle(10 * i + j, "Param") for j in range(2)] for i in range(3)]


def test_each_layers_first_parameter_is_named_as_left_out() -> None:
    text = _left_out([params[0] for params in LAYERS], LAYERS)
    assert "3 of the layers' 6" in text and "first parameter" in text and "bias" in text


def test_the_same_parameters_reordered_or_all_of_them_are_not_left_out() -> None:
    everything = [p for params in LAYERS for p in params]
    assert _left_out(everything, LAYERS) == ""
    assert _left_out(everything[::-1][:3], LAYERS) == ""  # out of order: not a subset in layer order


def test_a_small_floor_and_no_floor_tie_on_tiny_entries_and_part_on_the_probe() -> None:
    a, b = np.zeros((2, 3)), np.zeros((2, 3))
    b[0, 0] = 1e-10  # above the floor 1e-12, below 1e-8: both give 1
    tied = _relerr_matches(a, b, 1.0)
    assert {"no-floor", "floor-wrong-magnitude"} <= set(tied)
    b[0, 0] = _FLOOR_PROBE_ENTRY  # below every floor: the value reads the floor's size
    read = _relerr_matches(a, b, _FLOOR_PROBE_ENTRY / 1e-12)  # an added 1e-12 too: the case's values part those
    assert "floor-wrong-magnitude" in read and "no-floor" not in read
    assert "floor-wrong-magnitude" not in _relerr_matches(a, b, 1.0)
