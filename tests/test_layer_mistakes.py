"""Do the layers' diagnosis tables say what a mistake's numbers single out, and no more?

Each test builds the evidence a class of mistake leaves (a crash message, a simulated gradient) on a
catalogue entry's own case and asks what the table makes of it.
"""

from __future__ import annotations

import numpy as np
import pytest
from nnlab.exercises.components import CATALOGUE, Case
from nnlab.graders.judging.checks import layer_mistakes, window_mistakes
from nnlab.graders.judging.checks.window_mistakes import Geometry

LINEAR, FLATTEN = CATALOGUE["layers.Linear"], CATALOGUE["layers.Flatten"]


def _case(component, name: str) -> Case:
    return next(c for c in component.cases if c.id == name)


@pytest.mark.parametrize("name", ["images", "already flat"])
def test_a_reshape_into_one_samples_shape_is_the_batch_axis_lost(name: str) -> None:
    case = _case(FLATTEN, name)
    shape = case.input_shape
    one = ",".join(map(str, shape[1:])) + ("," if len(shape) == 2 else "")
    message = f"cannot reshape array of size {int(np.prod(shape))} into shape ({one})"
    found = layer_mistakes.crash(FLATTEN, case, "backward", message)
    assert found is not None and found[0] == "batch-axis-dropped" and "x.shape" in found[1]


def test_a_column_of_units_against_units_along_the_columns_is_broadcast_on_the_wrong_axis() -> None:
    case = _case(LINEAR, "4 -> 3")  # (5, 4) -> (5, 3)
    found = layer_mistakes.crash(
        LINEAR, case, "forward", "operands could not be broadcast together with shapes (5,3) (3,1)"
    )
    assert found is not None and found[0] == "broadcast-wrong-axis" and "(3, 1)" in found[1]


def test_a_layer_without_a_bias_has_no_wrong_bias_shape() -> None:
    """Flatten's "bias" would be the input summed over some axes: a shape no gradient of it can have."""
    assert layer_mistakes.gradient_shapes(FLATTEN, _case(FLATTEN, "images"), "bias") == {}


def test_offset_loops_that_visit_the_same_offsets_claim_no_one_mistake() -> None:
    """A (2, 3) window: range(kH) for the columns and range(kW - 1) visit the same offsets."""
    geo = Geometry((2, 3), (2, 3), (0, 0), (4, 7), (2, 2))
    loops = window_mistakes._offset_loops(geo)
    merged = [text for tag, rows, cols, text in loops if (rows, cols) == (range(2), range(2))]
    assert [tag for tag, rows, cols, _ in loops if (rows, cols) == (range(2), range(2))] == ["window-offsets-skipped"]
    assert "range(kW - 1)" in merged[0] and "range(kH)" in merged[0]


def test_an_offset_loop_over_the_stride_alone_is_named() -> None:
    geo = Geometry((3, 3), (1, 1), (0, 0), (5, 5), (3, 3))
    tags = {tag for tag, rows, cols, _ in window_mistakes._offset_loops(geo) if (rows, cols) == (range(1), range(1))}
    assert tags == {"kernel-stride-confused"}


def test_conv_grad_y_reshaped_without_its_transpose_is_simulated_but_not_claimed_where_a_sum_explains_it() -> None:
    """With N = F, the bias gradient of grad_y.reshape(F, -1) is each sample's sum: two mistakes, no name."""
    conv = CATALOGUE["layers.Conv2d"]
    case = _case(conv, "stride 2, padding 1")  # N = F = 2

    class Twin:
        params = {"weight": np.random.default_rng(0).normal(size=(2, 2, 3, 3)), "bias": np.zeros(2)}

    x = np.random.default_rng(1).normal(size=case.input_shape)
    geo = window_mistakes.geometry(conv, case, x.shape)
    g = np.random.default_rng(2).normal(size=(2, 2, *geo.out_hw))
    found = window_mistakes.conv_backward_variants(Twin(), x, g, geo)
    assert "axes-permuted" in found["input"] and "axes-permuted" in found["weight"]
    assert "axes-permuted" not in found["bias"]
    assert not any("axes (1, 2, 3)" in text for _, text in found["bias"].values())  # each sample's sum
