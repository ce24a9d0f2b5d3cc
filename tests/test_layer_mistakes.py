"""Do the layers' diagnosis tables say what a mistake's numbers single out, and no more?

Each test builds the evidence a class of mistake leaves (a crash message, a simulated gradient) on a
catalogue entry's own case and asks what the table makes of it.
"""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest
from nnlab.exercises.components import CATALOGUE, Case
from nnlab.graders.judging import diagnose
from nnlab.graders.judging.checks import conv_loops, layer_mistakes, pool_loops, window_mistakes
from nnlab.graders.judging.checks.inputs import module_input
from nnlab.graders.judging.checks.window_mistakes import Geometry
from nnlab.reference import layers as reference_layers

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


# ------------------------------------------------------------------------------- round 2 (set F's classes)
MAXPOOL, AVGPOOL = CATALOGUE["layers.MaxPool2d"], CATALOGUE["layers.AvgPool2d"]
CONV = CATALOGUE["layers.Conv2d"]


@pytest.mark.parametrize(
    ("component", "case"),
    [(k, c) for k in (LINEAR, CONV) for c in k.cases if c.kwargs.get("bias", True)],
    ids=lambda v: getattr(v, "id", getattr(v, "formula", "")),
)
def test_a_bias_gradient_meeting_one_entry_per_input_feature_is_summed_from_the_input(component, case: Case) -> None:
    """Whatever the sizes, (M,) against (D,) in backward is a bias gradient built from an input-shaped array,
    unless D is also the number of units or samples (then the vector says nothing)."""
    conv = component.formula == "convolution"
    D = case.kwargs["in_channels" if conv else "in_features"]
    M, N = case.kwargs["out_channels" if conv else "out_features"], case.input_shape[0]
    message = f"operands could not be broadcast together with shapes ({M},) ({D},) ({M},)"
    found = layer_mistakes.crash(component, case, "backward", message)
    if D in (M, N):
        assert found is None or found[0] != "bias-grad-from-input"
    else:
        assert found is not None and found[0] == "bias-grad-from-input" and "grad_y.sum(axis=" in found[1]


@pytest.mark.parametrize("case", MAXPOOL.cases, ids=lambda c: c.id)
def test_a_mask_that_disagrees_with_grad_y_in_a_three_argument_call_claims_no_slice(case: Case) -> None:
    """np.where(mask, grad_y, 0.0) failing names (mask) (grad_y) (): no slice of grad_x is in the message, so
    no way of slicing grad_x may be claimed, however well the mask's shape fits one."""
    N, C = case.input_shape[:2]
    geo = window_mistakes.geometry(MAXPOOL, case, case.input_shape)
    mask = (N, C, *(max(1, n - 1) for n in geo.out_hw))
    compact = lambda s: "(" + ",".join(map(str, s)) + ")"  # noqa: E731
    message = f"operands could not be broadcast together with shapes {compact(mask)} {compact((N, C, *geo.out_hw))} ()"
    found = layer_mistakes.crash(MAXPOOL, case, "backward", message)
    assert found is None or found[0] == ""


@pytest.mark.parametrize("component", [MAXPOOL, AVGPOOL], ids=lambda c: c.formula)
def test_windows_of_an_input_subsampled_first_are_simulated_where_there_is_a_stride(component) -> None:
    rng = np.random.default_rng(0)
    for case in component.cases:
        x = rng.normal(size=case.input_shape)
        geo = window_mistakes.geometry(component, case, x.shape)
        (sH, sW), (kH, kW) = geo.stride, geo.kernel
        kept = x[:, :, ::sH, ::sW]
        found = window_mistakes.pool_forward_variants(component, _Twin(component, case), x, geo)
        if geo.stride == (1, 1) or kept.shape[2] < kH or kept.shape[3] < kW:
            assert "stride-before-window" not in found, case.id
            continue
        windows = np.lib.stride_tricks.sliding_window_view(kept, geo.kernel, axis=(2, 3))
        reduce = np.mean if component.formula == "avg-pool" else np.max
        np.testing.assert_allclose(found["stride-before-window"][0], reduce(windows, axis=(4, 5)))


