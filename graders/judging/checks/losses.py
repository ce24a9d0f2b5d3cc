"""Rubric for losses: the scalar, its gradient, stability at the extremes, and the contracts.

A loss is driven like a student's training loop drives it: ``forward(input, target)`` then
``backward()``. Class targets are int64 arrays (what a data loader gives); probabilities for
``BCELoss`` stay inside (0, 1) except in the check about exactly 0 and 1.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import strategies as st
from nnlab.exercises.components import Case, Component
from nnlab.graders import settings
from nnlab.graders.results import Outcome, failed, passed
from nnlab.graders.running.puppet import StudentError

from .. import refutation
from ..catalogue import Context, check
from ..contracts import Contract, promised
from ..diagnose import IS, Diagnosis
from ..evidence import same
from ..strategies import SEEDS, rng_array, shapes
from ..tolerance import agrees, allclose, as_array, compare, fmt, is_callable_kind, kind_name
from . import loss_counts, loss_formulas, loss_mistakes
from .drive import holds
from .inputs import loss_data, reference_class
from .loss_formulas import BCE, BCE_GRAD_EPS, BCE_LOGITS, CLIP_EPSILONS, CROSS_ENTROPY, HINGE, LOGIT_CLIPS, MSE
from .loss_mistakes import backward_variants, forward_variants  # (the fixture writer reads them here)
from .misconceptions import Lazy, preferring, saved_state
from .stored_settings import stored_otherwise
from .support import check_signature, dtype_problem, gradient_agreement, judge, most_telling_dtype

LOSS = ("loss",)
# An ordinary logit's size: e^3 is far from overflow, so any formula, stable or naive, is exact there.
ORDINARY_LOGIT = 3.0


def _formula(*formulas: str) -> Callable[[Component], bool]:
    """A check for the losses computing one of ``formulas`` (``Component.formula``)."""
    return lambda component: component.formula in formulas


# ------------------------------------------------------------------------------- helpers


def scalar(value: Any) -> float | None:
    """A loss value as a float, or None when it is not a single real number."""
    array = as_array(value)
    if array is None or array.size != 1 or array.dtype.kind not in "biuf":
        return None
    return float(array.reshape(-1)[0])


def _data(ctx: Context, case: Case, salt: str = "") -> tuple[np.ndarray, np.ndarray]:
    return loss_data(ctx.component, case, ctx.rng("loss", case.id, salt))


def _reference(ctx: Context, case: Case, x: np.ndarray, t: np.ndarray) -> tuple[float, np.ndarray]:
    ref = reference_class(ctx.component.name)(**case.kwargs)
    value = ref.forward(x, t)
    return value, ref.backward()


def _contract(x: np.ndarray, t: np.ndarray) -> Contract:
    """forward(input, target) with the case's shapes (and class labels): a shape error raised inside carries them,
    so a crash reader can tell the batch size from the number of classes, and both from the labels (crashes.py)."""
    labels = tuple(int(v) for v in t) if t.ndim == 1 and t.dtype.kind in "iu" and x.ndim == 2 else ()
    return Contract(
        f"forward(input, target) takes input of shape {x.shape} and target of shape {t.shape}; backward returns "
        "the gradient in the shape of input",
        {"input": x.shape, "target": t.shape},
        labels,
    )


def _scale(x: np.ndarray) -> float:
    """The magnitudes a loss is computed from: its inputs (rounding scales with them)."""
    return max(1.0, float(np.max(np.abs(x))))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -x))


# ------------------------------------------------------------------------------- api
@check("api", "constructor signature", LOSS, interface=True)
def constructor_signature(ctx: Context) -> Outcome:
    return check_signature(ctx)


@check("api", "forward returns a float, backward an array like the input", LOSS, per_case=True)
def value_and_gradient_types(ctx: Context, case: Case) -> Outcome:
    name = f"forward returns a float, backward an array like the input: {case.id}"
    x, t = _data(ctx, case, "api")
    handle = ctx.session.new(ctx.component.name, **case.kwargs)
    # float32 input: results are float64 whatever the input's dtype (docs/api.md).
    value = ctx.session.call(handle, "forward", x.astype(np.float32), t)
    problems, tag = [], "wrong-type"
    array = as_array(value)
    if value is None:
        problems.append("forward returned None (a missing `return`?)")
        tag = "returned-none"
    elif is_callable_kind(value):
        problems.append(
            f"forward returned a {kind_name(value)}, not a number: a method named without its call parentheses "
            "(`loss.item` where `loss.item()` calls it); return float(loss)"
        )
        tag = "method-not-called"
    elif array is None or array.dtype.kind not in "biuf":
        problems.append(f"forward returned {kind_name(value)}, expected a float")
    elif array.shape != ():
        problems.append(f"forward returned an array of shape {array.shape}; a loss is one number (return float(loss))")
    elif array.dtype != np.float64 and not isinstance(value, (float, int)):
        text, tag = dtype_problem("forward returned", array.dtype, "results must be float64", " for float32 input")
        problems.append(text)
    grad = as_array(ctx.session.call(handle, "backward"))
    if grad is None:
        problems.append("backward returned no array")
    else:
        if grad.shape != x.shape:
            problems.append(f"backward returned shape {grad.shape}; the gradient has the input's shape {x.shape}")
            tag = "wrong-shape" if tag == "wrong-type" else tag
        if grad.dtype != np.float64:
            text, dtype_tag = dtype_problem("backward returned", grad.dtype, "gradients must be float64")
            problems.append(text)
            tag = most_telling_dtype([tag, dtype_tag])
    if problems:
        return failed(name, "; ".join(problems) + ".", tag)
    return passed(name)


# ------------------------------------------------------------------------------- reference
@check("reference", "forward", LOSS, per_case=True)
def forward_matches_reference(ctx: Context, case: Case) -> Outcome:
    name = f"forward: {case.id}"
    x, t = _data(ctx, case)
    expected, _ = _reference(ctx, case, x, t)
    handle = ctx.session.new(ctx.component.name, **case.kwargs)
    with promised(_contract(x, t)):
        actual = ctx.session.call(handle, "forward", x, t)
    return judge(
        name,
        actual,
        np.asarray(expected),
        "the loss",
        batch=x.shape[0],
        variants=Lazy(
            lambda: _count_probed(
                ctx,
                case,
                x,
                actual,
                0,
                preferring(
                    _clip_probed(
                        ctx,
                        case,
                        x,
                        t,
                        actual,
                        _overflow_probed(
                            ctx,
                            case,
                            x,
                            t,
                            actual,
                            _hard_label_probed(
                                ctx, case, x, t, forward_variants(ctx.component, case, x, t, expected, actual)
                            ),
                        ),
                    ),
                    _stored_otherwise(ctx, case, handle, x, t, 0),
                ),
            )
        ),
        factors=Lazy(lambda: loss_counts.factors(ctx.component, x)),
        scale=_scale(x),
    )


@check("reference", "backward", LOSS, per_case=True)
def backward_matches_reference(ctx: Context, case: Case) -> Outcome:
    name = f"backward: {case.id}"
    x, t = _data(ctx, case)
    right, expected = _reference(ctx, case, x, t)
    handle = ctx.session.new(ctx.component.name, **case.kwargs)
    with promised(_contract(x, t)):
        loss = ctx.session.call(handle, "forward", x, t)
        actual = ctx.session.call(handle, "backward")
    return judge(
        name,
        actual,
        expected,
        "the gradient",
        batch=x.shape[0],
        variants=Lazy(
            lambda: _count_probed(
                ctx,
                case,
                x,
                actual,
                1,
                preferring(
                    _floor_probed(ctx, case, _told_by_loss(ctx, case, x, t, loss, right, expected, actual)),
                    _stored_otherwise(ctx, case, handle, x, t, 1),
                ),
            )
        ),
        subsets=Lazy(lambda: loss_mistakes.backward_subsets(ctx.component, case, x, t)),
        factors=Lazy(lambda: loss_counts.factors(ctx.component, x)),
        related={"the input": x},
    )


def _told_by_loss(
    ctx: Context, case: Case, x: np.ndarray, t: np.ndarray, loss: Any, right: float, expected: Any, actual: Any
) -> dict:
    """The backward variants, with those the student's own loss on the case refutes dropped: a gradient that a
    slip of backward alone and a wrong formula (forward and its derivative) both give is told apart by the loss
    forward returned just before (loss_mistakes.told_by_loss), at no extra call."""
    variants = backward_variants(ctx.component, case, x, t, expected, actual)
    if ctx.component.formula != HINGE:
        return variants
    return loss_mistakes.told_by_loss(variants, x, t, case.kwargs.get("margin", 1.0), scalar(loss), right)


def _stored_otherwise(ctx: Context, case: Case, handle: Any, x: np.ndarray, t: np.ndarray, which: int) -> dict:
    """A float hyper-parameter the student's loss stores as another number (a margin of 0.5 kept as int() 0): what
    the reference gives with the stored value (``which``: 0 the loss, 1 the gradient). Only the stored attribute
    tells it from the term left out, which gives the same numbers where int() makes a 0; so it is tried first."""
    saved = saved_state(ctx.session, handle)
    found = {}
    for param, tag, why in stored_otherwise(ctx.component.signature, case.kwargs, saved):
        if tag:
            stored = dataclasses.replace(case, kwargs={**case.kwargs, param: saved[param]})
            found[f"{tag}#{param}"] = (np.asarray(_reference(ctx, stored, x, t)[which]), "the loss " + why)
    return found


def _hard_label_probed(ctx: Context, case: Case, x: np.ndarray, t: np.ndarray, variants: dict) -> dict:
    """On soft targets a loss written for 0/1 labels only (``t == 1`` picks log p, anything else log(1 - p))
    takes log(1 - p) everywhere, which is also what log(1 - p) written in both terms gives: the same numbers.
    With the targets rounded to 0/1 the first is right and the second is not, so one probe there tells them
    apart."""
    if "bce-hard-labels-only" not in variants:
        return variants
    hard = np.round(t)
    expected, _ = _reference(ctx, case, x, hard)
    try:
        value = ctx.session.call(ctx.session.new(ctx.component.name, **case.kwargs), "forward", x, hard)
    except StudentError:
        return variants
    if _agree("the loss", value, expected, _scale(x)):  # wrong for 0/1 labels too: not the hard-label reading
        return {tag: v for tag, v in variants.items() if tag.partition("#")[0] != "bce-hard-labels-only"}
    return {tag: v for tag, v in variants.items() if tag.partition("#")[0] != "bce-wrong-log-term"}


# A logit whose e^-x overflows (e^1000 = inf) and whose |x| does not.
_OVERFLOWING_LOGIT = -1000.0


def _overflow_probed(ctx: Context, case: Case, x: np.ndarray, t: np.ndarray, actual: Any, variants: dict) -> dict:
    """|x| for max(x, 0) and e^-x for e^-|x| in the stable form's log term both add |x| for a negative logit: the
    same numbers wherever e^-x is finite, so a case of ordinary logits cannot tell them apart. At x = -1000 e^-x
    overflows (the loss is inf) and |x| is 1000, finite: one probe there keeps the mistake that reproduces it. A
    probe that raises, or that neither reproduces, leaves both named together, or neither."""
    pair = (loss_formulas.ABS_MISSING, loss_formulas.ABS_FOR_MAX)
    mine = as_array(actual)
    if not all(tag in variants for tag in pair) or mine is None or mine.dtype.kind not in "biuf":
        return variants
    if not all(same(mine.astype(np.float64), variants[tag][0]) for tag in pair):
        return variants  # not what either gives: the probe would say nothing
    probe_x, probe_t = x.copy(), t.copy()
    probe_x.reshape(-1)[0], probe_t.reshape(-1)[0] = _OVERFLOWING_LOGIT, 0.0
    with np.errstate(all="ignore"):
        simulated = loss_formulas.bce_logits_forward(probe_x, probe_t)
    others = {tag: v for tag, v in variants.items() if tag not in pair}
    try:
        handle = ctx.session.new(ctx.component.name, **case.kwargs)
        value = scalar(ctx.session.call(handle, "forward", probe_x, probe_t))
    except StudentError:
        value = None
    if value is None:  # no number at the probe: the two stay indistinguishable, and are named together
        joint = f"either of two mistakes, they give the same numbers: {variants[pair[1]][1]}; or {variants[pair[0]][1]}"
        return {**others, "+".join(sorted(pair)): (variants[pair[0]][0], joint)}
    kept = [
        tag
        for tag in pair
        if np.isclose(value, float(simulated[tag][0]), rtol=settings.SIMULATION_RTOL, equal_nan=True)
    ]
    probed = (
        f" (with one logit at {_OVERFLOWING_LOGIT:g} your loss is {value:.6g}, which this gives and the other reading "
        "of these numbers, {}, does not)"
    )
    other = {
        pair[0]: "|x| for max(x, 0), finite there",
        pair[1]: "e^-x for e^-|x|, which overflows to inf there",
    }
    return {**others, **{tag: (variants[tag][0], variants[tag][1] + probed.format(other[tag])) for tag in kept}}


def _clip_probed(ctx: Context, case: Case, x: np.ndarray, t: np.ndarray, actual: Any, variants: dict) -> dict:
    """The hinge without its clip and the hinge clipped on each row's sum give the same loss wherever no row's
    slacks sum below 0. One probe with such a row (sample 0's true score far above its others, every margin met)
    keeps the reading that reproduces the student's loss there: the unclipped sum goes below 0, the row's clip
    gives 0. A probe that raises, or that neither reproduces, leaves both, and the case names neither."""
    pair = (loss_mistakes.UNCLIPPED, loss_formulas.ROW_SUM_CLIPPED)
    mine = scalar(actual)
    if not all(tag in variants for tag in pair) or mine is None:
        return variants
    if not all(np.isclose(mine, float(variants[tag][0]), rtol=settings.SIMULATION_RTOL) for tag in pair):
        return variants
    margin = case.kwargs.get("margin", 1.0)
    probe_x = x.copy()
    probe_x[0, t[0]] = probe_x[0].max() + abs(margin) + 1.0
    simulated = loss_mistakes.hinge_clip_readings(probe_x, t, margin)
    try:
        value = scalar(ctx.session.call(ctx.session.new(ctx.component.name, **case.kwargs), "forward", probe_x, t))
    except StudentError:
        return variants
    rtol = settings.SIMULATION_RTOL
    kept = [tag for tag in pair if value is not None and np.isclose(value, simulated[tag], rtol=rtol)]
    if len(kept) != 1:
        return variants
    dropped = next(tag for tag in pair if tag not in kept)
    text = variants[kept[0]][1] + (
        f" (with sample 0's true score above every other by more than the margin, your loss is {value:.6g}, which "
        "this gives and the other reading of these numbers does not)"
    )
    return {**{k: v for k, v in variants.items() if k != dropped}, kept[0]: (variants[kept[0]][0], text)}


def _floor_probed(ctx: Context, case: Case, variants: dict) -> dict:
    """A BCE gradient of (p - t) / 1e-12 / M everywhere says the denominator was the floor for every p, not
    why: np.minimum(p (1 - p), eps) gives it, and so does np.maximum of an expression that is <= 0 for every p
    (a sign or parenthesis slip). At p = 0 only the first divides by 0, so one probe there tells them apart."""
    if "bce-clamp" not in variants:
        return variants
    x, t = _data(ctx, case, "floor")
    x.reshape(-1)[0], t.reshape(-1)[0] = 0.0, 1.0
    try:
        handle = ctx.session.new(ctx.component.name, **case.kwargs)
        ctx.session.call(handle, "forward", x, t)
        grad = as_array(ctx.session.call(handle, "backward"))
    except StudentError:
        return variants
    if grad is None or grad.dtype.kind not in "biuf" or not np.isfinite(grad).all():
        return variants  # 1 / 0 at p = 0: np.minimum reproduces that too
    renamed = dict(variants)
    value, _ = renamed.pop("bce-clamp")
    renamed["bce-denominator-floored"] = (value, loss_formulas.FLOORED_EVERYWHERE)
    return renamed


def _count_probed(ctx: Context, case: Case, x: np.ndarray, actual: Any, part: int, variants: dict) -> dict:
    """A loss (``part`` 0) or gradient (1) M times too large on a case where a count is 1 (one sample, one column):
    a plain sum, or a division by that count, which is none here (loss_counts.unit_count_variants names them
    together). One rerun on an input where no count is 1 and every count differs keeps the reading whose numbers
    it gives; a rerun that raises, or that none or several give, leaves them named together."""
    mine, joint = as_array(actual), loss_counts.joint_unit_count(variants)
    if joint is None or mine is None or mine.dtype.kind not in "biuf" or not same(mine, variants[joint][0]):
        return variants
    probe = dataclasses.replace(case, input_shape=loss_counts.PROBE_SHAPE)
    probe_x, probe_t = _data(ctx, probe, "counts")
    right = _reference(ctx, probe, probe_x, probe_t)[part]
    try:
        handle = ctx.session.new(ctx.component.name, **case.kwargs)
        value = ctx.session.call(handle, "forward", probe_x, probe_t)
        value = ctx.session.call(handle, "backward") if part else value
    except StudentError:
        return variants
    theirs = as_array(value)
    if theirs is None or theirs.dtype.kind not in "biuf":
        return variants
    theirs, right = theirs.astype(np.float64), np.asarray(right, dtype=np.float64)
    found = loss_counts.probed_unit_count(ctx.component, x.shape, joint, part, theirs, right)
    if found is None:
        return variants
    tag, text, simulated = found
    refutation.confirm("the loss" if part == 0 else "the gradient", theirs, right, tag, simulated)
    return {**{other: v for other, v in variants.items() if other != joint}, tag: (variants[joint][0], text)}


# ------------------------------------------------------------------------------- gradcheck
@check("gradcheck", "gradient check", LOSS, per_case=True)
def gradient_check(ctx: Context, case: Case) -> Outcome:
    """Backward against central differences of the submission's own forward (no reference)."""
    name = f"gradient check: {case.id}"
    x, t = _data(ctx, case, "gradcheck")
    if ctx.component.positive_input:
        # Central differences of log p lose accuracy near 0 and 1 (f''' ~ 1/p^3).
        x = np.clip(x, settings.LOSS_GRADCHECK_PROBABILITY, 1 - settings.LOSS_GRADCHECK_PROBABILITY)
    handle = ctx.session.new(ctx.component.name, **case.kwargs)
    value = scalar(ctx.session.call(handle, "forward", x, t))
    analytic = ctx.session.call(handle, "backward")
    if value is None:
        return failed(name, "forward did not return a single number.", "wrong-type")
    h = settings.GRADCHECK_STEP
    entries = np.arange(x.size)
    requests = []
    for sign in (1, -1):
        for i in entries:
            shifted = x.copy().reshape(-1)
            shifted[i] += sign * h
            requests.append([shifted.reshape(x.shape), t])
    values = [scalar(v) for v in ctx.session.map(handle, "forward", requests)]
    if any(v is None for v in values):
        return failed(name, "forward did not return a single number.", "wrong-type")
    numeric = (np.array(values[: x.size]) - np.array(values[x.size :])) / (2 * h)
    problem = gradient_agreement("the gradient", analytic, numeric, entries, x.shape, abs(value))
    if problem:
        return failed(name, problem + ". Backward is not the derivative of forward.", "gradcheck")
    return passed(name)


# ------------------------------------------------------------------------------- properties
def _evaluate(ctx: Context, kwargs: dict, x: np.ndarray, t: np.ndarray) -> tuple[Any, Any]:
    handle = ctx.session.new(ctx.component.name, **kwargs)
    value = ctx.session.call(handle, "forward", x, t)
    return value, ctx.session.call(handle, "backward")


def _agree(what: str, actual: Any, expected: Any, scale: float) -> str:
    comparison = compare(actual, np.asarray(expected), scale=scale)
    return "" if comparison.ok else f"{what}: {comparison.problem}"


@check(
    "properties",
    "non-negative, and zero with a zero gradient at input == target",
    LOSS,
    when=_formula(MSE),
)
def mse_properties(ctx: Context) -> Outcome:
    name = "non-negative, and zero with a zero gradient at input == target"

    def body(shape: tuple[int, ...], seed: int, scale: float) -> str:
        x, t = rng_array(seed, shape, scale), rng_array(seed + 1, shape, scale)
        value = scalar(_evaluate(ctx, {}, x, t)[0])
        if value is None or not np.isfinite(value) or value < 0:
            return f"for input and target of shape {shape} the loss was {value}; it must be >= 0"
        value, grad = _evaluate(ctx, {}, x, x.copy())
        return _agree(f"with target == input (shape {shape}) the loss", value, 0.0, scale**2) or _agree(
            f"with target == input (shape {shape}) the gradient", grad, np.zeros(shape), scale
        )

    strategy = st.tuples(shapes(1, 3, 5), SEEDS, st.sampled_from([1e-3, 1.0, 1e3]))
    return holds(ctx, name, strategy, body, "mse-property")


@check(
    "properties",
    "finite value and gradient at p = 0 and p = 1",
    LOSS,
    when=_formula(BCE),
)
def bce_extremes(ctx: Context) -> Outcome:
    name = "finite value and gradient at p = 0 and p = 1"

    def body(shape: tuple[int, ...], seed: int) -> str | tuple[str, str, str]:
        rng = np.random.default_rng(seed)
        p = _sigmoid(1.5 * rng.standard_normal(shape))
        inside = p.copy()
        extreme = rng.random(shape) < 0.5
        extreme.reshape(-1)[0] = True
        p[extreme] = rng.integers(0, 2, shape)[extreme]
        t = rng.integers(0, 2, shape).astype(np.float64)
        expected_value, expected_grad = _reference(ctx, Case("extremes"), p, t)
        value, grad = _evaluate(ctx, {}, p, t)
        where = f"for p = {np.array2string(p.reshape(-1), precision=3)} and targets {t.reshape(-1)}"
        v = scalar(value)
        finite = v is not None and np.isfinite(v)
        problem = "" if not finite else _agree("the loss", v, expected_value, 100.0)
        if finite and not problem:
            g = as_array(grad)
            if g is None or g.shape != p.shape or not np.isfinite(g).all():
                found = f"{where} the gradient is not finite (or not shaped like p)"
                if not _bce_right_inside(ctx, inside, t, "the gradient"):
                    return _wrong_inside_too(found, "gradient")
                return f"{found}: floor p (1 - p)"
            if np.any(g[(p == 0) & (t == 1)] >= 0) or np.any(g[(p == 1) & (t == 0)] <= 0):
                return f"{where} the gradient at a confident wrong answer points the wrong way", "bce-gradient"
            # Judged where the answer is confidently wrong (p - t = +-1) only: there every right formula divides by
            # the floor; at p = t = 0 or 1 a sum of two floored fractions may give 1 / M for PyTorch's 0, unpenalised.
            wrong = np.abs(p - t) == 1.0
            if not wrong.any():
                return ""
            scale = float(np.max(np.abs(expected_grad[wrong])))
            problem = _agree("the gradient where p - t = +-1", g[wrong], expected_grad[wrong], scale)
            if not problem:
                return ""
            if not _bce_right_inside(ctx, inside, t, "the gradient"):
                return _wrong_inside_too(f"{where} {problem}", "gradient")
            return _gradient_floor(f"{where} {problem}", p, t, g, wrong)
        found = f"{where} the loss is {v}" if not finite else f"{where} {problem}"
        # Only the clamp is at stake if the loss is right for the same probabilities inside (0, 1).
        if not _bce_right_inside(ctx, inside, t, "the loss"):
            return _wrong_inside_too(found, "loss")
        if not finite:
            after = _clamped_after_product(ctx)
            if after:
                return f"{found}. Cause: {after}", "bce-clamp", "is"
            return (
                f"{found}. Cause: {_unclamped(ctx)}; clamp each log at -100 so it stays finite",
                "bce-not-clamped",
                "is",
            )
        clipped = _clipped_bce(p, t, v)
        if clipped:
            return f"{found}. Cause: {clipped}", "bce-clamp", "is"
        return (
            f"{found}. Observed: only the terms at p = 0 or 1 are wrong. Looks like: each log is not clamped at "
            "-100 as in PyTorch (-log 0 counts as 100, and 0 * log 0 as 0) (the pattern fits; not confirmed)",
            "bce-clamp",
            "looks like",
        )

    return holds(ctx, name, st.tuples(shapes(1, 2, 5), SEEDS), body, "bce-not-clamped")


def _wrong_inside_too(found: str, what: str) -> tuple[str, str]:
    """The finding at p = 0 or 1 when ``what`` ("loss" or "gradient") is wrong inside (0, 1) as well: no claim."""
    rows = "forward" if what == "loss" else "backward"
    return (
        f"{found}. The {what} is wrong for probabilities inside (0, 1) too, so the formula, not the handling of 0 "
        f"and 1, is the mistake: the {rows} rows show where it differs",
        "",
    )


def _gradient_floor(found: str, p: np.ndarray, t: np.ndarray, g: np.ndarray, wrong: np.ndarray) -> tuple[str, ...]:
    """A gradient right inside (0, 1) and wrong at the confident wrong answers ``wrong`` (p - t = +-1, at least
    one) comes from the floor of p (1 - p): the floor that reproduces it, with what it is, or the finding alone."""
    with np.errstate(divide="ignore"):
        floor = float(np.median(1.0 / (np.abs(g[wrong]) * p.size)))
    exponent = round(math.log10(floor)) if np.isfinite(floor) and floor > 0 else None
    if exponent is None or exponent == round(math.log10(BCE_GRAD_EPS)):
        return found, ""
    simulated = (p - t) / np.maximum(p * (1.0 - p), 10.0**exponent) / p.size
    if not allclose(g, simulated, rtol=settings.SIMULATION_RTOL, atol=0.0):
        return found, ""
    typed = f"1e{exponent}"
    if exponent == round(math.log10(BCE_GRAD_EPS)) + 1:  # 10e-12 typed for 1e-12
        typed += " (written 10e-12? In scientific notation 10e-12 means 10 x 10^-12 = 1e-11, ten times too large)"
    return (
        f"{found}. Cause: p (1 - p) was floored at {typed} where PyTorch's floor is 1e-12: at p = 0 or 1 the "
        f"gradient (p - t) / max(p (1 - p), 1e-12) / M is divided by that floor, so it comes out "
        f"{'smaller' if exponent > -12 else 'larger'} by the ratio of the floors; write the floor 1e-12",
        "floor-wrong-magnitude",
        "is",
    )


def _bce_right_inside(ctx: Context, p: np.ndarray, t: np.ndarray, what: str) -> bool:
    """Is ``what`` ("the loss" or "the gradient") right for the same probabilities inside (0, 1)? Tried with
    the targets and with 1 - t, so that both logs count: a shrunk example whose targets are all 0 cannot
    see a mistake in the log p term."""
    for targets in (t, 1.0 - t):
        expected = _reference(ctx, Case("inside"), p, targets)
        actual = _evaluate(ctx, {}, p, targets)
        if what == "the loss" and _agree(what, actual[0], expected[0], 100.0):
            return False
        if what == "the gradient" and _agree(what, actual[1], expected[1], 1.0):
            return False
    return True


def _clamped_after_product(ctx: Context) -> str:
    """The clamp applied to t log p (or to the sum of the terms) instead of to each log: each log alone at its
    extreme comes out clamped (p = 0 with t = 1 costs 100), but where the target's weight is 0 the product
    0 * log 0 = 0 * -inf is nan before any clamp sees it. Both probes as that simulation gives them, or ""."""
    results = []
    for p, t in ((0.0, 1.0), (1.0, 0.0), (0.0, 0.0), (1.0, 1.0)):
        value = scalar(ctx.session.call(ctx.session.new(ctx.component.name), "forward", np.array([p]), np.array([t])))
        results.append(value)
    clamped, weighted = results[:2], results[2:]
    if not all(v is not None and np.isclose(v, -loss_formulas.LOG_CLAMP) for v in clamped):
        return ""
    if not all(v is not None and np.isnan(v) for v in weighted):
        return ""
    return (
        "each log alone is clamped (p = 0 with target 1 costs 100), but at p = 0 with target 0 the loss is nan: the "
        "clamp was applied after the product with the target, and 0 * log 0 = 0 * -inf is nan before any clamp "
        "sees it (np.maximum keeps nan); clamp each log at -100 first, then multiply by t and 1 - t"
    )


def _unclamped(ctx: Context) -> str:
    """Which log is left unclamped, from one probe of each: p = 0 with t = 1 takes only log p, p = 1 with
    t = 0 only log(1 - p)."""
    open_logs = []
    for log, p, t in (("log p", 0.0, 1.0), ("log(1 - p)", 1.0, 0.0)):
        value = scalar(ctx.session.call(ctx.session.new(ctx.component.name), "forward", np.array([p]), np.array([t])))
        if value is None or not np.isfinite(value):
            open_logs.append(log)
    if len(open_logs) == 1:
        other = "log(1 - p)" if open_logs[0] == "log p" else "log p"
        return f"{open_logs[0]} is not clamped ({other} is), so it is -inf at the extreme"
    return "the logs are not clamped: log 0 = -inf, and 0 * log 0 = nan"


def _clipped_bce(p: np.ndarray, t: np.ndarray, value: float) -> str:
    """The clipping that reproduces ``value``, as a sentence, or ""."""
    for eps in CLIP_EPSILONS:
        q = np.clip(p, eps, 1 - eps)
        if np.isclose(value, -np.mean(t * np.log(q) + (1 - t) * np.log1p(-q)), rtol=settings.SIMULATION_RTOL):
            return (
                f"p was clipped to [{eps:g}, 1 - {eps:g}] before the log, so -log 0 counts as {-np.log(eps):.4g}; "
                "PyTorch clamps each log at -100 instead (-log 0 counts as 100)"
            )
    return ""


_EVERY_LOG = "every log below -100 counts as -100"


@check(
    "properties",
    "each log clamped at -100, also for a tiny p > 0 (p < e^-100)",
    LOSS,
    when=_formula(BCE),
)
def bce_tiny_probabilities(ctx: Context) -> Outcome:
    """docs/api.md: each log is clamped at -100, so p = 1e-60 (log p = -138) costs 100 as p = 0 does. A clamp of
    the infinities alone (log 0 = -inf) is right at p = 0 and 1 and wrong here."""
    name = "each log clamped at -100, also for a tiny p > 0 (p < e^-100)"

    def body(shape: tuple[int, ...], seed: int) -> str | tuple[str, ...]:
        rng = np.random.default_rng(seed)
        inside = _sigmoid(1.5 * rng.standard_normal(shape))
        t = rng.integers(0, 2, shape).astype(np.float64)
        tiny = rng.random(shape) < 0.5
        tiny.reshape(-1)[0], t.reshape(-1)[0] = True, 1.0  # a tiny p with target 1: its log p counts
        p = np.where(tiny, 10.0 ** -rng.uniform(45.0, 300.0, shape), inside)
        expected, _ = _reference(ctx, Case("tiny"), p, t)
        value = scalar(_evaluate(ctx, {}, p, t)[0])
        problem = _agree("the loss", value, expected, 100.0)
        if not problem:
            return ""
        with np.errstate(divide="ignore"):
            lowest = float(np.log(p[tiny].min()))
        found = (
            f"for p = {np.array2string(p.reshape(-1), precision=3)} and targets {t.reshape(-1)} {problem}; the "
            f"smallest p has log p = {lowest:.4g}, and {_EVERY_LOG} (PyTorch's clamp)"
        )
        if not _bce_right_inside(ctx, inside, t, "the loss"):
            return (
                f"{found}. The loss is wrong for ordinary probabilities too, so the formula, not the clamp, is the "
                "mistake: the forward rows show where it differs",
                "",
            )
        at_zero = scalar(ctx.session.call(ctx.session.new(ctx.component.name), "forward", np.array([0.0]), np.ones(1)))
        if at_zero is None or not np.isfinite(at_zero):
            return f"{found}. Cause: {_unclamped(ctx)}; clamp each log at -100", "bce-not-clamped", "is"
        with np.errstate(divide="ignore"):
            log_p, log_1mp = np.log(p), np.log1p(-p)
        only_infinities = float(
            -np.mean(
                t * np.where(np.isinf(log_p), loss_formulas.LOG_CLAMP, log_p)
                + (1 - t) * np.where(np.isinf(log_1mp), loss_formulas.LOG_CLAMP, log_1mp)
            )
        )
        if value is not None and np.isclose(at_zero, 100.0) and np.isclose(value, only_infinities):
            return (
                f"{found}. Cause: only the infinite logs were clamped (log 0 = -inf became -100, as "
                "np.nan_to_num(..., neginf=-100) or np.where(p > 0, np.log(p), -100) do), so p = 0 costs 100 but "
                f"a tiny p > 0 keeps its finite log below -100: PyTorch clamps every log, {_EVERY_LOG}, "
                "np.maximum(np.log(p), -100)",
                "bce-clamp",
                "is",
            )
        clipped = _clipped_bce(p, t, value) if value is not None else ""
        if clipped:
            return f"{found}. Cause: {clipped}", "bce-clamp", "is"
        return found, ""

    return holds(ctx, name, st.tuples(shapes(1, 2, 5), SEEDS), body, "bce-clamp")


def _huge_logits(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    x = rng.standard_normal(shape)
    huge = rng.random(shape) < 0.4
    huge.reshape(-1)[0] = True
    x[huge] = rng.choice([-1000.0, 1000.0], shape)[huge] + x[huge]
    return x


@check(
    "properties",
    "stable for logits of +-1000: exact loss, finite gradient",
    LOSS,
    when=_formula(BCE_LOGITS, CROSS_ENTROPY),
)
def huge_logits(ctx: Context) -> Outcome:
    name = "stable for logits of +-1000: exact loss, finite gradient"
    classes = ctx.component.target == "class"

    def body(shape: tuple[int, ...], seed: int) -> str | tuple[str, ...]:
        rng = np.random.default_rng(seed)
        x = _huge_logits(rng, shape)
        t = rng.integers(0, shape[1], shape[0]) if classes else rng.integers(0, 2, shape).astype(float)
        expected_value, _ = _reference(ctx, Case("huge"), x, t)
        value, grad = _evaluate(ctx, {}, x, t)
        where = f"for logits {np.array2string(x.reshape(-1), precision=1)} and targets {t.reshape(-1)}"
        advice = (
            ". Never exponentiate a large positive number: subtract the maximum (log-sum-exp) "
            "or use max(x, 0) + log(1 + exp(-|x|))"
        )
        g = as_array(grad)
        # Stability is about finite values: a gradient of another shape (or no array) is the shape rows' to
        # report, and says nothing of overflow.
        numeric = g is not None and g.dtype.kind in "biuf"
        finite_grad = not numeric or bool(np.isfinite(g).all())
        problem = _agree("the loss", value, expected_value, _scale(x))
        if numeric and finite_grad and not problem:
            return ""
        if not numeric and not problem:
            return f"{where} backward returned no array of numbers", ""  # the type rows say which
        found = f"{where} {problem}" if problem else f"{where} the gradient is not finite"
        # Stability is the mistake only if the same logits without the +-1000 are handled right.
        moderate = x - 1000.0 * np.round(x / 1000.0)
        expected_moderate, expected_grad = _reference(ctx, Case("moderate"), moderate, t)
        value_moderate, grad_moderate = _evaluate(ctx, {}, moderate, t)
        if not _agree("", value_moderate, expected_moderate, _scale(moderate)):
            # Re-centred, a logit of -999.9 becomes +0.1: its sign lost. The same logits clipped to ordinary
            # values keep their signs, where a formula wrong for negative logits only shows.
            signed = np.clip(x, -ORDINARY_LOGIT, ORDINARY_LOGIT)
            expected_signed, _ = _reference(ctx, Case("moderate"), signed, t)
            value_signed, _ = _evaluate(ctx, {}, signed, t)
            if _agree("", value_signed, expected_signed, _scale(signed)):
                moderate, expected_moderate, value_moderate = signed, expected_signed, value_signed
        # A gradient of the right shape that is wrong without the +-1000 (a shape is the shape rows' matter).
        wrong_grad = not finite_grad and _agree("", grad_moderate, expected_grad, _scale(moderate))
        shaped = as_array(grad_moderate) is not None and as_array(grad_moderate).shape == expected_grad.shape
        wrong_loss = _agree("the loss", value_moderate, expected_moderate, _scale(moderate))
        if wrong_loss or (wrong_grad and shaped):
            return (
                f"{found}. The {'loss' if wrong_loss else 'gradient'} is wrong for ordinary logits too, so this is "
                "not (only) a matter of numerical stability: the forward and backward rows show where the formula "
                "differs",
                "",
            )
        v = scalar(value)
        if finite_grad and v is not None and np.isfinite(v):
            clipped = _clipped_logits(ctx, x, t, v) or _clipped_probabilities(ctx.component.formula, x, t, v)
            if clipped:
                return f"{found}. Cause: {clipped}", "input-clipped", "is"
            return f"{found}", "extreme-logits"
        if finite_grad and v is None:
            return f"{found}", ""  # no single number came back: the type rows say so, and nothing overflowed
        shift = _shift_not_per_row(x, t, v) if classes and v is not None else ""
        if shift == "either":  # one class: each column's maximum is the batch's; several classes tell them apart
            shift = _shift_on_several_classes(ctx) or shift
        if shift == "column":
            return (
                f"{found}. Cause: the maximum subtracted was each column's (x.max(axis=0)), not each row's: in a "
                "row far below it every exp(x - max) is 0, so log 0 = -inf, and on logits of several classes it "
                "changes the loss itself (softmax is invariant only to a constant per row), as the loss of 3 rows "
                "of 4 classes shows. Subtract each row's own maximum, x.max(axis=1, keepdims=True)",
                "softmax-wrong-axis",
                "is",
            )
        if shift == "batch":
            return (
                f"{found}. Cause: the maximum subtracted was the whole batch's (x.max()), not each row's: in a row "
                "far below it every exp(x - max) is 0, and log 0 = -inf; subtract each row's own maximum, "
                "x.max(axis=1, keepdims=True)",
                "reduction-over-whole-array",
                "is",
            )
        if shift:  # with one class, or rows alike, each column's maximum is the batch's: either shift fits
            return (
                f"{found}. The maximum subtracted was not each row's own: the whole batch's (x.max()) and each "
                "column's (x.max(axis=0)) both give this value here. In a row far below it every exp(x - max) is "
                "0, and log 0 = -inf; subtract each row's own maximum, x.max(axis=1, keepdims=True)",
                "non-finite",
            )
        if not problem:  # the loss is exact: forward's formula is stable, backward's is not
            return (
                f"{found}, while the loss is exact: the probabilities backward uses (the softmax, or the sigmoid) were "
                "computed from the raw logits, where exp(1000) overflows to inf (and inf / inf is nan), though forward "
                "computed the loss stably; take them from the stable form (np.exp(log_probs), or the sigmoid from "
                "z = exp(-|x|))",
                "overflow",
                "is",
            )
        if classes:  # a non-finite loss is an overflow or a log of 0: two probes tell which
            cause = _non_finite_cause(ctx, max(x.shape[1], 2))  # (the true class of the probes is class 1)
            if cause is None:
                return f"{found}{advice}", "non-finite"
            return f"{found}. Cause: {cause[1]}", cause[0], "is"
        return f"{found}{advice}", "overflow", "is"

    strategy = shapes(2, 2, 5) if classes else shapes(1, 2, 5)
    return holds(ctx, name, st.tuples(strategy, SEEDS), body, "overflow")


PROBE_LOGIT = 800.0  # e^800 overflows float64, e^-800 underflows to 0; neither needs a +-1000 elsewhere


def _non_finite_cause(ctx: Context, C: int) -> tuple[str, str] | None:
    """Why a class loss came out inf or nan on huge logits, from two probes of two rows each: logits 0 with the
    true class at -800 (no exponent is positive, but the true class's probability e^-800 underflows to 0), and
    logits 800 with the true class at 799 (every probability is ordinary, but e^800 overflows unless the maximum is
    subtracted first). Only the first failing says log 0 of an underflowed probability; only the second, an
    overflow; both, the unshifted softmax's probabilities (e^800 overflows) whose log is taken; neither, no cause,
    unless a third probe, every logit near -800, alone fails: the maximum left unsubtracted where it is negative."""
    t = np.ones(2, dtype=np.int64)
    low, high = np.zeros((2, C)), np.full((2, C), PROBE_LOGIT)
    low[:, 1], high[:, 1] = -PROBE_LOGIT, PROBE_LOGIT - 1.0
    # A third probe, every logit near -800 and the true class the largest: only a row maximum left unsubtracted
    # where it is negative (a shift clamped at 0) lets every exponential underflow to 0 there, and log 0 = -inf.
    negative = np.full((2, C), -PROBE_LOGIT)
    negative[:, 1] = 1.0 - PROBE_LOGIT
    failing = []
    for x in (low, high, negative):
        expected, _ = _reference(ctx, Case("probe"), x, t)
        try:
            value = scalar(_evaluate(ctx, {}, x, t)[0])
        except StudentError:
            return None
        failing.append(value is None or not np.isfinite(value) and np.isfinite(scalar(expected)))
    if failing == [False, False, True]:
        return "shift-only-positive", (
            f"the row's maximum is not subtracted where it is negative: logits of {PROBE_LOGIT:g} and a true class "
            f"at {-PROBE_LOGIT:g} among zeros are handled, but a row whose logits are all near {-PROBE_LOGIT:g} gives "
            "a loss that is not finite, because every exp(x) there underflows to 0 and log 0 = -inf; a shift by "
            "max(row maximum, 0), or one applied only when the maximum is positive, gives that. Softmax is "
            "invariant to any constant per row: subtract each row's maximum whatever its sign"
        )
    failing = failing[:2]
    if failing == [True, False] and _overflows_below_true_class(ctx, C, t):
        return "overflow", (
            f"exp of a positive number overflowed: logits 0 with the true class at {-GAP_LOGIT:g} give a loss that is "
            f"not finite, yet there every probability is a float64 number (e^{-GAP_LOGIT:g} is tiny but not 0), so "
            f"the loss is about {GAP_LOGIT:g}; some exponent was +{GAP_LOGIT:g}. What was subtracted before exp was "
            "not the row's maximum (the true class's logit, or another value below the maximum): a class far above "
            "it overflows e^x. Only the maximum keeps every exponent <= 0: x - x.max(axis=1, keepdims=True)"
        )
    if failing == [True, False]:
        return "log-of-softmax-underflow", (
            f"the log was taken of the softmax probabilities: for logits 0 with the true class at {-PROBE_LOGIT:g} "
            f"the loss is not finite, while logits of {PROBE_LOGIT:g} are handled (the exponentials are shifted by "
            f"the maximum). There the true class's probability e^{-PROBE_LOGIT:g} underflows to 0 in float64, and "
            f"log 0 = -inf, where the true loss is about {PROBE_LOGIT:g}. Use the log-softmax directly, log p = "
            "x - max - log(sum(exp(x - max))) (log-sum-exp), never np.log of the probabilities"
        )
    if failing == [False, True]:
        return "overflow", (
            f"exp of a large positive logit overflows: logits of {PROBE_LOGIT:g} give a loss that is not finite, "
            "while a probability that underflows to 0 is handled; subtract each row's maximum before exp "
            "(log-sum-exp)"
        )
    if failing == [True, True]:
        return "overflow", (
            f"both probes fail: logits of {PROBE_LOGIT:g} overflow (exp of a large positive number is inf), and a "
            f"true class at {-PROBE_LOGIT:g} gives log 0 = -inf (its probability underflows to 0): subtract each "
            "row's maximum before exp and take the log-softmax directly, x - max - log(sum(exp(x - max)))"
        )
    return None


# e^720 overflows float64 (its largest is about e^709.8) while e^-720 is still a subnormal number, not 0 (the smallest
# is about e^-744.4): a true class 720 below the others tells an overflow from a log of an underflowed probability.
GAP_LOGIT = 720.0


def _overflows_below_true_class(ctx: Context, C: int, t: np.ndarray) -> bool:
    """Does the loss overflow for logits 0 with the true class at -720? There the log of the softmax probabilities
    is still finite (e^-720 has not underflowed to 0), so a loss that is not finite comes from an exponent of +720:
    a shift by something below the row's maximum (the true class's logit), not the log of a 0."""
    x = np.zeros((2, C))
    x[:, 1] = -GAP_LOGIT
    try:
        value = scalar(_evaluate(ctx, {}, x, t)[0])
    except StudentError:
        return False
    return value is not None and not np.isfinite(value)


def _clipped_logits(ctx: Context, x: np.ndarray, t: np.ndarray, value: float) -> str:
    """The clip of the logits that reproduces ``value``, as a sentence, or "": the right loss of the clipped
    logits, for each bound students write. Right for ordinary logits and exactly the clipped loss here is what a
    clip gives; the bound is read from the value, so a match says which."""
    for bound in LOGIT_CLIPS:
        if bound >= np.abs(x).max():
            break
        simulated, _ = _reference(ctx, Case("clipped"), np.clip(x, -bound, bound), t)
        if np.isclose(value, scalar(simulated), rtol=settings.SIMULATION_RTOL):
            return (
                f"the logits were clipped to [-{bound:g}, {bound:g}] before the loss, so a logit beyond {bound:g} is "
                f"charged as if it were {bound:g} (a confident wrong answer at 1000 costs about 1000, not "
                f"{bound:g}); the stable form is exact for any finite logit and needs no clip"
            )
    return ""


def _clipped_probabilities(formula: str, x: np.ndarray, t: np.ndarray, value: float) -> str:
    """The clip of the probabilities before their log that reproduces ``value``, as a sentence, or "": right for
    ordinary logits, and capped at -log eps per sample here; the bound is read from the value."""
    for eps in CLIP_EPSILONS:
        if np.isclose(value, loss_formulas.clipped_probabilities(formula, x, t, eps), rtol=settings.SIMULATION_RTOL):
            return loss_formulas.probabilities_clipped_text(eps)
    return ""


def _shift_on_several_classes(ctx: Context) -> str:
    """Which maximum the loss subtracts, read from ordinary logits of several classes, rows unlike each other:
    there a shift by each column's maximum changes the loss (softmax is invariant to a constant per row only)
    and a shift by the batch's maximum does not. "batch" when the loss is right there, "column" when it is
    the column shift's, "" otherwise: this tells apart what the failing example (one class) cannot."""
    x = 3.0 * ctx.rng("huge-logits", "several classes").standard_normal((3, 4))
    t = np.array([0, 1, 2])
    expected, _ = _reference(ctx, Case("probe"), x, t)
    value, _ = _evaluate(ctx, {}, x, t)
    if not _agree("the loss", value, expected, _scale(x)):
        return "batch"
    column = float(-np.mean(loss_mistakes.column_shifted(x)[np.arange(3), t]))
    return "column" if not _agree("the loss", value, column, _scale(x)) else ""


def _shift_not_per_row(x: np.ndarray, t: np.ndarray, value: float) -> str:
    """Is ``value`` the cross-entropy of logits shifted by another maximum than each row's, where shifting by
    nothing gives another value (both may be inf or nan: the match is of the non-finite values too)?
    "batch" when only the batch's maximum (x.max()) reproduces it, "either" when each column's maximum
    (x.max(axis=0)) gives the same value here (one class, say), "" when neither does. A shift by each column's
    maximum alone is the forward variants' to name: it is wrong for ordinary logits too."""

    def shifted_by(m: np.ndarray | float) -> float:
        with np.errstate(all="ignore"):
            shifted = x - m
            log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            return float(-np.mean(log_probs[np.arange(x.shape[0]), t]))

    def same(a: float, b: float) -> bool:
        return bool(np.isclose(a, b, rtol=settings.SAME_VALUE_RTOL, equal_nan=True))

    global_max = shifted_by(float(x.max()))
    if not same(value, global_max) or same(global_max, shifted_by(0.0)):
        return ""
    if same(global_max, shifted_by(x.max(axis=1, keepdims=True))):  # one row, or rows of one maximum: the loss is
        return ""  # right, and says nothing of the shift (a non-finite gradient comes from backward's own formula)
    return "either" if same(global_max, shifted_by(x.max(axis=0, keepdims=True))) else "batch"


@check(
    "properties",
    "unchanged by adding a constant to a row of logits",
    LOSS,
    when=_formula(CROSS_ENTROPY),
)
def shift_invariance(ctx: Context) -> Outcome:
    name = "unchanged by adding a constant to a row of logits"

    def body(shape: tuple[int, ...], seed: int) -> str:
        rng = np.random.default_rng(seed)
        x = 3 * rng.standard_normal(shape)
        t = rng.integers(0, shape[1], shape[0])
        c = rng.uniform(-100, 100, (shape[0], 1))
        value, grad = _evaluate(ctx, {}, x, t)
        value, grad = scalar(value), as_array(grad)
        if value is None or grad is None:
            return "forward did not return a number, or backward no array"
        shifted_value, shifted_grad = _evaluate(ctx, {}, x + c, t)
        problem = _agree("the loss of the shifted logits", shifted_value, value, _scale(x + c)) or _agree(
            "the gradient of the shifted logits", shifted_grad, grad, 1.0
        )
        if problem:
            return (
                f"adding {np.array2string(c.reshape(-1), precision=2)} to the rows of logits of "
                f"shape {shape} changed the result: {problem}. Softmax is invariant to it"
            )
        return ""

    return holds(ctx, name, st.tuples(shapes(2, 2, 5), SEEDS), body, "shift-invariance")


@check(
    "properties",
    "non-negative, and zero when every margin is met",
    LOSS,
    when=_formula(HINGE),
)
def hinge_properties(ctx: Context) -> Outcome:
    name = "non-negative, and zero when every margin is met"

    def body(shape: tuple[int, ...], seed: int, margin: float) -> str | tuple[str, ...]:
        rng = np.random.default_rng(seed)
        x = rng.standard_normal(shape)
        t = rng.integers(0, shape[1], shape[0])
        kwargs = {"margin": margin}
        value = scalar(_evaluate(ctx, kwargs, x, t)[0])
        if value is None or not np.isfinite(value) or value < 0:
            said = f"for scores of shape {shape} the loss was {value}; it must be >= 0"
            right = loss_formulas.hinge(x, t, margin)[0]
            if value is not None and np.isclose(value, right - margin, rtol=settings.SAME_VALUE_RTOL):
                # The true class's slack (the margin) taken back from a sum that never held it.
                return (
                    f"{said}. Cause: the loss is the right one, {fmt(right)}, minus `margin` = {fmt(margin)}: the "
                    "margin was subtracted once per sample (the correction for a sum that includes the true class), "
                    "but the true class was already left out of the sum, so nothing is to be subtracted",
                    "hinge-counts-true-class",
                    "is",
                )
            return said
        rows = np.arange(shape[0])
        others = np.where(np.eye(shape[1], dtype=bool)[t], -np.inf, x).max(axis=1)
        x[rows, t] = np.maximum(others, x[rows, t]) + margin + rng.uniform(0.1, 1.0, shape[0])
        value, grad = _evaluate(ctx, kwargs, x, t)
        where = f"with margin={fmt(margin)}, scores {np.array2string(x.reshape(-1), precision=2)}"
        problem = _agree("the loss", value, 0.0, _scale(x)) or _agree("the gradient", grad, np.zeros(shape), 1.0)
        if not problem:
            return ""
        text = (
            f"{where} and labels {t} (the true class leads by more than the margin) "
            f"{problem}. Only classes j != y with x_j - x_y + margin > 0 count"
        )
        # Counting j = y adds its slack, exactly `margin`, per sample: a mean of exactly `margin`.
        if (
            margin != 0
            and scalar(value) is not None
            and np.isclose(scalar(value), margin, rtol=settings.SAME_VALUE_RTOL)
        ):
            return (
                f"{text}. Cause: the true class j = y was counted, adding `margin` per sample",
                "hinge-counts-true-class",
                "is",
            )
        return text, "hinge-margin-met"

    strategy = st.tuples(shapes(2, 2, 5), SEEDS, st.sampled_from([1.0, 0.5, 2.0]))
    return holds(ctx, name, strategy, body, "hinge-margin-met")


# ------------------------------------------------------------------------------- contracts
@check("contracts", "forward and backward do not modify their arguments", LOSS)
def arguments_not_modified(ctx: Context) -> Outcome:
    name = "forward and backward do not modify their arguments"
    session, problems = ctx.session, []
    for case in ctx.component.cases[:2]:
        x, t = _data(ctx, case, "inplace")
        x_box, t_box = session.harness("array_box", x), session.harness("array_box", 0.0)
        session.set(t_box, "value", t)  # keeps the target's dtype (int64 class labels)
        handle = session.new(ctx.component.name, **case.kwargs)
        session.call_unboxed(handle, "forward", x_box, t_box)
        session.call(handle, "backward")
        if not np.array_equal(session.get(x_box, "value"), x):
            problems.append(f"the input was modified in place ({case.id})")
        if not np.array_equal(session.get(t_box, "value"), t):
            problems.append(f"the target was modified in place ({case.id})")
    if problems:
        return failed(
            name,
            "; ".join(problems) + ". Compute into new arrays (`d = x - t`, not `x -= t`).",
            "modifies-input",
        )
    return passed(name)


@check("contracts", "backward uses the latest forward", LOSS)
def backward_uses_latest_forward(ctx: Context) -> Outcome:
    """Backward after two forward calls equals backward after only the second (no reference)."""
    name = "backward uses the latest forward"
    case = ctx.component.cases[0]
    x1, t1 = _data(ctx, case, "first")
    bigger = (case.input_shape[0] + 2, *case.input_shape[1:])
    x2, t2 = _data(ctx, dataclasses.replace(case, input_shape=bigger), "second")
    handle = ctx.session.new(ctx.component.name, **case.kwargs)
    ctx.session.call(handle, "forward", x1, t1)
    ctx.session.call(handle, "forward", x2, t2)
    actual = ctx.session.call(handle, "backward")
    _, fresh = _evaluate(ctx, case.kwargs, x2, t2)
    _, stale = _evaluate(ctx, case.kwargs, x1, t1)
    fresh = as_array(fresh)
    if fresh is None or agrees(actual, fresh):
        return passed(name)  # a wrong backward is the reference checks' business
    what = (
        f"backward after forward on a batch of {x1.shape[0]} then one of {x2.shape[0]} "
        "(compared with your backward after only the second)"
    )
    stale = as_array(stale)
    variants = {}
    if stale is not None:
        variants["stale-forward"] = (
            stale,
            "backward used what the *first* forward saved; each forward must overwrite it",
        )
    return judge(name, actual, fresh, what, variants=variants)


# ------------------------------------------------------------------------------- labels
_INDEXES_WITH_FLOATS = "arrays used as indices must be of integer"  # numpy's IndexError for a float index
_FLOAT_LABELS = (
    "class labels may arrive as floats holding whole numbers (np.array([2., 0., 1.]), common after loading data; "
    "docs/api.md allows them), and {why}: the same call with the labels as integers worked. Cast them before "
    "using them as indices, labels = target.astype(int) (the support code's self._labels holds them cast already)"
)


@check(
    "contracts",
    "class labels given as whole-number floats (np.array([2., 0., 1.])) work as integer labels do",
    LOSS,
    when=lambda component: component.target == "class",
)
def float_labels(ctx: Context) -> Outcome:
    """docs/api.md: the classification losses take labels as integers or as floats holding whole numbers. The
    same scores with the same labels as floats must give what the submission gives for integers; the reference
    only says whether its loss promises them (a course's own class loss may take integers only)."""
    name = "class labels given as whole-number floats (np.array([2., 0., 1.])) work as integer labels do"
    case = ctx.component.cases[0]
    x, t = _data(ctx, case, "float labels")
    value, grad = _evaluate(ctx, case.kwargs, x, t)
    if scalar(value) is None or as_array(grad) is None or as_array(grad).dtype.kind not in "biuf":
        return passed(name)  # no numbers with integer labels either: the type rows say so
    floats = t.astype(np.float64)
    try:
        _reference(ctx, case, x, floats)
    except (TypeError, ValueError, IndexError):
        return passed(name)  # a course's own class loss whose reference takes integer labels only promises no more
    try:
        float_value, float_grad = _evaluate(ctx, case.kwargs, x, floats)
    except StudentError as error:
        why = (
            "numpy indexes only with integer arrays"
            if _INDEXES_WITH_FLOATS in error.message
            else "your code raised for them"
        )
        error.diagnosis = error.diagnosis or Diagnosis("float-labels", _FLOAT_LABELS.format(why=why), IS)
        raise
    problem = _agree("the loss", float_value, value, _scale(x)) or _agree("the gradient", float_grad, grad, 1.0)
    if problem:
        return failed(
            name,
            f"with the labels as floats, {floats}, instead of the integers {t}, {problem} (your own result for the "
            "integers is the expected one): floats holding whole numbers are the same labels (docs/api.md); cast "
            "them, labels = target.astype(int), before using them",
            "float-labels",
            confidence=IS,
        )
    return passed(name)


# ------------------------------------------------------------------------------- kinks
@check(
    "contracts",
    "gradient where a score sits exactly at the margin (slack 0 counts as inactive, as in PyTorch)",
    LOSS,
    when=_formula(HINGE),
)
def hinge_at_margin(ctx: Context) -> Outcome:
    """docs/api.md: at a kink the derivative is PyTorch's. A wrong class exactly at the margin
    (slack 0) contributes nothing, as in MultiMarginLoss (``slack > 0``); integer scores,
    which students test with, land there often."""
    name = "gradient where a score sits exactly at the margin (slack 0 counts as inactive, as in PyTorch)"
    rng = ctx.rng("margin")
    N, C = 6, 4
    x = rng.integers(-2, 3, (N, C)).astype(np.float64)
    t = rng.integers(0, C, N)
    x[0, (t[0] + 1) % C] = x[0, t[0]] - 1.0  # at least one wrong class with slack exactly 0
    reference = reference_class(ctx.component.name)()
    right = float(reference.forward(x, t))
    expected = reference.backward()
    handle = ctx.session.new(ctx.component.name)
    loss = ctx.session.call(handle, "forward", x, t)
    actual = ctx.session.call(handle, "backward")
    inclusive = {
        "hinge-margin-inclusive": (
            _hinge_gradient(x, t, inclusive=True),
            "a class with slack exactly 0 was counted as active (`slack >= 0`); max(0, slack) has "
            "derivative 0 there in PyTorch: test `slack > 0`",
        ),
        # The true class left out by its score, not its index (slack[x == x_true] = 0, or a mask x != x_true): a
        # wrong class whose score ties with the true class's is left out with it. Only integer scores tie.
        "values-for-indices#true-class-by-score": (
            _hinge_gradient(x, t, inclusive=False, by_score=True),
            "a wrong class whose score equals the true class's score was left out of the gradient as if it were "
            "the true class (its slack is the full margin, so it violates): the true class was excluded by its "
            "value, x == x[n, y_n], which matches every class tied with it; exclude the one entry (n, y_n) by its "
            "index, slack[np.arange(N), y] = 0",
        ),
    }

    def variants() -> dict[str, tuple[np.ndarray, str]]:
        # `slack >= 0` shows only where a slack is exactly 0. A backward wrong off the kink too may give the same
        # numbers on these integer scores (the row's summed slack clipped makes every other class count), so
        # there the other known backward mistakes compete with it, and a tie between them names neither.
        if _hinge_right_off_the_kink(ctx, x, t):
            return inclusive
        found = backward_variants(ctx.component, Case("integer scores"), x, t, expected, actual)
        return loss_mistakes.told_by_loss(found, x, t, 1.0, scalar(loss), right) | inclusive

    return judge(name, actual, expected, "the gradient with integer scores", variants=Lazy(variants))


def _hinge_right_off_the_kink(ctx: Context, x: np.ndarray, t: np.ndarray) -> bool:
    """Is the student's hinge gradient right on float scores with the same labels, where no slack is exactly 0?
    Row 0 holds a wrong class that violates the margin and one that meets it, so that a gradient that does not
    tell them apart (every other class counted) shows there."""
    scores = ctx.rng("margin", "off the kink").normal(0.0, 1.5, x.shape)
    C = x.shape[1]
    scores[0, t[0]], scores[0, (t[0] + 1) % C], scores[0, (t[0] + 2) % C] = 0.0, 0.5, -3.0
    reference = reference_class(ctx.component.name)()
    reference.forward(scores, t)
    handle = ctx.session.new(ctx.component.name)
    try:
        ctx.session.call(handle, "forward", scores, t)
        actual = ctx.session.call(handle, "backward")
    except StudentError:
        return False
    return agrees(actual, reference.backward())


def _hinge_gradient(x: np.ndarray, t: np.ndarray, inclusive: bool, by_score: bool = False) -> np.ndarray:
    rows = np.arange(x.shape[0])
    slack = x - x[rows, t][:, None] + 1.0
    active = (slack >= 0 if inclusive else slack > 0).astype(np.float64)
    if by_score:  # every class scored as the true class is left out with it
        active[x == x[rows, t][:, None]] = 0.0
    active[rows, t] = 0.0
    active[rows, t] = -active.sum(axis=1)
    return active / x.shape[0]
