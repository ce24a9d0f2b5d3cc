"""Are BatchNorm's simulated mistakes right, and told apart? (graders/judging/checks/batchnorm_mistakes.py)

* Backward is simulated term by term (g_hat, mean(g_hat), x_hat * mean(g_hat * x_hat)): with no mistake
  it is the reference's backward, in training and in eval, for every layout.
* A factor left out of some of the terms only (gamma, inv_std) or a sum in one term gives numbers of its
  own, so a match names that mistake and no other.
* At n = 2 values per channel the Bessel correction is a factor 2: a doubled running_mean names neither.
* The BatchNorm and Dropout rows select their components by entry fields, not by name.
"""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import numpy as np
import pytest
from nnlab.exercises.components import CATALOGUE
from nnlab.exercises.course import load_course
from nnlab.graders.judging.catalogue import checks_for
from nnlab.graders.judging.checks.batchnorm_mistakes import _bn_backward, batch_statistics, bn_axes, running_variants
from nnlab.graders.mutants import Mutant, apply
from nnlab.graders.mutants.layers import _bn
from nnlab.graders.runner import grade
from nnlab.reference import layers

LAYOUTS = [
    pytest.param(layers.BatchNorm1d, (6, 4), id="(N, C)"),
    pytest.param(layers.BatchNorm1d, (4, 3, 5), id="(N, C, L)"),
]
LAYOUTS.append(pytest.param(layers.BatchNorm2d, (2, 3, 4, 5), id="(N, C, H, W)"))


def _problem(cls: type, shape: tuple[int, ...], training: bool) -> tuple:
    """A reference layer after one forward and backward, with what the simulation needs."""
    rng = np.random.default_rng(0)
    layer = cls(shape[1])
    layer.weight.data[...] = rng.uniform(0.5, 2.0, shape[1])
    layer.running_mean[...] = rng.standard_normal(shape[1])
    if not training:
        layer.eval()
    x, g = 1.0 + 2.0 * rng.standard_normal(shape), rng.standard_normal(shape)
    layer.forward(x)
    grad_x = layer.backward(g)
    axes, vector = bn_axes(x)
    if training:
        mean, var = x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)
    else:
        mean, var = layer.running_mean.reshape(vector), layer.running_var.reshape(vector)
    inv_std = 1.0 / np.sqrt(var + layer.eps)
    w = layer.weight.data.reshape(vector)
    return layer, grad_x, (g, w, (x - mean) * inv_std, inv_std, axes, training)


