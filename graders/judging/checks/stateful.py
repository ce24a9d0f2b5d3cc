"""Rubric for the layers whose behaviour depends on state or mode: Dropout and BatchNorm.

Dropout is random, so it cannot be compared with the reference value by value; instead
each rule of inverted dropout is checked on its own (kept entries scaled by 1/(1-p),
backward reuses the forward mask, identity in eval, the drop rate is p), and so is its
randomness: a new mask at every forward, one coin per entry (not one mask for the whole
batch), no training mask left for backward after an eval forward. BatchNorm's forward and
backward are compared in cases.py-style by modules.py; here its buffers are checked:
updated like PyTorch's in training, frozen (both of them) and used in eval.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import numpy as np
from hypothesis import strategies as st
from nnlab.exercises.components import Case, Component
from nnlab.graders import settings
from nnlab.graders.results import Outcome, failed, passed
from nnlab.graders.running.puppet import StudentCrash, StudentError, StudentTimeout

from ..catalogue import Context, check
from ..contracts import EVAL_MODE, during
from ..diagnose import IS, LOOKS_LIKE, Diagnosis
from ..tolerance import agrees, allclose, as_array, compare, fmt
from .batchnorm_mistakes import (
    batch_statistics,
    bn_axes,
    channel_regroupings,
    partial_variances,
    regrouped_variants,
    reshaped_back_variants,
    running_variants,
    stored_momentum,
)
from .drive import PropertyFailed, hypothesis_check
from .inputs import build_twin, module_input
from .misconceptions import Lazy, forward_variants, preferring, saved_state
from .support import derived_from, first_failure, judge
from .window_mistakes import distinct_factors

LAYER = ("layer",)


def _takes(component: Component, parameter: str) -> bool:
    return any(name == parameter for name, _ in component.signature)


def _dropout(component: Component) -> bool:
    """Inverted dropout: a random forward that drops at the rate ``p`` of its constructor."""
    return component.random and _takes(component, "p")


def _batchnorm(component: Component) -> bool:
    """Batch normalisation: buffers it averages in training with the ``momentum`` of its constructor."""
    return bool(component.buffers) and _takes(component, "momentum")


def _dropout_forward(ctx: Context, case: Case, salt: str) -> tuple[object, np.ndarray, np.ndarray]:
    x = module_input(ctx.component, case, ctx.rng("dropout", case.id, salt))
    x[np.abs(x) < settings.DROPOUT_INPUT_MARGIN] = settings.DROPOUT_INPUT_MARGIN  # else it looks dropped
    handle = ctx.session.new(ctx.component.name, **case.kwargs)
    y = as_array(ctx.session.call(handle, "forward", x))
    return handle, x, y


# A number written where self.p belongs: the default's scale or rate at another p.
_DEFAULT_P = (
    "kept entries were {what}, what the default p = 0.5 gives, not p = {p}: compute it from self.p instead of "
    "writing a number in the code"
)


def _scales(p: float) -> dict[float, tuple[str, str]]:
    """The wrong scales of the kept entries, each with its mistake: ``scale -> (tag, why)``."""
    right = 1.0 / (1.0 - p) if p < 1 else 0.0
    # A floor division that gives 1 is "not rescaled" in effect: the value keeps that one name here (the
    # forward rows tell the two apart across the cases' p, see _cause).
    table = [t for t in _scale_table(p) if not (t[1] == "rounded-values" and np.isclose(t[0], 1.0))]
    return distinct_factors(
        [(value, tag, text) for value, tag, text in table if not np.isclose(value, right)], ones=True
    )


def _scale_table(p: float) -> list[tuple[float, str, str]]:
    """Every known scale mistake at ``p``: ``(scale, tag, why)``, two of which may share a value."""
    return [
        (1.0, "dropout-not-rescaled", f"kept entries were not divided by the keep probability 1 - p = {fmt(1 - p)}"),
        (
            1.0 / p if p else math.inf,
            "dropout-divided-by-p",
            f"kept entries were divided by p = {fmt(p)}; p is the probability to *drop*, so divide by the keep "
            f"probability 1 - p = {fmt(1 - p)}",
        ),
        (
            1.0 - p,
            "dropout-multiplied-by-keep-probability",
            f"kept entries were multiplied by 1 - p = {fmt(1 - p)}, the keep probability; inverted dropout *divides* "
            "by it in training, a scale of 1 / (1 - p) (and does nothing in eval); typed without parentheses, "
            "1 / 1 - p is (1 / 1) - p = 1 - p",
        ),
        (
            p,
            "dropout-multiplied-by-p",
            f"kept entries were multiplied by p = {fmt(p)}; inverted dropout divides by the keep probability 1 - p",
        ),
        (
            1.0 / (1.0 - p) ** 2 if p < 1 else math.inf,
            "dropout-scaled-twice",
            f"kept entries were divided by 1 - p = {fmt(1 - p)} twice (the mask already holds the 1/(1-p))",
        ),
        (2.0, "hyperparameter-ignored", _DEFAULT_P.format(what="scaled by 2 = 1/(1 - 0.5)", p=fmt(p))),
        # Floor division, 1 // (1 - p): right where 1/(1-p) is whole (p = 0.5, 0.8), 1 for every p < 0.5.
        (
            1.0 // (1.0 - p) if p < 1 else math.inf,
            "rounded-values",
            f"the scale was rounded down to {fmt(1.0 // (1.0 - p)) if p < 1 else 'inf'}: 1 // (1 - p) is a floor "
            "division (1 for every p < 0.5); the scale is 1 / (1 - p), true division",
        ),
    ]


def _measured_scales(ctx: Context) -> dict[str, tuple[float, float]]:
    """Per case, ``(p, the one factor its kept entries were scaled by)`` where there is one (computed once)."""
    key = "dropout-scales"
    if key not in ctx.cache:
        ctx.cache[key] = {}
        for case in ctx.component.cases:
            _, x, y = _dropout_forward(ctx, case, "scale")
            kept = None if y is None or y.shape != x.shape else y != 0
            scale = None if kept is None or kept.all() or not kept.any() else _scale_of(y[kept], x[kept])
            if scale is not None:
                ctx.cache[key][case.id] = (case.kwargs.get("p", 0.5), scale)
    return ctx.cache[key]


def _scale_fits_every_case(ctx: Context, tag: str) -> bool:
    """Does the mistake ``tag`` give the scale measured in every case (at each case's own p)? A mistake that
    fits one p by coincidence (p / (1 - p) is 1 at p = 0.5, as if not rescaled) is not the cause."""
    for p, scale in _measured_scales(ctx).values():
        predicted = [value for value, known, _ in _scale_table(p) if known == tag]
        right = 1.0 / (1.0 - p) if p < 1 else 0.0
        if not any(np.isclose(v, scale, rtol=settings.SIMULATION_RTOL) for v in predicted) and not (
            not predicted and np.isclose(scale, right, rtol=settings.SIMULATION_RTOL)
        ):
            return False
    return True


def _candidates(scale: float | None, p: float) -> dict[str, str]:
    """The known mistakes that give kept entries ``scale`` times their input at ``p``: ``tag -> why``."""
    if scale is None or (p < 1 and np.isclose(scale, 1.0 / (1.0 - p), rtol=settings.SIMULATION_RTOL)):
        return {}
    return {
        tag: text for value, tag, text in _scale_table(p) if np.isclose(scale, value, rtol=settings.SIMULATION_RTOL)
    }


def _cause(ctx: Context, scale: float | None, p: float) -> tuple[str, str] | None:
    """The one mistake that gives ``scale`` at ``p`` and the scale measured at every other case's p. Two
    mistakes may meet at one p (1 // (1 - p) and no rescaling are both 1 below p = 0.5): the other cases
    tell them apart, and where they do not, neither is named."""
    fitting = [(tag, text) for tag, text in _candidates(scale, p).items() if _scale_fits_every_case(ctx, tag)]
    return fitting[0] if len(fitting) == 1 else None


def _scale_of(kept: np.ndarray, reference: np.ndarray) -> float | None:
    """The c with ``kept == c * reference`` everywhere, if there is one."""
    if not kept.size or not np.any(reference):
        return None
    c = float(np.vdot(kept, reference) / np.vdot(reference, reference))
    return c if allclose(kept, c * reference, rtol=settings.SIMULATION_RTOL, atol=settings.SAME_VALUE_ATOL) else None


@check("reference", "train: kept entries are scaled by 1/(1-p)", per_case=True, kinds=LAYER, when=_dropout)
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
        return failed(name, f"every entry was dropped with p={p}.", "dropout-all-dropped", confidence=IS)
    if kept.all() and agrees(y, x):
        if 0 < p < 1 and _drops_everything_at_one(ctx, case):
            # The training branch runs (p = 1 drops every entry) and this p acts as 0: p lost its fraction.
            return failed(
                name,
                f"in training mode forward returned its input unchanged (p={p}: no entry dropped, none scaled), "
                f"while p=1 drops every entry, so the training branch runs and p = {p} acted as p = 0. Looks like: "
                "p was truncated to a whole number (int(p), or p // 1), which makes every p below 1 a 0; p is a "
                "probability, keep it a float: self.p = float(p).",
                "int-truncates-hyperparameter",
                confidence=LOOKS_LIKE,
            )
        # Nothing dropped and nothing scaled: the mask was not applied at all, which no scale explains.
        return failed(
            name,
            f"in training mode forward returned its input unchanged (p={p}: no entry dropped, none scaled), as "
            "eval mode should; the mask and the scale 1/(1-p) belong to training mode: check which mode the "
            "`if self.training` branch runs in.",
        )
    result = compare(y[kept], x[kept] / (1 - p))
    if result.ok:
        return passed(name)
    scale = _scale_of(y[kept], x[kept])
    named = _cause(ctx, scale, p)
    expected = f"kept entries should be x / (1 - p) = {fmt(1 / (1 - p))} x"
    if named is not None:
        return failed(name, f"{expected}; they are {fmt(scale)} x. Cause: {named[1]}.", named[0], confidence=IS)
    if _candidates(scale, p):
        return failed(
            name,
            f"{expected}; they are {fmt(scale)} x. Observed: every kept entry is scaled by the same factor, "
            f"{fmt(scale)}, which a known mistake gives at p = {fmt(p)}, but no one mistake gives the scales "
            "measured at the other cases' p as well: compare the scale at each p with 1/(1-p).",
            "dropout-wrong-scale",
        )
    if scale is not None:
        return failed(
            name,
            f"{expected}; they are {fmt(scale)} x. Observed: every kept entry is scaled by the same factor, "
            f"{fmt(scale)}"
            + (
                f", which is both p and 1 - p at p = {fmt(p)}: the other cases tell which."
                if np.isclose(p, 0.5) and np.isclose(scale, 0.5)
                else f", which is none of 1, 1/p, 1 - p, p for p = {fmt(p)}."
            ),
            "dropout-wrong-scale",
        )
    return failed(name, f"kept entries are not x / (1 - p): {result.problem}.", "dropout-wrong-scale")


def _drops_everything_at_one(ctx: Context, case: Case) -> bool:
    """Does a Dropout built with p = 1 (the rest of ``case``'s arguments kept) zero its whole input in training
    mode? (Run once per component; a crash or anything else is no.)"""
    key = "dropout-p-one-drops-all"
    if key not in ctx.cache:
        one = dataclasses.replace(case, kwargs={**case.kwargs, "p": 1.0})
        try:
            _, x, y = _dropout_forward(ctx, one, "p-one")
        except (StudentCrash, StudentError, StudentTimeout):
            y, x = None, None
        ctx.cache[key] = y is not None and y.shape == x.shape and not np.any(y)
    return ctx.cache[key]


def _shared_coins(kept: np.ndarray) -> str:
    """How a mask with one coin for many entries shows: "batch", "features", "channel", or ""."""
    if kept.all() or not kept.any():
        return ""
    rows = kept.reshape(kept.shape[0], -1)
    if rows.shape[0] > 1 and (rows == rows[:1]).all():
        return "batch"
    if rows.shape[1] > 1 and (rows == rows[:, :1]).all():
        return "features"
    positions = kept.reshape(*kept.shape[:2], -1)
    if positions.shape[2] > 1 and (positions == positions[:, :, :1]).all():
        return "channel"
    return ""


@check("reference", "train: the drop rate is p", per_case=True, kinds=LAYER, when=_dropout)
def dropout_rate(ctx: Context, case: Case) -> Outcome:
    name = f"train: the drop rate is p: {case.id}"
    p = case.kwargs.get("p", 0.5)
    _, x, y = _dropout_forward(ctx, case, "rate")
    if y is None or y.shape != x.shape:
        return failed(name, "forward did not return an array shaped like its input.", "wrong-shape")
    dropped = float(np.mean(y == 0))
    # A binomial proportion over n entries has standard deviation sqrt(p(1-p)/n).
    sigma = math.sqrt(p * (1 - p) / x.size)
    if abs(dropped - p) <= settings.DROPOUT_SIGMAS * sigma:
        return passed(name)
    if _shared_coins(y != 0):
        return passed(name)  # fewer coins than entries, so the rate wanders: the independence row says why
    observed = (
        f"{fmt(100 * dropped)}% of {x.size} entries were dropped with p={p}; expected about {fmt(100 * p)}% "
        "(p is the probability to drop an entry)."
    )
    rates = _wrong_rates(p)
    measured = _measured_scales(ctx).get(case.id)
    if p not in (0.5, 1.0) and measured is not None and np.isclose(measured[1], 1.0 / (1.0 - p)):
        # Kept entries scaled by p's own 1 / (1 - p): p was read, only the mask's draw ignores it. A fair coin
        # and draws compared with a 0.5 written in the code give the same numbers: both are said.
        rates[0.5] = (
            "dropout-mask-wrong-distribution",
            f"the rate is 50% whatever p (here p = {fmt(p)}), while the kept entries are scaled by 1 / (1 - p) of "
            "this p: the mask keeps each entry with probability 1/2, a fair coin (rng.integers(0, 2), or draws "
            "compared with 0.5 written in the code) where the keep probability is 1 - p: keep an entry when "
            "rng.random(x.shape) >= p",
        )
    found = [rate for rate in rates if abs(dropped - rate) <= settings.DROPOUT_SIGMAS * sigma]
    # A rate that another mistake (or the right p) nearly shares, within the noise, names neither.
    clear = len(found) == 1 and all(
        abs(found[0] - other) > 2 * settings.DROPOUT_SIGMAS * sigma for other in (p, *rates) if other != found[0]
    )
    if clear:
        tag, text = rates[found[0]]
        return failed(name, f"{observed} Cause: {text}.", tag, confidence=IS)
    return failed(name, observed, "dropout-rate")


def _wrong_rates(p: float) -> dict[float, tuple[str, str]]:
    """The drop rates the classic mask mistakes give at this p, each with its mistake."""
    below = 0.5 * (1.0 + math.erf(p / math.sqrt(2.0)))  # P(z < p) for a standard normal z
    uniform = "draw uniform numbers in [0, 1) (rng.random), so that u < p has probability p"
    rates = {
        1.0 - p: (
            "dropout-p-is-keep",
            "the rate is 1 - p, so p was used as the probability to *keep* an entry (keep = u < p); keep an entry "
            "when u >= p",
        ),
        below: (
            "dropout-mask-wrong-distribution",
            f"the rate is {fmt(100 * below)}%, the chance that a *standard normal* draw is below p: the mask "
            f"compared normal draws (randn, standard_normal) with p; {uniform}",
        ),
    }
    if p != 0.5:
        rates[0.5] = (
            "hyperparameter-ignored",
            f"the rate is 50%, what the default p = 0.5 gives, not p = {fmt(p)}: the mask compared the draws with "
            "a number written in the code instead of self.p",
        )
    return rates


@check("reference", "backward reuses the forward mask", per_case=True, kinds=LAYER, when=_dropout)
def dropout_backward(ctx: Context, case: Case) -> Outcome:
    name = f"backward reuses the forward mask: {case.id}"
    p = case.kwargs.get("p", 0.5)
    handle, x, y = _dropout_forward(ctx, case, "backward")
    if y is None or y.shape != x.shape:
        return failed(name, "forward did not return an array shaped like its input.", "wrong-shape")
    g = ctx.rng("dropout-g", case.id).standard_normal(x.shape)
    expected = np.where(y != 0, g / (1 - p), 0.0)
    grad = ctx.session.call(handle, "backward", g)
    if (y != 0).all() and agrees(y, x) and p > 0:
        # No mask was applied in training: what backward should be depends on the fix, so no cause here.
        return failed(
            name,
            "forward applied no mask in training mode (its output is its input), so backward has no mask to "
            "reuse: the train rows say what forward should do.",
        )
    outcome = judge(
        name,
        grad,
        expected,
        "the input gradient",
        variants=_backward_scales(p, x, y, g, lambda scale: _cause(ctx, scale, p)),
        related={"the upstream gradient grad_y": g},
        # A factor 1/(1-p) or 1 - p is a scale the forward rows judge: no generic guess ("a 2 left out").
        factors={f: ("dropout-wrong-scale", None) for f in ((1 - p, 1 / (1 - p)) if 0 < p < 1 else ())},
    )
    array = as_array(grad)
    if not outcome.passed and not outcome.confidence and array is not None and array.shape == x.shape:
        kept = array != 0
        # A new mask drops entries too: both passes zeroed some, but not the same ones.
        both_drop = (y == 0).any() and not kept.all()
        if both_drop and (kept != (y != 0)).any() and agrees(array[kept], g[kept] / (1 - p)):
            return failed(
                name,
                f"backward zeroed other entries than forward did ({int((kept != (y != 0)).sum())} "
                f"of {x.size} differ), each kept one scaled by 1/(1-p). Cause: a new random mask was drawn in "
                "backward; backward must reuse the mask of the last forward (save it).",
                "dropout-new-mask-in-backward",
                confidence=IS,
            )
    return outcome


_MASK_FROM_VALUES = (
    "backward read the mask back from forward's values (the local derivative dy/dx written y / x, or the mask "
    "taken as y != 0) instead of the mask forward drew: where an input is exactly zero, as a ReLU's output often "
    "is, y is 0 whether the entry was kept or dropped, so {what}. Dropout's derivative is the mask itself: save "
    "it in forward and multiply, grad_x = grad_y * mask"
)


@check(
    "reference", "backward where the input is 0 (a ReLU's output): grad_y times the mask", kinds=LAYER, when=_dropout
)
def dropout_backward_zero_input(ctx: Context) -> Outcome:
    """An input with exact zeros, a ReLU's output: backward multiplies grad_y by the mask forward drew, which
    the output cannot show there (y = 0 kept or dropped); the other rows keep zeros out of their inputs."""
    name = "backward where the input is 0 (a ReLU's output): grad_y times the mask"
    p = 0.5
    x = ctx.rng("dropout", "zeros").standard_normal((8, 10))
    x[np.abs(x) < settings.DROPOUT_INPUT_MARGIN] = settings.DROPOUT_INPUT_MARGIN
    x = np.maximum(x, 0.0)  # about half the entries exactly 0
    handle = ctx.session.new(ctx.component.name, p=p)
    y = as_array(ctx.session.call(handle, "forward", x))
    if y is None or y.shape != x.shape:
        return passed(name)  # the shape checks report this
    g = ctx.rng("dropout-g", "zeros").standard_normal(x.shape)
    grad = as_array(ctx.session.call(handle, "backward", g))
    if grad is None or grad.shape != x.shape:
        return passed(name)  # the shape checks report this
    zero = x == 0
    kept = y != 0
    # Where the input is not 0 the mask shows in the output: a backward wrong there is the other rows' business.
    if not (kept & ~zero).any() or not agrees(grad[~zero], np.where(kept, g / (1 - p), 0.0)[~zero]):
        return passed(name)
    at_zero = grad[zero]
    if not np.isfinite(at_zero).all():
        what = "y / x is 0 / 0 = nan there"
        found = f"the input gradient is nan or inf at {int((~np.isfinite(at_zero)).sum())} of the {int(zero.sum())}"
    elif not at_zero.any() and zero.sum() >= 20:  # the mask drops all of 20 entries or more: chance below 1e-6
        what = "the gradient there came out 0 for every one, as if all were dropped"
        found = f"the input gradient is 0 at every one of the {int(zero.sum())}"
    else:
        return passed(name)
    return failed(
        name,
        f"Dropout(p={fmt(p)}) on an input of shape {x.shape} with {int(zero.sum())} entries exactly 0 (a ReLU's "
        f"output), backward(grad_y): {found} entries where the input is 0, and right everywhere else. Cause: "
        f"{_MASK_FROM_VALUES.format(what=what)}.",
        "mask-from-output",
        confidence=IS,
    )


_MASK_RETURNED = (
    "backward returned the mask itself ({mask}), the local derivative dy/dx, without multiplying it by the "
    "upstream gradient grad_y: by the chain rule grad_x = grad_y * mask"
)


_MASK_OVERWRITTEN = (
    "backward multiplied grad_y by forward's output y = x * mask, not by the mask: the array forward saved as the "
    "mask was overwritten with the output (np.multiply(x, mask, out=mask), `mask *= x`, or y written into the "
    "mask's memory), so backward reads x * mask where the mask belongs. The output needs an array of its own, "
    "y = x * mask, and the saved mask must stay as it was drawn"
)


def _backward_scales(
    p: float, x: np.ndarray, y: np.ndarray, g: np.ndarray, cause: Callable[[float], tuple[str, str] | None]
) -> dict[str, tuple[np.ndarray, str]]:
    """grad_y times forward's mask with each wrong scale: the forward's own mistake (the mask carries
    it to backward; named only where one mistake, its ``cause``, fits every case's scale) or a backward
    that scales differently from forward."""
    kept = y != 0
    if kept.all():
        return {}  # forward applied no mask: backward's scale has nothing to be told apart from
    forward_scale = _scale_of(y[kept], x[kept])
    variants = {}
    # The mask itself returned, the local derivative dy/dx, without grad_y: with forward's scale, or as 0/1.
    for key, scale in (("", forward_scale or (1.0 / (1.0 - p))), ("#boolean", 1.0)):
        variants.setdefault(
            f"ignores-upstream-gradient{key}",
            (np.where(kept, scale, 0.0), _MASK_RETURNED.format(mask=f"{fmt(scale)} where kept, 0 where dropped")),
        )
    # The mask forward saved overwritten by the output y = x * mask (np.multiply(x, mask, out=mask), `mask *= x`):
    # backward multiplies grad_y by what the array now holds.
    variants["saved-state-overwritten"] = (g * y, _MASK_OVERWRITTEN)
    if p < 1:  # every entry scaled, none masked: backward applied the scale without the mask
        variants["dropout-backward-unmasked"] = (
            g / (1.0 - p),
            "backward scaled every entry of grad_y by 1/(1-p) but did not zero the dropped ones: the dropped "
            "entries did not reach the output, so their gradient is 0; grad_x = grad_y * mask, forward's mask",
        )
    named = cause(forward_scale) if forward_scale is not None else None
    if named is not None:
        variants[named[0]] = (np.where(kept, g * forward_scale, 0.0), f"{named[1]}, in forward and so in backward")
    for scale, (tag, text) in _scales(p).items():
        if forward_scale is not None and np.isclose(scale, forward_scale, rtol=settings.SIMULATION_RTOL):
            continue  # forward's own scale: its cause, above
        if np.isclose(scale, 1.0):
            variants["dropout-backward-not-rescaled"] = (
                np.where(kept, g, 0.0),
                "backward must scale by 1/(1-p) like forward",
            )
        elif np.isfinite(scale):
            variants[f"dropout-backward-wrong-scale#{tag}"] = (
                np.where(kept, g * scale, 0.0),
                f"backward scales differently from forward: {text.replace('kept entries were', 'it was')}",
            )
    return variants


def _eval_factors(p: float) -> dict[float, tuple[str, str | None]]:
    """The scales a student applies in eval by mistake, each tied to the p it is made of; a value two of
    them share (p = 1 - p at p = 0.5) names neither (diagnose: mistake None)."""
    keep = f"1 - p = {fmt(1 - p)}"
    named = [
        (
            1.0 - p,
            "dropout-eval-scaled",
            f"{fmt(1 - p)} is the keep probability {keep}: eval multiplied by it, as classic dropout does at "
            "test time; inverted dropout already divides by 1 - p in training, so eval is the identity",
        ),
        (
            1.0 / (1.0 - p) if p < 1 else math.inf,
            "dropout-eval-scaled",
            f"{fmt(1 / (1 - p)) if p < 1 else 'inf'} is 1/({keep}): eval divided by the keep probability, the "
            "training scale; with inverted dropout eval is the identity",
        ),
        (p, "dropout-eval-scaled", f"{fmt(p)} is p: eval multiplied by p; with inverted dropout eval is the identity"),
    ]
    factors: dict[float, tuple[str, str | None]] = {}
    for value, tag, text in named:
        shared = next((v for v in factors if np.isclose(v, value)), None)
        if shared is not None and factors[shared][0] == tag and factors[shared][1] is not None:
            # One mistake either way (eval scaled by a quantity of p): both readings said, the scale claimed.
            factors[shared] = (
                tag,
                f"{fmt(value)} is more than one quantity of p here, so eval was scaled by one of them: either "
                f"{factors[shared][1]}; or {text}",
            )
        elif shared is not None:
            factors[shared] = (tag, None)
        elif np.isfinite(value) and not np.isclose(value, 1.0):
            factors[value] = (tag, text)
    return factors


@check("reference", "eval: identity", per_case=True, kinds=LAYER, when=_dropout)
def dropout_eval(ctx: Context, case: Case) -> Outcome:
    name = f"eval: identity: {case.id}"
    x = module_input(ctx.component, case, ctx.rng("eval", case.id))
    handle = ctx.session.new(ctx.component.name, **case.kwargs)
    ctx.session.call(handle, "eval")
    with during(EVAL_MODE):  # a crash there may come from the eval path (crashes.py)
        y = ctx.session.call(handle, "forward", x)
    g = ctx.rng("eval-g", case.id).standard_normal(x.shape)
    p = case.kwargs.get("p", 0.5)
    outcomes = [judge(name, y, x, "the output in eval mode", factors=_eval_factors(p))]
    array = as_array(y)
    if array is not None and array.shape == x.shape and not outcomes[0].passed and np.mean(array == 0) > 0.05:
        return failed(
            name,
            f"the output in eval mode should be the input; {fmt(100 * float(np.mean(array == 0)))}% of its entries "
            "are 0. Cause: entries were dropped in eval mode; dropout must be the identity when training is False.",
            "dropout-active-in-eval",
            confidence=IS,
        )
    # Backward in eval is the identity too: a scale there is one of p's (1 - p, read at p = 0.5, is also 1/2),
    # tried before any factor with no quantity of the case behind it.
    with during(EVAL_MODE):
        grad = ctx.session.call(handle, "backward", g)
    outcomes.append(judge(name, grad, g, "the input gradient in eval mode", factors=_eval_factors(p)))
    return first_failure(name, outcomes)


@check("contracts", "p=0 keeps everything, p=1 drops everything (no nan)", kinds=LAYER, when=_dropout)
def dropout_extremes(ctx: Context) -> Outcome:
    name = "p=0 keeps everything, p=1 drops everything (no nan)"
    x = ctx.rng("extremes").standard_normal((6, 7))
    outcomes = []
    for p, expected in ((0.0, x), (1.0, np.zeros_like(x))):
        try:
            handle = ctx.session.new(ctx.component.name, p=p)
        except StudentError as error:
            _read_refused_extreme(ctx, error, p)
            raise
        for what, value in (
            (f"the output with p={p:g}", ctx.session.call(handle, "forward", x)),
            (f"the gradient with p={p:g}", ctx.session.call(handle, "backward", x)),
        ):
            array = as_array(value)
            if p == 1.0 and array is not None and array.shape == x.shape and not np.isfinite(array).all():
                if what.startswith("the gradient") and not _backward_divides_only_at_p_one(ctx, outcomes[-1]):
                    outcomes.append(
                        failed(
                            name,
                            f"{what} should be 0 everywhere; it holds nan or inf, though the output with p=1 is "
                            "right: backward divides by 1 - p = 0 on its own, and its scale is wrong at other p too "
                            "(the backward rows say how): the mask forward saved already holds the scale, 0 at p = 1.",
                        )
                    )
                    continue
                outcomes.append(
                    failed(
                        name,
                        f"{what} should be 0 everywhere; it holds nan or inf. Cause: the scale 1/(1-p) divides by 0 "
                        "at p = 1; every entry is dropped then, so the result is 0 (use a scale of 0 for p = 1).",
                        "dropout-divides-by-zero-at-p-one",
                        confidence=IS,
                    )
                )
                continue
            variants = {}
            if p == 0.0:
                variants["dropout-p-zero-drops-all"] = (
                    np.zeros_like(x),
                    "with p = 0 nothing is dropped and the scale 1/(1-p) is 1, yet everything came out 0: the mask "
                    "keeps u < p (never, at p = 0), or the scale is p or 1/p (0, or nothing, at p = 0), or a guard "
                    "meant for p = 1 also catches p = 0 and sets the scale to 0 (`if p` or `0 < p < 1` is false at "
                    "p = 0): p = 0 is the identity, scale 1",
                )
            if p == 0.0 and array is not None and array.shape == x.shape:
                # Some entries 0 and every other one exactly doubled is dropout at p = 0.5, the default: p = 0
                # (falsy) was taken as unset. x is standard normal, so no entry of 2x is 0 itself.
                dropped = array == 0
                if 0 < dropped.mean() < 1 and np.allclose(array[~dropped], 2.0 * x[~dropped]):
                    variants["zero-taken-as-unset"] = (
                        np.where(dropped, 0.0, 2.0 * x),
                        f"{what} drops some entries and doubles the rest: that is dropout at the default p = 0.5, "
                        "so p = 0 was taken as unset (0.0 is falsy: `p or 0.5`, `if not p`); 0 is a valid p, "
                        "store float(p) as given",
                    )
            if p == 0.0 and what.startswith("the gradient"):  # the mask at p = 0 is all ones
                variants["ignores-upstream-gradient"] = (
                    np.ones_like(x),
                    _MASK_RETURNED.format(mask="all ones at p = 0"),
                )
                variants["saved-state-overwritten"] = (x * x, f"{_MASK_OVERWRITTEN} (here grad_y = x and y = x)")
            # (Forward only: a gradient of grad_y under a right output is backward's own path, a missing mask.)
            forward = what.startswith("the output")
            if p == 1.0 and forward and all(o.passed for o in outcomes) and _drops_at_ordinary_p(ctx):
                # p = 0 was right (so p is the drop probability, not the keep one, which drops all at p = 0) and an
                # ordinary p drops entries (so training is not the identity at every p): the input passing through
                # unchanged at p = 1 is that value sent to the no-dropout path.
                variants["hyperparameter-ignored#p-one"] = (
                    x,
                    f"{what} is the input unchanged, as if "
                    "nothing were dropped: p = 1 was sent to the identity path (a guard like `self.p < 1` beside "
                    "`self.training`, or p = 1 treated as 'no dropout'); p is the probability of dropping a unit, "
                    "so at p = 1 every unit is dropped in training and the output and gradient are all zeros",
                )
            factors = {2.0: ("hyperparameter-ignored", _DEFAULT_P.format(what="scaled by 2", p="0"))} if p == 0 else {}
            outcomes.append(judge(name, value, expected, what, variants=variants, factors=factors))
    return first_failure(name, outcomes)


def _refuses(ctx: Context, p: float) -> bool:
    """Does the constructor raise for this p?"""
    try:
        ctx.session.new(ctx.component.name, p=p)
    except StudentError as error:
        if isinstance(error, (StudentTimeout, StudentCrash)):
            raise
        return True
    return False


def _read_refused_extreme(ctx: Context, error: StudentError, p: float) -> None:
    """The constructor raised for p = 0 or p = 1, two valid values (docs/api.md: 0 <= p <= 1): says which of the
    two ends it refuses, and that it accepts an ordinary p, on ``error.diagnosis`` (the runner quotes the error)."""
    if isinstance(error, (StudentTimeout, StudentCrash)) or error.not_implemented or error.diagnosis is not None:
        return
    if not error.where.endswith("in __init__") or _refuses(ctx, 0.5):
        return  # (refusing every p is another mistake: the rows of ordinary cases report it)
    ends = [end for end in (0.0, 1.0) if end == p or _refuses(ctx, end)]
    refused = " and ".join(f"p = {end:g}" for end in ends)
    test = "0 < p < 1" if len(ends) == 2 else "0 < p <= 1" if ends == [0.0] else "0 <= p < 1"
    error.diagnosis = Diagnosis(
        "exception",
        f"the constructor refuses {refused}, which are valid: the drop probability may be anything in 0 <= p <= 1 "
        "(p = 0 drops nothing and is the identity, p = 1 drops everything and gives zeros); only a p outside "
        f"[0, 1] raises ValueError. The range test leaves out {'its ends' if len(ends) == 2 else 'an end'}, like "
        f"{test}, where 0 <= p <= 1 belongs",
        IS,
    )


def _drops_at_ordinary_p(ctx: Context) -> bool:
    """Does a training forward with p = 0.5 drop entries? If not, training passes its input through at every p
    (a mode test inverted, say), and the identity at p = 1 says nothing of p = 1 itself."""
    x = ctx.rng("extremes", "ordinary").standard_normal((6, 7))
    x[np.abs(x) < settings.DROPOUT_INPUT_MARGIN] = settings.DROPOUT_INPUT_MARGIN
    y = as_array(ctx.session.call(ctx.session.new(ctx.component.name, p=0.5), "forward", x))
    return y is not None and y.shape == x.shape and bool(np.any(y == 0))


def _backward_divides_only_at_p_one(ctx: Context, forward: Outcome) -> bool:
    """Is a gradient of nan at p = 1 the edge case alone? Only when forward failed there too (its scale
    divides by 0), or when backward is right at an ordinary p: a backward that divides by 1 - p again (the
    mask already holds the scale) is wrong at every p, and 0 / 0 at p = 1 is a symptom of that."""
    if not forward.passed:
        return True  # forward with p = 1 failed as well: its own scale divides by 0
    p = 0.5
    x = ctx.rng("extremes", "probe").standard_normal((6, 7))
    x[np.abs(x) < settings.DROPOUT_INPUT_MARGIN] = settings.DROPOUT_INPUT_MARGIN
    handle = ctx.session.new(ctx.component.name, p=p)
    y, grad = as_array(ctx.session.call(handle, "forward", x)), None
    if y is not None and y.shape == x.shape:
        grad = as_array(ctx.session.call(handle, "backward", x))
    if grad is None or grad.shape != x.shape:
        return True  # nothing to tell them apart: keep the edge case's reading
    return agrees(grad, np.where(y != 0, x / (1 - p), 0.0))


@check("contracts", "each training forward draws a new mask", kinds=LAYER, when=_dropout)
def dropout_new_mask_every_call(ctx: Context) -> Outcome:
    """Two training forwards of one instance on the same input drop different entries."""
    name = "each training forward draws a new mask"
    case = ctx.component.cases[0]
    handle, x, first = _dropout_forward(ctx, case, "again")
    second = as_array(ctx.session.call(handle, "forward", x))
    if first is None or second is None or first.shape != x.shape or second.shape != x.shape:
        return passed(name)  # the shape checks report this
    dropped = first == 0
    if not (dropped.any() and (~dropped).any() and np.array_equal(dropped, second == 0)):
        return passed(name)
    # A new instance tells the two ways apart: a generator seeded in forward repeats everywhere.
    other = as_array(ctx.session.call(ctx.session.new(ctx.component.name, **case.kwargs), "forward", x))
    if other is not None and other.shape == x.shape and np.array_equal(dropped, other == 0):
        cause = (
            "a new instance drops the same entries too, so every forward restarts the same random numbers: a "
            "generator seeded inside forward (`np.random.default_rng(0)` there)"
        )
    else:
        cause = "a new instance drops other entries, so the mask was drawn once and is kept for later calls"
    return failed(
        name,
        f"Two training forwards of one Dropout({case.kwargs.get('p', 0.5)}) on the same input of shape "
        f"{x.shape} dropped exactly the same {int(dropped.sum())} entries; every forward must draw a new "
        f"mask, or the network always trains the same sub-network. Cause: {cause}; create the generator once, "
        "in __init__, and draw a new mask from it in every forward.",
        "dropout-same-mask-every-call",
        confidence=IS,
    )


# Training steps of one instance in the row below; the third tells a rate that alternates from one that drifts.
_STEPS = ("first", "second", "third")


def _repeat_ps(component: Component) -> list[float]:
    """The cases' p, less 0.5 (where 1 - p is p: a p written over with the keep probability would not show)
    and the extremes (whose rates leave nothing to drift); 0.3 where none is left."""
    ps = sorted({float(case.kwargs.get("p", 0.5)) for case in component.cases} - {0.5})
    return [p for p in ps if 0.0 < p < 1.0] or [0.3]


def _fits(dropped: float, scale: float | None, p: float, size: int) -> bool:
    """Do a call's drop rate and scale of the kept entries fit inverted dropout at ``p``? Out of [0, 1], what
    the formula gives there: ``u >= p`` never holds above 1 (all dropped) and always below 0 (scale 1/(1-p))."""
    if p >= 1.0:
        return dropped == 1.0
    return (
        _rate_fits(dropped, p, size)
        and scale is not None
        and np.isclose(scale, 1.0 / (1.0 - p), rtol=settings.SIMULATION_RTOL)
    )


def _rate_fits(dropped: float, p: float, size: int) -> bool:
    """Is ``dropped`` the drop rate at ``p``, within the binomial noise of ``size`` entries?"""
    if p <= 0.0 or p >= 1.0:
        return dropped == min(max(p, 0.0), 1.0)
    return abs(dropped - p) <= settings.DROPOUT_SIGMAS * math.sqrt(p * (1 - p) / size)


def _number(ctx: Context, handle: object, attribute: str) -> float | None:
    """The instance's ``attribute`` when it exists and holds a number, else None."""
    try:
        value = ctx.session.get(handle, attribute)
    except StudentError as error:
        if error.not_implemented or isinstance(error, (StudentTimeout, StudentCrash)):
            raise
        return None  # no attribute `p`: docs/api.md does not require one
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value)
    return None


@check("contracts", "every training forward drops at rate p, not only the first", kinds=LAYER, when=_dropout)
def dropout_same_rate_every_call(ctx: Context) -> Outcome:
    """Three training steps (forward, backward) of one instance: each drops at rate p and scales by 1/(1-p).
    The other rows build a new instance for each forward, so state that one call leaves for the next (p
    written over, a counter) shows only here."""
    name = "every training forward drops at rate p, not only the first"
    for p in _repeat_ps(ctx.component):
        x = ctx.rng("dropout", "steps", str(p)).standard_normal((100, 100))
        x[np.abs(x) < settings.DROPOUT_INPUT_MARGIN] = settings.DROPOUT_INPUT_MARGIN  # else it looks dropped
        handle = ctx.session.new(ctx.component.name, p=p)
        held = [_number(ctx, handle, "p")]  # self.p before each call, where there is one
        calls: list[tuple[float, float | None]] = []
        for step in _STEPS:
            y = as_array(ctx.session.call(handle, "forward", x))
            if y is None or y.shape != x.shape:
                return passed(name)  # the shape checks report this
            kept = y != 0
            calls.append((float(np.mean(~kept)), _scale_of(y[kept], x[kept]) if kept.any() else None))
            ctx.session.call(handle, "backward", ctx.rng("dropout-g", "steps", step).standard_normal(x.shape))
            held.append(_number(ctx, handle, "p"))
        if not _fits(*calls[0], p, x.size):
            continue  # the first call is wrong already: the rate and scale rows say how
        if all(_fits(*call, p, x.size) for call in calls[1:]):
            continue
        return _later_calls_differ(name, p, x, calls, held)
    return passed(name)


def _later_calls_differ(
    name: str, p: float, x: np.ndarray, calls: list[tuple[float, float | None]], held: list[float | None]
) -> Outcome:
    """Name what changed from one call to the next: self.p (seen), or state of another name (inferred)."""
    steps = ", ".join(
        f"the {step} dropped {fmt(100 * dropped)}%"
        + (f" and scaled the kept entries by {fmt(scale)}" if scale is not None else "")
        for step, (dropped, scale) in zip(_STEPS, calls, strict=True)
    )
    observed = (
        f"One Dropout(p={fmt(p)}), three training steps (forward, then backward) on the same input of shape "
        f"{x.shape}: {steps}; every forward should drop about {fmt(100 * p)}% and scale the kept entries by "
        f"1/(1-p) = {fmt(1 / (1 - p))}, however many came before (a new instance gets its first call right)."
    )
    alternates = _fits(*calls[2], p, x.size)
    if held[0] is not None and any(
        h is None or not np.isclose(h, held[0], rtol=settings.EXACT_RTOL, atol=0.0) for h in held
    ):
        readings = ", ".join(
            f"{fmt(h)} after the {step} step" for step, h in zip(_STEPS, held[1:], strict=True) if h is not None
        )
        # The student's numbers reproduced: every call is inverted dropout at the p it found in self.p.
        confirmed = all(h is not None and _fits(*call, h, x.size) for call, h in zip(calls, held, strict=False))
        fits = " Each forward dropped at the rate that self.p held when it began." if confirmed else ""
        return failed(
            name,
            f"{observed} `self.p` was {fmt(held[0])} after the constructor, then {readings}.{fits} Cause: forward "
            f"stores a value computed from p back into self.p{derived_from('p', held[0], held[1])}, so the next "
            f"call starts from that value{', and the rate alternates' if alternates else ''}. Keep "
            "self.p as the constructor was given it and compute what is derived from it into a local variable "
            "(keep = 1 - self.p) at every call.",
            "hyperparameter-overwritten",
            confidence=IS if confirmed else LOOKS_LIKE,
        )
    if alternates:
        pattern = "the third call is right again: the calls alternate"
    elif all(_rate_fits(dropped, p, x.size) for dropped, _ in calls):
        pattern = "the drop rate stays p, the scale of the kept entries changes from call to call"
    else:
        pattern = "the drop rate changes from call to call"
    return failed(
        name,
        f"{observed} Looks like: forward changes state that the next call reads ({pattern}): a value derived "
        "from p (the keep probability, the scale) kept in an attribute and computed again from its last value at "
        "the next call (self.p = 1 - self.p, self._scale = self._scale / (1 - p)), or a counter kept between "
        "calls. Every forward must compute the mask from the p the constructor was given, keeping what is derived "
        "from it in local variables.",
        "state-kept-between-calls",
        confidence=LOOKS_LIKE,
    )


@check("contracts", "the mask is drawn from the generator passed as rng", kinds=LAYER, when=_dropout)
def dropout_draws_from_rng(ctx: Context) -> Outcome:
    """docs/api.md: given ``rng``, Dropout draws its masks from it. So generators of one seed give one
    mask, and of another seed another; np.random's state, or a generator of its own, must not matter."""
    name = "the mask is drawn from the generator passed as rng"
    if not any(row[0] == "rng" and row[1] != "VAR_POSITIONAL" for row in ctx.session.signature(ctx.component.name)):
        return passed(name)  # `rng` is a convenience (docs/api.md): without it the masks' source is free
    case = ctx.component.cases[0]
    seed = int(ctx.rng("rng-seed").integers(2**31 - 1))
    x = module_input(ctx.component, case, ctx.rng("dropout", case.id, "rng"))
    x[np.abs(x) < settings.DROPOUT_INPUT_MARGIN] = settings.DROPOUT_INPUT_MARGIN  # else it looks dropped
    kept = {}
    for key, drawn in (("first", seed), ("again", seed), ("other", seed + 1)):
        handle = ctx.session.new(ctx.component.name, **case.kwargs, rng=ctx.session.harness("generator", drawn))
        y = as_array(ctx.session.call(handle, "forward", x))
        if y is None or y.shape != x.shape:
            return passed(name)  # the shape checks report this
        kept[key] = (handle, y != 0)
    first, again, other = (kept[k][1] for k in ("first", "again", "other"))
    if first.all() or not first.any():
        return passed(name)  # nothing random to compare: the rate checks report it
    p = case.kwargs.get("p", 0.5)
    built = f"Dropout({p}, rng=np.random.default_rng(seed))"
    if not np.array_equal(first, again):
        observed = (
            f"two {built} built with the same seed dropped different entries of the same input of shape {x.shape} "
            f"({int((first != again).sum())} of {x.size} differ)"
        )
        cause = (
            "the mask is drawn from another source of randomness (np.random, the shared default generator, a new "
            "generator) instead of the generator the layer was given"
        )
    elif np.array_equal(first, other):
        handle = kept["first"][0]
        second = as_array(ctx.session.call(handle, "forward", x))
        if second is not None and second.shape == x.shape and np.array_equal(second != 0, first):
            return passed(name)  # the same mask at every call: "each training forward draws a new mask" says why
        observed = f"{built} with two different seeds dropped exactly the same entries of an input of shape {x.shape}"
        cause = "the mask comes from a generator seeded with a fixed number (in __init__), not from the one given"
    else:
        return passed(name)
    return failed(
        name,
        f"{observed}. Cause: {cause}. docs/api.md: given `rng`, Dropout draws its masks from it, keeps it as "
        "self.rng and draws every mask with self.rng.random(x.shape), so the same seed gives the same masks "
        "(reproducible experiments, as manual_seed does for the shared generator) whatever np.random's state.",
        "rng-ignored",
        confidence=IS,
    )


@check(
    "reference",
    "train: every entry is dropped independently (not one mask for the whole batch)",
    kinds=LAYER,
    when=_dropout,
)
def dropout_entries_independent(ctx: Context) -> Outcome:
    """Not one mask for the whole batch (rows alike), nor one per sample (columns alike)."""
    name = "train: every entry is dropped independently (not one mask for the whole batch)"
    for case in ctx.component.cases:
        p = case.kwargs.get("p", 0.5)
        _, x, y = _dropout_forward(ctx, case, "independent")
        if y is None or y.shape != x.shape or not 0 < p < 1:
            continue  # the shape checks report this
        kept = (y != 0).reshape(x.shape[0], -1)
        shared = _shared_coins(y != 0)
        if shared == "batch":
            return failed(
                name,
                f"With p={p} on an input of shape {x.shape}, every sample of the batch lost exactly the same "
                f"entries ({int((~kept[0]).sum())} of {kept.shape[1]}). Cause: the mask was drawn once for one "
                "sample (`rng.random(x.shape[1:])`) and broadcast over the batch. Each entry of each sample gets "
                "its own coin: draw the mask with the input's full shape, `rng.random(x.shape)`.",
                "dropout-mask-shared-across-batch",
                confidence=IS,
            )
        if shared == "features":
            return failed(
                name,
                f"With p={p} on an input of shape {x.shape}, each sample was dropped or kept as a whole. Cause: "
                "the mask has one entry per sample (shape (N, 1)) and is broadcast over the features. Draw it "
                "with the input's full shape, `rng.random(x.shape)`.",
                "dropout-mask-shared-across-features",
                confidence=IS,
            )
        if shared == "channel":
            return failed(
                name,
                f"With p={p} on an input of shape {x.shape}, each channel of each sample was dropped or kept as "
                f"a whole (all its {int(np.prod(x.shape[2:]))} positions alike). Cause: the mask has one entry per "
                "(sample, channel), shape (N, C, 1, 1), broadcast over the positions. That is Dropout2d (spatial "
                "dropout, which drops whole feature maps), not Dropout: each entry gets its own coin, so draw the "
                "mask with the input's full shape, `rng.random(x.shape)`.",
                "dropout-per-channel-mask",
                confidence=IS,
            )
    return _fixed_drop_count(ctx, name)


# Training forwards of one instance on a small input: with one coin per entry the number dropped is binomial
# (standard deviation sqrt(n p (1 - p)), 1.9 for 15 entries at p = 0.5), so the same count in every one of them has a
# negligible chance (below 1e-13).
_COUNT_CALLS = 20


def _fixed_drop_count(ctx: Context, name: str) -> Outcome:
    """Different masks that all drop the same number of entries: a fixed count (a permutation's first k, a choice
    without replacement) in place of one independent coin per entry."""
    p = 0.5
    x = ctx.rng("dropout", "count").standard_normal((3, 5))  # 15 entries: p * 15 is no whole number
    x[np.abs(x) < settings.DROPOUT_INPUT_MARGIN] = settings.DROPOUT_INPUT_MARGIN  # else it looks dropped
    handle = ctx.session.new(ctx.component.name, p=p)
    counts, masks = set(), set()
    for _ in range(_COUNT_CALLS):
        y = as_array(ctx.session.call(handle, "forward", x))
        if y is None or y.shape != x.shape:
            return passed(name)  # the shape checks report this
        counts.add(int((y == 0).sum()))
        masks.add((y == 0).tobytes())
    count = counts.pop() if len(counts) == 1 else None
    if count is None or len(masks) < 2 or not 0 < count < x.size:
        return passed(name)  # the count varies, or one mask every call (its own row), or none dropped or all
    observed = (
        f"{_COUNT_CALLS} training forwards of one Dropout(p={fmt(p)}) on an input of shape {x.shape} ({x.size} "
        f"entries) dropped different entries each time, but always exactly {count} of them; with one coin per entry "
        f"the number dropped varies from call to call (binomial: {fmt(p * x.size)} on average, give or take "
        f"{math.sqrt(x.size * p * (1 - p)):.1f}), and is p * size only on average."
    )
    if count not in (math.floor(p * x.size), math.ceil(p * x.size)):
        return failed(
            name,
            f"{observed} Each entry must be dropped independently with probability p: keep = rng.random(x.shape) >= p.",
            "dropout-mask-wrong-distribution",
        )
    rounded = f" ({fmt(p * x.size)} rounded to {count})" if count != p * x.size else ""
    return failed(
        name,
        f"{observed} Cause: a fixed number of entries, p * size{rounded}, was dropped (the first k of a "
        "permutation, rng.choice without replacement, the k smallest draws), not each entry independently with "
        "probability p: docs/api.md keeps each entry with probability 1 - p, its own coin. Draw one per entry, "
        "keep = rng.random(x.shape) >= p.",
        "dropout-mask-wrong-distribution",
        confidence=IS,
    )


@check("contracts", "eval after train: backward is the identity", kinds=LAYER, when=_dropout)
def dropout_eval_after_train(ctx: Context) -> Outcome:
    """train forward, eval(), forward, backward(g): g unchanged (no stale training mask)."""
    name = "eval after train: backward is the identity"
    case = ctx.component.cases[0]
    p = case.kwargs.get("p", 0.5)
    handle, x, _ = _dropout_forward(ctx, case, "stale")
    ctx.session.call(handle, "eval")
    g = ctx.rng("stale-g", case.id).standard_normal(x.shape)
    forward, backward = _eval_identity(ctx, handle, x, g, name)
    if not forward.passed or backward.passed:
        return passed(name)  # a wrong eval forward is the business of "eval: identity"
    if not all(o.passed for o in _eval_identity(ctx, None, x, g, name)):
        return passed(name)  # a new instance in eval mode is wrong too: "eval: identity" reports it
    return failed(
        name,
        f"One Dropout({p}): a training forward, then eval(), a forward on the same input of shape {x.shape} "
        f"(it returned the input, right) and backward: {backward.feedback} A new instance in eval mode gets "
        "it right. Cause: backward applied the mask of the earlier training forward; the eval forward "
        "must leave backward nothing to apply (set the saved mask to None there, or test `self.training`).",
        "dropout-stale-mask",
        confidence=IS,
    )


@check("contracts", "train() after eval() drops again at rate p", kinds=LAYER, when=_dropout)
def dropout_mode_round_trip(ctx: Context) -> Outcome:
    """eval(), then train(), then a training forward: dropout must be back, at rate p."""
    name = "train() after eval() drops again at rate p"
    case = ctx.component.cases[0]
    p = case.kwargs.get("p", 0.5)
    x = module_input(ctx.component, case, ctx.rng("dropout", case.id, "round-trip"))
    x[np.abs(x) < settings.DROPOUT_INPUT_MARGIN] = settings.DROPOUT_INPUT_MARGIN  # else it looks dropped
    handle = ctx.session.new(ctx.component.name, **case.kwargs)
    ctx.session.call(handle, "eval")
    ctx.session.call(handle, "train")
    y = as_array(ctx.session.call(handle, "forward", x))
    if y is None or y.shape != x.shape:
        return passed(name)  # the shape checks report this
    sigma = math.sqrt(p * (1 - p) / x.size)  # as in "the drop rate is p"
    dropped = float(np.mean(y == 0))
    if abs(dropped - p) <= settings.DROPOUT_SIGMAS * sigma or _shared_coins(y != 0):
        return passed(name)  # (few coins make the rate wander: the independence row says why)
    _, _, fresh = _dropout_forward(ctx, case, "round-trip")
    if fresh is None or fresh.shape != x.shape or abs(float(np.mean(fresh == 0)) - p) > settings.DROPOUT_SIGMAS * sigma:
        return passed(name)  # a new instance drops at the wrong rate too: "the drop rate is p" reports it
    changed = _changed_p(ctx, handle, p)
    cause = (
        "eval() changed `self.p` and train() does not restore it"
        if changed
        else "eval() (or the eval forward) switches dropout off by changing state that train() does not restore"
    )
    return failed(
        name,
        f"One Dropout(p={p}): eval(), then train(), then a training forward on an input of shape {x.shape} "
        f"dropped {fmt(100 * dropped)}% of the entries; expected about {fmt(100 * p)}%, as a new instance does "
        f"({fmt(100 * float(np.mean(fresh == 0)))}%). Going to eval mode and back must give the training "
        f"behaviour back{changed}. Cause: {cause}; eval() and train() should only set `training`, and forward "
        "should test `self.training`.",
        "dropout-mode-not-restored",
        confidence=IS,
    )


def _changed_p(ctx: Context, handle: object, p: float) -> str:
    """`: self.p is now 0 (it was 0.5)` when the instance's p was changed, else nothing."""
    try:
        now = ctx.session.get(handle, "p")
    except StudentError as error:
        if error.not_implemented or isinstance(error, (StudentTimeout, StudentCrash)):
            raise
        return ""  # no attribute `p`: docs/api.md does not require one
    if isinstance(now, (int, float, np.floating)) and not isinstance(now, bool) and float(now) != p:
        return f" (`self.p` is now {fmt(float(now))}; it was {fmt(p)})"
    return ""


def _eval_identity(ctx: Context, handle: object, x: np.ndarray, g: np.ndarray, name: str) -> list[Outcome]:
    """Forward and backward in eval mode, judged against the identity (a new instance if no handle)."""
    if handle is None:
        handle = ctx.session.call(ctx.session.new(ctx.component.name, **ctx.component.cases[0].kwargs), "eval")
    with during(EVAL_MODE):  # a crash there may come from the eval path (crashes.py)
        forward = judge(name, ctx.session.call(handle, "forward", x), x, "the output of the eval forward")
        return [forward, judge(name, ctx.session.call(handle, "backward", g), g, "the input gradient")]


@check("properties", "the output's expectation equals the input", kinds=LAYER, when=_dropout)
def dropout_expectation(ctx: Context) -> Outcome:
    name = "the output's expectation equals the input"
    p = 0.3
    x = np.full((200, 100), 2.0)
    handle = ctx.session.new(ctx.component.name, p=p)
    y = as_array(ctx.session.call(handle, "forward", x))
    if y is None or y.shape != x.shape:
        return failed(name, "forward did not return an array shaped like its input.", "wrong-shape")
    # Each entry is 2/(1-p) with probability 1-p, else 0: mean 2, standard deviation 2 sqrt(p/(1-p)).
    sigma = 2.0 * math.sqrt(p / (1 - p)) / math.sqrt(x.size)
    mean = float(np.mean(y))
    if abs(mean - 2.0) <= settings.DROPOUT_SIGMAS * sigma or _shared_coins(y != 0):
        return passed(name)  # (few coins make the mean wander: the independence row says why)
    observed = (
        f"the mean output for an input of 2.0 everywhere is {fmt(mean)} with p={p}; inverted dropout keeps it at 2.0"
    )
    kept = y[y != 0]
    named = _cause(ctx, _scale_of(kept, np.full(kept.shape, 2.0)), p)
    if named is not None:
        return failed(name, f"{observed}. Cause: {named[1]}.", named[0], confidence=IS)
    if kept.size and allclose(kept, 2.0 / (1 - p)):
        return failed(
            name,
            f"{observed}, and the kept entries are right: too many or too few entries were dropped.",
            "dropout-rate",
        )
    return failed(name, f"{observed}.", "dropout-wrong-scale")


# ------------------------------------------------------------------------------- BatchNorm
# A momentum the tests never set elsewhere: neither 0, nor the default 0.1, nor a case's own.
_PROBE_MOMENTUM = 0.5


def _zero_momentum_reading(
    ctx: Context, case: Case, batches: list[np.ndarray], at_zero: dict[str, object]
) -> dict[str, str]:
    """What separates the two mistakes that give the default's buffers at momentum = 0: the same batches through
    a layer built with a non-zero momentum. Right there, 0 alone was replaced (`momentum or 0.1`: 0 is falsy,
    "zero-taken-as-unset"); the same buffers as at momentum 0, the momentum is never read ("hyperparameter-ignored");
    otherwise nothing is separated (""). ``at_zero``: the student's buffers after the batches at momentum = 0."""
    probe = Case(case.id, {**case.kwargs, "momentum": _PROBE_MOMENTUM}, case.input_shape, case.scale, "train")
    try:
        other = build_twin(ctx, probe, "running")
        for x in batches:
            other.ref.forward(x)
            ctx.session.call(other.handle, "forward", x)
        buffers = {b: (ctx.session.get(other.handle, b), getattr(other.ref, b)) for b in at_zero}
    except (StudentCrash, StudentError, StudentTimeout):
        return {"reading": ""}
    if all(allclose(mine, right) for mine, right in buffers.values()):
        return {"reading": "zero-taken-as-unset"}
    if all(allclose(buffers[b][0], before) for b, before in at_zero.items()):
        return {"reading": "hyperparameter-ignored"}
    return {"reading": ""}


def _divided_by_zero(name: str, buffer: str, actual: object, expected: np.ndarray, shape: tuple[int, ...]) -> Outcome:
    """A running buffer that holds inf where the right one is finite, which no simulated mistake reproduced.

    BatchNorm's statistics take no exp and no log, so the inf is no overflow: something was divided by 0. In
    running_var on a batch of 1 that is the Bessel factor n / (n - 1) with n counted as the batch size N = 1 (the
    count is N * H * W, or N * L, values per channel): "looks like", since another mistake beside it kept the
    simulation of the factor alone from reproducing the numbers. Elsewhere the division is not singled out."""
    what = f"`{buffer}` after 3 training batches"
    found = f"{what}: {compare(actual, expected).problem}."
    count = int(np.prod(shape)) // shape[1]
    if buffer == "running_var" and shape[0] == 1 and count > 1:
        return failed(
            name,
            f"{found} Looks like: the Bessel correction n / (n - 1) used n = 1, the batch size N, and so divided by "
            f"n - 1 = 0: that division, not an overflow, made running_var inf. n is the number of values per "
            f"channel, x.size // C = {count} here, so the unbiased variance is var * n / (n - 1) = var * "
            f"{count}/{count - 1} (the pattern fits; not confirmed).",
            "bn-biased-running-var",
            confidence=LOOKS_LIKE,
        )
    return failed(
        name,
        f"{found} Observed: BatchNorm's statistics take no exp and no log, so the inf is no overflow: a division by "
        "0 made it (a count minus 1 that is 0, as n - 1 with n = 1, or a variance of 0 divided into).",
        "non-finite",
    )


@check("reference", "running statistics", per_case=True, kinds=LAYER, when=_batchnorm)
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
    batch_means, batch_vars, partials, batches = [], [], {}, []
    regrouped: dict[str, tuple[list, list]] = {}
    for step in range(3):
        x = 2.0 + 1.5 * rng.standard_normal(case.input_shape) + step
        batches.append(x)
        twin.ref.forward(x)
        ctx.session.call(twin.handle, "forward", x)
        axes, _ = bn_axes(x)
        batch_means.append(x.mean(axis=axes))
        batch_vars.append(x.var(axis=axes))
        for key, (partial, _) in partial_variances(x, axes).items():
            partials.setdefault(key, []).append(partial.reshape(-1))
        for key, (to_groups, _, _) in channel_regroupings(x.shape).items():  # (the statistics of a wrong reshape)
            groups = to_groups(x)
            regrouped.setdefault(key, ([], []))[0].append(groups.mean(axis=1))
            regrouped[key][1].append(groups.var(axis=1))
    outcomes = []
    n = np.prod(case.input_shape) / case.input_shape[1]
    eps = case.kwargs.get("eps", 1e-5)
    statistics = batch_statistics(
        np.array(batch_means),
        np.array(batch_vars),
        n,
        eps,
        twin.params,
        {key: np.array(values) for key, values in partials.items()},
        {key: (np.array(means), np.array(variances)) for key, (means, variances) in regrouped.items()},
    )
    # n = 2: the Bessel correction n / (n - 1) is 2, so a buffer twice its value names no one mistake.
    doubled = {2.0: ("bn-bessel-on-mean", None)} if n == 2 else {}
    actual = {buffer: ctx.session.get(twin.handle, buffer) for buffer in ("running_mean", "running_var")}
    zero = Lazy(lambda: _zero_momentum_reading(ctx, case, batches, actual)) if momentum == 0 else {}
    for buffer, start in (("running_mean", start_mean), ("running_var", start_var)):
        outcome = judge(
            name,
            actual[buffer],
            getattr(twin.ref, buffer),
            f"`{buffer}` after 3 training batches",
            variants=Lazy(  # computed only when the buffer is wrong
                lambda buffer=buffer, start=start: preferring(
                    running_variants(
                        buffer,
                        start,
                        statistics,
                        momentum,
                        getattr(twin.ref, buffer),
                        case.input_shape,
                        zero.get("reading", ""),
                    ),
                    stored_momentum(
                        buffer, start, statistics, momentum, saved_state(ctx.session, twin.handle).get("momentum")
                    ),
                )
            ),
            factors=doubled,
        )
        if outcome.misconception == "overflow":  # the generic rule: no simulated mistake reproduced the numbers
            outcome = _divided_by_zero(name, buffer, actual[buffer], getattr(twin.ref, buffer), case.input_shape)
        outcomes.append(outcome)
    # Eval must use the buffers (the forward comparison in eval mode checks the formula).
    x = rng.standard_normal(case.input_shape)
    twin.ref.eval()
    ctx.session.call(twin.handle, "eval")
    if all(o.passed for o in outcomes):
        evaluated = dataclasses.replace(case, mode="eval")
        outcomes.append(
            judge(
                name,
                ctx.session.call(twin.handle, "forward", x),
                twin.ref.forward(x),
                "the eval output after training",
                variants=Lazy(lambda: forward_variants(ctx.component, evaluated, twin, x)),
            )
        )
        for buffer in ("running_mean", "running_var"):
            outcome = judge(
                name,
                ctx.session.get(twin.handle, buffer),
                getattr(twin.ref, buffer),
                f"`{buffer}` after an eval forward",
            )
            if not outcome.passed:  # it was right before: the eval forward changed it
                outcome = failed(
                    name,
                    f"{outcome.feedback} The buffers were right after training. Cause: the eval forward changed "
                    "them; in eval mode BatchNorm only reads running_mean and running_var (update them inside "
                    "`if self.training:`).",
                    "bn-updates-in-eval",
                    confidence=IS,
                )
            outcomes.append(outcome)
    return first_failure(name, outcomes)


@check(
    "properties",
    "training output is normalised per channel (mean 0, variance 1 before the affine map)",
    kinds=LAYER,
    when=_batchnorm,
)
def normalises(ctx: Context) -> Outcome:
    name = "training output is normalised per channel (mean 0, variance 1 before the affine map)"
    # The layout: the fewest axes its cases give it, (N, C) for BatchNorm1d and (N, C, H, W) for BatchNorm2d.
    rank = min(len(case.input_shape) for case in ctx.component.cases)

    def body(example: tuple) -> None:
        n, c, data_seed, spread = example
        shape = (n, c, 2, 3, 2)[:rank]
        x = 3.0 + spread * np.random.default_rng(data_seed).standard_normal(shape)
        handle = ctx.session.new(ctx.component.name, c)
        y = as_array(ctx.session.call(handle, "forward", x))
        if y is None or y.shape != x.shape:
            raise PropertyFailed(f"input of shape {shape}: output shape {None if y is None else y.shape}")
        axes, _ = bn_axes(x)
        mean, var = y.mean(axis=axes), y.var(axis=axes)
        expected_var = x.var(axis=axes) / (x.var(axis=axes) + 1e-5)
        if not (
            allclose(mean, 0, atol=settings.BATCHNORM_MEAN_ATOL)
            and allclose(var, expected_var, rtol=settings.PROPERTY_RTOL, atol=settings.BATCHNORM_VAR_ATOL)
        ):
            observed = (
                f"input of shape {shape}: per-channel mean {np.round(mean, 6).tolist()}, "
                f"variance {np.round(var, 6).tolist()}; expected mean 0 and variance "
                "var/(var + eps) per channel"
            )
            cause = _layout_simulated(x, y)
            if cause is None:
                raise PropertyFailed(observed)
            raise PropertyFailed(f"{observed}. Cause: {cause[1]}", cause[0], IS)

    strategy = st.tuples(st.integers(2, 6), st.integers(1, 4), st.integers(0, 2**31), st.floats(0.1, 50))
    outcome = hypothesis_check(ctx, name, strategy, body, "bn-not-normalised")
    return _large_mean(ctx, name, rank) if outcome.passed else outcome


def _layout_simulated(x: np.ndarray, y: np.ndarray) -> tuple[str, str] | None:
    """A new layer's (weight 1, bias 0) training output on ``x`` that is not normalised per channel: ``(tag,
    mistake)`` when one simulated mistake of the per-channel layout reproduces it, statistics over a reshape that
    does not follow the channel axis or a 2-D layout left with a plain reshape (the same misconception, reshape for
    transpose); computed only once the property failed."""
    _, shape = bn_axes(x)
    w, b = np.ones(x.shape[1]).reshape(shape), np.zeros(x.shape[1]).reshape(shape)
    found = [
        (text, value)
        for key, (value, _, _, (_, _, text), how) in reshaped_back_variants(x, 1e-5, w, b).items()
        if key.endswith("#affine-after")
    ] + [
        (text.replace(". Move the", how + ". Move the", 1), value)
        for key, (value, _, _, (_, _, text), how) in regrouped_variants(x, 1e-5, w, b).items()
        if not key.endswith("#affine-in-groups")
    ]
    fits = [text for text, value in found if allclose(y, value, rtol=settings.SAME_VALUE_RTOL)]
    return ("reshape-not-transpose", fits[0]) if len(fits) == 1 else None


def _normalised_variance(ctx: Context, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The per-channel variance of a new instance's training output on ``x``, and the right one."""
    handle = ctx.session.new(ctx.component.name, x.shape[1])
    y = as_array(ctx.session.call(handle, "forward", x))
    axes, _ = bn_axes(x)
    right = x.var(axis=axes) / (x.var(axis=axes) + 1e-5)
    if y is None or y.shape != x.shape:
        return np.full_like(right, np.nan), right
    return y.var(axis=axes), right


def _large_mean(ctx: Context, name: str, rank: int) -> Outcome:
    """Channels with a mean of 1e6 and a spread of 1, after the ordinary inputs passed. The same input less
    the channel means must pass too: then only the size of the mean matters, which is precision lost in the
    statistics (a variance as E[x^2] - E[x]^2 cancels its leading digits), not a wrong formula."""
    shape = (4, 2, 2, 3, 2)[:rank]
    offsets = settings.BATCHNORM_LARGE_MEAN * np.arange(1, shape[1] + 1).reshape((1, -1) + (1,) * (rank - 2))
    spread = ctx.rng("large-mean").standard_normal(shape)
    got, right = _normalised_variance(ctx, offsets + spread)
    if allclose(got, right, rtol=settings.PROPERTY_RTOL, atol=settings.BATCHNORM_VAR_ATOL):
        return passed(name)
    observed = (
        f"input of shape {shape} whose channels have means {np.ravel(offsets).tolist()} and a spread of about 1: "
        f"per-channel output variance {np.array2string(got, precision=9)}, expected "
        f"{np.array2string(right, precision=9)} (var / (var + eps))"
    )
    centred, right_centred = _normalised_variance(ctx, spread)
    if not allclose(centred, right_centred, rtol=settings.PROPERTY_RTOL, atol=settings.BATCHNORM_VAR_ATOL):
        return failed(name, f"{observed}.", "bn-not-normalised")
    return failed(
        name,
        f"{observed}. The same input less its channel means is normalised right, so only the size of the mean "
        "matters: digits were lost in the statistics. Looks like: the variance was computed in one pass, as "
        "mean(x**2) - mean**2; with a mean of 1e6 and a spread of 1 both terms are about 1e12, and their "
        "difference keeps only a few of its digits (catastrophic cancellation). Take the variance from the "
        "centred input: ((x - mean)**2).mean(axis=axes), or x.var(axis=axes)",
        "catastrophic-cancellation",
        confidence=LOOKS_LIKE,
    )