@pytest.mark.parametrize("component", [MAXPOOL, AVGPOOL], ids=lambda c: c.formula)
def test_a_scatter_that_drops_the_window_offset_is_simulated_for_either_axis(component) -> None:
    """The slice of offset (i, j) starting at 0 on the rows, the columns or both: every window's gradient piles
    up on its first row, column or corner, and the input gradient keeps the right total."""
    rng = np.random.default_rng(1)
    for case in component.cases:
        x = rng.normal(size=case.input_shape)
        geo = window_mistakes.geometry(component, case, x.shape)
        g = rng.normal(size=(*x.shape[:2], *geo.out_hw))
        found = window_mistakes.pool_backward_variants(component, x, g, geo)
        dropped = {t for t in found if t.startswith("window-offset-ignored")}
        assert dropped, case.id
        for tag in dropped:
            np.testing.assert_allclose(found[tag][0].sum(), g.sum(), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("case", AVGPOOL.cases, ids=lambda c: c.id)
def test_a_factor_of_the_window_area_names_one_reading_only_on_a_rectangular_window(case: Case) -> None:
    """On a square window `/ kH * kW` cancels: its numbers are no division's, so only the class both share, a
    wrong divisor, is named there; a rectangular window separates them."""
    geo = window_mistakes.geometry(AVGPOOL, case, case.input_shape)
    (kH, kW) = geo.kernel
    tag, text = window_mistakes.pool_factors(geo)[float(kH * kW)]
    if kH == kW:
        assert tag == "avgpool-divisor" and "no division" in text and "/ kH * kW" in text
    else:
        assert tag == "avgpool-not-divided"


def test_the_steps_a_scatter_line_writes_choose_between_slices_of_the_same_size() -> None:
    """A (1, 3) window, stride (1, 2): the row slice stepping by sW and one offset past the window's rows both
    leave 2 rows where 3 belong; the line's own steps say which."""
    geo = Geometry((1, 3), (1, 2), (0, 0), (3, 7), (3, 3))
    shapes = {(2, 2, 2, 3), (2, 2, 3, 3)}
    swapped = "grad_x[:, :, i:i + sW * Ho:sW, j:j + sH * Wo:sH] += share"
    past = "grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share"
    assert window_mistakes.scatter_crash(shapes, (2, 2, 3, 7), geo, swapped)[0] == "stride-height-width-swapped"
    # One offset past the window's rows, (1, 0), is reached first by a loop one too far and by a flat offset decoded
    # with divmod(k, kH) alike: the offset is said, with both ways to it, and neither is claimed.
    tag, text = window_mistakes.scatter_crash(shapes, (2, 2, 3, 7), geo, past)
    assert tag == "window-offset-outside" and "range(kH + 1)" in text and "divmod(k, kH)" in text
    assert window_mistakes.scatter_crash(shapes, (2, 2, 3, 7), geo, "") == window_mistakes.AMBIGUOUS


@pytest.mark.parametrize(
    "line",
    [
        "grad_x[:, :, i:i + kH * Ho:sH, j:j + kW * Wo:sW] += share",
        "dx[:, :, a:a + self.k[0] * oh:self.s[0], b:b + self.k[1] * ow:self.s[1]] += share",
    ],
)
def test_a_scatter_slice_ending_with_the_window_size_for_the_stride_is_read_from_the_line(line: str) -> None:
    """3x3 windows, stride 1, 5x5 input: an end i + kH*H' runs to the input's end (5 rows where 3 belong), as a slice
    with no end would; the line's end, a product without the step, says which. Without the line, neither."""
    geo = Geometry((3, 3), (1, 1), (0, 0), (5, 5), (3, 3))
    shapes = {(1, 2, 5, 5), (1, 2, 3, 3)}
    tag, text = window_mistakes.scatter_crash(shapes, (1, 2, 5, 5), geo, line)
    assert tag == "kernel-stride-confused" and "i + kH*H'" in text
    right = "grad_x[:, :, i:i + sH * Ho:sH, j:j + sW * Wo:sW] += share"
    assert window_mistakes.scatter_crash(shapes, (1, 2, 5, 5), geo, right)[0] != "kernel-stride-confused"
    assert window_mistakes.scatter_crash(shapes, (1, 2, 5, 5), geo, "") == window_mistakes.AMBIGUOUS


def test_a_maxpool_winner_taken_without_an_axis_is_simulated() -> None:
    """np.take(windows, argmax) reads flat indices of the whole windows array: every window's output comes from the
    first kH*kW entries."""
    component = CATALOGUE["layers.MaxPool2d"]
    case = _case(component, "3x3 stride 1 (overlapping)")
    x = module_input(component, case, np.random.default_rng(0))
    geo = window_mistakes.geometry(component, case, x.shape)

    class Twin:
        ref = reference_layers.MaxPool2d(**case.kwargs)

    variants = window_mistakes.pool_forward_variants(component, Twin(), x, geo)
    flat = window_mistakes.pool_windows(x, geo.kernel, geo.stride)
    wrong = np.take(flat, flat.argmax(axis=-1))
    assert any(k.startswith("take-without-axis") and np.allclose(v, wrong) for k, (v, _) in variants.items())


def test_a_scatter_offset_scaled_by_the_stride_is_read_from_the_line() -> None:
    """2x2 windows, stride 2: offset j = 1 started at column 2 leaves 2 columns where 3 belong; a loop one column
    past the window leaves the same, but the line's starts i * sH say which."""
    geo = Geometry((2, 2), (2, 2), (0, 0), (4, 6), (2, 3))
    shapes = {(2, 3, 2, 2), (2, 3, 2, 3)}
    scaled = "grad_x[:, :, i * sH:i * sH + sH * Ho:sH, j * sW:j * sW + sW * Wo:sW] += share"
    tag, text = window_mistakes.scatter_crash(shapes, (2, 3, 4, 6), geo, scaled)
    assert tag == "offset-scaled-by-stride" and "i:i + sH*H':sH" in text


def test_a_padded_copy_at_the_other_axis_offset_is_cut_short_at_the_edge() -> None:
    """Padding (2, 0): x copied at column offset pH runs past the padded width and numpy cuts the slice to 3."""
    case = _case(CONV, "rectangular kernel")  # x (2, 1, 4, 5), padding (2, 0)
    message = "could not broadcast input array from shape (2,1,4,5) into shape (2,1,4,3)"
    found = layer_mistakes.crash(CONV, case, "forward", message, "xp[:, :, pH:pH + H, pH:pH + W] = x")
    assert found is not None and found[0] == "square-only-index" and "pH:pH + W" in found[1]


def test_a_row_length_counting_the_batch_is_the_batch_axis_flattened() -> None:
    case = _case(FLATTEN, "images")  # (2, 3, 4, 5)
    found = layer_mistakes.crash(FLATTEN, case, "forward", "cannot reshape array of size 120 into shape (2,120)")
    assert found is not None and found[0] == "flatten-batch-axis" and "x.shape[1:]" in found[1]


class _Twin:
    """What the pool variants read of a twin: the reference layer of the case."""

    def __init__(self, component, case: Case) -> None:
        self.ref = getattr(reference_layers, component.name.rpartition(".")[2])(**case.kwargs)


# ------------------------------------------------------------------------------- set J's classes
def test_an_overlap_averaged_over_its_windows_is_not_claimed_as_overwritten_by_the_subset_alone() -> None:
    """Divided by the number of windows that hold it, an entry is wrong exactly where windows overlap, as with `=`;
    the subset alone may not claim `=`, and the variant names the average."""
    case = _case(AVGPOOL, "rectangular window")  # (2, 3) windows, stride (1, 2): a minority of entries overlap
    rng = np.random.default_rng(0)
    x = rng.normal(size=case.input_shape)
    geo = window_mistakes.geometry(AVGPOOL, case, x.shape)
    g = rng.normal(size=(*x.shape[:2], *geo.out_hw))
    right = window_mistakes.scatter(lambda i, j: g / 6.0, x.shape, geo, geo.stride)
    averaged = right / np.maximum(window_mistakes.coverage(geo), 1.0)
    subsets = window_mistakes.overlap_subset(geo, x.shape, crop=False)
    assert diagnose.explain(averaged, right, what="the input gradient", subsets=subsets).tag != "overlap-overwritten"
    variants = window_mistakes.pool_backward_variants(AVGPOOL, x, g, geo)
    assert diagnose.explain(averaged, right, what="the input gradient", variants=variants).tag == "overlap-normalised"


def test_a_gradient_clipped_on_both_sides_is_named_and_one_capped_sign_is_not() -> None:
    rng = np.random.default_rng(1)
    right = 3.0 * rng.normal(size=(4, 5))
    clipped = diagnose.explain(np.clip(right, -1.0, 1.0), right, what="the gradient of `weight`")
    assert clipped.tag == "gradient-clipped" and "[-1, 1]" in clipped.diagnosis.text
    capped = diagnose.explain(np.maximum(right, -1.0), right, what="the gradient of `weight`")
    assert capped.tag != "gradient-clipped"
    assert diagnose.explain(np.clip(right, -1.0, 1.0), right, what="the output").tag != "gradient-clipped"
    rescaled = diagnose.explain(right / np.linalg.norm(right), right, what="the input gradient")
    assert rescaled.tag == "gradient-clipped" and "norm 1" in rescaled.diagnosis.text


def test_a_variant_with_nan_where_the_mistake_divides_0_by_0_reproduces_the_same_nan() -> None:
    right = np.array([[0.5, 0.25], [0.0, 1.0]])
    wrong = np.array([[1.0, 0.5], [np.nan, 2.0]])
    variants = {"avgpool-divisor#non-zero": (wrong.copy(), "divided by the non-zero entries")}
    assert diagnose.explain(wrong, right, variants=variants).tag == "avgpool-divisor"
    elsewhere = np.array([[1.0, np.nan], [0.0, 2.0]])  # nan in another entry: not what the variant gives
    assert diagnose.explain(elsewhere, right, variants=variants).tag != "avgpool-divisor"


def test_a_relu_output_case_holds_exact_zeros() -> None:
    x = module_input(AVGPOOL, _case(AVGPOOL, "after a ReLU (exact zeros)"), np.random.default_rng(2))
    assert (x == 0).mean() > 0.25 and (x > 0).any() and (x >= 0).all()


# ------------------------------------------------------------------------------- set M's classes
@pytest.mark.parametrize("component", [CONV, AVGPOOL], ids=lambda c: c.formula)
def test_an_input_gradient_accumulated_onto_the_input_is_a_buffer_not_zeroed(component) -> None:
    case = component.cases[0]
    twin = _Twin(component, case)
    twin.params = {name: getattr(twin.ref, name).data for name in component.params_for(case.kwargs)}
    rng = np.random.default_rng(2)
    x = rng.normal(size=case.input_shape)
    g = rng.normal(size=twin.ref.forward(x).shape)
    right = twin.ref.backward(g)
    variants = layer_mistakes.backward_variants(component, case, twin, x, g)["input"]
    found = diagnose.explain(x + right, right, what="the input gradient", variants=variants)
    assert found.tag == "buffer-not-zeroed" and "zeros" in found.diagnosis.text


def test_a_linear_shape_error_on_a_transposed_row_is_read_from_the_line() -> None:
    """Linear's inputs are 2-D, so grad_y[n] is a 1-D row: its .T is itself, whatever sizes numpy names."""
    case = _case(LINEAR, "4 -> 3")
    message = (
        "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) "
        "(size 4 is different from 3)"
    )
    assert layer_mistakes.crash(LINEAR, case, "backward", message)[0] == "linear-grad-x-uses-w-transposed"
    found = layer_mistakes.crash(LINEAR, case, "backward", message, "dW += grad_y[n].T @ self._x[n]")
    assert found is not None and found[0] == "transpose-of-1d" and "np.outer" in found[1]


def test_a_transposed_row_of_a_conv_input_is_not_read_as_a_1d_transpose() -> None:
    """Conv2d's inputs are 4-D: cols[n] is 2-D or more, and its .T is a real transpose."""
    case = CONV.cases[0]
    message = (
        "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) "
        "(size 4 is different from 3)"
    )
    found = layer_mistakes.crash(CONV, case, "forward", message, "out[n] = cols[n].T @ W")
    assert found is None or found[0] != "transpose-of-1d"


def test_an_einsum_reading_the_weight_as_in_out_is_read_from_its_line() -> None:
    case = _case(LINEAR, "4 -> 3")
    message = (
        "operands could not be broadcast together with remapped shapes [original->remapped]: "
        "(5,4)->(5,newaxis,4) (3,4)->(4,3)"
    )
    line = '        y = np.einsum("nd,dm->nm", x, self.weight.data) + self.bias.data\n'
    tag, text = layer_mistakes.crash(LINEAR, case, "forward", message, line)
    assert tag == "transposed" and "(out, in) = (3, 4)" in text and "'nd,md->nm'" in text
    assert layer_mistakes.crash(LINEAR, case, "forward", message, "        y = np.einsum(spec, x, w)\n") is None


def test_a_scatter_slice_with_the_window_size_in_the_row_end_only_is_read_from_the_line() -> None:
    """3x3 windows, stride 1: only the row end i + kH*H' runs to the input's end (5 rows, 3 columns)."""
    geo = Geometry((3, 3), (1, 1), (0, 0), (5, 5), (3, 3))
    line = "grad_x[:, :, i:i + kH * Ho:sH, j:j + sW * Wo:sW] += share"
    tag, text = window_mistakes.scatter_crash({(1, 2, 5, 3), (1, 2, 3, 3)}, (1, 2, 5, 5), geo, line)
    assert tag == "kernel-stride-confused" and "i + kH*H'" in text


def test_avg_pool_offsets_past_or_swapped_are_told_apart_on_the_probe() -> None:
    """On the probe geometry a loop one past a side and the window's sides swapped give different gradients, and
    the swapped loops and divmod(k, kH) are named together (the same offsets)."""
    kernel = (2, 3)
    stride, shape = window_mistakes.offsets_probe(kernel)
    g = np.random.default_rng(3).standard_normal((*shape[:2], 3, 3))
    variants = window_mistakes.avg_pool_offsets_variants(g, shape, kernel, stride)
    assert set(variants) == {"loop-off-by-one#rows-past", "loop-off-by-one#columns-past", "window-sides-swapped"}
    assert "divmod(k, kH)" in variants["window-sides-swapped"][1]


def test_a_batch_flattened_into_one_row_is_simulated() -> None:
    x = np.arange(24.0).reshape(2, 3, 4)
    component = CATALOGUE["layers.Flatten"]
    variants = layer_mistakes.forward_variants(component, component.cases[0], None, x)
    value, text = variants["flatten-batch-axis"]
    assert value.shape == (1, 24) and "x.reshape(x.shape[0], -1)" in text


def test_position_loops_that_reach_the_same_positions_claim_no_one_mistake() -> None:
    """A 3x4 output: range(H') for the columns and range(W' - 1) reach the same positions; on a 2x5 output they do
    not, and each is named on its own there."""
    right = np.arange(2 * 2 * 3 * 4, dtype=np.float64).reshape(2, 2, 3, 4) + 1.0
    geo = Geometry((2, 2), (1, 1), (0, 0), (4, 5), (3, 4))
    merged = window_mistakes.position_loop_variants(right, None, geo)
    skipped = [text for tag, (_, text) in merged.items() if tag.startswith(window_mistakes.POSITIONS_SKIPPED)]
    assert len(skipped) == 1 and "range(W' - 1)" in skipped[0] and "range(H')" in skipped[0]
    wide = Geometry((2, 2), (1, 1), (0, 0), (3, 6), (2, 5))
    apart = window_mistakes.position_loop_variants(np.ones((1, 1, 2, 5)), None, wide)
    assert "square-only-index#columns-over-height" in apart and "loop-off-by-one#columns-stop-short" in apart


def test_an_im2col_counter_reset_per_sample_leaves_the_last_samples_windows_in_the_first_columns() -> None:
    geo = Geometry((2, 2), (1, 1), (0, 0), (3, 3), (2, 2))
    xp = np.random.default_rng(0).standard_normal((3, 1, 3, 3))
    found = window_mistakes.columns_counter_reset(xp, geo)
    right = window_mistakes._columns(xp, geo)
    cols, text = found["counter-not-reset#sample"]
    assert np.array_equal(cols[:, :4], right[:, -4:]) and not cols[:, 4:].any() and "before the loops" in text


def test_a_sum_over_units_assigned_in_a_loop_keeps_the_last_units_contribution() -> None:
    """Linear's input gradient grad_y @ W is a sum over the output units: `=` in their loop leaves the last one's."""
    case = _case(LINEAR, "4 -> 3")
    layer = reference_layers.Linear(**case.kwargs)
    x = module_input(LINEAR, case, np.random.default_rng(0))
    g = np.random.default_rng(1).standard_normal((x.shape[0], case.kwargs["out_features"]))
    twin = type("Twin", (), {"params": {"weight": layer.weight.data, "bias": layer.bias.data}, "ref": layer})()
    value, text = layer_mistakes.backward_variants(LINEAR, case, twin, x, g)["input"]["assigned-not-accumulated#units"]
    assert np.allclose(value, np.outer(g[:, -1], layer.weight.data[-1])) and "+=" in text


@pytest.mark.parametrize("component", [MAXPOOL, AVGPOOL], ids=lambda c: c.formula)
def test_a_window_loop_one_short_or_with_one_index_for_the_other_is_simulated_as_a_student_writes_it(component) -> None:
    """The loops over the windows' starts written range(0, H - kH, sH) (one short where H - kH is a multiple of the
    stride) and a column slice copied from the row's give, in the simulation, what those loops give as written."""
    reduce = np.mean if component.formula == "avg-pool" else np.max
    rng = np.random.default_rng(2)
    for case in component.cases:
        x = rng.normal(size=case.input_shape)
        geo = window_mistakes.geometry(component, case, x.shape)
        (kH, kW), (sH, sW), (Ho, Wo) = geo.kernel, geo.stride, geo.out_hw
        H, W = x.shape[2:]
        short, copied = np.zeros((*x.shape[:2], Ho, Wo)), np.zeros((*x.shape[:2], Ho, Wo))
        for p, r in enumerate(range(0, H - kH, sH)):
            for q, c in enumerate(range(0, W - kW, sW)):
                short[:, :, p, q] = reduce(x[:, :, r : r + kH, c : c + kW], axis=(2, 3))
        for p in range(Ho):
            for q in range(Wo):
                window = x[:, :, p * sH : p * sH + kH, p * sW : p * sW + kW]
                copied[:, :, p, q] = reduce(window, axis=(2, 3)) if window.size else np.nan
        found = pool_loops.forward_loop_variants(x, geo, component.formula == "avg-pool")
        if (H - kH) % sH == 0 and (W - kW) % sW == 0 and min(Ho, Wo) > 1:
            np.testing.assert_allclose(found["loop-off-by-one#windows-both"][0], short, err_msg=case.id)
        if "copy-paste#column-from-row" in found:
            np.testing.assert_allclose(found["copy-paste#column-from-row"][0], copied, err_msg=case.id)


def test_a_max_pools_saved_winners_are_named_only_beside_right_maxima() -> None:
    """Every window's gradient at its first entry is what a backward dropping the offset gives too: only winners
    saved at offset 0 beside a right forward tell that forward's winner never followed the maximum."""
    case = _case(MAXPOOL, "3x3 stride 1 (overlapping)")
    rng = np.random.default_rng(3)
    x = rng.normal(size=case.input_shape)
    twin = SimpleNamespace(ref=reference_layers.MaxPool2d(**case.kwargs))
    right = twin.ref.forward(x)
    g = rng.normal(size=right.shape)
    first = np.zeros(right.shape, dtype=int)
    found = layer_mistakes.saved_state_variants(MAXPOOL, case, twin, x, g, {"_argmax": first}, right)
    assert set(found) == {"compared-with-itself#saved-winner-first"}
    at_first = np.zeros(x.shape)
    at_first[:, :, : right.shape[2], : right.shape[3]] = g  # stride 1: window (p, q) starts at (p, q)
    np.testing.assert_allclose(found["compared-with-itself#saved-winner-first"][0], at_first)
    assert not layer_mistakes.saved_state_variants(MAXPOOL, case, twin, x, g, {"_argmax": first}, right + 1.0)
    saved = {"_argmax": twin.ref._argmax.copy()}
    assert not layer_mistakes.saved_state_variants(MAXPOOL, case, twin, x, g, saved, right)


def test_pool_position_loops_that_reach_the_same_windows_claim_no_one_mistake() -> None:
    """A 2x3 output of a pool: range(H') for the columns and range(W' - 1) reach the same windows, so they are one
    statement that names both and claims neither; unmerged (what a rerun compares), each is there on its own."""
    geo = Geometry((2, 2), (2, 2), (0, 0), (4, 6), (2, 3))
    x = np.random.default_rng(4).normal(size=(2, 1, 4, 6))
    merged = pool_loops.forward_loop_variants(x, geo, average=True)
    skipped = [text for tag, (_, text) in merged.items() if tag.startswith(pool_loops.POSITIONS_SKIPPED)]
    assert len(skipped) == 1 and "stopped one short" in skipped[0] and "range(H') = range(2)" in skipped[0]
    assert "loop-off-by-one#windows-columns-from-one" in merged
    apart = pool_loops.forward_loop_variants(x, geo, average=True, merge=False)
    short, other = apart["loop-off-by-one#windows-columns"], apart["square-only-index#windows-columns-over-height"]
    np.testing.assert_array_equal(short[0], other[0])
    assert not short[0][..., 2].any() and short[0][..., :2].all()


@pytest.mark.parametrize("component", [MAXPOOL, AVGPOOL], ids=lambda c: c.formula)
def test_a_window_loop_stepped_by_the_kernel_is_simulated_with_numpys_clipping(component) -> None:
    """Window (p, q) sliced at p*kH:p*kH + kH (the kernel for the stride) runs past the edge where windows overlap:
    numpy cuts it short and nothing raises. The simulation gives what the loop gives as written, in forward (an
    average pool's sum over what is left, divided by kH*kW) and in backward (grad_y's share broadcast into the cut
    window, or a max pool's maximum found again there)."""
    average = component.formula == "avg-pool"
    case = _case(component, "rectangular window")
    rng = np.random.default_rng(5)
    x = rng.normal(size=case.input_shape)
    geo = window_mistakes.geometry(component, case, x.shape)
    (kH, kW), (Ho, Wo) = geo.kernel, geo.out_hw
    assert (Wo - 1) * kW + kW > x.shape[3]  # the last column of windows runs past the edge
    g = rng.normal(size=(*x.shape[:2], Ho, Wo))
    forward, backward = np.zeros_like(g), np.zeros(x.shape)
    for p in range(Ho):
        for q in range(Wo):
            rows, cols = slice(p * kH, p * kH + kH), slice(q * kW, q * kW + kW)
            window = x[:, :, rows, cols]
            if average:
                forward[:, :, p, q] = window.sum(axis=(2, 3)) / (kH * kW)
                backward[:, :, rows, cols] += g[:, :, p, q, None, None] / (kH * kW)
            else:
                forward[:, :, p, q] = window.max(axis=(2, 3))
                backward[:, :, rows, cols] += (window == window.max(axis=(2, 3), keepdims=True)) * g[
                    :, :, p, q, None, None
                ]
    found = pool_loops.forward_loop_variants(x, geo, average)
    tag = "stride-is-kernel#window-loop" + ("-sum" if average else "")
    np.testing.assert_allclose(found[tag][0], forward)
    assert "numpy cuts a slice there short" in found[tag][1]
    twin = SimpleNamespace(ref=getattr(reference_layers, "AvgPool2d" if average else "MaxPool2d")(**case.kwargs))
    variants = layer_mistakes.backward_variants(component, case, twin, x, g)["input"]
    tag = "stride-is-kernel#window-loop" + ("" if average else "-recomputed")
    np.testing.assert_allclose(variants[tag][0], backward)


def test_a_window_loop_whose_windows_start_past_the_edge_simulates_nothing_for_a_max_pool() -> None:
    """3x3 windows stepped by 3 on a 5x5 input: window 2 starts past the edge, and the max of an empty slice raises,
    as the student's code does; the average pool's loop runs (its mean of nothing is nan, its sum 0)."""
    geo = Geometry((3, 3), (1, 1), (0, 0), (5, 5), (3, 3))
    x = np.random.default_rng(6).normal(size=(1, 2, 5, 5))
    assert "stride-is-kernel#window-loop" not in pool_loops.forward_loop_variants(x, geo, average=False)
    found = pool_loops.forward_loop_variants(x, geo, average=True)
    assert not found["stride-is-kernel#window-loop-sum"][0][..., 2, :].any()


CONV = CATALOGUE["layers.Conv2d"]
# Where a loop over the output positions puts window (p, q)'s origin, per wrong step: the step mistake it is.
_CONV_STEPS = {
    "stride-is-kernel": lambda geo: geo.kernel,
    "stride-height-width-swapped": lambda geo: geo.stride[::-1],
    "square-only-index": lambda geo: (geo.stride[0], geo.stride[0]),
}


def _conv_loop_message(geo: Geometry, x_shape, filters: int, step, style: str) -> str | None:
    """numpy's own message from a student's loop over the output positions with the windows ``step`` apart: forward's
    product with the filters, backward's scatter into grad_xp, or its weight-gradient accumulation; None where every
    window fits."""
    rng = np.random.default_rng(0)
    (kH, kW), (a, b) = geo.kernel, step
    xp = rng.normal(size=(x_shape[0], x_shape[1], *geo.padded))
    w = rng.normal(size=(filters, x_shape[1], kH, kW))
    g = rng.normal(size=(x_shape[0], filters, *geo.out_hw))
    grad_xp, dw = np.zeros(xp.shape), np.zeros(w.shape)
    try:
        for p in range(geo.out_hw[0]):
            for q in range(geo.out_hw[1]):
                window = (slice(None), slice(None), slice(p * a, p * a + kH), slice(q * b, q * b + kW))
                if style == "forward":
                    (xp[window][:, None] * w[None]).sum(axis=(2, 3, 4))
                elif style == "scatter":
                    grad_xp[window] += np.einsum("nf,fchw->nchw", g[:, :, p, q], w)
                else:
                    dw += np.einsum("nf,nchw->fchw", g[:, :, p, q], xp[window])
    except ValueError as error:
        return str(error)
    return None


@pytest.mark.parametrize("style", ["forward", "scatter", "weight"])
def test_a_conv_position_loop_cut_by_the_edge_names_only_its_own_step(style: str) -> None:
    """Every wrong step on every Conv2d case, run as numpy runs a student's loop: where the reader names a mistake,
    it is the step's own; the 3x3 case's kernel step is named from the message alone (no other known way of placing
    the windows cuts that slice first)."""
    method = "forward" if style == "forward" else "backward"
    named = set()
    for case in CONV.cases:
        geo = window_mistakes.geometry(CONV, case, case.input_shape)
        for tag, step in _CONV_STEPS.items():
            if step(geo) == geo.stride:
                continue
            message = _conv_loop_message(geo, case.input_shape, case.kwargs["out_channels"], step(geo), style)
            if message is None:
                continue
            found = layer_mistakes.crash(CONV, case, method, message)
            if found is not None:
                assert found[0] == tag, (case.id, tag, message, found)
                named.add((case.id, found[0]))
    assert ("3x3", "stride-is-kernel") in named


def test_the_slices_a_conv_loop_line_writes_choose_between_steps_that_cut_alike() -> None:
    """Stride 2, padding 1: windows 3 apart and windows on an unpadded input both cut window (0, 2) to 3 x 1 first;
    the line's own steps (p * kH) say which. Stride (2, 1), kernel 2: the pair swapped and the windows 2 apart both
    cut an empty slice first; the line's p * sW, q * sH says which, and p * kH, q * kW (2 and 2, the row stride for
    both too) says neither."""
    case = _case(CONV, "stride 2, padding 1")
    message = "non-broadcastable output operand with shape (2,2,3,1) doesn't match the broadcast shape (2,2,3,3)"
    assert layer_mistakes.crash(CONV, case, "backward", message) is None
    line = "grad_xp[:, :, p * kH:p * kH + kH, q * kW:q * kW + kW] += np.einsum('nf,fchw->nchw', g, w)"
    tag, text = layer_mistakes.crash(CONV, case, "backward", message, line)
    assert tag == "stride-is-kernel" and "window (0, 2) then starts at row 0, column 6" in text.lower()
    case = _case(CONV, "stride (2, 1), no bias")
    message = "operands could not be broadcast together with shapes (1,1,2,2,0) (1,3,2,2,2)"
    swapped = "y[:, :, p, q] = (xp[:, None, :, p * sW:p * sW + kH, q * sH:q * sH + kW] * w[None]).sum(axis=(2, 3, 4))"
    assert layer_mistakes.crash(CONV, case, "forward", message, swapped)[0] == "stride-height-width-swapped"
    kernel = swapped.replace("p * sW:p * sW", "p * kH:p * kH").replace("q * sH:q * sH", "q * kW:q * kW")
    assert layer_mistakes.crash(CONV, case, "forward", message, kernel) is None
    assert layer_mistakes.crash(CONV, case, "forward", message) is None


def test_a_cut_window_is_read_with_the_way_numpy_met_it() -> None:
    kernel = (3, 3)
    assert conv_loops.read_cut("operands could not be broadcast together with shapes (2,2,3,1) (2,3,3)", kernel) == (
        (3, 1),
        "product",
    )
    assert conv_loops.read_cut(
        "operands could not be broadcast together with shapes (2,2,3,0) (2,2,3,3) (2,2,3,0)", kernel
    ) == ((3, 0), "into-slice")
    assert conv_loops.read_cut(
        "operands could not be broadcast together with shapes (3,2,3,3) (3,2,2,3) (3,2,3,3)", kernel
    ) == ((2, 3), "into-block")
    assert conv_loops.read_cut("could not broadcast input array from shape (2,2,3,3) into shape (2,2,3,1)", kernel) == (
        (3, 1),
        "into-slice",
    )
    # Leading axes that do not broadcast (another operand went wrong), or no kernel-sized block: no cut window.
    assert conv_loops.read_cut("operands could not be broadcast together with shapes (2,4,3,1) (2,3,3)", kernel) is None
    assert (
        conv_loops.read_cut("operands could not be broadcast together with shapes (2,2,5,6) (2,2,3,4)", kernel) is None
    )


def _conv_geometry(N: int, C: int, hw: tuple[int, int], k: tuple[int, int], stride: tuple[int, int]) -> Geometry:
    out = tuple(1 + (n - kk) // s for n, kk, s in zip(hw, k, stride, strict=True))
    return Geometry(k, stride, (0, 0), hw, out)


def test_im2col_reshapes_where_a_transpose_belongs_are_simulated_as_the_student_builds_them() -> None:
    """The offset loop storing each (N, C, H', W') slice with .reshape(C, N, H', W'), and the position loop storing
    each (N, C, kH, kW) window with .reshape(C, kH, kW, N): the simulated windows are what that code builds."""
    rng = np.random.default_rng(0)
    N, C, (kH, kW), (sH, sW) = 2, 3, (2, 3), (1, 2)
    xp = rng.standard_normal((N, C, 5, 7))
    geo = _conv_geometry(N, C, (5, 7), (kH, kW), (sH, sW))
    Ho, Wo = geo.out_hw
    found = window_mistakes.im2col_layouts(xp, geo)
    offsets = np.empty((C, kH, kW, N, Ho, Wo))
    positions = np.empty((C, kH, kW, N, Ho, Wo))
    for i in range(kH):
        for j in range(kW):
            offsets[:, i, j] = xp[:, :, i : i + sH * Ho : sH, j : j + sW * Wo : sW].reshape(C, N, Ho, Wo)
    for p in range(Ho):
        for q in range(Wo):
            positions[..., p, q] = xp[:, :, p * sH : p * sH + kH, q * sW : q * sW + kW].reshape(C, kH, kW, N)
    assert np.allclose(found["reshape-not-transpose#im2col-ncpq-cnpq"][0], offsets)
    (position_tag,) = [t for t, (v, _) in found.items() if v.shape == positions.shape and np.allclose(v, positions)]
    assert position_tag.startswith("reshape-not-transpose#") and "output positions" in found[position_tag][1]
    assert "(N, C, kH, kW, H', W')" in found[position_tag][1]  # the same reshape of the same memory, named too


def test_sample_columns_taken_strided_are_simulated_and_nothing_is_mixed_for_one_sample() -> None:
    rng = np.random.default_rng(1)
    N, C, F = 3, 2, 4
    xp = rng.standard_normal((N, C, 5, 5))
    geo = _conv_geometry(N, C, (5, 5), (3, 3), (1, 1))
    Ho, Wo = geo.out_hw
    cols = window_mistakes._columns(xp, geo)
    g = rng.standard_normal((N, F, Ho, Wo))
    strided = sum(g[n].reshape(F, -1) @ cols[:, n::N].T for n in range(N))
    windows, _ = window_mistakes.im2col_layouts(xp, geo)["reshape-order#sample-columns-npq-pqn"]
    assert np.allclose(np.einsum("nfpq,cijnpq->fcij", g, windows).reshape(F, -1), strided)
    one = window_mistakes.im2col_layouts(xp[:1], geo)
    assert not any(tag.startswith("reshape-order#") for tag in one)


def test_an_index_past_the_edge_that_a_winner_decoded_with_the_sides_swapped_reaches_is_read() -> None:
    """A (1, 3) window, stride (1, 2), on 3 rows: a flat winner k unravelled as (k // kH, k % kH) reaches rows up
    to 2 + 2 = 4, past the input's 3; a square window, an index on the columns (where the decoded column stays
    inside the window) or an index past that reach is not this reading; the sentence names both ways to the index
    and claims neither."""
    geo = Geometry((1, 3), (1, 2), (0, 0), (3, 7), (3, 3))
    message = "index 3 is out of bounds for axis 2 with size 3"
    assert window_mistakes.decoded_past_the_edge(message, (2, 2, 3, 7), geo) == (2, 3, 3)
    assert window_mistakes.decoded_past_the_edge(message.replace("index 3", "index 5"), (2, 2, 3, 7), geo) is None
    assert (
        window_mistakes.decoded_past_the_edge("index 7 is out of bounds for axis 3 with size 7", (2, 2, 3, 7), geo)
        is None
    )
    square = Geometry((2, 2), (1, 1), (0, 0), (3, 3), (2, 2))
    assert window_mistakes.decoded_past_the_edge(message, (2, 2, 3, 3), square) is None
    tall = Geometry((3, 2), (2, 1), (0, 0), (7, 3), (3, 2))  # columns reach 1 + 2 = 3, past the input's 3
    assert window_mistakes.decoded_past_the_edge(
        "index 3 is out of bounds for axis 3 with size 3", (2, 2, 7, 3), tall
    ) == (3, 3, 3)
    text = window_mistakes.decoded_past_text(2, 3, geo)
    assert "np.unravel_index(k, (kW, kH))" in text and "each other's axes" in text


def test_a_winner_decoded_with_one_half_swapped_and_indexed_is_simulated_where_it_fits() -> None:
    """A (2, 4) window spaced 5 apart: the row k // kH with the column k % kW, indexed at the window's corner, sends
    a winner of the second row to rows 2 and 3 below the window, inside the input: simulated, apart from the loop
    over the window's offsets (which loses it)."""
    geo = Geometry((2, 4), (5, 5), (0, 0), (15, 15), (3, 3))
    rng = np.random.default_rng(3)
    x, g = rng.normal(size=(1, 1, 15, 15)), rng.normal(size=(1, 1, 3, 3))
    component = CATALOGUE["layers.MaxPool2d"]
    found = window_mistakes.pool_backward_variants(component, x, g, geo, raw=True)
    winner = window_mistakes.pool_windows(x, (2, 4), (5, 5)).argmax(axis=-1)
    expected = np.zeros(x.shape)
    for p in range(3):
        for q in range(3):
            k = winner[0, 0, p, q]
            expected[0, 0, 5 * p + k // 2, 5 * q + k % 4] += g[0, 0, p, q]
    np.testing.assert_allclose(found["kernel-height-width-swapped#row-div-kh-indexed"][0], expected)
    assert not np.allclose(found["kernel-height-width-swapped#row-div-kh"][0], expected)


@pytest.mark.parametrize("component", [MAXPOOL, AVGPOOL], ids=lambda c: c.formula)
@pytest.mark.parametrize(
    ("tag", "sides"),
    [
        ("square-only-index#window-loop-kernel-rows", lambda kH, kW: (kH, kH)),
        ("square-only-index#window-loop-kernel-columns", lambda kH, kW: (kW, kW)),
        ("kernel-height-width-swapped#window-loop", lambda kH, kW: (kW, kH)),
    ],
    ids=["kh-for-both", "kw-for-both", "swapped"],
)
def test_a_window_loop_slicing_the_wrong_sides_is_simulated_with_numpys_clipping(component, tag, sides) -> None:
    """Window (p, q) sliced with one side for both, or the two swapped, on a window that is not square: forward's
    loop pools what numpy's slice holds (cut at the edge), and a square window has no such slip to show."""
    average = component.formula == "avg-pool"
    case = _case(component, "rectangular window")
    x = np.random.default_rng(6).normal(size=case.input_shape)
    geo = window_mistakes.geometry(component, case, x.shape)
    (kH, kW), (sH, sW), (Ho, Wo) = geo.kernel, geo.stride, geo.out_hw
    a, b = sides(kH, kW)
    looped = np.zeros((*x.shape[:2], Ho, Wo))
    for p in range(Ho):
        for q in range(Wo):
            window = x[:, :, p * sH : p * sH + a, q * sW : q * sW + b]
            looped[:, :, p, q] = window.mean(axis=(2, 3)) if average else window.max(axis=(2, 3))
    found = pool_loops.forward_loop_variants(x, geo, average)
    np.testing.assert_allclose(found[tag][0], looped)
    square = replace(geo, kernel=(kH, kH))
    assert not any("window-loop-kernel" in t for t in pool_loops.forward_loop_variants(x, square, average))


def test_an_avg_pool_backward_window_inside_the_right_one_is_left_to_the_offset_loops() -> None:
    """A share spread over a kH x kH window inside a kH x kW one reaches some offsets only: the offset loop over
    range(kH) columns gives the same numbers (named there, with its probe); a window past the right one is
    simulated."""
    case = _case(AVGPOOL, "rectangular window")
    rng = np.random.default_rng(7)
    x = rng.normal(size=case.input_shape)
    geo = window_mistakes.geometry(AVGPOOL, case, x.shape)
    (kH, kW), (sH, sW), (Ho, Wo) = geo.kernel, geo.stride, geo.out_hw
    assert kH < kW
    g = rng.normal(size=(*x.shape[:2], Ho, Wo))
    twin = SimpleNamespace(ref=reference_layers.AvgPool2d(**case.kwargs))
    variants = layer_mistakes.backward_variants(AVGPOOL, case, twin, x, g)["input"]
    assert "square-only-index#window-loop-kernel-rows" not in variants
    spread = np.zeros(x.shape)
    for p in range(Ho):
        for q in range(Wo):
            spread[:, :, p * sH : p * sH + kW, q * sW : q * sW + kW] += g[:, :, p, q, None, None] / (kH * kW)
    np.testing.assert_allclose(variants["square-only-index#window-loop-kernel-columns"][0], spread)


def test_a_conv_factor_names_the_batch_and_the_positions_together_and_with_one_sample_says_both() -> None:
    # 1/(N * H'W') is the sum over the batch and the positions computed as a mean; with N = 1 it is 1/(H'W') too,
    # and the factor does not say whether the batch was divided by as well.
    two = layer_mistakes.factors(CONV, _case(CONV, "3x3"))  # N = 2, H'W' = 3 * 4
    assert two[1 / 12][0] == "mean-over-positions-not-sum" and two[1 / 24][0] == "mean-for-sum"
    assert "N = 2 samples times H'W' = 12 positions" in two[1 / 24][1]
    (one,) = layer_mistakes.factors(CONV, _case(CONV, "batch of 1, 1x1 kernel")).values()  # N = 1, H'W' = 9
    assert one[0] == "mean-over-positions-not-sum+mean-for-sum" and "1/(N * H'W')" in one[1]


def test_a_saved_output_size_is_read_as_what_forward_saved() -> None:
    case = _case(MAXPOOL, "2x2")  # (2, 3, 4, 6), windows 2x2 side by side: (2, 3, 2, 3); stride-free: (2, 3, 3, 5)
    message = "MaxPool2d.backward expects grad_y of shape (2, 3, 3, 5) (the output's), got (2, 3, 2, 3)"
    assert layer_mistakes.saved_output_shape(message) == (2, 3, 3, 5)
    tag, text = layer_mistakes.saved_size_reading(MAXPOOL, case, (2, 3, 3, 5), "it saved (2, 3, 3, 5)")
    assert tag == "output-size-stride-ignored" and text.startswith("it saved (2, 3, 3, 5): the output size ignores")
