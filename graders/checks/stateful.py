"""Rubric for the layers whose behaviour depends on state or mode: Dropout and BatchNorm.

Dropout is random, so it cannot be compared with the reference value by value; instead
each rule of inverted dropout is checked on its own (kept entries scaled by 1/(1-p),
backward reuses the forward mask, identity in eval, the drop rate is p). BatchNorm's
forward and backward are compared in cases.py-style by modules.py; here its buffers are
checked: updated like PyTorch's in training, frozen and used in eval.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from .. import settings
from ..catalogue import Context, check
from ..components import Case
from ..results import Outcome, failed, passed
from ..tolerance import as_array, compare, fmt
from .inputs import build_twin, module_input
from .modules import first_failure, judge
from .properties import PropertyFailed, run_property

DROPOUT = ("layers.Dropout",)
BATCHNORM = ("layers.BatchNorm1d", "layers.BatchNorm2d")


def _dropout_forward(ctx: Context, case: Case, salt: str) -> tuple[object, np.ndarray, np.ndarray]:
    x = module_input(ctx.component, case, ctx.rng("dropout", case.id, salt))
    x[np.abs(x) < 1e-3] = 1e-3  # a zero input would look like a dropped entry
    handle = ctx.session.new("layers.Dropout", **case.kwargs)
    y = as_array(ctx.session.call(handle, "forward", x))
    return handle, x, y


@check("reference", "train: kept entries are scaled by 1/(1-p)", per_case=True, components=DROPOUT)
def dropout_scaling(ctx: Context, case: Case) -> Outcome:
    name = f"train: kept entries are scaled by 1/(1-p): {case.id}"
    p = case.kwargs.get("p", 0.5)
    _, x, y = _dropout_forward(ctx, case, "scale")
    if y is None or y.shape != x.shape:
        return failed(
            name, f"forward returned {None if y is None else y.shape}, expected shape {x.shape}.", "wrong-shape"
        )
    kept = y != 0
    if not kept.any():
        return failed(name, f"every entry was dropped with p={p}.", "dropout-all-dropped")
    result = compare(y[kept], x[kept] / (1 - p))
    if result.ok:
        return passed(name)
    if compare(y[kept], x[kept]).ok:
        return failed(
            name,
            f"kept entries equal the input; inverted dropout divides them by 1 - p = {fmt(1 - p)} "
            "so that the expected output equals the input.",
            "dropout-not-rescaled",
        )
    if compare(y[kept], x[kept] * (1 - p)).ok:
        return failed(
            name,
            "kept entries were multiplied by 1 - p; inverted dropout *divides* by 1 - p in "
            "training (and does nothing in eval).",
            "dropout-wrong-scale",
        )
    if compare(y[kept], x[kept] / p).ok:
        return failed(
            name,
            f"kept entries were divided by p = {fmt(p)}; p is the probability to *drop*, so "
            "divide by the keep probability 1 - p.",
            "dropout-p-is-keep",
        )
    return failed(name, f"kept entries are not x / (1 - p): {result.problem}.", "dropout-wrong-scale")


@check("reference", "train: the drop rate is p", per_case=True, components=DROPOUT)
def dropout_rate(ctx: Context, case: Case) -> Outcome:
    name = f"train: the drop rate is p: {case.id}"
    p = case.kwargs.get("p", 0.5)
    _, x, y = _dropout_forward(ctx, case, "rate")
    if y is None or y.shape != x.shape:
        return failed(name, "forward did not return an array shaped like its input.", "wrong-shape")
    dropped = float(np.mean(y == 0))
    # A binomial proportion over n entries has standard deviation sqrt(p(1-p)/n).
    sigma = math.sqrt(p * (1 - p) / x.size)
    if abs(dropped - p) > settings.DROPOUT_SIGMAS * sigma:
        tag = "dropout-p-is-keep" if abs(dropped - (1 - p)) <= settings.DROPOUT_SIGMAS * sigma else "dropout-rate"
        return failed(
            name,
            f"{fmt(100 * dropped)}% of {x.size} entries were dropped with p={p}; expected about "
            f"{fmt(100 * p)}% (p is the probability to drop an entry).",
            tag,
        )
    return passed(name)


@check("reference", "backward reuses the forward mask", per_case=True, components=DROPOUT)
def dropout_backward(ctx: Context, case: Case) -> Outcome:
    name = f"backward reuses the forward mask: {case.id}"
    p = case.kwargs.get("p", 0.5)
    handle, x, y = _dropout_forward(ctx, case, "backward")
    if y is None or y.shape != x.shape:
        return failed(name, "forward did not return an array shaped like its input.", "wrong-shape")
    g = ctx.rng("dropout-g", case.id).standard_normal(x.shape)
    expected = np.where(y != 0, g / (1 - p), 0.0)
    grad = ctx.session.call(handle, "backward", g)
    outcome = judge(
        name,
        grad,
        expected,
        "the input gradient",
        variants={
            "dropout-backward-not-rescaled": (np.where(y != 0, g, 0.0), "backward must scale by 1/(1-p) like forward")
        },
        related={"the upstream gradient grad_y": g},
    )
    array = as_array(grad)
    if not outcome.passed and not outcome.misconception and array is not None and array.shape == x.shape:
        kept = array != 0
        if (kept != (y != 0)).any() and compare(array[kept], g[kept] / (1 - p)).ok:
            return failed(
                name,
                f"backward zeroed other entries than forward did ({int((kept != (y != 0)).sum())} "
                f"of {x.size} differ), each kept one scaled by 1/(1-p): a new random mask was drawn. "
                "Backward must reuse the mask of the last forward (save it).",
                "dropout-new-mask-in-backward",
            )
    return outcome


@check("reference", "eval: identity", per_case=True, components=DROPOUT)
def dropout_eval(ctx: Context, case: Case) -> Outcome:
    name = f"eval: identity: {case.id}"
    x = module_input(ctx.component, case, ctx.rng("eval", case.id))
    handle = ctx.session.new("layers.Dropout", **case.kwargs)
    ctx.session.call(handle, "eval")
    y = ctx.session.call(handle, "forward", x)
    g = ctx.rng("eval-g", case.id).standard_normal(x.shape)
    outcomes = [judge(name, y, x, "the output in eval mode", variants={"dropout-active-in-eval": (np.zeros(0), "")})]
    array = as_array(y)
    if array is not None and array.shape == x.shape and not outcomes[0].passed and np.mean(array == 0) > 0.05:
        return failed(
            name,
            "entries were dropped in eval mode: dropout must be the identity when training is False.",
            "dropout-active-in-eval",
        )
    outcomes.append(judge(name, ctx.session.call(handle, "backward", g), g, "the input gradient in eval mode"))
    return first_failure(name, outcomes)


@check("contracts", "p=0 keeps everything, p=1 drops everything", components=DROPOUT)
def dropout_extremes(ctx: Context) -> Outcome:
    name = "p=0 keeps everything, p=1 drops everything (no nan)"
    x = ctx.rng("extremes").standard_normal((6, 7))
    outcomes = []
    for p, expected in ((0.0, x), (1.0, np.zeros_like(x))):
        handle = ctx.session.new("layers.Dropout", p=p)
        outcomes.append(judge(name, ctx.session.call(handle, "forward", x), expected, f"the output with p={p:g}"))
        outcomes.append(judge(name, ctx.session.call(handle, "backward", x), expected, f"the gradient with p={p:g}"))
    return first_failure(name, outcomes)


@check("properties", "the output's expectation equals the input", components=DROPOUT)
def dropout_expectation(ctx: Context) -> Outcome:
    name = "the output's expectation equals the input"
    p = 0.3
    x = np.full((200, 100), 2.0)
    handle = ctx.session.new("layers.Dropout", p=p)
    y = as_array(ctx.session.call(handle, "forward", x))
    if y is None or y.shape != x.shape:
        return failed(name, "forward did not return an array shaped like its input.", "wrong-shape")
    # Each entry is 2/(1-p) with probability 1-p, else 0: mean 2, standard deviation 2 sqrt(p/(1-p)).
    sigma = 2.0 * math.sqrt(p / (1 - p)) / math.sqrt(x.size)
    mean = float(np.mean(y))
    if abs(mean - 2.0) > settings.DROPOUT_SIGMAS * sigma:
        return failed(
            name,
            f"the mean output for an input of 2.0 everywhere is {fmt(mean)} with p={p}; inverted "
            "dropout keeps the mean at 2.0.",
            "dropout-not-rescaled",
        )
    return passed(name)


# ------------------------------------------------------------------------------- BatchNorm
@check("reference", "running statistics", per_case=True, components=BATCHNORM)
def running_statistics(ctx: Context, case: Case) -> Outcome:
    """Three training batches, then the buffers; then an eval forward that must use them."""
    name = f"running statistics: {case.id}"
    if case.mode != "train":
        case = Case(case.id, case.kwargs, case.input_shape, case.scale, "train")
    twin = build_twin(ctx, case, "running")
    rng = ctx.rng("running", case.id)
    momentum = case.kwargs.get("momentum", 0.1)
    start_mean = twin.ref.running_mean.copy()
    start_var = twin.ref.running_var.copy()
    batch_means, batch_vars = [], []
    for step in range(3):
        x = 2.0 + 1.5 * rng.standard_normal(case.input_shape) + step
        twin.ref.forward(x)
        ctx.session.call(twin.handle, "forward", x)
        axes = (0,) if x.ndim == 2 else (0, 2, 3)
        batch_means.append(x.mean(axis=axes))
        batch_vars.append(x.var(axis=axes))
    outcomes = []
    n = np.prod(case.input_shape) / case.input_shape[1]
    for buffer, batches, unbiased in (("running_mean", batch_means, False), ("running_var", batch_vars, True)):
        variants = {}
        swapped = start_mean.copy() if buffer == "running_mean" else start_var.copy()
        biased = start_var.copy()
        for b in batches:
            swapped = momentum * swapped + (1 - momentum) * (b * n / (n - 1) if unbiased else b)
            biased = (1 - momentum) * biased + momentum * b
        variants["bn-momentum-swapped"] = (
            swapped,
            "the running average weights were swapped: PyTorch "
            "computes running = (1 - momentum) * running + momentum * batch_statistic",
        )
        if unbiased and n > 1:
            variants["bn-biased-running-var"] = (
                biased,
                "running_var stored the biased batch variance; PyTorch "
                "stores the unbiased one (divide by n - 1, n values per channel)",
            )
        variants["bn-buffers-not-updated"] = (
            start_mean if buffer == "running_mean" else start_var,
            f"{buffer} was not updated in training",
        )
        outcomes.append(
            judge(
                name,
                ctx.session.get(twin.handle, buffer),
                getattr(twin.ref, buffer),
                f"`{buffer}` after 3 training batches",
                variants=variants,
            )
        )
    # Eval must use the buffers (the forward comparison in eval mode checks the formula).
    x = rng.standard_normal(case.input_shape)
    twin.ref.eval()
    ctx.session.call(twin.handle, "eval")
    if all(o.passed for o in outcomes):
        outcomes.append(
            judge(
                name, ctx.session.call(twin.handle, "forward", x), twin.ref.forward(x), "the eval output after training"
            )
        )
        outcomes.append(
            judge(
                name,
                ctx.session.get(twin.handle, "running_mean"),
                twin.ref.running_mean,
                "`running_mean` after an eval forward (eval must not update the buffers)",
                variants={"bn-updates-in-eval": (np.zeros(0), "")},
            )
        )
    return first_failure(name, outcomes)


@check("properties", "training output is normalised per channel", components=BATCHNORM)
def normalises(ctx: Context) -> Outcome:
    name = "training output is normalised per channel (mean 0, variance 1 before the affine map)"
    two_d = ctx.component.name.endswith("2d")

    def body(example: tuple) -> None:
        n, c, data_seed, spread = example
        shape = (n, c, 2, 3) if two_d else (n, c)
        x = 3.0 + spread * np.random.default_rng(data_seed).standard_normal(shape)
        handle = ctx.session.new(ctx.component.name, c)
        y = as_array(ctx.session.call(handle, "forward", x))
        if y is None or y.shape != x.shape:
            raise PropertyFailed(f"input of shape {shape}: output shape {None if y is None else y.shape}")
        axes = (0, 2, 3) if two_d else (0,)
        mean, var = y.mean(axis=axes), y.var(axis=axes)
        expected_var = x.var(axis=axes) / (x.var(axis=axes) + 1e-5)
        if not (np.allclose(mean, 0, atol=1e-7) and np.allclose(var, expected_var, rtol=1e-6, atol=1e-9)):
            raise PropertyFailed(
                f"input of shape {shape}: per-channel mean {np.round(mean, 6).tolist()}, "
                f"variance {np.round(var, 6).tolist()}; expected mean 0 and variance "
                "var/(var + eps) per channel"
            )

    strategy = st.tuples(st.integers(2, 6), st.integers(1, 4), st.integers(0, 2**31), st.floats(0.1, 50))
    return run_property(ctx, name, strategy, body, "bn-not-normalised")