@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
@pytest.mark.parametrize(("cls", "shape"), LAYOUTS)
def test_the_term_by_term_backward_is_the_reference_backward(cls: type, shape: tuple, training: bool) -> None:
    layer, grad_x, args = _problem(cls, shape, training)
    simulated = _bn_backward(*args)
    for got, want in zip(simulated, (grad_x, layer.weight.grad, layer.bias.grad), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(("cls", "shape"), LAYOUTS)
def test_each_partial_mistake_gives_numbers_of_its_own(cls: type, shape: tuple) -> None:
    _, grad_x, args = _problem(cls, shape, True)
    terms = ("lead", "mean", "variance")
    mistakes = {
        f"{kind} {part}": {kind: part}
        for kind in ("without_gamma", "unscaled")
        for k in (1, 2, 3)
        for part in itertools.combinations(terms, k)
    } | {f"summed {part}": {"summed": part} for part in (("mean",), ("variance",), ("mean", "variance"))}
    values = {name: _bn_backward(*args, **terms)[0] for name, terms in mistakes.items()}
    for name, value in values.items():
        assert not np.allclose(value, grad_x, rtol=1e-6), f"{name} is the right gradient"
    for (a, va), (b, vb) in itertools.combinations(values.items(), 2):
        assert not np.allclose(va, vb, rtol=1e-6), f"{a} and {b} give the same gradient"


def test_a_doubled_running_mean_at_two_values_per_channel_names_no_bessel_correction(tmp_path: Path) -> None:
    update = "            self.running_mean += m * mean\n"
    doubled = Mutant(
        "doubled", "layers.BatchNorm1d", "", *_bn("layers.BatchNorm1d", "forward", (update, update[:-1] + " * 2\n"))
    )
    report = grade(apply([doubled], tmp_path / "s"), load_course(), only=["layers.BatchNorm1d"], isolate=False, seed=0)
    tags = {c.outcome.name: c.outcome.misconception for c in report.components[0].checks if not c.outcome.passed}
    assert "running statistics: batch of 2" in tags  # it is wrong there, but
    assert "bn-bessel-on-mean" not in tags.values()  # 2 = 2/1 is no evidence of the correction


def _rows(component: object, family: str) -> set[str]:
    return {check.name for check in checks_for(component, family)}


def test_the_rows_select_components_by_their_entries_not_their_names() -> None:
    dropout = dataclasses.replace(CATALOGUE["layers.Dropout"], name="course.MyDropout")
    batchnorm = dataclasses.replace(CATALOGUE["layers.BatchNorm2d"], name="course.MyNorm")
    assert _rows(dropout, "reference") == _rows(CATALOGUE["layers.Dropout"], "reference")
    assert _rows(batchnorm, "reference") == _rows(CATALOGUE["layers.BatchNorm2d"], "reference")
    assert "running statistics" in _rows(batchnorm, "reference") and "forward" not in _rows(dropout, "reference")
    # Without a random forward it is compared with the reference like any layer, and gets no dropout row.
    plain = dataclasses.replace(dropout, random=False)
    assert "forward" in _rows(plain, "reference") and "eval: identity" not in _rows(plain, "reference")


def _three_batches(shape: tuple[int, ...], update) -> tuple[dict, np.ndarray, np.ndarray]:
    """The statistics of three seeded batches, and running_mean and running_var after ``update(running, mean,
    unbiased_var)`` ran on each (as a student's forward would)."""
    rng = np.random.default_rng(4)
    axes = (0, *range(2, len(shape)))
    n = int(np.prod(shape)) // shape[1]
    means, variances = [], []
    running = [np.zeros(shape[1]), np.ones(shape[1])]
    for step in range(3):
        x = 2.0 + 1.5 * rng.standard_normal(shape) + step
        means.append(x.mean(axis=axes))
        variances.append(x.var(axis=axes))
        running = update(running, means[-1], variances[-1] * n / (n - 1))
    params = {"weight": np.ones(shape[1]), "bias": np.zeros(shape[1])}
    return batch_statistics(np.array(means), np.array(variances), n, 1e-5, params), *running


@pytest.mark.parametrize("shape", [(6, 4), (2, 3, 4, 5)], ids=["(N, C)", "(N, C, H, W)"])
def test_running_updates_indented_into_the_channel_loop_are_simulated_as_written(shape: tuple) -> None:
    """Statistics filled one channel at a time, and both running updates inside that loop: C updates per batch,
    the channels not yet reached still 0."""
    m = 0.1

    def update(running: list, mean: np.ndarray, var: np.ndarray) -> list:
        partial_mean, partial_var = np.zeros_like(mean), np.zeros_like(var)
        for c in range(mean.size):
            partial_mean[c], partial_var[c] = mean[c], var[c]
            running = [(1 - m) * running[0] + m * partial_mean, (1 - m) * running[1] + m * partial_var]
        return running

    statistics, mean, var = _three_batches(shape, update)
    for buffer, got, start in (("running_mean", mean, np.zeros(shape[1])), ("running_var", var, np.ones(shape[1]))):
        found = running_variants(buffer, start, statistics, m, np.full(shape[1], np.nan), shape)
        np.testing.assert_allclose(found["bn-running-updated-in-loop#channels-filling"][0], got)


def test_the_bessel_factor_with_the_momentum_for_the_count_is_simulated() -> None:
    """m / (m - 1) with m the momentum (the formula's m, the count, and the code's m, the momentum, one name)."""
    m, shape = 0.1, (6, 4)

    def update(running: list, mean: np.ndarray, var: np.ndarray) -> list:
        biased = var * 5 / 6
        return [(1 - m) * running[0] + m * mean, (1 - m) * running[1] + m * biased * (m / (m - 1))]

    statistics, _, var = _three_batches(shape, update)
    found = running_variants("running_var", np.ones(4), statistics, m, np.full(4, np.nan), shape)
    np.testing.assert_allclose(found["bessel-correction#n-from-momentum"][0], var)


def test_a_buffer_reset_before_each_update_is_told_from_a_dropped_old_value_only_where_its_start_is_not_zero() -> None:
    """A right update on a buffer reset to zeros before every batch holds momentum * batch_statistic, as an update
    without the old value's share does: one joint reading. Reset to running_var's start, ones, it keeps that start's
    share, decayed or not, and is named alone."""
    m, shape = 0.1, (6, 4)

    def reset(running: list, mean: np.ndarray, var: np.ndarray) -> list:
        return [(1 - m) * 0.0 + m * mean, (1 - m) * 1.0 + m * var]

    statistics, mean, var = _three_batches(shape, reset)
    found = running_variants("running_mean", np.zeros(4), statistics, m, np.full(4, np.nan), shape)
    assert not any(tag.startswith("state-reset") for tag in found)
    np.testing.assert_allclose(found["bn-running-old-value-dropped+state-reset"][0], mean)
    found = running_variants("running_var", np.ones(4), statistics, m, np.full(4, np.nan), shape)
    np.testing.assert_allclose(found["state-reset#decayed"][0], var)
    assert not np.allclose(found["bn-running-old-value-dropped+state-reset"][0], var)


def test_statistics_of_a_reshape_that_ignores_the_channel_axis_are_simulated_as_written() -> None:
    """x.reshape(C, -1).mean(axis=1) on (N, C, H, W): each row is a stretch of memory, not a channel. The output,
    the input gradient backward's formula gives from what forward saved, and the running statistics are what that
    code gives; x.transpose(1, 0, 2, 3).reshape(C, -1) is the right reading and is not among the mistakes."""
    from nnlab.graders.judging.checks.batchnorm_mistakes import (
        backward_variants,
        channel_regroupings,
        forward_variants,
    )

    rng = np.random.default_rng(7)
    shape = (3, 2, 2, 3)
    case = next(c for c in CATALOGUE["layers.BatchNorm2d"].cases if c.id == "train")
    case = dataclasses.replace(case, kwargs={"num_features": 2}, input_shape=shape)
    layer = layers.BatchNorm2d(2)
    layer.weight.data[...] = [0.7, 1.6]
    twin = type("Twin", (), {"params": {"weight": layer.weight.data, "bias": layer.bias.data}, "ref": layer})()
    x, g = rng.normal(size=shape), rng.normal(size=shape)
    rows = x.reshape(2, -1)
    mean, var = rows.mean(axis=1).reshape(1, 2, 1, 1), rows.var(axis=1).reshape(1, 2, 1, 1)
    inv = 1.0 / np.sqrt(var + 1e-5)
    x_hat = (x - mean) * inv
    w = layer.weight.data.reshape(1, 2, 1, 1)
    key = "reshape-not-transpose#statistics-as-is-rows#per-channel"
    np.testing.assert_allclose(forward_variants(case, twin, x)[key][0], x_hat * w)
    g_hat = g * w
    expected = inv * (
        g_hat - g_hat.mean(axis=(0, 2, 3), keepdims=True) - x_hat * (g_hat * x_hat).mean(axis=(0, 2, 3), keepdims=True)
    )
    np.testing.assert_allclose(backward_variants(case, twin, x, g)["input"][key][0], expected)
    assert "x.reshape(C, -1)" in forward_variants(case, twin, x)[key][1]
    readings = channel_regroupings(shape)
    assert "channels-first-rows" not in readings and "channels-last-columns" not in readings
    statistics = batch_statistics(
        rows.mean(axis=1)[None] * 0,
        np.ones((1, 2)),
        18,
        1e-5,
        twin.params,
        regrouped={"as-is-rows": (rows.mean(axis=1)[None], rows.var(axis=1)[None])},
    )
    found = running_variants("running_var", np.ones(2), statistics, 0.1, np.ones(2), shape)
    np.testing.assert_allclose(
        found["reshape-not-transpose#regrouped#as-is-rows"][0], 0.9 + 0.1 * rows.var(axis=1) * 18 / 17
    )


def test_a_batch_normalised_in_the_groups_of_a_wrong_reshape_has_its_own_derivative_in_backward() -> None:
    """Normalised in the reshaped layout and reshaped back: the backward simulated in that layout is the derivative
    of that forward (central differences of the simulated forward)."""
    from nnlab.graders.judging.checks.batchnorm_mistakes import backward_variants, regrouped_variants

    rng = np.random.default_rng(8)
    shape = (2, 3, 2, 2)
    x, g = rng.normal(size=shape), rng.normal(size=shape)
    layer = layers.BatchNorm2d(3)
    layer.weight.data[...] = rng.uniform(0.5, 2.0, 3)
    layer.bias.data[...] = rng.normal(size=3)
    w, b = layer.weight.data.reshape(1, 3, 1, 1), layer.bias.data.reshape(1, 3, 1, 1)
    twin = type("Twin", (), {"params": {"weight": layer.weight.data, "bias": layer.bias.data}, "ref": layer})()
    case = next(c for c in CATALOGUE["layers.BatchNorm2d"].cases if c.id == "train")
    case = dataclasses.replace(case, kwargs={"num_features": 3}, input_shape=shape)
    key = "channels-last-rows#normalised-in-groups"
    simulated = backward_variants(case, twin, x, g)["input"][f"reshape-not-transpose#statistics-{key}-backward"][0]
    numeric = np.zeros(shape)
    for index in np.ndindex(shape):
        step = np.zeros(shape)
        step[index] = 1e-6
        up = (regrouped_variants(x + step, 1e-5, w, b)[key][0] * g).sum()
        down = (regrouped_variants(x - step, 1e-5, w, b)[key][0] * g).sum()
        numeric[index] = (up - down) / 2e-6
    np.testing.assert_allclose(simulated, numeric, rtol=1e-5, atol=1e-7)


def test_a_channels_last_layout_left_with_a_plain_reshape_is_simulated_as_written() -> None:
    """CS231n's spatial batch norm, x.transpose(0, 2, 3, 1).reshape(-1, C), right statistics, brought back with
    .reshape(N, C, H, W) where .reshape(N, H, W, C).transpose(0, 3, 1, 2) belongs: the output and backward's
    formula read from what forward saved are that code's, and so is CS231n's backward mirrored (the same plain reshape
    on the way back); a layout the plain reshape happens to undo (one sample with the channels first, one position
    with them last) is not a mistake."""
    from nnlab.graders.judging.checks.batchnorm_mistakes import (
        backward_variants,
        forward_variants,
        reshaped_back,
    )

    rng = np.random.default_rng(9)
    shape = (3, 2, 2, 3)
    N, C, H, W = shape
    case = next(c for c in CATALOGUE["layers.BatchNorm2d"].cases if c.id == "train")
    case = dataclasses.replace(case, kwargs={"num_features": C}, input_shape=shape)
    layer = layers.BatchNorm2d(C)
    layer.weight.data[...] = [0.7, 1.6]
    layer.bias.data[...] = [0.2, -0.4]
    twin = type("Twin", (), {"params": {"weight": layer.weight.data, "bias": layer.bias.data}, "ref": layer})()
    x, g = rng.normal(size=shape), rng.normal(size=shape)
    w, b = layer.weight.data.reshape(1, C, 1, 1), layer.bias.data.reshape(1, C, 1, 1)
    x2 = x.transpose(0, 2, 3, 1).reshape(-1, C)
    inv = 1.0 / np.sqrt(x2.var(axis=0) + 1e-5)
    x_hat = ((x2 - x2.mean(axis=0)) * inv).reshape(N, C, H, W)
    key = "reshape-not-transpose#back-channels-last#affine-after"
    found = forward_variants(case, twin, x)[key]
    np.testing.assert_allclose(found[0], x_hat * w + b)
    assert ".reshape(N, H, W, C).transpose(0, 3, 1, 2)" in found[1]
    g_hat, axes, inv4 = g * w, (0, 2, 3), inv.reshape(1, C, 1, 1)
    expected = inv4 * (
        g_hat - g_hat.mean(axis=axes, keepdims=True) - x_hat * (g_hat * x_hat).mean(axis=axes, keepdims=True)
    )
    both = backward_variants(case, twin, x, g)
    np.testing.assert_allclose(both["input"]["reshape-not-transpose#back-channels-last"][0], expected)
    np.testing.assert_allclose(both["weight"]["reshape-not-transpose#back-channels-last"][0], (g * x_hat).sum(axes))
    # CS231n's backward mirrored: grad_y moved the same right way, the 2-D derivative, and the same plain reshape
    g2 = g.transpose(0, 2, 3, 1).reshape(-1, C) * layer.weight.data
    x_hat2 = (x2 - x2.mean(axis=0)) * inv
    grad2 = inv * (g2 - g2.mean(axis=0) - x_hat2 * (g2 * x_hat2).mean(axis=0))
    np.testing.assert_allclose(
        both["input"]["reshape-not-transpose#back-channels-last-backward"][0], grad2.reshape(N, C, H, W)
    )
    assert set(reshaped_back((1, 2, 2, 3))) == {"channels-last"}  # one sample: channels first reshapes back right
    assert set(reshaped_back((4, 3))) == {"channels-first"}  # (N, C) channels last is x itself
    assert set(reshaped_back((2, 3, 1, 1))) == {"channels-first"}  # one position: channels last reshapes back right
