"""graders/judging/checks/shape_mistakes.py: the simulated mistakes of axes and slice bounds reproduce what
the student's code computes, and a shape two of them give names neither."""

from __future__ import annotations

import numpy as np
from nnlab.graders.judging.checks import shape_mistakes as sm
from nnlab.graders.judging.diagnose import IS, explain

RNG = np.random.default_rng(5)


def test_a_bias_gradient_summed_over_every_axis_is_named_with_the_axis_it_belongs_to() -> None:
    g = RNG.standard_normal((5, 3))
    variants = sm.parameter_reductions("bias", g, (0,), (3,), ("the batch", "the output units"), "output unit")
    finding = explain(np.full(3, g.sum()), g.sum(axis=0), what="the gradient of `bias`", variants=variants)
    assert finding.tag == sm.WRONG_AXES and finding.confidence == IS
    assert "every axis" in finding.diagnosis.text and "axis 0 (the batch)" in finding.diagnosis.text


def test_with_one_sample_two_ways_to_the_same_number_are_named_together() -> None:
    g = RNG.standard_normal((1, 2))
    variants = sm.parameter_reductions("bias", g, (0,), (2,), ("the batch", "the output units"), "output unit")
    (text,) = [text for _, text in variants.values() if "every axis" in text]
    assert "the same as over axis 1 (the output units)" in text


def test_a_pool_averaged_over_the_output_positions_is_the_window_shaped_variant() -> None:
    x = RNG.standard_normal((2, 3, 4, 6))
    view = np.lib.stride_tricks.sliding_window_view(x, (2, 2), axis=(2, 3))[:, :, ::2, ::2]
    variants = sm.window_reductions(view, average=True)
    finding = explain(view.mean(axis=(2, 3)), view.mean(axis=(4, 5)), what="the output", variants=variants)
    assert finding.tag == sm.REDUCED and "output positions" in finding.diagnosis.text
    assert (2, 3, 2, 2) in sm.window_reduction_shapes(view.shape)


def test_a_crop_that_ends_at_h_is_named_by_its_bounds() -> None:
    padded = RNG.standard_normal((2, 1, 6, 7))  # H, W = 4, 5 padded by (1, 1)
    variants = sm.unpad_variants(padded, (1, 1), (4, 5))
    finding = explain(padded[:, :, 1:4, 1:5], padded[:, :, 1:5, 1:6], what="the input gradient", variants=variants)
    assert finding.tag == sm.PADDING_BOUNDS and "pH + H" in finding.diagnosis.text


def test_without_padding_on_an_axis_no_crop_of_that_axis_removes_padding() -> None:
    crops = [c for c in sm.unpad_crops((0, 2), (4, 5)) if c.tag == sm.PADDING_BOUNDS]
    assert all(c.rows.start == 0 and c.rows.stop <= 4 for c in crops)  # at most one entry short
    assert {(c.cols.start, c.cols.stop) for c in crops} >= {(2, 5), (2, 9), (0, 7), (0, 9)}


def test_a_crash_of_x_against_a_crop_of_the_padded_array_names_the_crop_the_line_shows() -> None:
    shapes = {(2, 2, 6, 5), (2, 2, 5, 4)}
    found = sm.unpad_crash(shapes, (2, 2, 6, 5), (1, 1), "xp[:, :, pH:H, pW:W] = x")
    assert found is not None and found[0] == sm.PADDING_BOUNDS and "pH:H" in found[1]
    # The right slice of a padded array allocated without its padding takes the same shape: the line tells.
    small = sm.unpad_crash(shapes, (2, 2, 6, 5), (1, 1), "xp[:, :, pH:pH + H, pW:pW + W] = x")
    assert small is not None and small[0] == "padded-array-too-small" and "(H, W)" in small[1]
    assert sm.unpad_crash(shapes, (2, 2, 6, 5), (1, 1)) is None  # without the line: no claim
    assert sm.unpad_crash({(2, 2, 6, 5), (2, 2, 8, 7)}, (2, 2, 6, 5), (1, 1)) is not None  # not cropped at all


def test_an_einsum_that_reads_a_stored_out_in_weight_as_in_out_is_found_on_its_line() -> None:
    axes = {"x": ("batch", "in"), "grad_y": ("batch", "out"), "self.weight.data": ("out", "in")}

    def find(line: str) -> sm.EinsumMisread | None:
        return sm.einsum_reversed_operand(line, axes.get, lambda code: code == "self.weight.data")

    found = find('y = np.einsum("nd,dm->nm", x, self.weight.data)')
    assert found is not None and (found.written, found.right) == ("dm", "nd,md->nm")
    backward = find('return np.einsum("nm,dm->nd", grad_y, self.weight.data)')  # the outputs' label on axis 1
    assert backward is not None and backward.right == "nm,md->nd"
    assert find('y = np.einsum("nd,md->nm", x, self.weight.data)') is None  # the stored order: no claim
    assert find('y = np.einsum("nd,dm->nm", h, self.weight.data)') is None  # nothing says what d holds


def test_a_width_recovered_with_the_heights_padding_is_named_by_its_bounds() -> None:
    # W = Wp - 2*pH (a line copied from H's): with padding (2, 0) the crop keeps Wp - 4 columns.
    padded = RNG.standard_normal((2, 1, 8, 5))
    variants = sm.unpad_variants(padded, (2, 0), (4, 5))
    finding = explain(padded[:, :, 2:6, 0:1], padded[:, :, 2:6, 0:5], what="the input gradient", variants=variants)
    assert finding.tag == sm.PADDING_BOUNDS and finding.confidence == IS
    assert "W = Wp - 2*pH" in finding.diagnosis.text
