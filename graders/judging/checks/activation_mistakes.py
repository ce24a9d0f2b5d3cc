"""Known activation mistakes, computed: what a buggy forward or backward of each activation returns.

The diagnosis (graders/judging/diagnose.py) compares a wrong array with these. A *variant* that
reproduces the student's numbers names the mistake for certain ("Cause: ..."); a *subset*
of entries that holds every wrong entry (the x > 0 branch, the entries past Softplus's
threshold) names the mistake that subset implies as a pattern only ("Looks like: ...").
Each entry is one formula beside the sentence a teaching assistant would write; the
formulas read the reference's own forward so that they stay in step with it. Beside the
listed mistakes, whole classes are generated from each formula's structure ("classes of
mistake" below, and activation_forms.py): a linear branch that lost its x, a branch that
forgets grad_y, a constant of one branch twice or missing, a derivative in another form.

Every table below is keyed by ``Component.formula`` (exercises/components.py), the formula family a
component computes: "identity", "step", "sigmoid", "tanh", "relu", "leaky-relu" (a fixed slope),
"prelu" (a learned slope), "elu", "selu", "gelu", "silu", "softplus", "softmax", "log-softmax", "maxout".
"""

from __future__ import annotations

import copy
import itertools
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from nnlab.exercises.components import SELU_ALPHA, Case, Component
from nnlab.graders import settings

from .. import evidence
from ..crashes import message_shapes
from ..diagnose import Subset
from ..tolerance import allclose, as_array
from . import activation_forms as forms
from . import saved_state_mistakes

Variants = dict[str, tuple[np.ndarray, str]]
Subsets = dict[str, Subset]

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
GELU_KAPPA = 0.044715


def sigmoid(x: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -x))


def softmax(x: np.ndarray, axis: int) -> np.ndarray:
    z = np.exp(x - x.max(axis=axis, keepdims=True))
    return z / z.sum(axis=axis, keepdims=True)


def normal_cdf(x: np.ndarray) -> np.ndarray:
    """Phi, elementwise (math.erf is exact enough for a variant, and the arrays are small)."""
    return 0.5 * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0)))


def normal_pdf(x: np.ndarray) -> np.ndarray:
    return np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


@dataclass
class Site:
    """What a mistake is computed from: one case's input, upstream gradient and reference.

    ``formula`` is the component's formula family (``Component.formula``, a key of the tables
    below); ``y`` is the reference's output for elementwise activations; ``ref`` has run forward on ``x``.
    """

    formula: str
    x: np.ndarray
    g: np.ndarray
    kwargs: dict[str, Any]
    params: dict[str, np.ndarray]
    ref: Any
    y: np.ndarray

    def get(self, name: str, default: Any) -> Any:
        return self.kwargs.get(name, default)

    def local(self) -> np.ndarray:
        """The local derivative: what backward returns for grad_y = ones."""
        return copy.deepcopy(self.ref).backward(np.ones_like(self.g))


def _site(component: Component, case: Case, twin: Any, x: np.ndarray, g: np.ndarray | None) -> Site:
    reference = copy.deepcopy(twin.ref)  # twin.ref keeps its state (a fixture writer's has run nothing)
    with np.errstate(all="ignore"):
        y = reference.forward(x)
    return Site(component.formula, x, y if g is None else g, dict(case.kwargs), dict(twin.params), reference, y)


def _slopes(s: Site) -> np.ndarray:
    """PReLU's slopes broadcast over the input, LeakyReLU's slope as an array."""
    if "weight" in s.params:
        a = s.params["weight"]
        return a.reshape((1, -1) + (1,) * (s.x.ndim - 2)) if a.size > 1 else a.reshape(())
    return np.asarray(s.get("negative_slope", 0.01))


# ------------------------------------------------------------------------------- forward
def _sigmoid_forward(s: Site) -> Variants:
    v = {
        "sigmoid-exponent-sign": (
            sigmoid(-s.x),
            "e^x was used where e^-x belongs: sigmoid(x) = 1 / (1 + e^-x), which is near 1 for large x",
        )
    }
    # The stable form's denominator 1 + z (z = e^-|x|) typed 1 - z in one branch: a sign flipped in that branch only.
    z = np.exp(-np.abs(s.x))
    with np.errstate(divide="ignore"):
        flipped = {
            "negative": (s.x >= 0, 1.0 / (1.0 + z), z / (1.0 - z)),
            "positive": (s.x < 0, z / (1.0 + z), 1.0 / (1.0 - z)),
        }
    for branch, (kept, right, wrong) in flipped.items():
        test, written = ("x < 0", "z / (1 - z)") if branch == "negative" else ("x >= 0", "1 / (1 - z)")
        v[f"sign-flipped#sigmoid-stable-{branch}"] = (
            np.where(kept, right, wrong),
            f"the stable form's {branch} branch ({test}) was written {written}, a sign flipped in its denominator: "
            "with z = e^-|x| sigmoid is 1 / (1 + z) for x >= 0 and z / (1 + z) for x < 0, both with 1 + z",
        )
    v.update(_two_branch_exponent(s.x))
    return v


# The two-branch sigmoid, 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x) for x < 0, with one exponential of one
# branch given the other sign (typed from the other branch, or the minus lost): (branch, written, value).
_TWO_BRANCH_SLIPS: tuple[tuple[str, str, Callable[[np.ndarray], np.ndarray]], ...] = (
    ("x < 0", "e^x / (1 + e^-x)", lambda x: np.exp(x) / (1.0 + np.exp(-x))),
    ("x < 0", "e^-x / (1 + e^x)", lambda x: np.exp(-x) / (1.0 + np.exp(x))),
    ("x >= 0", "1 / (1 + e^x)", lambda x: 1.0 / (1.0 + np.exp(x))),
)


def _two_branch_exponent(x: np.ndarray) -> Variants:
    """Sigmoid written as its two textbook branches with the sign of one exponent wrong in one branch: the
    other branch is right, so only the entries on one side of 0 differ."""
    v: Variants = {}
    for k, (branch, written, wrong) in enumerate(_TWO_BRANCH_SLIPS):
        negative = branch == "x < 0"
        with np.errstate(all="ignore"):
            value = np.where((x < 0) == negative, wrong(x), sigmoid(x))
        v[f"sigmoid-exponent-sign#two-branch-{k}"] = (
            value,
            f"the branch for {branch} was written {written}: an exponent has the wrong sign there (the two "
            "branches' exponentials are easy to copy from one into the other); sigmoid is 1 / (1 + e^-x) for "
            "x >= 0 and e^x / (1 + e^x) for x < 0, the same function written two ways, so both branches give "
            "1 / (1 + e^-x)",
        )
    return v


def _relu_forward(s: Site) -> Variants:
    return {
        "returned-mask": (
            (s.x > 0).astype(np.float64),
            "forward returned the mask x > 0 (the derivative), not the values max(0, x)",
        ),
        # max(0, x) = (x + |x|) / 2 with the brackets left out: the division binds |x| alone.
        "operator-precedence#relu-half-sum": (
            s.x + np.abs(s.x) / 2,
            "forward computes x + |x| / 2 (1.5 x for x > 0, 0.5 x below): max(0, x) written as the half sum "
            "(x + |x|) / 2 without its brackets, so the division applies to |x| alone; bracket the sum, or use "
            "np.maximum(x, 0)",
        ),
    }


def _leaky_forward(s: Site) -> Variants:
    a = _slopes(s)
    v: Variants = {}
    if (a > 1).any():  # max(x, a x) picks a x for positive x once a slope passes 1 (PReLU's are learned)
        v["leaky-relu-maximum"] = (np.maximum(s.x, a * s.x), _maximum_trick(s, a))
        if (a > 1).all():  # (then the branches are swapped too: one mistake, one name)
            return v
    v["branches-swapped"] = (
        np.where(s.x > 0, a * s.x, s.x),
        "the slope was applied to the positive inputs and the negative ones passed unchanged: the two "
        "branches are swapped (x where x > 0, slope * x elsewhere)",
    )
    return v


def _maximum_trick(s: Site, a: np.ndarray) -> str:
    """Why max(x, slope * x) is not leaky ReLU, with the case's slope (or PReLU's slopes above 1)."""
    if "weight" in s.params:
        above = ", ".join(f"{v:.3g}" for v in np.unique(a[a > 1]))
        return (
            f"max(x, a * x) is PReLU only while every slope a is at most 1; a learned slope can pass 1 (here {above}), "
            "and then it picks a * x for positive x: use np.where(x > 0, x, a * x)"
        )
    slope = float(a)
    return (
        f"max(x, slope * x) is leaky ReLU only for slopes up to 1; with slope {slope:g} it picks slope * x "
        "for positive x: use np.where(x > 0, x, slope * x)"
    )


def _selu_forward(s: Site) -> Variants:
    elu = np.where(s.x > 0, s.x, np.expm1(np.minimum(s.x, 0)))
    return {
        "selu-constants": (
            elu,
            "SELU is scale * ELU(x, alpha) with PyTorch's constants "
            "alpha = 1.6732632423543772, scale = 1.0507009873554805",
        ),
        "selu-missing-scale": (
            s.y / s.ref.scale,
            "the output was not multiplied by scale = 1.0507009873554805: SELU is scale * ELU(x, alpha)",
        ),
        **{
            f"selu-constants#{a}-{k}": (k * np.where(s.x > 0, s.x, a * np.expm1(np.minimum(s.x, 0))), text)
            for a, k, text in _selu_constants(s)
        },
        "selu-scale-on-input": (_elu_of(s, s.ref.scale * s.x), _SCALE_ON_INPUT),
        "selu-scale-twice#inside": (
            s.ref.scale * _elu_of(s, s.ref.scale * s.x),
            "scale was applied twice, to the input and to the output, scale * ELU(scale * x): SELU is "
            "scale * ELU(x), the input unscaled",
        ),
    }


# An outer constant moved inside: ELU(scale * x) where scale * ELU(x) belongs (the x > 0 branch agrees).
_SCALE_ON_INPUT = (
    "scale multiplied the input, ELU(scale * x), where it multiplies the output, scale * ELU(x): the two agree "
    "for x > 0 but not on the negative branch, alpha (e^(scale x) - 1) instead of scale * alpha (e^x - 1)"
)


def _elu_of(s: Site, z: np.ndarray) -> np.ndarray:
    """ELU with the component's alpha at ``z``."""
    return np.where(z > 0, z, float(s.ref.alpha) * np.expm1(np.minimum(z, 0.0)))


# The digits a constant is typed with when copied from a paper or a slide: 1.0507, 1.67326.
_TYPED_DECIMALS = (2, 3, 4, 5, 6)


def _selu_typed(s: Site, g: np.ndarray | None, student_forward: np.ndarray | None) -> Variants:
    """SELU's alpha or scale (or both) typed with a few decimals, 1.0507 for 1.0507009873554805: the numbers are off
    by a relative 1e-7 to 1e-3, which reads like float32 arithmetic. Typed digits reproduce the student's forward
    output to the last digit, float32 does not; so the constants are read from ``student_forward`` (far tighter than
    a simulation's tolerance, which would let several typings match) and only the one it shows is a variant. ``g``
    None: forward's values, else backward's."""
    out = as_array(student_forward)
    if out is None or out.shape != s.x.shape:
        return {}
    alpha, scale = float(s.ref.alpha), float(s.ref.scale)
    x = np.minimum(s.x, 0.0)
    for decimals in _TYPED_DECIMALS:
        short_a, short_k = round(alpha, decimals), round(scale, decimals)
        for a, k in ((alpha, short_k), (short_a, scale), (short_a, short_k)):
            forward = k * np.where(s.x > 0, s.x, a * np.expm1(x))
            if not np.allclose(out, forward, rtol=settings.SAME_VALUE_RTOL, atol=settings.SAME_VALUE_ATOL):
                continue
            typed = " and ".join(
                f"{name} = {value!r} for {full!r}"
                for name, value, full in (("alpha", a, alpha), ("scale", k, scale))
                if value != full
            )
            value = forward if g is None else k * np.where(s.x > 0, 1.0, a * np.exp(x)) * g
            return {
                "rounded-constant#selu": (
                    value,
                    f"SELU's constants were typed with {decimals} decimals ({typed}): docs/api.md gives PyTorch's "
                    "to full precision (alpha = 1.6732632423543772848170429916717, scale = "
                    "1.0507009873554804934193349852946), and the results are off by the digits left out",
                )
            }
    return {}


def _selu_constants(s: Site) -> list[tuple[float, float, str]]:
    """SELU's alpha and scale mixed up: each taken for the other, or one used for both."""
    alpha, scale = float(s.ref.alpha), float(s.ref.scale)
    right = f"alpha = {alpha!r} goes inside, alpha (e^x - 1) on the negative branch, and scale = {scale!r} multiplies"
    used = [(scale, alpha, "swapped"), (scale, scale, "both scale"), (alpha, alpha, "both alpha")]
    return [(a, k, f"SELU used alpha = {a!r} and scale = {k!r} ({how}): {right} the whole") for a, k, how in used]


def _gelu_forward(s: Site) -> Variants:
    x = s.x
    tanh_form = x * 0.5 * (1 + np.tanh(SQRT_2_OVER_PI * (x + GELU_KAPPA * x**3)))
    if s.get("approximate", "none") == "none":
        return {
            "gelu-tanh-approximation": (
                tanh_form,
                "the tanh approximation was used for approximate='none' (exact GELU is x * Phi(x), with Phi from erf)",
            )
        }
    return {
        "gelu-tanh-approximation": (
            x * normal_cdf(x),
            "the exact x * Phi(x) was computed for approximate='tanh'; that setting asks for "
            "x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))",
        )
    }


# A one-sided threshold compared with a magnitude: |beta x| > threshold also holds for very negative inputs.
_TWO_SIDED = (
    "{what} for beta * x < -threshold too: the threshold was compared with |beta * x|, but only the positive side "
    "is linear (softplus(x) ~ x for large x, and close to 0 for very negative x); compare beta * x > threshold"
)


# Softplus's beta is a sharpness: it multiplies x, log(1 + e^(beta x)) / beta; read as a temperature it divides it.
_BETA_AS_TEMPERATURE = (
    "{what} (beta = {beta:g}): beta was read as a temperature, dividing x, where PyTorch's beta is a sharpness that "
    "multiplies it, softplus(x) = log(1 + e^(beta x)) / beta with derivative sigmoid(beta x)"
)


def _softplus_forward(s: Site) -> Variants:
    beta, threshold = s.get("beta", 1.0), s.get("threshold", 20.0)
    z = beta * s.x
    soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / beta
    v = {}
    if beta != 1.0:
        v["softplus-threshold-on-x"] = (
            np.where(s.x > threshold, s.x, soft),
            f"the threshold was compared with x; PyTorch compares it with beta * x (beta = {beta:g}): "
            "the function is x where beta * x > threshold",
        )
        v["softplus-not-divided-by-beta"] = (
            np.where(z > threshold, s.x, soft * beta),
            f"log(1 + e^(beta x)) was not divided by beta = {beta:g}",
        )
        # the operation on beta inverted: * where / belongs (every smooth entry beta^2 times its right value)
        v["hyperparameter-inverted#softplus-times-beta"] = (
            np.where(z > threshold, s.x, soft * beta * beta),
            f"log(1 + e^(beta x)) was multiplied by beta = {beta:g} where it is divided by it: softplus(x) = "
            "log(1 + e^(beta x)) / beta",
        )
    if beta != 1.0 and (z > threshold).any():  # the identity branch multiplied or divided by beta
        for scaled, text in ((z, "beta * x"), (s.x / beta, "x / beta")):
            v[f"softplus-linear-branch-scaled#{text}"] = (
                np.where(z > threshold, scaled, soft),
                f"past the threshold forward returns {text} (beta = {beta:g}) where x belongs: that branch is the "
                "identity, softplus(x) ~ x, because log(1 + e^(beta x)) / beta ~ beta x / beta",
            )
    if beta != 1.0:  # z = beta x substituted into one term of the stable form, x left in the other
        relu, log_term = np.maximum(z, 0.0), np.log1p(np.exp(-np.abs(z)))
        for term, value in (
            ("max(x, 0)", np.maximum(s.x, 0.0) + log_term),
            ("log(1 + e^-|x|)", relu + np.log1p(np.exp(-np.abs(s.x)))),
        ):
            v[f"softplus-beta-missing#{term}"] = (
                np.where(z > threshold, s.x, value / beta),
                f"one term of the stable form was computed from x where z = beta x belongs (beta = {beta:g}): "
                f"{term}. Both terms of log(1 + e^z) = max(z, 0) + log(1 + e^-|z|) take z, and only the sum "
                "is divided by beta",
            )
    if beta != 1.0:  # beta read as a temperature in the smooth branch only, the threshold's beta x kept
        v["hyperparameter-inverted#softplus-smooth-branch"] = (
            np.where(z > threshold, s.x, beta * np.logaddexp(0.0, s.x / beta)),
            _BETA_AS_TEMPERATURE.format(beta=beta, what="the smooth branch is beta log(1 + e^(x / beta))"),
        )
    # log(1 + e^z) where log(1 + e^-|z|) belongs: for z > 0 the stable form then counts z twice,
    # max(z, 0) + log(1 + e^z) ~ 2z (and e^z overflows for large z); for z <= 0 it is still right
    v["abs-missing-in-stable-form#softplus-exp-of-z"] = (
        np.where(z > threshold, s.x, (np.maximum(z, 0.0) + np.log1p(np.exp(z))) / beta),
        "the log term of the stable form exponentiates z = beta x where -|z| belongs: max(z, 0) + log(1 + e^z) "
        "counts z twice for z > 0 (about 2z there, and e^z overflows for large z), and is right only for z <= 0; "
        "the stable form is (max(z, 0) + log(1 + e^-|z|)) / beta",
    )
    if beta != 1.0:  # (a + b) / beta typed without its parentheses: the division binds to one term only
        relu, log_term = np.maximum(z, 0.0), np.log1p(np.exp(-np.abs(z)))
        one_term = {"max(beta x, 0)": relu + log_term / beta, "the log term": relu / beta + log_term}
        for kept, value in one_term.items():
            v[f"operator-precedence#softplus-{kept}"] = (
                np.where(z > threshold, s.x, value),
                f"only one term of the stable form was divided by beta = {beta:g}: {kept} was left undivided. "
                "(max(beta x, 0) + log(1 + e^-|beta x|)) / beta needs the parentheses around the whole sum "
                f"(operator precedence: / binds tighter than +)",
            )
    if (z < -threshold).any():  # the identity branch taken at both ends, where only the positive one is linear
        v["threshold-two-sided"] = (
            np.where(np.abs(z) > threshold, s.x, soft),
            _TWO_SIDED.format(what="forward returns x"),
        )
    v["branches-swapped"] = (
        np.where(z > threshold, soft, s.x),
        "the two branches are swapped: forward is x past the threshold (beta x > threshold) and "
        "log(1 + e^(beta x)) / beta elsewhere",
    )
    # np.log where np.log1p belongs: log(e^-|z|) = -|z|, the "1 +" lost.
    v["log1p-as-log"] = (
        np.where(z > threshold, s.x, (np.maximum(z, 0.0) - np.abs(z)) / beta),
        "np.log(e^-|z|) was used where np.log1p(e^-|z|) = log(1 + e^-|z|) belongs: the 1 + is lost, and "
        "log(e^-|z|) is just -|z|",
    )
    return v


# The log-probabilities an output returns, and the probabilities forward saves for backward, are one array: its
# entries are the right output's exponentials. Forgetting the log (returning the saved softmax) and writing the
# exponentials into the output (np.exp(y, out=y), to save them) leave the same numbers and the same array.
OUTPUT_HELD_AS_EXP = (
    "the output holds the exponentials of the right values, and it is the very array forward saved for backward "
    "({held}): either the log-probabilities were overwritten in place by their exponentials when the probabilities "
    "were saved (np.exp(y, out=y) writes into y, the array returned), or the saved softmax was returned where its "
    "log belongs; the two leave the same array. Save the probabilities in a new array, self._p = np.exp(y), and "
    "return the log-probabilities y"
)


def _logsoftmax_forward(s: Site) -> Variants:
    dim = s.get("dim", -1)
    shifted = s.x - s.x.max(axis=dim, keepdims=True)
    return {
        "logsumexp-shift-not-restored": (
            s.y + s.x.max(axis=dim, keepdims=True),
            "the maximum m subtracted for stability was not put back: log softmax(x) = (x - m) - log sum exp(x - m)",
        ),
        "log-missing": (np.exp(s.y), "the softmax itself was returned; LogSoftmax returns its log"),
        "log1p-for-log": (
            shifted - np.log1p(np.exp(shifted).sum(axis=dim, keepdims=True)),
            "the log of the sum was taken with np.log1p, which is log(1 + v): it adds 1 inside the log. log1p is "
            "the accurate log(1 + v) for a small v, not a stabler log; the sum of e^(x - m) is at least 1, and "
            "log softmax(x) = (x - m) - log(sum of e^(x - m)), np.log",
        ),
    }


def _softmax_axis_forward(s: Site, log: bool) -> Variants:
    v: Variants = {}
    x, dim = s.x, s.get("dim", -1) % s.x.ndim
    for other in range(x.ndim):  # "tag#k": one variant per wrong axis (diagnose drops "#k")
        if other != dim and x.shape[other] > 1 and x.shape[dim] > 1:
            wrong = softmax(x, other)
            v[f"softmax-wrong-axis#{other}"] = (
                np.log(wrong) if log else wrong,
                f"normalised along axis {other} instead of dim={s.get('dim', -1)}",
            )
    if x.shape[dim] > 1:
        v.update(_softmax_mixed_axes(s, log))
    v.update(_axis_not_moved_back(s, s.y, "the output"))
    v.update(_sum_put_back_last(s, log))
    if _axes_other_than(s):
        z = np.exp(x - x.max())
        whole = z / z.sum()
        v["reduction-over-whole-array"] = (
            np.log(whole) if log else whole,
            f"normalised over the whole array (a sum with no axis) instead of along dim={s.get('dim', -1)}: "
            "every output then depends on the other samples' entries; each slice along dim is normalised "
            "separately",
        )
    return v


def _sum_put_back_last(s: Site, log: bool) -> Variants:
    """The normalising sum reduced without keepdims and given its axis back at the end (``[..., None]``,
    np.expand_dims(..., -1)): where dim is not the last axis and the shapes still broadcast (a square input), each
    slice is divided by the sums of other slices, laid along the last axis. (Where they do not broadcast, numpy
    raises, and crashes.py reads the line.)"""
    x, dim = s.x, s.get("dim", -1) % s.x.ndim
    if dim == x.ndim - 1:
        return {}
    shifted = x - x.max(axis=dim, keepdims=True)
    total = np.exp(shifted).sum(axis=dim)[..., None]
    if not _broadcastable(total.shape, x.shape) or np.broadcast_shapes(total.shape, x.shape) != x.shape:
        return {}
    kept = x.shape[:dim] + (1,) + x.shape[dim + 1 :]
    text = (
        f"the sum over dim={s.get('dim', -1)} was reduced without keepdims and its axis put back at the end "
        f"([..., None] or np.expand_dims(..., -1)): shape {total.shape} where {kept} "
        "belongs, so each sum meets the last axis, not the axis it was taken along. The end is the reduced axis's "
        "place only for dim=-1; keepdims=True keeps it where it was"
    )
    return {
        "reduction-without-keepdims#put-back-last": (shifted - np.log(total) if log else np.exp(shifted) / total, text)
    }


def _broadcastable(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return all(m == n or 1 in (m, n) for m, n in zip(reversed(a), reversed(b), strict=False))


def _axis_not_moved_back(s: Site, right: np.ndarray, what: str) -> Variants:
    """``right`` with the axis dim moved to the end and left there: np.moveaxis (or np.swapaxes, a transpose) put
    dim last to work along axis -1, as for (N, C), and the result was returned without moving it back."""
    dim = s.get("dim", -1) % s.x.ndim
    if dim == s.x.ndim - 1:
        return {}
    moved = np.moveaxis(right, dim, -1)
    text = (
        f"{what} has the right values with axis dim={s.get('dim', -1)} moved to the end (shape {moved.shape} for "
        f"an input of shape {s.x.shape}): dim was moved last (np.moveaxis, np.swapaxes or a transpose) to work "
        "along axis -1, as for (N, C), and never moved back. Move it back (np.moveaxis(y, -1, dim)) or reduce "
        "along dim itself (axis=dim): the result is shaped like x, with its axes in x's order"
    )
    v: Variants = {"axes-permuted#moveaxis": (moved, text)}
    swapped = np.swapaxes(right, dim, -1)
    if swapped.shape != moved.shape or not np.array_equal(swapped, moved):
        v["axes-permuted#swapaxes"] = (swapped, text)
    return v


def _softmax_mixed_axes(s: Site, log: bool) -> Variants:
    """One of softmax's two reductions (the stabilising max, the normalising sum) along dim, the other along
    another axis or the whole array (an axis=-1 or a missing axis left in one of them): the shift then no
    longer cancels, and the outputs do not sum to 1 along dim."""
    x, dim = s.x, s.get("dim", -1) % s.x.ndim
    wrong: list[int | None] = [a for a in range(x.ndim) if a != dim and x.shape[a] > 1]
    if _axes_other_than(s):
        wrong.append(None)

    def said(axis: int | None) -> str:
        if axis is None:
            return "the whole array (no axis)"
        return f"axis {axis}" + (" (the last)" if axis == x.ndim - 1 else "")

    v: Variants = {}
    # (A maximum over the whole array is one constant, which cancels: that shift is harmless.)
    pairs = [(dim, other) for other in wrong] + [(other, dim) for other in wrong if other is not None]
    for shift, total in pairs:
        m = x.max(axis=shift, keepdims=True)
        e = np.exp(x - m)
        total_sum = e.sum(axis=total, keepdims=total is not None)
        tag = "reduction-over-whole-array" if total is None else "softmax-wrong-axis"
        v[f"{tag}#max{shift}-sum{total}"] = (
            (x - m) - np.log(total_sum) if log else e / total_sum,
            f"the maximum was taken over {said(shift)} but the normalising sum over {said(total)}: both "
            f"reductions run along dim={s.get('dim', -1)}, the axis the outputs must sum to 1 along",
        )
    return v


def _maxout_forward(s: Site) -> Variants:
    z = np.einsum("nd,kjd->nkj", s.x, s.params["weight"]) + s.params["bias"]
    v: Variants = {
        "maxout-min-not-max": (
            z.min(axis=1),
            "each unit took the smallest of its pieces; maxout takes the largest (np.max / np.argmax over the pieces)",
        )
    }
    for tag, (winner, text) in _maxout_winners(z).items():
        v[tag] = (np.take_along_axis(z, winner[:, None, :], axis=1)[:, 0, :], text)
    v["max-initialised-at-zero"] = (np.maximum(z.max(axis=1), 0.0), _MAX_FROM_ZERO)
    # The winners' index given its new axis last, argmax[:, :, None] (N, M, 1): take_along_axis along the pieces
    # broadcasts it over the outputs, and row 0 of the (N, M, M) result is every output at unit 0's winning piece.
    first = np.argmax(z, axis=1)[:, :1]
    if z.shape[2] > 1:
        v["broadcast-wrong-axis#maxout-gather"] = (
            np.take_along_axis(z, np.broadcast_to(first[:, None, :], (z.shape[0], 1, z.shape[2])), axis=1)[:, 0, :],
            "every output took the piece that won for output 0, not its own winner: the winners' index was given "
            "its new axis last, argmax[:, :, None] of shape (N, M, 1), so take_along_axis along the pieces "
            "broadcasts it across the outputs (index [:, 0, :] then keeps output 0's choice for all). The index "
            "needs its new axis at the pieces' position, argmax[:, None, :] of shape (N, 1, M)",
        )
    return v


_MAX_FROM_ZERO = (
    "each unit's running maximum over the pieces started at 0 (np.zeros, or a maximum with initial=0), not at -inf "
    "or at piece 0's value: where every piece of a unit is negative none beats the 0, so the unit outputs 0, a value "
    "none of its pieces has (a ReLU of the maximum), and its gradient goes to the piece the winner index started at "
    "(piece 0), not to the largest; start the running maximum at -inf (or at the first piece)"
)


def _maxout_winners(z: np.ndarray) -> dict[str, tuple[np.ndarray, str]]:
    """Maxout's winning piece found wrongly, ``tag -> (the piece index each unit uses (N, M), the mistake)``: the
    argmax taken over a slice one short of the pieces, or over the pieces reversed (to take the last maximum on a
    tie) with the reversed index used as a piece number. Forward and backward both use the one index."""
    pieces = z.shape[1]
    if pieces < 2:
        return {}
    return {
        "slice-off-by-one#maxout-last-piece-left-out": (
            np.argmax(z[:, :-1], axis=1),
            f"the winner was searched among pieces 0 .. K-2 only (a slice one short, such as z[:, :-1] or "
            f"range(K - 1)): the last piece (of K = {pieces}) can never win; the maximum runs over all K pieces",
        ),
        "reversed-index-not-mapped-back#maxout": (
            np.argmax(z[:, ::-1], axis=1),
            "the winner was found on the pieces in reverse order (np.argmax(z[:, ::-1], axis=1), to take the last "
            "maximum on a tie) and that index used as a piece number: index r of the reversed pieces is piece "
            "K - 1 - r, so the piece used is the mirror of the winner; map the index back, or keep np.argmax's "
            "first maximum (any one maximal piece is fine)",
        ),
    }


def _alpha_in_exponent(s: Site, g: np.ndarray | None) -> Variants:
    """ELU, SELU: alpha moved into the exponent, e^(alpha x) - 1 where alpha (e^x - 1) belongs; ``g`` None: the
    forward values, else backward's: its slope e^(alpha x) where alpha e^x belongs, or the true derivative of
    the forward that has alpha in the exponent, alpha e^(alpha x)."""
    alpha = float(s.ref.alpha)
    if alpha == 1.0:  # (then it is the same formula)
        return {}
    k = float(s.ref.scale) if s.formula == "selu" else 1.0
    x = np.minimum(s.x, 0.0)
    if g is None:
        return {
            "alpha-in-exponent": (
                k * np.where(s.x > 0, s.x, np.expm1(alpha * x)),
                f"alpha was moved into the exponent, e^(alpha x) - 1 where alpha (e^x - 1) belongs (alpha = {alpha:g})",
            )
        }
    return {
        "derivative-wrong-form#alpha-in-exponent": (
            k * g * np.where(s.x > 0, 1.0, np.exp(alpha * x)),
            f"the negative branch's slope was written e^(alpha x), alpha moved into the exponent, where alpha e^x "
            f"belongs (alpha = {alpha:g})",
        ),
        "alpha-in-exponent": (
            k * g * np.where(s.x > 0, 1.0, alpha * np.exp(alpha * x)),
            f"the slope alpha e^(alpha x) is the derivative of e^(alpha x) - 1, alpha moved into the exponent; "
            f"ELU's negative branch is alpha (e^x - 1), whose slope is alpha e^x (alpha = {alpha:g})",
        ),
    }


def _elu_maximum(s: Site) -> Variants:
    """ELU, SELU: the x > 0 test replaced by the larger of the two branches, max(x, alpha (e^x - 1)), the leaky
    ReLU max(x, slope * x) habit. alpha (e^x - 1) >= x holds for every x <= 0 only while alpha <= 1 (its slope at 0
    is alpha); past 1 the maximum picks x on a stretch of negative inputs, so only there does it differ."""
    alpha = float(s.ref.alpha)
    if alpha <= 1.0:  # (then it is the same formula)
        return {}
    k = float(s.ref.scale) if s.formula == "selu" else 1.0
    return {
        "leaky-relu-maximum#elu": (
            k * np.maximum(s.x, alpha * np.expm1(np.minimum(s.x, 0.0))),
            f"the branch was chosen as the larger of the two, max(x, alpha (e^x - 1)), in place of the test x > 0: "
            f"that is ELU only while alpha is at most 1; with alpha = {alpha:g} the curve alpha (e^x - 1) lies below "
            "x for small negative x (it starts with slope alpha at 0), so the maximum returns x there: use "
            "np.where(x > 0, x, alpha * (e^x - 1))",
        )
    }


FORWARD: dict[str, Callable[[Site], Variants]] = {
    "elu": lambda s: {**_alpha_in_exponent(s, None), **_elu_maximum(s)},
    "sigmoid": _sigmoid_forward,
    "relu": _relu_forward,
    "leaky-relu": _leaky_forward,
    "prelu": _leaky_forward,
    "selu": lambda s: {**_selu_forward(s), **_alpha_in_exponent(s, None), **_elu_maximum(s)},
    "gelu": _gelu_forward,
    "softplus": _softplus_forward,
    "softmax": lambda s: _softmax_axis_forward(s, log=False),
    "log-softmax": lambda s: {**_logsoftmax_forward(s), **_softmax_axis_forward(s, log=True)},
    "maxout": _maxout_forward,
}


def forward_variants(
    component: Component, case: Case, twin: Any, x: np.ndarray, actual: np.ndarray | None = None
) -> Variants:
    """What a known buggy forward of this activation returns: the listed mistakes, then the classes of
    mistake generated from the formula's structure (activation_forms.py) that give other numbers; ``actual``, the
    student's output, shows a clip's bounds."""
    s = _site(component, case, twin, x, None)
    make = FORWARD.get(component.formula)
    v = make(s) if make else {}
    with np.errstate(all="ignore"):
        forms.merge(v, _forward_classes(s))
        forms.merge(v, _reduction_for_clamp(s, None))
        if component.formula in STABLE_WITH_ABS:
            forms.merge(v, _absolute_value_lost(s))
        forms.merge(v, _regrouped_forward(s))  # after the classes: a formula they name keeps its name
        _new(v, misread_forward(s))
        _new(v, _output_clipped(s, backward=False))
        _new(v, _input_clipped(s, actual, backward=False))
        _new(v, _gate_clipped(s, actual, backward=False))
        if _tanh_gelu(s):  # a constant typed as another number, read from the student's output
            _new(v, forms.gelu_tanh_typed(s.x, None, actual))
        if s.formula == "selu":  # (likewise)
            _new(v, _selu_typed(s, None, actual))
    v.update(_branch_on_nonzero(s))
    if "nonzero-for-positive" not in v and any(evidence.same(value, x) for value, _ in v.values()):
        # A mistake whose numbers are x itself on this case (a swapped branch that is never taken) is not told
        # apart here from returning the input unchanged.
        v["returned-the-input-x"] = (x.copy(), "forward returned its input x unchanged")
    return v


def _branch_on_nonzero(s: Site) -> Variants:
    """A branch formula whose x > 0 branch is x itself, with the branch chosen by a test that is true for every
    non-zero entry: np.where(x, x, ...) (np.where tests its condition for being non-zero), x != 0, x.astype(bool).
    Only x = 0 takes the x <= 0 branch, where it gives 0 as well: the output is x, exactly what returning the
    input unchanged gives, so the sentence names both."""
    branches = BRANCH_FORMULAS.get(s.formula)
    if branches is None or branches[0][0] != "x" or not (s.x < 0).any():
        return {}
    return {
        "nonzero-for-positive": (
            s.x.copy(),
            f"forward returned x itself, its negative entries unchanged, so no entry took the x <= 0 branch, "
            f"y = {branches[1][0]}: either the input was returned unchanged, or the branch was chosen with a test "
            "that is true for every non-zero entry, -3 included: np.where(x, ...) tests x for being non-zero, as "
            "x != 0 and x.astype(bool) do. The two give the same numbers. The x > 0 branch needs the test x > 0",
        )
    }


def _tanh_gelu(s: Site) -> bool:
    return s.formula == "gelu" and s.get("approximate", "none") == "tanh"


def _regrouped_forward(s: Site) -> Variants:
    """Forward's formula, as the notes write it, with its parentheses moved (activation_forms.regroupings):
    ELU's and SELU's negative branch, GELU's x Phi(x) and its tanh form, log-softmax's shifted difference."""
    x = np.clip(s.x, -40.0, 40.0)
    shown = {"ex": "np.exp(x)", "erf": "erf(x / sqrt(2))", "t": "tanh(u)", "lse": "log(sum(exp(x - m)))"}
    if s.formula in CLAMPED:
        scale = float(s.ref.scale) if s.formula == "selu" else 1.0
        env = {"alpha": np.asarray(float(s.ref.alpha)), "scale": np.asarray(scale), "ex": np.exp(np.minimum(x, 0.0))}
        written = "scale * alpha * (ex - 1)" if s.formula == "selu" else "alpha * (ex - 1)"
        negative = forms.regroupings((written,), env, "for x <= 0 forward computes", shown)
        return {tag: (np.where(s.x > 0, s.y, value), text) for tag, (value, text) in negative.items()}
    if s.formula == "gelu" and s.get("approximate", "none") == "none":
        env = {"x": s.x, "erf": 2.0 * normal_cdf(x) - 1.0}
        return forms.regroupings(("x * 0.5 * (1 + erf)", "0.5 * x * (1 + erf)"), env, "forward computes", shown)
    if s.formula == "gelu":
        env = {"x": s.x, "t": np.tanh(SQRT_2_OVER_PI * (x + GELU_KAPPA * x**3))}
        return forms.regroupings(("0.5 * x * (1 + t)", "x * 0.5 * (1 + t)"), env, "forward computes", shown)
    if s.formula == "log-softmax":
        dim = s.get("dim", -1)
        m = s.x.max(axis=dim, keepdims=True)
        env = {"x": s.x, "m": m, "lse": np.log(np.exp(s.x - m).sum(axis=dim, keepdims=True))}
        return forms.regroupings(("x - m - lse",), env, "forward computes", shown)
    return {}


# np.max(a, 0) and np.min(a, 0) are numpy's reductions, whose second argument is an axis: the largest (smallest)
# entry along axis 0, one per column, where np.maximum(a, 0) (np.minimum) compares every entry with 0.
_REDUCTION_FOR_CLAMP = (
    "np.{fn}({arg}, 0) is a reduction: its second argument is an axis, so it took the {most} entry along axis 0 (one "
    "per column{broadcast}) instead of comparing each entry with 0; the element-wise {fn}({arg}, 0) is "
    "np.{fn}imum({arg}, 0)"
)


def _reduction_for_clamp(s: Site, g: np.ndarray | None) -> Variants:
    """A formula's element-wise clamp, np.maximum(a, 0) or np.minimum(a, 0), written with the reduction np.max or
    np.min: ReLU's max(x, 0) (an array of one axis fewer), the stable forms' min(x, 0) inside e^x and max(beta x, 0)
    (a column's extreme, broadcast back over the rows). ``g`` None: the forward values, else backward's."""
    x = s.x
    if s.formula == "relu" and g is None and x.ndim >= 1:
        return {
            "max-for-maximum": (
                x.max(axis=0),
                _REDUCTION_FOR_CLAMP.format(fn="max", arg="x", most="largest", broadcast=""),
            )
        }
    if x.ndim < 2 or x.shape[0] < 2:  # (broadcast back, a reduction along an axis of length 1 changes nothing)
        return {}
    back = ", broadcast back over the rows"
    if s.formula in CLAMPED:
        scale = float(s.ref.scale) if s.formula == "selu" else 1.0
        alpha, low = float(s.ref.alpha), np.broadcast_to(x.min(axis=0), x.shape)
        value = np.where(x > 0, x, alpha * np.expm1(low)) if g is None else np.where(x > 0, g, alpha * np.exp(low) * g)
        text = _REDUCTION_FOR_CLAMP.format(fn="min", arg="x", most="smallest", broadcast=back)
        return {"max-for-maximum": (scale * value, text)}
    if s.formula == "softplus" and g is None:
        beta, threshold = s.get("beta", 1.0), s.get("threshold", 20.0)
        z = beta * x
        soft = (np.broadcast_to(z.max(axis=0), z.shape) + np.log1p(np.exp(-np.abs(z)))) / beta
        text = _REDUCTION_FOR_CLAMP.format(fn="max", arg="beta * x", most="largest", broadcast=back)
        return {"max-for-maximum": (np.where(z > threshold, x, soft), text)}
    return {}


# The stable forms that exponentiate -|x| only: e^-|x| never overflows, and each branch is written for its sign.
STABLE_WITH_ABS = ("sigmoid", "softplus", "tanh")
MIRROR_IMAGE = "mirror-image"  # an observation tag: several mistakes give the mirror image alike
# The exponent's scale in each stable form, e^(-k|x|): sigmoid's e^-|x|, tanh's e^(-2|x|), softplus's e^(-beta |x|).
_EXPONENT_SCALE: dict[str, Callable[[Mapping[str, Any]], float]] = {
    "sigmoid": lambda kw: 1.0,
    "tanh": lambda kw: 2.0,
    "softplus": lambda kw: float(kw.get("beta", 1.0)),
}
_WRITTEN_WITH_ABS = {"sigmoid": "e^-|x|", "tanh": "e^(-2|x|)", "softplus": "e^(-beta |x|)"}
_WRITTEN_WITHOUT = {"sigmoid": "e^-x", "tanh": "e^(-2x)", "softplus": "e^(-beta x)"}
# The mirror image in words: f(-x), and what it is in terms of f(x).
_MIRROR_WORDS = {
    "sigmoid": "f(-x) = 1 - f(x)",
    "tanh": "f(-x) = -f(x), the right magnitude with the wrong sign",
    "softplus": "f(-x) = f(x) - x",
}


def _mirror_said(formula: str) -> str:
    words = _MIRROR_WORDS.get(formula, "f(-x)")
    return f"for x < 0 the output is {words}, the mirror image of the right value (the value at |x|)"


def _absolute_value_lost(s: Site) -> Variants:
    """The output f(|x|): on x < 0 the mirror image f(-x). Two mistakes give it alike on ordinary inputs: the stable
    form with -x where -|x| belongs (its x < 0 branch is written for e^-|x|, and e^-x overflows for very negative
    x), and the x < 0 branch given the x >= 0 branch's formula. An observation here: a probe of the student's
    forward at a very negative input (mirror_probed) tells them apart."""
    mirrored = copy.deepcopy(s.ref).forward(np.abs(s.x))
    without, with_abs = _WRITTEN_WITHOUT.get(s.formula, "e^-x"), _WRITTEN_WITH_ABS.get(s.formula, "e^-|x|")
    return {
        MIRROR_IMAGE: (
            mirrored,
            f"{_mirror_said(s.formula)}. Two mistakes give this alike: the stable form's exponent written {without} "
            f"where {with_abs} (np.abs) belongs (the x < 0 branch is written for {with_abs}, and with {without} it "
            "computes the mirror image; it also overflows for very negative x), or the x < 0 entries given the x >= 0 "
            "branch's formula (copied from the other branch). Forward at a very negative x tells them apart: nan or "
            "inf there is the exponent",
        )
    }


def mirror_probe(formula: str, kwargs: Mapping[str, Any]) -> np.ndarray | None:
    """The input that tells the mirror image's causes apart: x = -1000 / k, where the stable form's e^(-k x)
    overflows (and e^(-k|x|) does not), beside ordinary entries of both signs; None for a formula with no such form."""
    scale = _EXPONENT_SCALE.get(formula)
    if scale is None:
        return None
    k = scale(kwargs)
    if not k > 0:
        return None
    return np.array([[-1000.0 / k, -1.5, 1.5, 1000.0 / k]])


def mirror_probed(
    formula: str, probe: np.ndarray, right_mirror: np.ndarray, got: np.ndarray | None, mirrored: np.ndarray
) -> Variants:
    """The cause of the mirror image ``mirrored`` (the case's f(|x|), which the student's output is), from the
    student's forward on ``probe`` (``got``; ``right_mirror`` is f(|probe|)): nan or inf exactly where e^(-k x)
    overflows, and the mirror image elsewhere, is the exponent without its absolute value; the mirror image,
    finite everywhere, is a safe exponential with the other branch's formula. ``{}`` when the probe says neither."""
    if got is None or got.shape != probe.shape or got.dtype.kind != "f":
        return {}
    overflowing = probe == probe.min()  # (only there does e^(-k x) pass the float range)
    finite = np.isfinite(got)
    if not evidence.same(got[finite], right_mirror[finite]):
        return {}
    without, with_abs = _WRITTEN_WITHOUT[formula], _WRITTEN_WITH_ABS[formula]
    at = f"{float(probe.min()):g}"
    if np.array_equal(~finite, overflowing):
        return {
            "abs-missing-in-stable-form": (
                mirrored,
                f"{_mirror_said(formula)}, and forward gives {got[~finite][0]} at x = {at}, where {without} "
                f"overflows: the stable form exponentiates -|x| (np.abs), {with_abs}, which never overflows, and its "
                f"x < 0 branch is written for that; with {without} instead, that branch computes the mirror image",
            )
        }
    if not finite.all():
        return {}
    safe = (
        f"{_mirror_said(formula)}, and forward stays finite at x = {at} (it gives {float(got.flat[0]):.6g} "
        f"there, the mirror image too), where {without} would overflow: the exponential is computed safely, so the "
        "exponent is not the mistake"
    )
    if formula == "sigmoid":
        return {
            "copy-paste": (
                mirrored,
                f"{safe}; the x < 0 entries get the x >= 0 branch's formula 1 / (1 + e) (copied from that branch, or "
                "that one formula used for every x), where the x < 0 branch is e / (1 + e) (with e = e^x there, or "
                "e = e^-|x| for both branches)",
            )
        }
    if formula == "tanh":
        return {
            MIRROR_IMAGE: (
                mirrored,
                f"{safe}; the x < 0 entries get tanh(|x|): the x >= 0 branch's formula (1 - e) / (1 + e), e = "
                "e^(-2|x|), copied to the x < 0 branch or used for every x without the factor sign(x) that makes "
                "tanh odd; the two give the same numbers",
            )
        }
    return {}


# The formulas whose outputs approach values they never reach: ``formula: (the output in words, those values,
# the range a clip at a bound e inside them leaves, backward's derivative written with the output y)``. A clip
# keeps y off those values "so that its log is finite": the tails are then wrong, and a derivative computed from
# the clipped y no longer falls towards 0 there.
_BOUNDED_OUTPUT: dict[str, tuple[str, str, Callable[[float], tuple[float, float]], str]] = {
    "sigmoid": ("sigmoid(x)", "0 or 1", lambda e: (e, 1.0 - e), "y (1 - y)"),
    "tanh": ("tanh(x)", "-1 or 1", lambda e: (-1.0 + e, 1.0 - e), "1 - y^2"),
    "softmax": ("a probability", "0 or 1", lambda e: (e, 1.0 - e), "y (grad_y - sum(grad_y y))"),
}
_CLIP_BOUNDS = (1e-15, 1e-12, 1e-10, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, float(np.finfo(np.float64).eps))


def _from_clipped_output(s: Site, y: np.ndarray) -> np.ndarray:
    """Backward computed from the output ``y`` (the formula's own expression in y)."""
    g, dim = s.g, s.get("dim", -1)
    if s.formula == "sigmoid":
        return g * y * (1.0 - y)
    if s.formula == "tanh":
        return g * (1.0 - y * y)
    return y * (g - np.sum(g * y, axis=dim, keepdims=True))


def _output_clipped(s: Site, backward: bool, student_output: np.ndarray | None = None) -> Variants:
    """The output clipped to stay a bound e away from the values it approaches (np.clip(y, e, 1 - e)), and
    backward computed from the clipped output; e read from the student's own output where it shows one, else
    the bounds people write."""
    if s.formula not in _BOUNDED_OUTPUT:
        return {}
    what, limits, bounds, derivative = _BOUNDED_OUTPUT[s.formula]
    low_end = bounds(0.0)[0]
    bounds_tried = list(_CLIP_BOUNDS)
    if student_output is not None and student_output.shape == s.y.shape and np.isfinite(student_output).all():
        nearest = float(min(student_output.min() - low_end, 1.0 - student_output.max()))
        if 0.0 < nearest < 0.01:
            bounds_tried.insert(0, nearest)
    v: Variants = {}
    for e in bounds_tried:
        low, high = bounds(e)
        clipped = np.clip(s.y, low, high)
        if np.array_equal(clipped, s.y):
            continue
        value = _from_clipped_output(s, clipped) if backward else clipped
        shown = f"[{fmt_bound(low)}, {fmt_bound(high)}]"
        consequence = (
            f"the derivative {derivative}, computed from the clipped y, no longer falls towards 0: the gradient of "
            "those saturated entries is far too large"
            if backward
            else f"y is wrong by up to {e:.2g}"
        )
        v[f"output-clipped#{e:g}"] = (
            value,
            f"the output was clipped to {shown} (np.clip) so that it is never exactly {limits}: where {what} lies "
            f"within {e:.2g} of {limits} (large |x|), {consequence}. The stable formula needs no clip (it gives no "
            "nan or inf); a clip that keeps a log finite belongs where the log is taken, in the loss",
        )
    right = copy.deepcopy(s.ref).backward(s.g) if backward else s.y
    out: Variants = {}
    _new(out, {tag: item for tag, item in v.items() if not evidence.same(item[0], right)})
    return out


def fmt_bound(value: float) -> str:
    """A clip bound as code writes it: 1 - 1e-07 rather than 0.9999999."""
    for near in (1.0, -1.0):
        gap = abs(value - near)
        if 0.0 < gap < 0.01:
            return f"{'-' if near < 0 else ''}1 {'+' if near < 0 else '-'} {gap:.2g}"
    return f"{value:.2g}"


# ------------------------------------------------------------------------------- the input clipped
# An elementwise activation evaluated at np.clip(x, lo, hi) "so that exp cannot overflow", or its output capped
# (ReLU6's np.clip(x, 0, 6)): past a round bound the output stops changing. For a nondecreasing function both are
# one mistake, f(clip(x, lo, hi)) = clip(f(x), f(lo), f(hi)); the bounds are read from the student's own output.
Forward = Callable[[np.ndarray], np.ndarray]
_BISECTION_STEPS = 80
_BISECTION_RESOLUTION = 1e-9  # of the bound: two significant digits need far less


def _value_at(f: Forward, c: float) -> float:
    return float(f(np.array([[c]]))[0, 0])


def _round_bound(f: Forward, stuck: float, edge: float) -> float | None:
    """The round c (two significant digits) between 0 and ``edge`` with f(c) = ``stuck``, found by bisection: the
    clipped entries of one sign all hold f(c), and the right ones lie nearer 0 than every clipped one."""
    a, b = 0.0, edge
    fa = _value_at(f, a) - stuck
    if fa == 0.0 or np.sign(fa) == np.sign(_value_at(f, b) - stuck):
        return None  # no crossing between 0 and the nearest clipped entry
    for _ in range(_BISECTION_STEPS):
        if abs(b - a) <= _BISECTION_RESOLUTION * abs(b):
            break  # far finer than the two significant digits the bound is rounded to
        mid = 0.5 * (a + b)
        if np.sign(_value_at(f, mid) - stuck) == np.sign(fa):
            a = mid
        else:
            b = mid
    c = float(f"{0.5 * (a + b):.2g}")
    close = np.isclose(_value_at(f, c), stuck, rtol=settings.SIMULATION_RTOL, atol=settings.SAME_VALUE_ATOL)
    return c if c != 0.0 and close else None


def _sided_bounds(
    f: Forward,
    x: np.ndarray,
    right: np.ndarray,
    student: np.ndarray,
    past: Callable[[np.ndarray], np.ndarray],
    zero: bool = False,
) -> tuple[float, float] | None:
    """Per sign of x, the round bound past which ``past(wrong entries)`` (the value, or the gate, ``f`` was held at)
    is one value, or an infinite bound where no entry of that sign is wrong; with ``zero``, a value ``f`` takes at 0
    reads as the bound 0 (the usual slip for a lower bound). None when a sign's values differ or no round bound
    fits, or when neither side is bounded."""
    if student.shape != x.shape or not np.isfinite(student).all():
        return None
    wrong = ~np.isclose(student, right, rtol=settings.SIMULATION_RTOL, atol=settings.SAME_VALUE_ATOL)
    bounds = []
    for sign in (-1.0, 1.0):
        hit = wrong & (np.sign(x) == sign)
        if not hit.any():
            bounds.append(sign * np.inf)
            continue
        held = past(hit)
        if not np.allclose(held, held[0], rtol=settings.SAME_VALUE_RTOL, atol=settings.SAME_VALUE_ATOL):
            return None  # the wrong entries of one sign differ: not one value past a bound
        tolerance = {"rtol": settings.SIMULATION_RTOL, "atol": settings.SAME_VALUE_ATOL}
        if zero and np.isclose(held[0], _value_at(f, 0.0), **tolerance):
            bounds.append(0.0)
            continue
        c = _round_bound(f, float(held[0]), sign * float(np.min(np.abs(x[hit]))))
        if c is None:
            return None
        bounds.append(c)
    lo, hi = bounds
    return None if (np.isinf(lo) and np.isinf(hi)) or lo >= hi else (lo, hi)


def clip_bounds(f: Forward, x: np.ndarray, right: np.ndarray, student: np.ndarray) -> tuple[float, float] | None:
    """The bounds (lo, hi), one of them possibly infinite, of a clip np.clip(x, lo, hi) before the reference's
    forward ``f`` that gives ``student`` on ``x``; None when no round clip does."""
    bounds = _sided_bounds(f, x, right, student, lambda hit: student[hit])
    if bounds is None:
        return None
    with np.errstate(all="ignore"):
        return bounds if evidence.same(student, f(np.clip(x, *bounds))) else None


def _clip_shown(lo: float, hi: float) -> str:
    """A clip at (lo, hi), one side possibly infinite, as the range and the numpy calls that write it."""
    if np.isinf(lo):
        return f"at most {hi:g} (np.minimum(x, {hi:g}), np.clip(x, ..., {hi:g}))"
    if np.isinf(hi):
        return f"at least {lo:g} (np.maximum(x, {lo:g}), np.clip(x, {lo:g}, ...))"
    return f"[{lo:g}, {hi:g}] (np.clip(x, {lo:g}, {hi:g}))"


def clip_explained(f: Forward, lo: float, hi: float, backward: bool = False) -> tuple[str, str]:
    """The tag and sentence of a clip at (lo, hi): the output capped at the bound itself (f(c) = c, ReLU6), or the
    input clipped, the output stuck at f(c) past it."""
    finite = [c for c in (lo, hi) if np.isfinite(c)]
    shown = _clip_shown(lo, hi)
    derivative = (
        "; backward differentiates that clipped function (its saved values come from the clipped input)"
        if backward
        else ""
    )
    if all(np.isclose(_value_at(f, c), c, rtol=settings.SIMULATION_RTOL) for c in finite):
        return "output-clipped#cap", (
            f"every output whose right value lies beyond {' and '.join(f'{c:g}' for c in finite)} is that bound "
            f"itself: the output (or the input) was clipped to {shown}, a cap such as ReLU6's at 6. The function has "
            f"no such bound: past it the output keeps following the formula{derivative}"
        )
    at = " and ".join(f"f({c:g}) = {_value_at(f, c):.6g}" for c in finite)
    return "input-clipped#input", (
        f"past {' and '.join(f'x = {c:g}' for c in finite)} the output stops changing ({at} wherever x lies "
        "beyond): the input was "
        f"clipped to {shown}, 'so that exp cannot overflow', before the formula. The stable formula needs no clip "
        "(it never overflows), and the clip changes every output past the bound, where the function still moves "
        f"towards its limit{derivative}"
    )


def _input_clipped(s: Site, student_output: np.ndarray | None, backward: bool) -> Variants:
    """The activation at the input clipped to round bounds read from the student's output: its values, or
    backward's, from the clipped input (what forward saved) or with the clip's own zero slope past the bounds."""
    if s.formula not in ELEMENTWISE or student_output is None:
        return {}
    masked_after = _softplus_mask_after_clip(s, np.asarray(student_output, dtype=np.float64), backward)
    if masked_after:
        return masked_after
    f = copy.deepcopy(s.ref).forward
    with np.errstate(all="ignore"):
        bounds = clip_bounds(f, s.x, s.y, np.asarray(student_output, dtype=np.float64))
    if bounds is None:
        return {}
    tag, text = clip_explained(f, *bounds, backward=backward)
    clipped = np.clip(s.x, *bounds)
    if not backward:
        return {tag: (copy.deepcopy(s.ref).forward(clipped), text)}
    at_clipped = copy.deepcopy(s.ref)
    at_clipped.forward(clipped)
    inside = (s.x >= bounds[0]) & (s.x <= bounds[1])
    return {
        f"{tag}-saved": (at_clipped.backward(s.g), text),
        f"{tag}-masked": (copy.deepcopy(s.ref).backward(s.g) * inside, text),
    }


# Softplus with beta x clipped at the threshold, 'so that exp cannot overflow', before the identity branch's mask is
# taken from it: the clipped value is never above the threshold, so the mask is empty and the smooth formula runs
# everywhere, held at its value at the threshold past it. No clip of x before the reference's forward gives these
# numbers where the threshold is low (the reference jumps there from that value to x, so its outputs past the bound
# are not the held one), so the mistake is simulated as written; claimed only where the student's forward gives it.
def _softplus_at(z: float, beta: float) -> float:
    """Softplus's smooth formula log(1 + e^z) / beta at one z = beta x, in its stable form."""
    return (max(z, 0.0) + math.log1p(math.exp(-abs(z)))) / beta


def _softplus_mask_after_clip(s: Site, student_output: np.ndarray, backward: bool) -> Variants:
    """Softplus's smooth formula at min(beta x, threshold) for every entry, forward's output (or backward's, from the
    sigmoid of the clipped value forward saved), where the student's output is that and some beta x is past the
    threshold."""
    if s.formula != "softplus":
        return {}
    beta, threshold = float(s.get("beta", 1.0)), float(s.get("threshold", 20.0))
    if not (beta * s.x > threshold).any():
        return {}
    z = np.minimum(beta * s.x, threshold)
    smooth = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / beta
    if not evidence.same(student_output, smooth):
        return {}
    edge = threshold / beta
    text = (
        f"beta x was clipped at the threshold, np.minimum(beta * x, {threshold:g}) 'so that exp cannot overflow', "
        "before the linear branch's mask was taken from it: the clipped value is never above the threshold, so the "
        f"branch y = x never applies, and past x = {edge:g} (beta x = {threshold:g}) the output stays the smooth "
        f"formula's value there, {_softplus_at(threshold, beta):.6g}, where it is x itself. Take the mask from the "
        "unclipped beta x; the stable formula max(z, 0) + log1p(e^-|z|) needs no clip"
    )
    if not backward:
        return {"input-clipped#softplus-mask-after-clip": (smooth, text)}
    return {
        "input-clipped#softplus-mask-after-clip": (
            s.g * sigmoid(z),
            f"{text}; backward then gives the smooth branch's slope sigmoid of the clipped value, sigmoid"
            f"({threshold:g}), past the threshold, where the identity's slope is 1",
        )
    }


# A gated activation x * h(x) (SiLU's sigmoid, GELU's Phi or its tanh term) whose gate is evaluated at the input
# clipped, the factor x not: the clip that keeps exp or x^3 from overflowing given the wrong range (np.clip(x, 0,
# 10) for [-10, 10]). Past a bound the gate stops changing, so y / x is one value there; the bounds are read from
# the student's output (a bound of 0 included: the lower bound typed 0 is the usual slip) and then confirmed.
def _gate(s: Site) -> Forward | None:
    if s.formula == "silu":
        return sigmoid
    if s.formula != "gelu":
        return None
    if s.get("approximate", "none") == "tanh":
        return lambda z: 0.5 * (1.0 + np.tanh(SQRT_2_OVER_PI * (z + GELU_KAPPA * z**3)))
    return normal_cdf


def _gate_bounds(h: Forward, x: np.ndarray, right: np.ndarray, student: np.ndarray) -> tuple[float, float] | None:
    """The bounds of a clip of the gate's input alone, x * h(np.clip(x, lo, hi)), that gives ``student``."""
    bounds = _sided_bounds(h, x, right, student, lambda hit: student[hit] / x[hit], zero=True)
    if bounds is None:
        return None
    with np.errstate(all="ignore"):
        return bounds if evidence.same(student, x * h(np.clip(x, *bounds))) else None


def _gate_clipped(s: Site, student_output: np.ndarray | None, backward: bool) -> Variants:
    """x * h(clip(x, lo, hi)): the gate of a gated activation at the input clipped to bounds read from the student's
    output; backward's value from the clipped gate forward saved (the factor x kept whole)."""
    h = _gate(s)
    if h is None or student_output is None:
        return {}
    with np.errstate(all="ignore"):
        bounds = _gate_bounds(h, s.x, s.y, np.asarray(student_output, dtype=np.float64))
    if bounds is None:
        return {}
    lo, hi = bounds
    clipped = np.clip(s.x, lo, hi)
    name = {"silu": "sigmoid(x)"}.get(s.formula, "Phi(x)")
    if _tanh_gelu(s):
        name = "(1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2"
    shown = _clip_shown(lo, hi)
    past = []
    if np.isfinite(lo):
        past.append(f"every input below {lo:g}{' (every negative input)' if lo == 0 else ''} is treated as {lo:g}")
    if np.isfinite(hi):
        past.append(f"every input above {hi:g}{' (every positive input)' if hi == 0 else ''} is treated as {hi:g}")
    text = (
        f"the gate {name} was computed from x clipped to {shown}, the factor x "
        f"not: {' and '.join(past)} inside the gate (recomputed so, every entry matches). A clip that only keeps the "
        "formula from overflowing must cover both signs, symmetric around 0 (e.g. [-10, 10]), where the gate has "
        "long since reached its limits"
        + ("; backward reads the gate forward saved from the clipped input" if backward else "")
    )
    if not backward:
        return {"input-clipped#gate": (s.x * h(clipped), text)}
    saved = copy.deepcopy(s.ref)
    saved.forward(clipped)
    if not hasattr(saved, "_x"):
        return {}
    saved._x = s.x  # the factor x (and backward's own clip of it) kept whole: only the saved gate is clipped
    return {"input-clipped#gate-saved": (saved.backward(s.g), text)}


# A backward that clips the input it reads, 'so that x^2 (or exp) cannot overflow', at a bound typed short (4 for
# 40): forward is right, and past the bound the derivative's terms in x hold their value at the bound, where they
# have not yet reached their limits. Simulated at the round bounds students type, with what forward saved kept.
_BACKWARD_CLIPS = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 15.0, 20.0)


def _backward_input_clipped(s: Site, forward_out: np.ndarray | None) -> Variants:
    """Backward with the saved input ``self._x`` clipped to [-c, c] after a right forward (its other saved values
    kept): one variant per round bound c below the largest |x| that changes the derivative."""
    if s.formula not in ELEMENTWISE or forward_out is None or s.g is None or not hasattr(s.ref, "_x"):
        return {}
    if np.shape(forward_out) != s.y.shape or not evidence.same(np.asarray(forward_out, dtype=np.float64), s.y):
        return {}  # a wrong forward: the clip (if any) is before the formula, _input_clipped's case
    right = copy.deepcopy(s.ref).backward(s.g)
    limit = " (x phi(x), with phi(x) = e^{-x^2/2} / sqrt(2 pi), is 0 in float64 from |x| of about 40)" * (
        s.formula == "gelu" and not _tanh_gelu(s)
    )
    v: Variants = {}
    for c in _BACKWARD_CLIPS:
        if c >= np.max(np.abs(s.x)):
            break
        clipped = copy.deepcopy(s.ref)
        clipped._x = np.clip(s.x, -c, c)
        value = clipped.backward(s.g)
        if evidence.same(value, right):
            continue  # the derivative has reached its limits by c: this clip is harmless
        v[f"input-clipped#backward-{c:g}"] = (
            value,
            f"backward evaluated the derivative at x clipped to [-{c:g}, {c:g}] (np.clip(x, -{c:g}, {c:g})) while "
            f"forward used x itself: wherever |x| > {c:g} the derivative's terms in x hold their value at the bound. A "
            f"clip that only keeps x^2 or exp from overflowing must sit where those terms have long since reached "
            f"their limits{limit}, or be left out where nothing overflows",
        )
    return v


# ------------------------------------------------------------------------------- backward
def _sigmoid_backward(s: Site) -> Variants:
    g, x, y = s.g, s.x, s.y
    return {
        "sigmoid-derivative-of-input": (
            g * x * (1 - x),
            "the derivative y(1-y) was evaluated at the input x instead of at the output y = sigmoid(x)",
        ),
        "sigmoid-missing-factor": (g * y, "the derivative of sigmoid is y * (1 - y); the factor (1 - y) is missing"),
        "sigmoid-missing-factor#y": (g * (1 - y), "the derivative of sigmoid is y * (1 - y); the factor y is missing"),
        "derivative-at-output": (
            g * sigmoid(y) * (1 - sigmoid(y)),
            "sigmoid was applied to the saved output again: the derivative is y * (1 - y) with y the output itself",
        ),
    }


def _tanh_backward(s: Site) -> Variants:
    g, x, y = s.g, s.x, s.y
    return {
        "tanh-derivative-of-input": (g * (1 - x**2), "tanh' = 1 - y^2 uses the output y = tanh(x), not the input x"),
        "tanh-derivative-not-squared": (g * (1 - y), "tanh' = 1 - y^2: the output y must be squared"),
        "tanh-derivative-not-squared#sech": (
            g / np.cosh(x),
            "tanh' = sech^2 x = 1 / cosh^2 x (or 1 - tanh^2 x): the square of sech x = 1 / cosh x is missing",
        ),
        "derivative-at-output": (
            g * (1 - np.tanh(y) ** 2),
            "tanh was applied to the saved output again: the derivative is 1 - y^2 with y the output itself",
        ),
    }


def _relu_backward(s: Site) -> Variants:
    g, x, y = s.g, s.x, s.y
    return {
        "derivative-is-output": (
            g * y,
            "grad_y was multiplied by the output max(0, x); the derivative is 1 where x > 0 and 0 elsewhere",
        ),
        "branches-swapped": (g * (x <= 0), "the mask is inverted: the gradient passes where x > 0, not where x <= 0"),
        "mask-from-upstream": (
            g * (g > 0),
            "the mask was computed from grad_y (grad_y > 0) instead of from the input (x > 0)",
        ),
    }


def _leaky_backward(s: Site) -> Variants:
    g, x, y, a = s.g, s.x, s.y, _slopes(s)
    return {
        "negative-branch-ignored": (
            g * (x > 0),
            "the gradient for negative inputs is missing (the negative branch has a nonzero slope)",
        ),
        "branches-swapped": (
            np.where(x > 0, a * g, g),
            "the slope went to the positive inputs and 1 to the negative ones: the branches are swapped",
        ),
        "derivative-is-output": (
            g * y,
            "grad_y was multiplied by the output; the derivative is 1 where x > 0 and the slope elsewhere",
        ),
        "slope-everywhere": (a * g, "every entry was multiplied by the slope; only the entries with x <= 0 use it"),
    }


def _elu_backward(s: Site) -> Variants:
    g, x, y = s.g, s.x, s.y
    selu = s.formula == "selu"
    scale, alpha = (float(s.ref.scale) if selu else 1.0), float(s.ref.alpha)
    v: Variants = {
        "negative-branch-ignored": (
            g * scale * (x > 0),
            "the gradient for negative inputs is missing (the negative branch has a nonzero slope)",
        ),
        "derivative-is-output": (
            np.where(x > 0, scale, y) * g,
            "on the negative branch the derivative was taken as the function itself, alpha (e^x - 1); "
            "its derivative is alpha e^x (the output plus alpha)",
        ),
        "branches-swapped": (
            np.where(x > 0, scale * alpha * np.exp(np.minimum(x, 0.0)), scale) * g,
            "the negative branch's derivative alpha e^x went to x > 0 and 1 to x <= 0: the branches are swapped",
        ),
    }
    if selu:
        v["selu-missing-scale"] = (
            s.local() * g / scale,
            "backward forgot the factor scale = 1.0507009873554805 that forward applies",
        )
        for a, k, text in _selu_constants(s):
            v[f"selu-constants#{a}-{k}"] = (k * np.where(x > 0, 1.0, a * np.exp(np.minimum(x, 0.0))) * g, text)
        v["selu-constants"] = (
            np.where(x > 0, 1.0, np.exp(np.minimum(x, 0.0))) * g,
            "the derivative used ELU's alpha = 1 and no scale; SELU's is scale * (1 or alpha e^x), "
            "alpha = 1.6732632423543772, scale = 1.0507009873554805",
        )
    if selu:
        v["derivative-wrong-form#selu-elu-slope-dropped"] = (
            scale * g,
            "backward returned scale * grad_y: the factor scale is there, but ELU's derivative (1 for x > 0, alpha e^x "
            "for x <= 0) that it multiplies is missing; SELU's backward is scale times ELU's backward",
        )
    # The derivative evaluated at the output: the saved input overwritten by forward (x modified in place, out = x
    # aliasing it) or the output saved where the input belongs; y has x's sign, so only the negative branch differs.
    v["saved-output-not-input"] = (
        np.where(y > 0, scale, scale * alpha * np.exp(np.minimum(y / scale, 0.0))) * g,
        "the negative branch's slope alpha e^x was evaluated at the output y instead of the input x: what backward "
        "reads as x holds forward's result (forward wrote its output into x in place, out = x being the same array "
        "and not a copy, or saved the output where the input belongs); compute into a new array and save the input",
    )
    # The slope in the output form, y + scale * alpha for x <= 0, fed the input where y belongs: the array backward
    # reads as y was copied before forward wrote the negative branch into it, or holds the input.
    constant = "scale * alpha" if selu else "alpha"
    v["derivative-wrong-form#output-form-at-input"] = (
        np.where(x > 0, scale, x + scale * alpha) * g,
        f"backward computed the negative branch's slope in the output form, y + {constant}, but the y it read holds "
        f"the input x there (x + {constant}): the array saved as the output was copied before "
        "forward wrote the negative branch into it, or the input was saved where backward reads the output. Save "
        "the output once it is complete (or compute the slope from x)",
    )
    v.update(_alpha_in_exponent(s, g))
    if not selu and alpha != 1.0:
        v["hyperparameter-ignored#alpha"] = (
            np.where(x > 0, 1.0, np.exp(np.minimum(x, 0.0))) * g,
            f"the derivative used alpha = 1 (the default), not alpha={alpha:g}: it is alpha e^x for x <= 0",
        )
    return v


def _tanh_gelu_half_dropped(g: np.ndarray, x: np.ndarray, t: np.ndarray) -> Variants:
    """The 1/2 of x/2 (1 + tanh u) kept in one term of the product rule only: the derivative is
    (1 + tanh u)/2 + x/2 (1 - tanh^2 u) du/dx, and each term carries the 1/2."""
    du = SQRT_2_OVER_PI * (1 + 3 * GELU_KAPPA * x * x)
    first, second = 0.5 * (1 + t), 0.5 * x * (1 - t * t) * du
    right = "(1 + tanh u)/2 + x/2 (1 - tanh^2 u) du/dx: the 1/2 of x/2 (1 + tanh u) multiplies both terms"
    return {
        f"{forms.CONSTANT}#half-first": (
            g * (2 * first + second),
            f"the first term of the product rule lost its 1/2, (1 + tanh u) where (1 + tanh u)/2 belongs; the "
            f"derivative is {right}",
        ),
        f"{forms.CONSTANT}#half-second": (
            g * (first + 2 * second),
            f"the second term of the product rule lost its 1/2, x (1 - tanh^2 u) du/dx where x/2 (1 - tanh^2 u) "
            f"du/dx belongs; the derivative is {right}",
        ),
    }


def _tanh_of_saved_tanh(g: np.ndarray, x: np.ndarray, t: np.ndarray) -> Variants:
    """Tanh GELU's backward reading the saved t = tanh(u) as if it were u: tanh applied to it again, in the
    derivative 1 - tanh^2 only or in both terms of the product rule."""
    du = SQRT_2_OVER_PI * (1 + 3 * GELU_KAPPA * x * x)
    tt = np.tanh(t)
    right = "t already is tanh(u), so the derivative of tanh is 1 - t^2 and the first term (1 + t)/2"
    return {
        "derivative-at-output#tanh-of-saved-tanh": (
            g * (0.5 * (1 + t) + 0.5 * x * (1 - tt * tt) * du),
            f"the derivative of tanh was written 1 - tanh(t)^2 with t the saved value: tanh was applied twice; {right}",
        ),
        "derivative-at-output#tanh-of-saved-tanh-both": (
            g * (0.5 * (1 + tt) + 0.5 * x * (1 - tt * tt) * du),
            f"backward applied tanh again to the saved t in both terms, (1 + tanh(t))/2 and 1 - tanh(t)^2: tanh "
            f"was applied twice; {right}",
        ),
    }


def _gelu_backward(s: Site) -> Variants:
    g, x = s.g, np.clip(s.x, -10.0, 10.0)
    cdf, pdf = normal_cdf(x), normal_pdf(x)
    t = np.tanh(SQRT_2_OVER_PI * (x + GELU_KAPPA * x**3))
    tanh_local = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_KAPPA * x * x)
    if s.get("approximate", "none") == "tanh":
        return {
            "product-rule-missing": (
                g * 0.5 * (1 + t),
                "the derivative of x/2 (1 + tanh u) was taken as (1 + tanh u)/2; by the product rule it also has "
                "the term x/2 (1 - tanh^2 u) du/dx",
            ),
            **_inner_slope_terms(g, x, t),
            "chain-rule-inner-missing": (
                g * (0.5 * (1 + t) + 0.5 * x * (1 - t * t)),
                "the chain rule's inner derivative du/dx = sqrt(2/pi) (1 + 3 * 0.044715 x^2) is missing",
            ),
            "gelu-tanh-approximation": (
                g * (cdf + x * pdf),
                "approximate='tanh' was differentiated as the exact GELU (Phi + x phi); differentiate the tanh form",
            ),
            "product-rule-x-dropped": (
                g * (0.5 * (1 + t) + 0.5 * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_KAPPA * x * x)),
                _X_DROPPED.format(f="x/2 (1 + tanh u)", h="(1 + tanh u)/2", dh="(1 - tanh^2 u)/2 du/dx"),
            ),
            **_tanh_gelu_half_dropped(g, x, t),
            **_tanh_of_saved_tanh(g, x, t),
        }
    return {
        "product-rule-missing": (
            g * cdf,
            "the derivative of x * Phi(x) was taken as Phi(x); by the product rule it is Phi(x) + x * phi(x)",
        ),
        "gelu-pdf-without-x": (
            g * (cdf + pdf),
            "the derivative of x * Phi(x) is Phi(x) + x * phi(x): the factor x of the second term is missing",
        ),
        "gelu-pdf-unnormalised": (
            g * (cdf + x * np.exp(-0.5 * x * x)),
            "phi(x) = e^(-x^2/2) / sqrt(2 pi): the normalisation 1/sqrt(2 pi) is missing",
        ),
        # The exponent of the density linear in x: its square lost, or put on the exponential.
        "gelu-pdf-exponent": (
            g * (cdf + x * normal_pdf(np.zeros_like(x)) * np.exp(-x)),
            "the density phi was computed with the exponent -x, not -x^2 / 2: e^(-x/2) squared, "
            "exp(-0.5 * x) ** 2, puts the square on the exponential (it is e^(-x)), not on x; "
            "phi(x) = e^(-x^2 / 2) / sqrt(2 pi)",
        ),
        "gelu-pdf-exponent#unsquared": (
            g * (cdf + x * normal_pdf(np.zeros_like(x)) * np.exp(-0.5 * x)),
            "the density phi was computed with the exponent -x / 2: the square of x is missing; "
            "phi(x) = e^(-x^2 / 2) / sqrt(2 pi)",
        ),
        "gelu-tanh-approximation": (
            g * tanh_local,
            "the derivative of the tanh approximation was used for approximate='none'; "
            "exact GELU's derivative is Phi(x) + x * phi(x)",
        ),
    }


# u = sqrt(2/pi) (x + k x^3) differentiated term by term: du/dx = sqrt(2/pi) (1 + 3k x^2). Each wrong inner
# derivative below loses or misdifferentiates one term of that sum, (the slope, what it loses).
_INNER_SLOPES: tuple[tuple[Callable[[np.ndarray], np.ndarray], str], ...] = (
    (lambda x: 1 + GELU_KAPPA * x * x, "the 3 of d(x^3)/dx = 3x^2"),
    (lambda x: 3 * GELU_KAPPA * x * x, "the 1, the derivative of the linear term x"),
    (lambda x: np.ones_like(x), "the term 3 * 0.044715 x^2, the derivative of 0.044715 x^3"),
    (lambda x: 1 + 3 * GELU_KAPPA * x, "the square of d(x^3)/dx = 3x^2 (3x was used)"),
)


def _inner_slope_terms(g: np.ndarray, x: np.ndarray, t: np.ndarray) -> Variants:
    """Tanh GELU's backward with one term of the inner derivative du/dx lost or misdifferentiated."""
    return {
        f"gelu-tanh-inner-slope#{k}": (
            g * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * slope(x)),
            f"the inner derivative du/dx of u = sqrt(2/pi) (x + 0.044715 x^3) lost {lost}: differentiated term by "
            "term it is sqrt(2/pi) (1 + 3 * 0.044715 x^2)",
        )
        for k, (slope, lost) in enumerate(_INNER_SLOPES)
    }


def _silu_backward(s: Site) -> Variants:
    g, x = s.g, s.x
    sg = sigmoid(x)
    # s read from the sigmoid's backward in place of its saved output: backward(grad_y) gives grad_y s (1 - s), a
    # derivative where the value s belongs (and the derivative alone, s (1 - s), where grad_y is ones or it is typed).
    taken = {
        "its backward(grad_y), grad_y * s * (1 - s)": g * sg * (1 - sg),
        "its derivative s * (1 - s)": sg * (1 - sg),
    }
    value = {
        f"derivative-is-output#silu-s-from-{i}": (
            g * (d + x * d * (1 - d)),
            f"backward took s from the sigmoid's derivative, {what}, where the sigmoid's value belongs: the "
            "product rule s + x * s * (1 - s) needs s = sigmoid(x) itself, the output saved by forward (self._s)",
        )
        for i, (what, d) in enumerate(taken.items())
    }
    return {
        **value,
        "product-rule-missing": (
            g * sg,
            "the derivative of x * sigmoid(x) was taken as sigmoid(x); by the product rule it is s + x * s * (1 - s)",
        ),
        "product-rule-missing#first": (
            g * x * sg * (1 - sg),
            "the derivative of x * sigmoid(x) kept only x * s * (1 - s); the product rule adds the term s",
        ),
        "product-rule-sign": (
            g * (sg - x * sg * (1 - sg)),
            "the product rule's two terms are added, not subtracted: s + x * s * (1 - s)",
        ),
        # The factor sigmoid differentiated alone: the product rule's term s and the x of x * s' both lost.
        "product-rule-missing#sigmoid-derivative": (
            g * sg * (1 - sg),
            "that is s * (1 - s), the derivative of sigmoid(x) alone, not of the product x * sigmoid(x): by the "
            "product rule it is s + x * s * (1 - s)",
        ),
        "product-rule-x-dropped": (
            g * (sg + sg * (1 - sg)),
            _X_DROPPED.format(f="x * s(x)", h="s", dh="s (1 - s)"),
        ),
        # s + x s (1 - s) with s taken out, s (1 + x (1 - s)), and x multiplied into the bracket: s (1 + x - x s).
        "derivative-wrong-form#factored-x-lost": (
            g * sg * (1 + x - sg),
            "backward computes s (1 + x - s): the derivative s + x * s * (1 - s) factored as s (1 + x (1 - s)) lost "
            "the x of the term x * s when the bracket was multiplied out (or its parentheses were lost, "
            "1 + x * 1 - s); it is s (1 + x - x * s)",
        ),
        # The derivative of a product taken as the derivative of one factor times the other's plus 1.
        "derivative-wrong-form#sigmoid-derivative-times": (
            g * sg * (1 - sg) * (1 + x),
            "backward computes s (1 - s) (1 + x), the sigmoid's derivative s (1 - s) times (1 + x): by the product "
            "rule the derivative of x * s is s + x * s (1 - s), whose first term is s itself, not s (1 - s) "
            "(a parenthesis closed early, (s + x * s) * (1 - s), gives the same numbers)",
        ),
    }


def _output_for_input(s: Site) -> Variants:
    """y = x h(x) differentiated by the product rule, h + x h', with the output y where the input x belongs: forward
    kept both (or backward read the output's attribute), and the x of the term x h' (and of h' itself) was written
    with the array that holds y = x h. SiLU's h is sigmoid, GELU's Phi or its tanh form."""
    g, x, y = s.g, s.x, s.y
    if s.formula == "silu":
        sg = sigmoid(x)
        product = "x * s"
        terms = {"": (sg, y * sg * (1 - sg), "s + x * s * (1 - s), s = sigmoid(x)", "x * s * (1 - s)")}
    elif s.formula == "gelu" and s.get("approximate", "none") == "tanh":
        xc, yc = np.clip(x, -10.0, 10.0), np.clip(y, -10.0, 10.0)
        t = np.tanh(SQRT_2_OVER_PI * (xc + GELU_KAPPA * xc**3))

        def du(v: np.ndarray) -> np.ndarray:
            return SQRT_2_OVER_PI * (1 + 3 * GELU_KAPPA * v * v)

        product = "x/2 (1 + t)"
        right = "(1 + t)/2 + x/2 (1 - t^2) du/dx, du/dx = sqrt(2/pi) (1 + 3 * 0.044715 x^2)"
        terms = {
            "": (0.5 * (1 + t), 0.5 * yc * (1 - t * t) * du(xc), right, "x/2 (1 - t^2) du/dx"),
            "#and-slope": (0.5 * (1 + t), 0.5 * yc * (1 - t * t) * du(yc), right, "x/2 (1 - t^2) du/dx and du/dx"),
        }
    elif s.formula == "gelu":
        xc, yc = np.clip(x, -40.0, 40.0), np.clip(y, -40.0, 40.0)
        cdf = normal_cdf(xc)
        product = "x * Phi(x)"
        right = "Phi(x) + x * phi(x), phi(x) = e^(-x^2/2) / sqrt(2 pi)"
        terms = {
            "": (cdf, yc * normal_pdf(xc), right, "x * phi(x)"),
            "#and-density": (cdf, yc * normal_pdf(yc), right, "x * phi(x), in the factor x and in phi(x)"),
        }
    else:
        return {}
    return {
        f"{saved_state_mistakes.OUTPUT_FOR_INPUT}#product-rule{key}": (
            g * (first + second),
            f"backward used the output y where the input x belongs: in the product rule's term {where} the x is the "
            f"input, and yours reads y = {product}, what forward returns. The derivative is {right}, with x the "
            "input forward saved (self._x), not its output",
        )
        for key, (first, second, right, where) in terms.items()
    }


# The product rule for y = x * h(x): y' = h + x h'. Dropping the x of the second term is one
# mistake whatever h is (SiLU's sigmoid, GELU's Phi or its tanh form).
_X_DROPPED = (
    "by the product rule the derivative of {f} is {h} + x * {dh}: the factor x of the second term was dropped "
    "(it gives {h} + {dh})"
)


def _softplus_backward(s: Site) -> Variants:
    g, x, y = s.g, s.x, s.y
    beta, threshold = s.get("beta", 1.0), s.get("threshold", 20.0)
    linear = beta * x > threshold
    sb = sigmoid(beta * x)
    v: Variants = {
        "softplus-grad-times-beta": (
            np.where(linear, g, beta * g * sb),
            "the derivative was multiplied by beta; the chain rule's beta cancels the 1/beta: it is sigmoid(beta x)",
        ),
        "derivative-is-output": (
            np.where(linear, g, g * y),
            "grad_y was multiplied by the output softplus(x); the derivative of softplus is sigmoid(beta x)",
        ),
    }
    # The output where the input belongs: the slope sigmoid(beta x) evaluated at beta y (forward kept its output, or
    # saved it where backward reads the input).
    v[f"{saved_state_mistakes.OUTPUT_FOR_INPUT}#softplus-slope-at-output"] = (
        np.where(linear, g, g * sigmoid(beta * y)),
        "below the threshold the slope sigmoid(beta x) was evaluated at the output y, sigmoid(beta y): the x there is "
        "the input forward receives, not softplus(x), what it returns. Save the input (or sigmoid(beta x) itself) "
        "in forward, and read that",
    )
    # The inner Sigmoid module's backward reused for the derivative: it multiplies by the sigmoid's own slope s (1 - s)
    # where softplus's slope is s itself.
    v["derivative-wrong-form#softplus-sigmoid-slope"] = (
        np.where(linear, g, g * sb * (1.0 - sb)),
        "below the threshold grad_y was multiplied by the sigmoid's derivative s (1 - s), s = sigmoid(beta x) (what a "
        "Sigmoid module's backward gives): the derivative of softplus is the sigmoid itself, grad_y * s",
    )
    # The np.where's two branches exchanged: slope 1 below the threshold and sigmoid(beta x) past it. Where no
    # entry is past the threshold this is grad_y itself, and "returned grad_y" is then not told apart from it.
    v["branches-swapped"] = (
        np.where(linear, g * sb, g),
        "the two branches of the derivative are swapped: past the threshold (beta x > threshold, where forward is "
        "the identity) it is 1, and elsewhere sigmoid(beta x)",
    )
    if (beta * x < -threshold).any():
        v["threshold-two-sided"] = (
            np.where(np.abs(beta * x) > threshold, g, g * sb),
            _TWO_SIDED.format(what="the derivative is 1 (that of x)"),
        )
    if linear.any():
        v["softplus-threshold-ignored-in-backward"] = (
            g * sb,
            "past the threshold (beta x > threshold) forward is the identity, so the derivative there is 1, "
            "not sigmoid(beta x)",
        )
    if beta != 1.0:
        v["softplus-threshold-on-x"] = (
            np.where(x > threshold, g, g * sb),
            f"the threshold was compared with x; PyTorch compares it with beta * x (beta = {beta:g})",
        )
        v["hyperparameter-inverted#softplus-smooth-branch"] = (
            np.where(linear, g, g * sigmoid(x / beta)),
            _BETA_AS_TEMPERATURE.format(beta=beta, what="below the threshold the derivative is sigmoid(x / beta)"),
        )
        v["softplus-beta-missing"] = (
            np.where(linear, g, g * sigmoid(x)),
            f"the derivative is sigmoid(beta x), with beta = {beta:g}; sigmoid(x) was used",
        )
        # Forward's 1/beta carried into the derivative: d/dx log(1 + e^(beta x)) / beta = sigmoid(beta x) beta / beta.
        v["softplus-grad-divided-by-beta"] = (
            np.where(linear, g, g * sb / beta),
            f"the derivative was divided by beta = {beta:g}, as forward divides log(1 + e^(beta x)) by beta; but the "
            "chain rule's inner derivative d(beta x)/dx = beta cancels that 1/beta, so the derivative is sigmoid(beta "
            "x) alone",
        )
    return v


def _axes_other_than(s: Site, single: bool = False) -> list[int]:
    """The axes a sum along ``dim`` may run along by mistake; with ``single`` also those of length 1,
    where the sum is the identity and the mistake looks like the diagonal-only one (a batch of 1)."""
    dim = s.get("dim", -1) % s.x.ndim
    return [a for a in range(s.x.ndim) if a != dim and (single or s.x.shape[a] > 1) and s.x.shape[dim] > 1]


def _softmax_backward(s: Site) -> Variants:
    g, y, dim = s.g, s.y, s.get("dim", -1)
    v: Variants = {
        "softmax-diagonal-only": (
            g * y * (1 - y),
            "only the diagonal of the softmax Jacobian was used; "
            "every output depends on every input: grad_x = y * (g - sum(g * y))",
        ),
        "softmax-sum-term-missing": (
            g * y,
            "the term -y * sum(g * y) is missing: grad_x = y * (g - sum(g * y, dim))",
        ),
        "softmax-sum-missing-y": (
            y * (g - g.sum(axis=dim, keepdims=True)),
            "inside the sum grad_y must be weighted by y: grad_x = y * (g - sum(g * y, dim))",
        ),
        "softmax-logsoftmax-formula": (
            g - y * g.sum(axis=dim, keepdims=True),
            "that is log-softmax's backward (g - y * sum(g)); softmax's is y * (g - sum(g * y))",
        ),
        # The two factors of the product traded places: grad_y multiplies the bracket that holds y.
        "jacobian-term-wrong#softmax-factors-swapped": (
            g * (y - (g * y).sum(axis=dim, keepdims=True)),
            "backward computed grad_y * (y - sum(grad_y * y)): grad_y and y traded places, so grad_y multiplies the "
            "bracket and y stands alone in it; the probability y multiplies the bracket, grad_x = y * (grad_y - "
            "sum(grad_y * y, dim)) (the Jacobian diag(y) - y y^T applied to grad_y)",
        ),
    }
    # Forward saved the exponentials e = exp(x - max) (or exp(x)) for backward and returned e / sum(e): the output is
    # right, but backward's y is not normalised, so the Jacobian diag(y) - y y^T is built from numbers that do not
    # sum to 1 along dim.
    for name, e in (("e^(x - max x)", np.exp(s.x - s.x.max(axis=dim, keepdims=True))), ("e^x", np.exp(s.x))):
        v[f"softmax-not-normalised#saved-{name}"] = (
            e * (g - (g * e).sum(axis=dim, keepdims=True)),
            f"backward used the exponentials {name} without dividing by their sum: forward returns the normalised "
            f"probabilities but saved (or recomputed) {name} before the division, and the Jacobian needs y = "
            f"softmax(x) itself, which sums to 1 along dim={dim}; save y = {name} / sum({name}, dim) (what forward "
            "returns), grad_x = y * (grad_y - sum(grad_y * y, dim))",
        )
    for other in _axes_other_than(s, single=True):
        v[f"softmax-backward-wrong-axis#{other}"] = (
            y * (g - (g * y).sum(axis=other, keepdims=True)),
            f"the sum of grad_y * y ran along axis {other}; it runs along dim={dim}, the axis forward normalises",
        )
    if _axes_other_than(s):
        v["reduction-over-whole-array"] = (
            y * (g - (g * y).sum()),
            _WHOLE_ARRAY.format(what="sum(grad_y * y)", jacobian="diag(y) - y y^T", dim=dim),
        )
    v.update(_outer_term_wrong(g, y, dim))
    v.update(_axis_not_moved_back(s, y * (g - (g * y).sum(axis=dim, keepdims=True)), "the input gradient"))
    return v


def _outer_term_wrong(g: np.ndarray, y: np.ndarray, dim: int) -> Variants:
    """Softmax's Jacobian diag(y) - y y^T built per slice with the outer product y y^T written as something else:
    np.dot(y, y) (the scalar sum of y^2, broadcast to every entry), or y * y (a vector, broadcast along the rows of
    the matrix, so entry (i, j) is y_j^2), applied as J @ g or g @ J."""
    ss = (y * y).sum(axis=dim, keepdims=True)
    right = "the Jacobian is diag(y) - np.outer(y, y), entry (i, j) y_i (delta_ij - y_j)"
    return {
        "jacobian-term-wrong#outer-as-dot": (
            y * g - ss * g.sum(axis=dim, keepdims=True),
            f"the Jacobian's outer product y y^T was written np.dot(y, y) (or y @ y), which for a vector is the "
            f"scalar sum of y^2: every entry of the matrix lost y_i y_j and got -sum(y^2) instead; {right}",
        ),
        "jacobian-term-wrong#outer-as-square-rows": (
            y * g - (y * y * g).sum(axis=dim, keepdims=True),
            f"the Jacobian's outer product y y^T was written y * y (or y ** 2), a vector, which broadcasts along the "
            f"rows of diag(y): entry (i, j) became y_i delta_ij - y_j^2; {right}",
        ),
        "jacobian-term-wrong#outer-as-square-columns": (
            y * g - y * y * g.sum(axis=dim, keepdims=True),
            f"the Jacobian's outer product y y^T was written y * y (or y ** 2), a vector, which broadcasts along the "
            f"rows of diag(y), and the matrix was applied as grad_y @ J: entry (i, j) became y_i delta_ij - y_i^2; "
            f"{right}",
        ),
    }


_WHOLE_ARRAY = (
    "the {what} ran over the whole array (no axis; one Jacobian {jacobian} of the flattened batch), so every "
    "entry's gradient mixes in the other samples' values; the Jacobian couples the entries of each slice along "
    "dim={dim} only: sum along dim, separately for each sample"
)


def _logsoftmax_backward(s: Site) -> Variants:
    g, y, dim = s.g, s.y, s.get("dim", -1)
    p = np.exp(y)
    v: Variants = {
        "logsoftmax-diagonal-only": (
            g * (1 - p),
            "only the diagonal of the Jacobian was used: grad_x = g - softmax(x) * sum(g)",
        ),
        "logsoftmax-sum-dropped": (
            g - p,
            "grad_x = grad_y - p drops the factor sum(grad_y, dim): that is right only when grad_y sums to 1 along "
            "dim (cross-entropy's upstream gradient); in general grad_x = grad_y - p * sum(grad_y, dim)",
        ),
        "logsoftmax-sum-term-missing": (
            g.copy(),
            "the term -softmax(x) * sum(g, dim) is missing: grad_x = g - softmax(x) * sum(g, dim)",
        ),
        "logsoftmax-used-log-probabilities": (
            g - y * g.sum(axis=dim, keepdims=True),
            "the saved log-probabilities were used where the probabilities p = exp(y) belong: g - p * sum(g)",
        ),
        "logsoftmax-softmax-formula": (
            p * (g - (g * p).sum(axis=dim, keepdims=True)),
            "that is softmax's backward; log-softmax's is g - softmax(x) * sum(g, dim)",
        ),
        # Brackets around the difference: the sum multiplies grad_y as well as p.
        "operator-precedence#logsoftmax-difference-bracketed": (
            (g - p) * g.sum(axis=dim, keepdims=True),
            "the parentheses enclose the difference, (grad_y - p) * sum(grad_y, dim), so the sum multiplies grad_y "
            "too: only p is multiplied by it, grad_x = grad_y - p * sum(grad_y, dim)",
        ),
    }
    # The exponentials without their normalisation (e^x, or the stable e^(x - max)) where p = e^x / sum e^x belongs.
    total = g.sum(axis=dim, keepdims=True)
    for name, e in (("e^x", np.exp(s.x)), ("e^(x - max x)", np.exp(s.x - s.x.max(axis=dim, keepdims=True)))):
        v[f"logsoftmax-saved-unnormalised#{name}"] = (
            g - e * total,
            f"backward used the exponentials {name} without dividing by their sum: the Jacobian needs the "
            f"probabilities p = softmax(x) = exp(y), which sum to 1 along dim={dim}; grad_x = g - p * sum(g, dim)",
        )
    if _axes_other_than(s):
        v["reduction-over-whole-array"] = (
            g - p * g.sum(),
            _WHOLE_ARRAY.format(what="sum(grad_y)", jacobian="I - 1 p^T", dim=dim),
        )
        # The probabilities saved for backward normalised over the whole array, e / e.sum() with no axis: forward's
        # output stays right (it normalises along dim), backward's p sums to 1 over the whole batch, not per slice.
        shifted = s.x - s.x.max(axis=dim, keepdims=True)
        for name, e in (("e^(x - max x)", np.exp(shifted)), ("e^x", np.exp(s.x - s.x.max()))):
            v[f"reduction-over-whole-array#saved-p-{name}"] = (
                g - e / e.sum() * total,
                f"the probabilities backward used, p = {name} / sum({name}), were normalised over the whole array "
                f"(a sum with no axis), so they sum to 1 over the whole array, not along dim={dim}: softmax "
                f"normalises each slice along dim={dim} separately, p = exp(y) or {name} / sum({name}, axis=dim, "
                "keepdims=True); grad_x = grad_y - p * sum(grad_y, dim)",
            )
    for other in _axes_other_than(s, single=True):
        v[f"softmax-backward-wrong-axis#{other}"] = (
            g - p * g.sum(axis=other, keepdims=True),
            f"the sum of grad_y ran along axis {other}; it runs along dim={dim}, the axis forward normalises",
        )
    v.update(_axis_not_moved_back(s, g - p * total, "the input gradient"))
    return v


def _prelu_weight(s: Site) -> Variants:
    g, x, y = s.g, s.x, s.y
    a = s.params["weight"]
    axes = tuple(i for i in range(x.ndim) if i != 1) if a.size > 1 else tuple(range(x.ndim))
    negative = x <= 0

    def total(values: np.ndarray) -> np.ndarray:
        return values.sum(axis=axes).reshape(a.shape)

    right = total(np.where(negative, g * x, 0.0))
    v: Variants = {
        "prelu-grad-mean-not-sum": (
            right / (x.size // a.size),
            "the slope's gradient was averaged; a shared parameter *sums* the gradient of every entry it is used for",
        ),
        "prelu-grad-all-entries": (
            total(g * x),
            "the slope's gradient summed grad_y * x over every entry; only the entries with x <= 0 use the slope "
            "(for x > 0 the output is x, whatever the slope)",
        ),
        "prelu-grad-without-x": (
            total(np.where(negative, g, 0.0)),
            "dy/da = x on the negative branch (y = a x): the factor x is missing",
        ),
        "prelu-grad-without-x#slope": (
            total(np.where(negative, g * np.broadcast_to(_slopes(s), x.shape), 0.0)),
            "the slope's gradient summed grad_y * a: that is dy/dx = a, the derivative with respect to the input; "
            "the slope's gradient needs dy/da = x on the negative branch (y = a x), so it sums grad_y * x there",
        ),
        "branches-swapped": (
            total(np.where(negative, 0.0, g * x)),
            "the slope's gradient summed grad_y * x over the entries with x > 0, the wrong branch: the slope acts "
            "only on the entries with x <= 0 (y = a x there; for x > 0, y = x whatever the slope)",
        ),
        "prelu-grad-used-output": (
            total(np.where(negative, g * y, 0.0)),
            "the output y = a x was used where the input belongs: dy/da = x",
        ),
        "ignores-upstream-gradient#slope": (
            total(np.where(negative, x, 0.0)),
            "the slope's gradient summed x over the entries with x <= 0 without grad_y: dy/da = x is the local "
            "derivative, and the chain rule multiplies it by the upstream gradient, so sum grad_y * x there",
        ),
    }
    if a.size > 1:
        v.update(_slope_grad_on_another_axis(s, np.where(negative, g * x, 0.0)))
        v["prelu-grad-wrong-axes"] = (
            np.full(a.shape, right.sum()),
            "every channel's slope got the gradient summed over all channels; slope i collects only the entries "
            "of channel i (sum over every axis but axis 1)",
        )
    if a.size > 1 and x.size // a.size > 1:
        # reshape(C, -1) of an (N, C, ...) array cuts memory into C consecutive blocks, not one per channel.
        v["reshape-not-transpose#channels-first"] = (
            np.where(negative, g * x, 0.0).reshape(a.size, -1).sum(axis=1).reshape(a.shape),
            f"the slope's gradient was summed along the rows of a reshape({a.size}, -1) of grad_y * x: a reshape "
            "keeps the entries in memory order, where the batch axis 0 comes first, so each row of it is a run of "
            f"consecutive entries that mixes channels (and samples), not one channel; sum over every axis but axis "
            f"1, sum(axis={(0, *range(2, x.ndim))}), or move the channels first before the reshape, "
            f"np.moveaxis(..., 1, 0).reshape({a.size}, -1).sum(axis=1)",
        )
    if a.size > 1 and x.ndim > 2:  # (N, C) reshapes to (-1, C) rightly; with more axes the channel is axis 1
        v["reshape-not-transpose"] = (
            np.where(negative, g * x, 0.0).reshape(-1, a.size).sum(axis=0).reshape(a.shape),
            f"the slope's gradient was summed over the rows of a reshape(-1, {a.size}) of grad_y * x: a reshape keeps "
            "the entries in memory order, and the channels are axis 1, not the last axis, so each column of it "
            "mixes entries of different channels; sum over every axis but axis 1, "
            f"sum(axis={(0, *range(2, x.ndim))}), or move the channels last first, "
            f"np.moveaxis(..., 1, -1).reshape(-1, {a.size})",
        )
    return v


def _slope_grad_on_another_axis(s: Site, contribution: np.ndarray) -> Variants:
    """PReLU's slope c collecting the entries of index c on another axis than the channel axis 1: the last axis
    (contribution[..., c], the channels-last habit, right for (N, C) alone) or the batch axis (contribution[c], as
    if the array had no batch axis). A loop over the channels gives the first C sums of that axis (and fails where
    it has fewer than C entries); a sum over every axis but that one gives the same numbers where it has C."""
    a = s.params["weight"]
    C, ndim = a.size, s.x.ndim
    right = (0, *range(2, ndim))
    v: Variants = {}
    for axis in sorted({0, ndim - 1} - {1}):
        if s.x.shape[axis] < C:
            continue
        others = tuple(k for k in range(ndim) if k != axis)
        value = contribution.sum(axis=others)[:C].reshape(a.shape)
        if axis == 0:
            v["prelu-grad-wrong-axes#batch-axis"] = (
                value,
                "slope c's gradient summed the contributions grad_y * x of sample c, contribution[c] (axis 0, the "
                "batch), not of channel c: the first index of an (N, C, ...) array is the batch; channel c is axis "
                f"1, contribution[:, c].sum(), or for every slope at once the sum over every axis but axis 1, {right}",
            )
            continue
        v["channels-last-layout#slope-grad-last-axis"] = (
            value,
            f"slope c's gradient summed the contributions grad_y * x at index c of the last axis, contribution[..., "
            f"c] (axis {axis}): the channel axis of the channels-last layout (TensorFlow's, (N, H, W, C)). Here "
            "inputs are channels first, (N, C, ...), so channel c is axis 1 whatever the number of axes "
            "((N, C) is the one shape where it is also the last): contribution[:, c].sum(), or for every slope "
            f"at once the sum over every axis but axis 1, {right} here, (0, *range(2, x.ndim)) for any input",
        )
    return v


def _slope_loop_on_channels(s: Site) -> dict[str, Variants]:
    """PReLU's backward as a loop over the slopes that takes slope c's entries as channel c, x[:, c]: right for one
    slope per channel, but a shared slope (num_parameters = 1) then reaches channel 0 alone, and the other channels'
    entries with x <= 0 keep grad_y in grad_x and add nothing to the slope's gradient. Per quantity."""
    a = s.params["weight"]
    if a.size != 1 or s.x.ndim < 2 or s.x.shape[1] < 2:
        return {}
    reached = np.zeros(s.x.shape, dtype=bool)
    reached[:, 0] = True
    negative = (s.x <= 0) & reached
    text = (
        "backward loops over the slopes (for c in range(num_parameters), or enumerate(weight)) and takes the entries "
        "of slope c as channel c, x[:, c]: with one shared slope (num_parameters = 1) that is channel 0 alone, so "
        f"the entries with x <= 0 of the other {s.x.shape[1] - 1} channels along axis 1 keep grad_y in grad_x and add "
        "nothing to the slope's gradient. A shared slope is used by every entry: grad_x is slope * grad_y at every "
        "entry with x <= 0, and the slope's gradient sums grad_y * x over all of them"
    )
    tag = "entries-skipped#prelu-shared-slope-first-channel"
    return {
        "input": {tag: (np.where(negative, float(a.flat[0]) * s.g, s.g), text)},
        "weight": {tag: (np.where(negative, s.g * s.x, 0.0).sum().reshape(a.shape), text)},
    }


_EVERY_PIECE = "every piece received grad_y; only the winning (maximal) piece of each unit gets it"
_WRONG_PIECE = "grad_y went to the smallest piece of each unit, not to the winning (largest) one"
# The bias gradient summed over the pieces as well as the batch, grad_z.sum(axis=(0, 1)), and grad_y.sum(axis=0) (a
# Linear layer's bias gradient) are one sum, grad_y being grad_z summed over the pieces: every piece's bias gets
# the same numbers as when grad_y goes to every piece. No input tells these apart, so the sentence names them all;
# grad_y sent to every piece also moves grad_x and the weight gradient, which rank first in the row then.
_BIAS_OVER_PIECES = (
    "every piece's bias got grad_y summed over the whole batch, whichever piece won: the bias gradient was summed "
    "over the pieces as well as over the batch, grad_z.sum(axis=(0, 1)), or taken as grad_y.sum(axis=0) as for a "
    "Linear layer; the two give the same numbers (grad_y is grad_z summed over the pieces), as grad_y sent to every "
    "piece does. Each piece has its own bias, which gets only the gradient of the samples where it won: "
    "grad_z.sum(axis=0), over the batch axis only"
)


def _winner_mask(what: str, right: str) -> str:
    """Maxout's backward built from the winner mask alone: which piece won, not how much gradient it gets."""
    gradient = what if what.startswith("grad") else f"the {what} gradient"
    return (
        f"{gradient} was built from the 0/1 mask of the winning pieces where grad_z belongs: the mask only says "
        "which piece receives the gradient; what it receives is the upstream gradient grad_y (grad_z = grad_y "
        f"where the piece won, 0 elsewhere), and the chain rule multiplies by it: {right}"
    )


def _maxout_backward(s: Site) -> dict[str, Variants]:
    g, x = s.g, s.x
    w, b = s.params["weight"], s.params["bias"]
    z = np.einsum("nd,kjd->nkj", x, w) + b
    loser = np.argmin(z, axis=1)[:, None, :] == np.arange(w.shape[0])[None, :, None]
    grad_z = np.where(loser, g[:, None, :], 0.0)
    # The 0/1 winner mask used where grad_z (the mask times grad_y) belongs: the chain rule without grad_y.
    won = (np.argmax(z, axis=1)[:, None, :] == np.arange(w.shape[0])[None, :, None]).astype(np.float64)
    chosen: dict[str, Variants] = {"input": {}, "weight": {}, "bias": {}}
    # A running maximum started at 0 keeps the winner index's start, piece 0, where every piece is negative.
    from_zero = np.where(z.max(axis=1) > 0, np.argmax(z, axis=1), 0)
    for tag, (winner, text) in {**_maxout_winners(z), "max-initialised-at-zero": (from_zero, _MAX_FROM_ZERO)}.items():
        routed = np.where(winner[:, None, :] == np.arange(w.shape[0])[None, :, None], g[:, None, :], 0.0)
        chosen["input"][tag] = (np.einsum("nkj,kjd->nd", routed, w), text)
        chosen["weight"][tag] = (np.einsum("nkj,nd->kjd", routed, x), text)
        chosen["bias"][tag] = (routed.sum(axis=0), text)
    return {
        "input": {
            **chosen["input"],
            "maxout-grad-to-every-piece": (np.einsum("nj,kjd->nd", g, w), _EVERY_PIECE),
            "maxout-grad-to-wrong-piece": (np.einsum("nkj,kjd->nd", grad_z, w), _WRONG_PIECE),
            "ignores-upstream-gradient": (np.einsum("nkj,kjd->nd", won, w), _winner_mask("grad_x", "grad_z @ W")),
            **_fixed_piece(g, w),
        },
        "weight": {
            **chosen["weight"],
            "maxout-grad-to-every-piece": (np.broadcast_to(g.T @ x, w.shape), _EVERY_PIECE),
            "maxout-grad-to-wrong-piece": (np.einsum("nkj,nd->kjd", grad_z, x), _WRONG_PIECE),
            "ignores-upstream-gradient": (np.einsum("nkj,nd->kjd", won, x), _winner_mask("weight", "grad_z^T x")),
            **_over_pieces(g[:, :, None] * x[:, None, :], w.shape, "weight"),
            **_fixed_piece_parameter(g.T @ x, w.shape[0], "weight", "grad_y^T x"),
        },
        "bias": {
            **chosen["bias"],
            "maxout-grad-to-wrong-piece": (grad_z.sum(axis=0), _WRONG_PIECE),
            "ignores-upstream-gradient": (won.sum(axis=0), _winner_mask("bias", "the sum of grad_z over the batch")),
            **_over_pieces(g, w.shape[:2], "bias"),
            **_fixed_piece_parameter(g.sum(axis=0), w.shape[0], "bias", "grad_y.sum(axis=0)"),
            # Last, so that its sentence is the one kept where _over_pieces gives the same numbers (a batch of 1).
            "gradient-summed-over-wrong-axes#pieces-and-batch": (
                np.broadcast_to(g.sum(axis=0), w.shape[:2]).copy(),
                _BIAS_OVER_PIECES,
            ),
        },
    }


def _fixed_piece(g: np.ndarray, w: np.ndarray) -> Variants:
    """grad_x sent back through one piece's weights for every unit, grad_y @ weight[k], whichever piece won (the
    first piece, weight[0], or the last, weight[-1], as a Linear layer's grad_y @ W would be written): the
    argmax that forward found is not used. One variant per piece; with one piece it is the right gradient."""
    pieces = w.shape[0]
    if pieces < 2:
        return {}
    return {
        f"formula-wrong#maxout-fixed-piece-{k}": (
            g @ w[k],
            f"grad_x went back through piece {k}'s weights for every unit, grad_y @ weight[{k}], whichever piece "
            "won: each unit's output is the piece that won it (the argmax over the pieces), so its gradient flows "
            "back through that piece's weights only, grad_x = sum_k grad_z[:, k] @ weight[k] with grad_z[:, k] = "
            "grad_y where piece k won and 0 elsewhere",
        )
        for k in range(pieces)
    }


def _fixed_piece_parameter(whole: np.ndarray, pieces: int, name: str, spelled: str) -> Variants:
    """A parameter's gradient given whole to one piece, ``whole`` (grad_y's share of every sample) in piece k and
    zeros in the others, whichever piece won: the parameter analogue of :func:`_fixed_piece`."""
    found: Variants = {}
    for k in range(pieces if pieces > 1 else 0):
        value = np.zeros((pieces, *whole.shape))
        value[k] = whole
        found[f"formula-wrong#maxout-fixed-piece-{k}"] = (
            value,
            f"the {name} gradient went whole to piece {k}, {spelled} in {name}[{k}] and zeros in the other pieces, "
            "whichever piece won: each sample's gradient belongs to the piece that won its unit (the argmax over "
            "the pieces), so piece k gets grad_z[:, k] = grad_y where it won and 0 elsewhere",
        )
    return found


def _over_pieces(per_sample: np.ndarray, shape: tuple[int, ...], name: str) -> Variants:
    """A parameter's per-sample gradient (N, K, ...) summed over the pieces, axis 1, where the batch, axis 0,
    belongs: ``per_sample`` is that sum (each unit has one winner, so it is grad_y's share alone), which fits
    the parameter's shape (K, ...) only when N is 1 (broadcast) or K."""
    if per_sample.shape[0] not in (1, shape[0]):
        return {}
    return {
        "gradient-summed-over-wrong-axes": (
            np.broadcast_to(per_sample, shape).copy(),
            f"the {name} gradient was summed over axis 1, the pieces, which keeps one row per sample; a parameter's "
            "gradient sums over the batch, axis 0, leaving one entry per piece and output",
        )
    }


def _identity_backward(s: Site) -> Variants:
    return {
        "identity-derivative-zero": (
            np.zeros_like(s.g),
            "backward returned zeros, as if the derivative of y = x were 0; it is 1, so grad_x = grad_y",
        ),
        # The function's value taken as its derivative, the habit of the sigmoid and tanh, whose backward
        # multiplies by a function of the output they saved: for y = x that value is x, saved as input or output.
        "derivative-is-output": (
            s.g * s.y,
            "backward multiplied grad_y by the output y = x (the value forward saved, as the sigmoid and tanh save "
            "theirs; the saved input is the same array here): the function's value taken as its derivative. The "
            "derivative of y = x is 1, not x, so backward returns the upstream gradient itself, grad_x = grad_y",
        ),
        # Forward's body (return x, or the input it saved) carried into backward.
        "copy-paste#forward-value": (
            s.x.copy(),
            "backward returned the input x (forward's value, or the input forward saved), not a gradient: "
            "forward's body was carried into backward. The derivative of y = x is 1, so backward returns the "
            "upstream gradient itself, grad_x = grad_y",
        ),
    }


ELEMENTWISE_BACKWARD: dict[str, Callable[[Site], Variants]] = {
    "identity": _identity_backward,
    "sigmoid": _sigmoid_backward,
    "tanh": _tanh_backward,
    "relu": _relu_backward,
    "leaky-relu": _leaky_backward,
    "prelu": _leaky_backward,
    "elu": _elu_backward,
    "selu": _elu_backward,
    "gelu": _gelu_backward,
    "silu": _silu_backward,
    "softplus": _softplus_backward,
    "softmax": _softmax_backward,
    "log-softmax": _logsoftmax_backward,
}

# The activations whose backward selects the x > 0 branch with a mask saved in forward.
MASKED = ("relu", "leaky-relu", "prelu", "elu")

# What sets the slope of the x <= 0 branch, per formula: ("argument", a constructor argument) or ("parameter", a
# parameter). Made negative, it gives positive outputs for x < 0: the sign of y then no longer tells the branches
# apart, which is the experiment that shows a backward choosing its branch from the output.
NEGATIVE_BRANCH_SLOPE: dict[str, tuple[str, str]] = {
    "leaky-relu": ("argument", "negative_slope"),
    "prelu": ("parameter", "weight"),
    "elu": ("argument", "alpha"),
}
FLIPPED_SLOPE = -0.5  # the slope the experiment gives the x <= 0 branch


def branch_from_output(setting: str) -> str:
    """The mistake a backward shows that takes the x > 0 branch at x = 0 and, with the x <= 0 branch's slope set
    negative (``setting``, "a = -0.5"), at every x < 0 as well, while forward stays right."""
    return (
        f"with {setting}, forward is right but backward gives every entry with x < 0 the derivative 1 of the x > 0 "
        "branch: it chooses the branch from the sign of the saved output y (y < 0, or y >= 0), which is the sign of "
        "x only while the slope is positive. At x = 0 the output is 0 whatever the branch, and a slope of 0 or "
        "below puts negative inputs on the other side of the test. Choose the branch from the input, x > 0 (x <= 0 "
        "takes the slope, 0 included, as in PyTorch)"
    )


def _mask_always_true(s: Site, saved: Mapping[str, Any], forward_out: np.ndarray | None) -> Variants:
    """A boolean array of x's shape saved in forward that is true everywhere, though x has entries <= 0:
    the mask lets every entry take the x > 0 branch (derivative 1).

    What forward returned tells where the mask came from. A right output means the mask was taken
    beside it, from the output y = f(x) with y >= 0 (ReLU's is never negative). An output that passed
    the negative entries through unchanged means forward selected with the mask itself: its test holds
    for negative x too, as x != 0 and x.astype(bool) do (true for every non-zero entry)."""
    masks = [
        name
        for name, value in saved.items()
        if isinstance(value, np.ndarray) and value.dtype == bool and value.shape == s.x.shape and value.all()
    ]
    if not masks or not (s.x <= 0).any() or forward_out is None:
        return {}
    negative = s.x < 0
    if evidence.same(forward_out, s.y):
        return {
            "mask-from-output": (
                s.g.copy(),
                f"the mask forward saved, `{masks[0]}`, is true everywhere, also where x <= 0, while forward's "
                "output is right, so every entry gets the gradient of the x > 0 branch: a mask taken from the "
                "output (y >= 0 holds for every y = max(x, 0)) or with a test that always holds; take it from "
                "the input, x > 0",
            )
        }
    if negative.any() and forward_out.shape == s.x.shape and np.array_equal(forward_out[negative], s.x[negative]):
        return {
            "nonzero-for-positive": (
                s.g.copy(),
                f"the mask forward saved, `{masks[0]}`, is true for the negative entries of x too, and forward "
                "returned those entries unchanged: the mask tests 'non-zero', not 'positive' (x != 0 and "
                "x.astype(bool) are true for every non-zero entry, -3 included); the x > 0 branch needs x > 0",
            )
        }
    return {}


def _saved_clipped_input(s: Site, saved: Mapping[str, Any]) -> Variants:
    """The stable form's clamp min(x, 0), which only the exponential branch needs, saved in place of the input:
    backward then sees no positive input and gives every x > 0 the x <= 0 branch's slope at 0. What forward saved
    shows it (an array of x's shape that is min(x, 0) while x has positive entries); the numbers alone are those
    of a constant on both branches."""
    if s.formula not in CLAMPED or not (s.x > 0).any():
        return {}
    clipped = np.minimum(s.x, 0.0)
    names = [
        name
        for name, value in saved.items()
        if isinstance(value, np.ndarray) and value.shape == s.x.shape and evidence.same(value, clipped)
    ]
    if not names:
        return {}
    reference = copy.deepcopy(s.ref)
    with np.errstate(all="ignore"):
        reference.forward(clipped)
        value = reference.backward(s.g)
    return {
        "forward-backward-mismatch#saved-clipped-input": (
            value,
            f"forward saved min(x, 0), the clamped value the exponential branch needs, as `{names[0]}` in place of "
            "the input x: backward never sees a positive input and gives every x > 0 the slope of the x <= 0 "
            "branch at 0 instead of that of the x > 0 branch. Save the input itself and clamp only inside the "
            "exponential",
        )
    }


# Step's derivative is 0 and softmax's backward of ones is 0: "forgot grad_y" is not a distinct mistake there.
NO_UPSTREAM_VARIANT = ("step", "softmax")


def backward_variants(
    component: Component,
    case: Case,
    twin: Any,
    x: np.ndarray,
    g: np.ndarray,
    saved: Callable[[], Mapping[str, Any]] | None = None,
    forward_out: np.ndarray | None = None,
) -> dict[str, Variants]:
    """What a known buggy backward of this activation returns, per quantity ("input", a parameter);
    ``saved`` reads what the student's forward saved (a mask that lets everything through), and
    ``forward_out`` is what that forward returned (it tells where the mask came from)."""
    formula = component.formula
    s = _site(component, case, twin, x, g)
    if formula == "maxout":
        pieces = _maxout_backward(s)
        for quantity, extra in _bias_after_max(s, g).items():
            _new(pieces[quantity], extra)
        for quantity, extra in _maxout_flat_layouts(s, g).items():
            _new(pieces[quantity], extra)
        for quantity, extra in _maxout_routing_reshaped(s, g).items():
            _new(pieces[quantity], extra)
        return _saved_otherwise(s, saved, forward_out, pieces)
    v: dict[str, Variants] = {"input": {}}
    if formula in MASKED and saved is not None:
        v["input"].update(_mask_always_true(s, saved(), forward_out))
    if formula in CLAMPED and saved is not None:
        v["input"].update(_saved_clipped_input(s, saved()))
    if formula not in NO_UPSTREAM_VARIANT:
        v["input"]["ignores-upstream-gradient"] = (
            s.local(),
            "backward returned the local derivative alone: "
            "the chain rule multiplies it by the upstream gradient grad_y",
        )
    make = ELEMENTWISE_BACKWARD.get(formula)
    if make is not None:
        with np.errstate(all="ignore"):
            v["input"].update(make(s))
    if formula in BRANCH_FORMULAS:
        for tag, value in _branch_value_as_derivative(s).items():
            v["input"].setdefault(tag, value)
    with np.errstate(all="ignore"):
        _new(v["input"], _output_for_input(s))
        forms.merge(v["input"], _backward_classes(s))
        forms.merge(v["input"], _reduction_for_clamp(s, g))
        forms.merge(v["input"], _regrouped_backward(s))  # after the classes: a formula they name keeps its name
        _new(v["input"], misread_backward(s))
        _new(v["input"], _input_clipped(s, forward_out, backward=True))  # (a round input bound before the output's)
        _new(v["input"], _backward_input_clipped(s, forward_out))
        _new(v["input"], _gate_clipped(s, forward_out, backward=True))
        _new(v["input"], _output_clipped(s, True, forward_out))
        if _tanh_gelu(s):  # a constant typed as another number, read from forward's output
            _new(v["input"], forms.gelu_tanh_typed(s.x, s.g, forward_out))
        if formula == "selu":
            _new(v["input"], _selu_typed(s, s.g, forward_out))
    if formula in BRANCH_FORMULAS:
        # Added as they are, not merged: where one gives what a listed mistake gives, the case names neither.
        v["input"].update(_boolean_index(s))
        v["input"].update(_mask_from_upstream(s))
        v["input"].update(_clamp_maximum(s))
    # (the saved mask says why grad_y came back unchanged)
    passes_through = "mask-from-output" in v["input"] or "nonzero-for-positive" in v["input"]
    if not passes_through and formula == "relu":  # (the others' kink row tells the readings apart: a slope set < 0)
        passes_through = _relu_unmasked(s, v["input"], saved, forward_out)
    if not passes_through and any(evidence.same(value, g) for value, _ in v["input"].values()):
        # A mistake whose numbers are grad_y itself on this case is not told apart from returning grad_y.
        v["input"]["returned-the-upstream-gradient-grad_y"] = (g.copy(), "backward returned grad_y unchanged")
    if formula == "step":  # (its derivative is 0: grad_y itself is the identity's gradient, a straight-through one)
        v["input"]["returned-the-upstream-gradient-grad_y"] = (
            g.copy(),
            "backward returned grad_y unchanged, as if the step were the identity (a straight-through gradient): the "
            "step is flat everywhere but at x = 0, so its derivative is 0 and backward returns zeros shaped like "
            "grad_y, np.zeros_like(grad_y)",
        )
        v["input"].update(_step_surrogates(s))
    if formula == "prelu":
        v["weight"] = _prelu_weight(s)
        for quantity, extra in _slope_loop_on_channels(s).items():
            _new(v[quantity], extra)
    if saved is not None and formula in _THROUGH_OTHER:
        # The student's own state shows the form: it names the numbers that another reading (a constant) also gives.
        proven = _inner_factor_lost(s, saved(), forward_out)
        known = v["input"]
        for tag in [t for t, (value, _) in known.items() if any(_same_numbers(value, p) for p, _ in proven.values())]:
            del known[tag]
        known.update(proven)
    return _saved_otherwise(s, saved, forward_out, v)


def _saved_output_names(saved: Mapping[str, Any], x: np.ndarray, y: np.ndarray) -> list[str]:
    """The float arrays forward saved that hold its output y (and are not the input x as well)."""
    return [
        name
        for name, value in saved.items()
        if isinstance(value, np.ndarray)
        and value.dtype.kind == "f"
        and value.shape == y.shape
        and evidence.same(value, y)
        and not evidence.same(value, x)
    ]


def _relu_unmasked(
    s: Site,
    v: Variants,
    saved: Callable[[], Mapping[str, Any]] | None,
    forward_out: np.ndarray | None,
) -> bool:
    """ReLU's gradient let through everywhere (grad_y itself) behind a right forward: the zero of the x <= 0 branch
    never applied. A mask taken from the output with a test that always holds (y >= 0 for y = max(x, 0)) and no mask
    at all give these numbers on every input (ReLU's output is never negative, and it has no slope to set below 0 as
    the kink row does for the leaky forms), and so does the x <= 0 branch's derivative 0 added where np.where
    chooses: one statement names the readings, in place of the variants that give grad_y. True when it was added."""
    g = s.g
    if forward_out is None or forward_out.shape != s.y.shape or not evidence.same(forward_out, s.y):
        return False
    if not (s.x <= 0).any():
        return False
    for tag in [t for t, (value, _) in v.items() if np.shape(value) == g.shape and evidence.same(value, g)]:
        del v[tag]
    kept = _saved_output_names(saved(), s.x, s.y) if saved is not None else []
    where = (
        f"forward saved its output y as `{kept[0]}`, and backward returns grad_y unchanged"
        if kept
        else "backward returns grad_y unchanged"
    )
    v["negative-branch-ignored"] = (
        g.copy(),
        f"{where} at every entry, also where x <= 0, where ReLU's derivative is 0: the zero of the x <= 0 branch is "
        "never applied. Two ways of writing it give exactly these numbers on every input, so no test can tell which "
        "one it is: a mask taken from the output with a test that always holds (y >= 0 is true for every y = "
        "max(x, 0), the zeros included), or no mask at all (grad_y passed on as it came). The mask must single out "
        "the inputs above 0: grad_y * (x > 0), or grad_y * (y > 0) from the output",
    )
    return True


# A sigmoid or tanh written through the other function (or an exponential) of k x: its derivative carries the chain
# rule's inner factor k, the derivative of k x (d/dx tanh(x/2) = (1 - t^2) / 2). ``formula: [(the inner function as
# written, its value at x, the identity, the derivative in the inner value u, k, what the right local derivative is
# divided by when the inner factor is lost, the output written from u)]``; the sign of an inner -2 kept or lost with
# it gives 1/2 or -1/2.
_Spelled = tuple[Callable[[np.ndarray], np.ndarray], ...]
_InnerForm = tuple[str, Callable[[np.ndarray], np.ndarray], str, str, str, tuple[float, ...], _Spelled]
_THROUGH_OTHER: dict[str, tuple[_InnerForm, ...]] = {
    "sigmoid": (
        (
            "t = tanh(x/2)",
            lambda x: np.tanh(0.5 * x),
            "sigmoid(x) = (1 + tanh(x/2)) / 2",
            "(1/2) (1 - t^2) (1/2) = (1 - t^2) / 4",
            "1/2, the derivative of x/2",
            (0.5,),
            (lambda u: 0.5 * (1.0 + u), lambda u: 0.5 + 0.5 * u),
        ),
    ),
    "tanh": (
        (
            "s = sigmoid(2x)",
            lambda x: sigmoid(2.0 * x),
            "tanh(x) = 2 sigmoid(2x) - 1",
            "2 s (1 - s) 2 = 4 s (1 - s)",
            "2, the derivative of 2x",
            (2.0,),
            (lambda u: 2.0 * u - 1.0,),
        ),
        (
            "e = e^(-2x)",
            lambda x: np.exp(-2.0 * x),
            "tanh(x) = (1 - e^(-2x)) / (1 + e^(-2x))",
            "4 e / (1 + e)^2 (the derivative of e^(-2x) is -2 e^(-2x))",
            "-2, the derivative of -2x",
            (2.0, -2.0),
            (lambda u: (1.0 - u) / (1.0 + u),),
        ),
        (
            "e = e^(2x)",
            lambda x: np.exp(2.0 * x),
            "tanh(x) = (e^(2x) - 1) / (e^(2x) + 1)",
            "4 e / (1 + e)^2 (the derivative of e^(2x) is 2 e^(2x))",
            "2, the derivative of 2x",
            (2.0,),
            (lambda u: (u - 1.0) / (u + 1.0),),
        ),
        (
            "e = e^(-2|x|)",
            lambda x: np.exp(-2.0 * np.abs(x)),
            "tanh(x) = sign(x) (1 - e^(-2|x|)) / (1 + e^(-2|x|))",
            "4 e / (1 + e)^2 (the derivative of e^(-2|x|) is -2 sign(x) e^(-2|x|))",
            "-2 sign(x), the derivative of -2|x|",
            (2.0, -2.0),
            (),
        ),
    ),
}


def _inner_factor_lost(s: Site, saved: Mapping[str, Any], forward_out: np.ndarray | None) -> Variants:
    """A sigmoid or tanh whose forward is written through the other function of k x (or e^(kx)), shown by what it
    saved (the value of that inner function, which the right forward never keeps), with a backward off by exactly
    the chain rule's inner factor k: the derivative of the outer function taken, the derivative of k x left out.
    Only behind a right output (a wrong forward is the forward rows' to name)."""
    forms_of = _THROUGH_OTHER.get(s.formula)
    if not forms_of or forward_out is None or forward_out.shape != s.y.shape or not evidence.same(forward_out, s.y):
        return {}
    arrays = [v for v in saved.values() if isinstance(v, np.ndarray) and v.dtype.kind == "f" and v.shape == s.x.shape]
    local = s.local()
    v: Variants = {}
    for inner, value, identity, derivative, k, divisors, spelled in forms_of:
        with np.errstate(all="ignore"):
            u = value(np.asarray(s.x, dtype=np.float64))
            written = [f(u) for f in spelled]
        if not np.isfinite(u).all():
            continue
        # The form shows in what forward saved (u, which the right forward never keeps), or in its output: bit for
        # bit what the identity written from u gives, where the direct form's rounding differs.
        kept = any(evidence.same(a, u) for a in arrays)
        if not kept and not (
            forward_out.dtype == np.float64
            and not np.array_equal(forward_out, s.y)
            and any(np.array_equal(forward_out, w) for w in written)
        ):
            continue
        shown = f"it saved {inner}" if kept else "its output is bit for bit that form's"
        name = inner.partition(" = ")[0]
        for divisor in divisors:
            scaled = "twice" if divisor == 0.5 else "half" if divisor == 2 else evidence.factor_words(1 / divisor)
            v[f"chain-rule-inner-derivative#{inner}-{divisor:g}"] = (
                s.g * local / divisor,
                f"forward computes {identity} ({shown}), and backward differentiated the outer function "
                f"of {name} but not {name} itself: the chain rule's inner factor {k}, is missing (your gradient is "
                f"{scaled} the right one). Through {name} the derivative is {derivative}, the same numbers as the "
                "direct form's",
            )
    return v


def _saved_otherwise(
    s: Site,
    saved: Callable[[], Mapping[str, Any]] | None,
    forward_out: np.ndarray | None,
    v: dict[str, Variants],
) -> dict[str, Variants]:
    """``v`` with the gradients of the right backward run on what the student's forward saved, where that differs
    from what the reference saves (saved_state_mistakes.py). The student's own state shows that cause, so it
    replaces the variants that give the same numbers (a derivative in another form, a backward that ignores the
    saved winners). Only behind a right output: a wrong forward saves what its own mistake computes, and that
    mistake, named by the forward rows, is the cause. A saved value (not an index) that a listed mistake computes
    keeps that mistake's name: it says what the value is (the sigmoid of x where that of beta x belongs); winners
    are no formula, so the listed mistakes they match are those of a backward that ignores them, a second
    mistake where one explains the numbers."""
    if saved is None or forward_out is None or forward_out.shape != s.y.shape or not evidence.same(forward_out, s.y):
        return v
    grafted = saved_state_mistakes.grafted(s.formula, s.ref, s.x, s.y, s.g, saved(), list(s.params))
    for quantity, proven in grafted.items():
        known = v.setdefault(quantity, {})
        winners = {tag: item for tag, item in proven.items() if tag in saved_state_mistakes.WRONG_WINNER.values()}
        for tag in [t for t, (value, _) in known.items() if any(_same_numbers(value, p) for p, _ in winners.values())]:
            del known[tag]
        known.update(winners)
        _new(known, {tag: item for tag, item in proven.items() if tag not in winners})
    return v


def _same_numbers(a: np.ndarray, b: np.ndarray) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and evidence.same(a, b)


# The step's derivative is 0 wherever it is defined: a student who wants a gradient to flow (as for a spiking
# or binarised network) writes a smooth stand-in's derivative instead, a surrogate gradient.
_STEP_FLAT = (
    "the step is flat everywhere but at x = 0, so its derivative is zero and backward returns zeros shaped like "
    "grad_y, np.zeros_like(grad_y); a surrogate gradient is a training trick, not the step's derivative"
)


def _step_surrogates(s: Site) -> Variants:
    """The step's backward written as a smooth stand-in's derivative (a surrogate gradient)."""
    x, g = s.x, s.g
    sig = 1.0 / (1.0 + np.exp(-np.clip(x, -500.0, 500.0)))
    return {
        "derivative-wrong-form#surrogate-sigmoid": (
            g * sig * (1.0 - sig),
            "backward returned grad_y * sigmoid'(x), the derivative of a sigmoid standing in for the step: "
            + _STEP_FLAT,
        ),
        "derivative-wrong-form#surrogate-sigmoid-at-zero": (
            0.25 * g,
            "backward returned 0.25 * grad_y, the sigmoid's slope at x = 0 used as a constant surrogate gradient: "
            + _STEP_FLAT,
        ),
        "derivative-wrong-form#surrogate-hardtanh": (
            np.where(np.abs(x) <= 1.0, g, 0.0),
            "backward passed grad_y where |x| <= 1 and zero elsewhere (the straight-through estimator of a "
            f"hard tanh): {_STEP_FLAT}",
        ),
    }


# Derivatives as the notes write them, each in the ways a student factors it (grad_y, x, the saved output
# y or gate s, the density pdf and cdf Phi): what a regrouping of its parentheses is computed from.
WRITTEN_DERIVATIVES: dict[str, tuple[str, ...]] = {
    "sigmoid": ("grad_y * y * (1 - y)",),
    "tanh": ("grad_y * (1 - y * y)",),
    # (the third from the output y = x s: s + x s (1 - s) = y + s (1 - y))
    "silu": ("grad_y * (s + x * s * (1 - s))", "grad_y * s * (1 + x * (1 - s))", "grad_y * (y + s * (1 - y))"),
    "gelu": ("grad_y * (cdf + x * pdf)",),
}


def _regrouped_backward(s: Site) -> Variants:
    """The derivative as written in the notes with its parentheses moved (activation_forms.regroupings)."""
    if s.formula in CLAMPED:
        return _regrouped_output_branch(s)
    written = WRITTEN_DERIVATIVES.get(s.formula)
    if written is None or (s.formula == "gelu" and s.get("approximate", "none") != "none"):
        return {}
    x = np.clip(s.x, -40.0, 40.0)
    env = {"grad_y": s.g, "x": s.x, "y": s.y, "s": sigmoid(s.x), "cdf": normal_cdf(x), "pdf": normal_pdf(x)}
    return forms.regroupings(written, env, "backward computes")


def _regrouped_output_branch(s: Site) -> Variants:
    """ELU, SELU: the negative branch's derivative from the saved output, alpha e^x = y + alpha (SELU's scale
    alpha e^x = y + scale alpha), as backward writes it, grad_y * (y + alpha), with its parentheses moved or
    left out: grad_y * y + alpha adds alpha to the product."""
    selu = s.formula == "selu"
    scale, alpha = (float(s.ref.scale) if selu else 1.0), float(s.ref.alpha)
    env = {"grad_y": s.g, "y": s.y, "alpha": np.asarray(alpha), "scale": np.asarray(scale)}
    written = "grad_y * (y + scale * alpha)" if selu else "grad_y * (y + alpha)"
    constant = "scale * alpha" if selu else "alpha"
    negative = forms.regroupings((written,), env, f"for x <= 0 (the derivative being y + {constant}) backward computes")
    positive = scale * s.g
    return {tag: (np.where(s.x > 0, positive, value), text) for tag, (value, text) in negative.items()}


def _boolean_index(s: Site) -> Variants:
    """A boolean-mask index, grad_y[mask]: a flat vector of the selected entries, not an array shaped like x."""
    right = copy.deepcopy(s.ref).backward(s.g)
    v: Variants = {}
    for words, mask, _ in _branch_masks(s):
        if not mask.any() or mask.all():
            continue
        for what, source in (("grad_y", s.g), ("the gradient", right)):
            if any(value.shape == (int(mask.sum()),) and allclose(value, source[mask]) for value, _ in v.values()):
                continue
            v[f"gradient-not-shaped-like-input#{words}-{what}"] = (
                source[mask],
                f"backward returned {what}[mask] for the mask {words}: a boolean-mask index keeps only the selected "
                f"entries, as a flat vector of {int(mask.sum())}; the gradient has one entry per entry of x, shape "
                f"{s.x.shape} (np.where(mask, grad_y, 0.0), or grad_y * mask, keeps the shape)",
            )
    return v


# ------------------------------------------------------------------------------- classes of mistake
def _forward_classes(s: Site) -> Variants:
    """Forward mistakes generated from the structure of the formula: a linear branch that returns its
    slope (the factor x missing), a negative branch dropped, a named constant near-missed."""
    v: Variants = {}
    if s.formula in BRANCH_FORMULAS:
        local = s.local()
        for words, mask, (value, derivative) in _branch_masks(s):
            linear = allclose(s.y[mask], (local * s.x)[mask])  # value = derivative * x on this branch
            if mask.any() and value != "0" and linear:
                v[f"factor-x-missing#{words}"] = (
                    np.where(mask, local, s.y),
                    f"for {words} forward returns the branch's slope {derivative} itself, one number whatever x, "
                    f"where {value} belongs ({derivative} times x): the factor x is missing (the slope is that "
                    "branch's derivative, not its value)",
                )
        positive, negative = BRANCH_FORMULAS[s.formula]
        if negative[0] != "0":
            # 0 is what the exponential branch gives at x = 0: with the clamp np.maximum(x, 0) it is 0 everywhere.
            clamp = (
                ". 0 is that branch's value at x = 0: it was evaluated at max(x, 0), np.maximum where the stable "
                "form's clamp np.minimum(x, 0) belongs, or it was left out"
                if s.formula in CLAMPED
                else ""
            )
            v["negative-branch-ignored"] = (
                np.where(s.x > 0, s.y, 0.0),
                f"forward returns 0 for x <= 0, as ReLU does; the negative branch is {negative[0]}, which is not 0"
                + clamp,
            )
            # The x <= 0 branch written with its sign turned around: alpha (1 - e^x) for alpha (e^x - 1). (Before
            # the misread formulas: an integer mask's ~ gives these numbers too where that branch is clamped to 0.)
            turned = negative[0].replace("(e^x - 1)", "(1 - e^x)") if s.formula in CLAMPED else f"-({negative[0]})"
            same = (
                "; an integer 0/1 mask's bitwise ~mask, which is -1 on that branch, gives the same numbers"
                if s.formula in CLAMPED
                else ""
            )
            v["sign-flipped#negative-branch"] = (
                np.where(s.x > 0, s.y, -s.y),
                f"for x <= 0 every output has the wrong sign: the negative branch was written {turned}, its sign "
                f"turned around{same}; that branch is {negative[0]}",
            )
    if s.formula == "gelu":
        exact = s.get("approximate", "none") == "none"
        v.update(forms.gelu_exact_constants(s.x, None) if exact else forms.gelu_tanh_constants(s.x, None))
    if s.formula in _TIMES_X:
        fn, whole = _TIMES_X[s.formula]
        v["factor-x-missing"] = (
            s.y / np.where(s.x == 0, 1.0, s.x),
            f"forward returns {fn} alone: {whole}, the factor x is missing",
        )
    if s.formula == "sigmoid":
        v["operator-precedence"] = (
            1.0 + np.exp(-s.x),
            "1 / 1 + np.exp(-x) divides 1 by 1 first and then adds e^-x: the denominator needs parentheses, "
            "1 / (1 + np.exp(-x)) (`/` binds more tightly than `+`)",
        )
    if s.formula in ("softmax", "log-softmax"):
        v.update(_shift_one_side(s))
    v.update(_lookalikes(s))
    v.update(_branch_everywhere(s, None))
    v.update(_branch_constants(s, s.y))
    return v


# y = x * h(x): the activations whose forward multiplies x by a gate.
_TIMES_X = {
    "silu": ("sigmoid(x)", "SiLU is x * sigmoid(x)"),
    "gelu": ("Phi(x)", "GELU is x * Phi(x)"),
}


def _lookalikes(s: Site) -> Variants:
    """A neighbouring function written for the activation: a sign in an exponent, np.sign for the step,
    np.abs for ReLU, the log of log-softmax's sum forgotten, the 1/2 of the tanh form forgotten."""
    x = s.x
    if s.formula == "step":
        # A branch of the step returning x itself (ReLU copied, or np.where's x left in) where a constant belongs.
        returns_x = "the step is the constant 1 for x > 0 and 0 elsewhere, whatever the size of x"
        return {
            "step-is-sign": (np.sign(x), "np.sign(x) is -1 for x < 0; the step is 0 there (and 1 for x > 0)"),
            "step-returns-input#relu": (
                np.maximum(x, 0.0),
                f"forward returned x where x > 0 (ReLU's value, max(0, x)) instead of 1: {returns_x}",
            ),
            "step-returns-input#below": (
                np.where(x > 0, 1.0, x),
                f"forward returned x where x <= 0 instead of 0: {returns_x}",
            ),
            # A threshold at 0.5: a probability's (a sigmoid output's) carried over to the step, or the input
            # rounded into [0, 1] (np.round(np.clip(x, 0, 1)), half to even: 0 at 0.5 too). Both give x > 0.5 on
            # every input, so no case tells them apart and the sentence names both.
            "threshold-half": (
                (x > 0.5).astype(np.float64),
                "the step fires only for x > 0.5, so every input between 0 and 0.5 gives 0: a threshold at 0.5. A "
                "probability's threshold (a sigmoid output's) carried over to the step gives it, and so does "
                "rounding the input clipped into [0, 1] (np.round(np.clip(x, 0, 1)) is 1 exactly where x > 0.5): "
                "the two give the same numbers on every input. The step's input is a score, and the step is 1 "
                "exactly where x > 0",
            ),
        }
    if s.formula == "relu":
        return {"relu-abs": (np.abs(x), "np.abs(x) returns -x for x < 0; ReLU returns 0 there: max(0, x)")}
    if s.formula == "silu":
        return {
            "sigmoid-exponent-sign": (
                x * sigmoid(-x),
                "the sigmoid's sign is flipped: this is x * sigmoid(-x) = x / (1 + e^x), e^x where e^-x belongs (or "
                "-x given to the sigmoid); SiLU is x * sigmoid(x) = x / (1 + e^-x)",
            )
        }
    if s.formula == "softplus":
        beta, threshold = s.get("beta", 1.0), s.get("threshold", 20.0)
        z = -beta * x
        soft = (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / beta
        clamped = (np.minimum(-z, 0.0) + np.log1p(np.exp(-np.abs(z)))) / beta  # (z is -beta x here)
        return {
            "exponent-sign": (
                np.where(beta * x > threshold, x, soft),
                "e^(-beta x) was used where e^(beta x) belongs: softplus(x) = log(1 + e^(beta x)) / beta",
            ),
            "min-max-confused": (
                np.where(beta * x > threshold, x, clamped),
                "the stable form max(beta x, 0) + log(1 + e^-|beta x|) was written with np.minimum where np.maximum "
                "belongs: for beta x > 0 the term beta x is lost",
            ),
        }
    if s.formula == "log-softmax":
        shifted = x - x.max(axis=s.get("dim", -1), keepdims=True)
        return {
            "log-missing#sum": (
                shifted - np.exp(shifted).sum(axis=s.get("dim", -1), keepdims=True),
                "the log of the sum is missing: log softmax(x) = (x - m) - log sum exp(x - m)",
            )
        }
    if s.formula == "gelu" and s.get("approximate", "none") == "tanh":
        return {"formula-constant#half": (2 * s.y, "the 1/2 of the tanh form x/2 (1 + tanh u) is missing")}
    return {}


def _shift_one_side(s: Site) -> Variants:
    """The maximum m subtracted for stability on one side only, or twice: it cancels only when applied to
    the numerator and the denominator alike (log: subtracted once, inside and outside the log sum exp);
    or subtracted after the exponential, np.exp(x) - m, where it belongs inside, np.exp(x - m)."""
    dim = s.get("dim", -1)
    m = s.x.max(axis=dim, keepdims=True)
    outside = np.exp(s.x) - m
    after_exp = (
        "the maximum m was subtracted after exponentiating, np.exp(x) - m, where it belongs inside the exponent, "
        "np.exp(x - m): the parentheses of the shift enclose x - m (and e^x - m is not proportional to e^x, so "
        "the shift no longer cancels)"
    )
    if s.formula == "log-softmax":
        return {
            "logsumexp-shift-not-restored#twice": (
                s.y - m,
                "every output is m = max(x) less than its right value: the shift m was taken off one time too "
                "many, as when the first term is shifted but the log sum exp is of the unshifted x, (x - m) - log "
                "sum exp(x), or when m is subtracted twice; m cancels only when both terms use the same shifted "
                "values, log softmax(x) = (x - m) - log sum exp(x - m)",
            ),
            "operator-precedence#shift-after-exp": (
                (s.x - m) - np.log(outside.sum(axis=dim, keepdims=True)),
                f"inside log sum exp {after_exp}",
            ),
        }
    return {
        "operator-precedence#shift-after-exp": (outside / outside.sum(axis=dim, keepdims=True), after_exp),
        "logsumexp-shift-not-restored#numerator": (
            s.y * np.exp(-m),
            "the maximum m was subtracted in the numerator only, e^(x - m) / sum e^x: the shift cancels only when "
            "numerator and denominator are both shifted, e^(x - m) / sum e^(x - m)",
        ),
        "logsumexp-shift-not-restored#denominator": (
            s.y * np.exp(m),
            "the maximum m was subtracted in the denominator only, e^x / sum e^(x - m): the shift cancels only when "
            "numerator and denominator are both shifted, e^(x - m) / sum e^(x - m)",
        ),
    }


def _branch_everywhere(s: Site, g: np.ndarray | None) -> Variants:
    """ELU, SELU: the negative branch's formula (or its derivative) used for every x, the np.where forgotten."""
    if s.formula not in ("elu", "selu"):
        return {}
    scale = float(s.ref.scale) if s.formula == "selu" else 1.0
    alpha = float(s.ref.alpha)
    if alpha == 0.0:  # the branch is 0 everywhere: any formula times alpha (alpha factored out) gives these zeros
        return {}
    value, derivative = BRANCH_FORMULAS[s.formula][1]
    everywhere = scale * alpha * (np.expm1(s.x) if g is None else np.exp(s.x) * g)
    what = value if g is None else f"the derivative {derivative}"
    return {
        "branch-formula-everywhere": (
            everywhere,
            f"{what} was used for every x: for x > 0 the function is {BRANCH_FORMULAS[s.formula][0][0]} "
            "(np.where(x > 0, ..., ...) picks the branch)",
        )
    }


def _named_constants(s: Site) -> list[tuple[str, Any, list[str]]]:
    """The constants of a piecewise formula, with the branches they appear in."""
    if s.formula == "leaky-relu":
        return [(f"negative_slope = {s.get('negative_slope', 0.01):g}", _slopes(s), ["x <= 0"])]
    if s.formula == "prelu":
        return [("the slope a", _slopes(s), ["x <= 0"])]
    if s.formula == "elu":
        return [(f"alpha = {float(s.ref.alpha):g}", float(s.ref.alpha), ["x <= 0"])]
    if s.formula == "selu":
        alpha, scale = float(s.ref.alpha), float(s.ref.scale)
        return [(f"alpha = {alpha!r}", alpha, ["x <= 0"]), (f"scale = {scale!r}", scale, ["x > 0", "x <= 0"])]
    return []


def _branch_constants(s: Site, right: np.ndarray) -> Variants:
    """A constant of one branch applied twice there, or missing there (``right``: forward's output or
    backward's gradient)."""
    v: Variants = {}
    for name, c, words_in in _named_constants(s):
        if allclose(c, 1.0) or not np.all(c):
            continue
        for words, mask, (value, _) in _branch_masks(s):
            if words not in words_in or not mask.any():
                continue
            v[f"formula-constant#{name}{words}twice"] = (
                np.where(mask, right * c, right),
                f"for {words} the result is {name} times the right one: {name} was applied twice there "
                f"(the branch is {value})",
            )
            # ELU without its alpha is ELU with the default alpha = 1: the hyperparameter ignored.
            missing = "hyperparameter-ignored" if s.formula == "elu" else "formula-constant"
            v[f"{missing}#{name}{words}missing"] = (
                np.where(mask, right / c, right),
                f"for {words} {name} is missing (the branch is {value})",
            )
        v.update(_constant_on_other_branch(s, name, c, words_in, right))
    return v


def _constant_on_other_branch(s: Site, name: str, c: Any, words_in: list[str], right: np.ndarray) -> Variants:
    """A constant of one branch multiplying the other branch too: factored out of the np.where, ``alpha *
    np.where(x > 0, x, e^x - 1)``, it scales the branch it does not belong to."""
    v: Variants = {}
    for words, mask, (value, _) in _branch_masks(s):
        if words in words_in or not mask.any():
            continue
        tag = "slope-everywhere" if s.formula in ("leaky-relu", "prelu") else "alpha-on-both-branches"
        v[f"{tag}#{name}{words}"] = (
            np.where(mask, right * c, right),
            f"for {words} the result is {name} times the right one: {name} multiplies both branches (as when it is "
            f"factored out of the np.where, {name.split(' = ')[0]} * np.where(x > 0, ...)), but it belongs to the "
            f"other branch only; for {words} the branch is {value}, which {name} does not scale",
        )
    return v


def _backward_classes(s: Site) -> Variants:
    """Backward mistakes generated from the structure of the derivative (activation_forms.py), and a
    branch that forgets grad_y."""
    formula, g, x, y = s.formula, s.g, s.x, s.y
    v: Variants = {}
    if formula in forms.OUTPUT_DERIVATIVES:
        v.update(forms.output_forms(formula, g, y))
        forms.merge(v, forms.power_slips(formula, x, g))  # (a polynomial in y keeps output_forms' sentence)
    elif formula == "silu":
        sg = sigmoid(x)
        where = "the product rule s + x * s'"
        v.update(forms.inner_forms(sg, "sigmoid", where, lambda p: g * (sg + x * p)))
        v.update(forms.input_for_inner(sg, x, "sigmoid", where, lambda p: g * (sg + x * p)))
        v.update(forms.sum_precedence(g, (("s", sg), ("x * s (1 - s)", x * sg * (1 - sg)))))
    elif formula == "gelu" and s.get("approximate", "none") == "none":
        xc = np.clip(x, -40.0, 40.0)
        v.update(forms.gelu_exact_constants(x, g))
        v.update(forms.sum_precedence(g, (("Phi(x)", normal_cdf(x)), ("x * phi(x)", xc * normal_pdf(xc)))))
    elif formula == "gelu":
        xc = np.clip(x, -10.0, 10.0)
        t = np.tanh(SQRT_2_OVER_PI * (xc + GELU_KAPPA * xc**3))
        slope = SQRT_2_OVER_PI * (1 + 3 * GELU_KAPPA * xc * xc)
        where = "the chain rule through tanh u"
        v.update(forms.gelu_tanh_constants(x, g))
        v.update(forms.inner_forms(t, "tanh", where, lambda p: g * (0.5 * (1 + t) + 0.5 * xc * p * slope)))
        v.update(forms.input_for_inner(t, xc, "tanh", where, lambda p: g * (0.5 * (1 + t) + 0.5 * xc * p * slope)))
        terms = (("(1 + t)/2", 0.5 * (1 + t)), ("x/2 (1 - t^2) du/dx", 0.5 * xc * (1 - t * t) * slope))
        v.update(forms.sum_precedence(g, terms))
    elif formula in forms.JACOBIAN_PRODUCTS:
        v.update(forms.jacobian_forms(formula, g, y, s.get("dim", -1)))
    elif formula == "softplus":
        linear = s.get("beta", 1.0) * x > s.get("threshold", 20.0)
        v["exponent-sign"] = (
            np.where(linear, g, g * sigmoid(-s.get("beta", 1.0) * x)),
            "the derivative is sigmoid(beta x) = 1 / (1 + e^(-beta x)); sigmoid(-beta x) = 1 - sigmoid(beta x) "
            "was used",
        )
    elif formula == "elu":
        alpha = float(s.ref.alpha)
        wrong = [("y - alpha", y - alpha)] + ([("y + 1", y + 1.0)] if alpha != 1.0 else [])
        for text, local in wrong:
            v[f"derivative-wrong-form#{text}"] = (
                np.where(x > 0, g, g * local),
                f"for x <= 0 the derivative alpha e^x, which is y + alpha from the output y, was written {text}",
            )
    if formula in BRANCH_FORMULAS:
        right = copy.deepcopy(s.ref).backward(g)
        v.update(_branch_everywhere(s, g))
        v.update(_branch_constants(s, right))
        v.update(_branch_derivatives_added(s))
    branches = [(words, mask, d) for words, mask, (_, d) in _branch_masks(s)] if formula in BRANCH_FORMULAS else []
    if formula == "softplus":
        linear = s.get("beta", 1.0) * x > s.get("threshold", 20.0)
        branches = [("beta * x > threshold", linear, "1"), ("beta * x <= threshold", ~linear, "sigmoid(beta x)")]
    if branches:
        local = s.local()
        for words, mask, derivative in branches:
            if np.any(local[mask]) and np.any(local[~mask] * g[~mask]):  # (else it is the whole-array mistake)
                v[f"ignores-upstream-gradient#{words}"] = (
                    np.where(mask, local, g * local),
                    f"for {words} backward returns the branch's derivative {derivative} alone, without grad_y: the "
                    "chain rule multiplies the local derivative by grad_y on every branch",
                )
    forms.merge(v, _borrowed_output_derivative(s))  # (a form listed above keeps its name)
    return v


# The derivatives that are written from the function's own output: y (1 - y) for y = sigmoid(x), 1 - y^2 for
# y = tanh(x). Copied into another activation's backward with that activation's output y, they hold no longer.
_OUTPUT_FORM_DERIVATIVES = (("sigmoid", "y * (1 - y)", lambda y: y * (1 - y)), ("tanh", "1 - y^2", lambda y: 1 - y * y))


def _borrowed_output_derivative(s: Site) -> Variants:
    """Sigmoid's or tanh's derivative, which is written in terms of its own output, applied to this activation's
    output: right only for the function whose output it is."""
    if s.formula not in ELEMENTWISE:
        return {}
    v: Variants = {}
    for fn, written, form in _OUTPUT_FORM_DERIVATIVES:
        if fn == s.formula:
            continue
        v[f"derivative-wrong-form#{fn}-derivative-on-output"] = (
            s.g * form(s.y),
            f"backward multiplies grad_y by {written} with y this activation's own output: that is {fn}'s "
            f"derivative, which is written from {fn}'s output y = {fn}(x) and holds for no other function (copied "
            f"from {fn.capitalize()}'s backward); differentiate this activation's own formula",
        )
    return v


# ------------------------------------------------------------------------------- branches
# Piecewise activations: (value, derivative) of the x > 0 and the x <= 0 branch, as a student reads them.
BRANCH_FORMULAS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "relu": (("x", "1"), ("0", "0")),
    "leaky-relu": (("x", "1"), ("slope * x", "slope")),
    "prelu": (("x", "1"), ("a * x", "a")),
    "elu": (("x", "1"), ("alpha (e^x - 1)", "alpha e^x")),
    "selu": (("scale * x", "scale"), ("scale * alpha (e^x - 1)", "scale * alpha e^x")),
}


def _branch_derivatives(s: Site, clamp: float = 30.0) -> tuple[np.ndarray, np.ndarray]:
    """The local derivative of the x > 0 branch and of the x <= 0 branch, each evaluated at every x (the
    exponential one at min(x, ``clamp``): 0 for the stable form's clamp)."""
    local = s.local()
    positive, negative = local[s.x > 0], local[s.x <= 0]
    if s.formula in CLAMPED:  # alpha e^x, not constant: computed where x > 0 too
        scale = float(s.ref.scale) if s.formula == "selu" else 1.0
        return np.full_like(s.x, scale), scale * float(s.ref.alpha) * np.exp(np.minimum(s.x, clamp))
    if s.formula == "prelu":
        return np.ones_like(s.x), np.broadcast_to(_slopes(s), s.x.shape).astype(np.float64)
    one = float(positive[0]) if positive.size else 1.0
    other = float(negative[0]) if negative.size else float(np.asarray(s.get("negative_slope", 0.0)))
    return np.full_like(s.x, one), np.full_like(s.x, other)


def _branch_derivatives_added(s: Site) -> Variants:
    """The derivative written as a sum where np.where selects: ``(x > 0) + slope``, one branch's derivative
    masked and the other's added on every entry (or the mask on the other side), so where the mask holds the
    derivative is the sum of both branches' (1 + slope)."""
    (_, positive_text), (_, negative_text) = BRANCH_FORMULAS[s.formula]
    v: Variants = {}
    for clamp in (0.0, 30.0) if s.formula in CLAMPED else (0.0,):
        positive, negative = _branch_derivatives(s, clamp)
        masked = "(x > 0)" if positive_text == "1" else f"(x > 0) * {positive_text}"
        sums = (
            ("x > 0", f"{masked} + {negative_text}", np.where(s.x > 0, positive, 0.0) + negative),
            ("x <= 0", f"{positive_text} + (x <= 0) * {negative_text}", positive + np.where(s.x <= 0, negative, 0.0)),
        )
        for words, written, local in sums:
            v[f"{forms.FORM}#added-{words}-{clamp}"] = (
                s.g * local,
                f"the derivative was written as a sum, {written}: the two branches' derivatives were added where "
                f"np.where chooses one, so for {words} it is {positive_text} + {negative_text} (the other branch's "
                f"term is added everywhere); it is {positive_text} for x > 0 and {negative_text} for x <= 0, "
                f"np.where(x > 0, {positive_text}, {negative_text})",
            )
    return v


def _mask_from_upstream(s: Site) -> Variants:
    """The branch chosen by the sign of grad_y instead of x: np.where(grad_y > 0, ...) in backward (the
    exponential branch's derivative with the stable form's clamp, or without)."""
    v: Variants = {}
    for clamp in (0.0, 30.0) if s.formula in CLAMPED else (0.0,):
        positive, negative = _branch_derivatives(s, clamp)
        v[f"mask-from-upstream#{clamp}"] = (
            np.where(s.g > 0, positive * s.g, negative * s.g),
            "backward chose the branch by the sign of grad_y (grad_y > 0) instead of the sign of the saved input "
            "x: the derivative of each entry depends on where x lies, np.where(x > 0, ...), whatever grad_y is",
        )
    return v


def _clamp_maximum(s: Site) -> Variants:
    """ELU, SELU: the derivative's clamp np.minimum(x, 0) written np.maximum: e^max(x, 0) = 1 for x <= 0."""
    if s.formula not in CLAMPED:
        return {}
    positive, negative = _branch_derivatives(s, 0.0)
    at_zero = negative * np.exp(-np.minimum(s.x, 0.0))  # the x <= 0 branch's derivative at x = 0, everywhere
    return {
        "min-max-confused": (
            np.where(s.x > 0, positive, at_zero) * s.g,
            "for x <= 0 the derivative is one constant, its value at x = 0: e^max(x, 0) = 1 there, np.maximum where "
            "the stable form's clamp np.minimum(x, 0) belongs (the derivative is alpha e^x for x <= 0)",
        )
    }


# The formulas whose negative branch exponentiates x, clamped as e^min(x, 0) so that e^x cannot overflow.
CLAMPED = ("elu", "selu")


def _branch_masks(s: Site) -> list[tuple[str, np.ndarray, tuple[str, str]]]:
    positive, negative = BRANCH_FORMULAS[s.formula]
    return [("x > 0", s.x > 0, positive), ("x <= 0", s.x <= 0, negative)]


def _branch_value_as_derivative(s: Site) -> Variants:
    """One branch's derivative taken as that branch's value: grad_y * y there (slope * x for slope)."""
    local = s.local()
    v: Variants = {}
    for words, mask, (value, derivative) in _branch_masks(s):
        v[f"derivative-is-output#{words}"] = (
            np.where(mask, s.g * s.y, s.g * local),
            f"for {words} grad_y was multiplied by the branch's value {value} (the function itself), not by its "
            f"derivative {derivative}: the derivative of a branch is not its value",
        )
    return v


def forward_subsets(component: Component, case: Case, x: np.ndarray) -> Subsets:
    """A branch of forward off by one constant (a constant term of its formula lost or added), or one
    constant itself (its x lost)."""
    if component.formula not in BRANCH_FORMULAS:
        return {}
    s = Site(component.formula, x, x, dict(case.kwargs), {}, None, x)
    subsets: Subsets = {}
    for words, mask, (value, _) in _branch_masks(s):
        subsets[f"branch-constant {words}"] = Subset(
            mask,
            f"has {words}",
            f"forward's {words} branch is off by one constant: a constant term of its formula {value} was lost or "
            "added (as the - 1 of e^x - 1), so the branches no longer meet at x = 0 and the output jumps there; "
            "the activation is continuous",
            "branch-constant",
            needs="offset",
        )
        if value != "0":
            subsets[f"factor-x-missing {words}"] = Subset(
                mask,
                f"has {words}",
                f"forward's {words} branch returns one same number whatever x: x is missing from its formula {value}",
                "factor-x-missing",
                needs="constant",
            )
    return subsets


# ------------------------------------------------------------------------------- formulas misread
# Mistakes of reading rather than of calculus: an identity remembered without its factor 2, a mask built with the
# wrong operator (~ on integers, np.sign), the input cast to int, an approximation for the exact form, a mean where
# the formula sums, a per-channel parameter indexed [0], the bias of a maximum added after it.


def _new(v: Variants, extra: Variants) -> None:
    """Add each ``extra`` variant whose numbers no variant of ``v`` (nor an earlier extra) gives: a mistake two
    formulas share keeps the name it had, and two ways of writing one mistake are kept once."""
    for tag, (value, text) in extra.items():
        value = np.asarray(value, dtype=np.float64)
        if not np.isfinite(value).all():
            continue
        if any(np.shape(o) == value.shape and evidence.same(value, np.asarray(o)) for o, _ in v.values()):
            continue
        v[tag] = (value, text)


# f(x) through another function by an identity whose argument carries a factor 2: written without it (or with
# it twice) the function is evaluated at half (twice) its input. ``formula: (the identity, {k: f(kx) written})``.
_SCALED_IDENTITIES: dict[str, tuple[str, dict[float, str]]] = {
    "tanh": (
        "tanh(x) = 2 sigmoid(2x) - 1 = (e^(2x) - 1) / (e^(2x) + 1)",
        {
            0.5: "2 sigmoid(x) - 1 = 2 / (1 + e^-x) - 1, or (e^x - 1) / (e^x + 1), is tanh(x / 2)",
            2.0: "2 sigmoid(4x) - 1, or (e^(4x) - 1) / (e^(4x) + 1), is tanh(2x)",
        },
    ),
    "sigmoid": (
        "sigmoid(x) = (1 + tanh(x / 2)) / 2",
        {2.0: "(1 + tanh(x)) / 2 is sigmoid(2x)", 0.5: "(1 + tanh(x / 4)) / 2 is sigmoid(x / 2)"},
    ),
    "silu": (
        "x sigmoid(x) = x (1 + tanh(x / 2)) / 2",
        {2.0: "x (1 + tanh(x)) / 2 is x sigmoid(2x)", 0.5: "x (1 + tanh(x / 4)) / 2 is x sigmoid(x / 2)"},
    ),
}


_SCALED_NAMES = {"tanh": "tanh({k})", "sigmoid": "sigmoid({k})", "silu": "x sigmoid({k})"}


def _argument_scaled(s: Site, g: np.ndarray | None) -> Variants:
    """Sigmoid, tanh, SiLU at half or twice their input: an identity between sigmoid and tanh remembered without
    the 2 of its argument. ``g`` None: the forward values, else backward's, which differentiates that output
    (the saved output in the right derivative's formula, or the chain rule through kx)."""
    if s.formula not in _SCALED_IDENTITIES:
        return {}
    identity, written_as = _SCALED_IDENTITIES[s.formula]
    x = s.x
    v: Variants = {}
    for k, example in written_as.items():
        where = "half" if k < 1 else "twice"
        sk = sigmoid(k * x)
        if s.formula == "tanh":
            t = np.tanh(k * x)
            value, saved, chained = t, (1 - t * t), k * (1 - t * t)
        elif s.formula == "sigmoid":
            value, saved, chained = sk, sk * (1 - sk), k * sk * (1 - sk)
        else:
            value, saved, chained = x * sk, sk + x * sk * (1 - sk), sk + k * x * sk * (1 - sk)
        name = _SCALED_NAMES[s.formula].format(k="x / 2" if k < 1 else "2x")
        what = "forward computes" if g is None else "the gradient is that of"
        text = (
            f"{what} {name}, the function at {where} its input: {example}. The identity carries a factor 2 in the "
            f"argument: {identity}"
        )
        if g is None:
            v[f"identity-argument-halved#{k}"] = (value, text)
        else:
            v[f"identity-argument-halved#{k}-saved"] = (g * saved, text)
            v[f"identity-argument-halved#{k}-chain"] = (g * chained, text)
    return v


def _branch_values(s: Site, clamp: float) -> tuple[np.ndarray, np.ndarray]:
    """The x > 0 branch's and the x <= 0 branch's value, each at every x (the exponential one at min(x, clamp))."""
    scale = float(s.ref.scale) if s.formula == "selu" else 1.0
    if s.formula in CLAMPED:
        return scale * s.x, scale * float(s.ref.alpha) * np.expm1(np.minimum(s.x, clamp))
    if s.formula == "relu":
        return s.x.copy(), np.zeros_like(s.x)
    return s.x.copy(), np.broadcast_to(_slopes(s), s.x.shape) * s.x


def _clamps(s: Site) -> tuple[float, ...]:
    return (0.0, 30.0) if s.formula in CLAMPED else (0.0,)


# ~ on an integer 0/1 mask: the bitwise not, -1 - mask, where the logical not 1 - mask belongs.
_BITWISE_NOT = (
    "the mask of {held} was an integer 0/1 array (.astype(int)) and ~mask was taken for its complement: on integers "
    "~ is the bitwise not, ~1 = -2 and ~0 = -1, not 0 and 1, so the other branch's {what}, {other}, is multiplied "
    "by -2 where the mask holds and by -1 elsewhere instead of by 0 and 1. The logical not of a 0/1 mask is "
    "1 - mask; or keep the mask boolean (x > 0), whose ~ is the logical not (np.logical_not)"
)


def _bitwise_not(s: Site, g: np.ndarray | None) -> Variants:
    """A branch selected as ``m * one + ~m * other`` with ``m`` an integer 0/1 mask: ~m is -1 - m."""
    if s.formula not in BRANCH_FORMULAS:
        return {}
    (value_pos, slope_pos), (value_neg, slope_neg) = BRANCH_FORMULAS[s.formula]
    v: Variants = {}
    for clamp in _clamps(s):
        pos, neg = _branch_values(s, clamp) if g is None else _branch_derivatives(s, clamp)
        for held, m, one, other, other_text in (
            ("x > 0", s.x > 0, pos, neg, value_neg if g is None else slope_neg),
            ("x <= 0", s.x <= 0, neg, pos, value_pos if g is None else slope_pos),
        ):
            m = m.astype(np.int64)
            local = m * one + (~m) * other
            what = "value" if g is None else "derivative"
            text = _BITWISE_NOT.format(held=held, what=what, other=other_text)
            v[f"bitwise-not-on-integers#{held}-{clamp}"] = (local if g is None else g * local, text)
    return v


def _sign_for_mask(s: Site, g: np.ndarray) -> Variants:
    """The indicator of x > 0 written np.sign(x) in backward: -1 for x < 0, where the indicator is 0."""
    if s.formula not in BRANCH_FORMULAS:
        return {}
    (_, positive), (_, negative) = BRANCH_FORMULAS[s.formula]
    sign = np.sign(s.x)
    v: Variants = {}
    for clamp in _clamps(s):
        pos, neg = _branch_derivatives(s, clamp)
        for how, local in (
            ("+ (x <= 0)", sign * pos + (s.x <= 0) * neg),
            ("+ (1 - sign)", sign * pos + (1 - sign) * neg),
            ("alone", sign * pos),
        ):
            v[f"derivative-is-sign#{how}-{clamp}"] = (
                g * local,
                "backward multiplies by np.sign(x) where the indicator of x > 0 belongs: the sign, the derivative "
                "of |x|, is -1 for x < 0 (and 0 at 0), so for negative inputs grad_y is sent back negated. The "
                f"derivative is {positive} for x > 0 and {negative} for x <= 0: the indicator of x > 0 is (x > 0), "
                "1 or 0, never -1",
            )
    return v


def _truncated_input(s: Site, g: np.ndarray | None) -> Variants:
    """The input cast to int (truncated toward 0) before the test x > 0 or before the whole formula."""
    x = s.x
    cut = np.trunc(x)
    if np.array_equal(cut, x):
        return {}
    why = (
        "x.astype(int) (or int(x)) truncates toward 0, so every input between 0 and 1 becomes 0 (and -0.7 becomes "
        "0, 1.6 becomes 1)"
    )
    v: Variants = {}
    if s.formula == "step" and g is None:
        v["int-truncates-input#step"] = (
            (cut > 0).astype(np.float64),
            f"for 0 < x < 1 the step is 0: the test x > 0 was made on the input cast to int, and {why}; compare "
            "the float input itself, (x > 0)",
        )
        return v
    if s.formula in BRANCH_FORMULAS:
        for clamp in _clamps(s):
            pos, neg = _branch_values(s, clamp) if g is None else _branch_derivatives(s, clamp)
            local = np.where(cut > 0, pos, neg)
            v[f"int-truncates-input#mask-{clamp}"] = (
                local if g is None else g * local,
                f"for 0 < x < 1 the {'output' if g is None else 'gradient'} is that of the x <= 0 branch: the branch "
                f"was chosen on the input cast to int, and {why}; choose it on the float input, x > 0",
            )
    if s.formula in (*ELEMENTWISE, "identity"):
        reference = copy.deepcopy(s.ref)
        with np.errstate(all="ignore"):
            value = reference.forward(cut)
            if g is not None:
                value = reference.backward(g)
        v["int-truncates-input#input"] = (
            value,
            f"the {'output' if g is None else 'gradient'} is the activation's at the input cast to int: {why}; keep "
            "x a float array",
        )
    return v


# ~1.702: the logistic curve that best matches the normal CDF, Phi(x) ~ sigmoid(1.702 x) ("quick GELU").
QUICK_GELU = 1.702


def _gelu_sigmoid(s: Site, g: np.ndarray | None) -> Variants:
    """GELU's Phi(x) approximated by sigmoid(1.702 x): in forward, in backward, or in the derivative's terms."""
    if s.formula != "gelu":
        return {}
    exact = s.get("approximate", "none") == "none"
    asked = (
        "approximate='none' asks for the exact normal CDF, Phi(x) = erfc(-x / sqrt(2)) / 2"
        if exact
        else "approximate='tanh' asks for the tanh form x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))"
    )
    text = (
        "Phi(x) was computed with the sigmoid approximation sigmoid(1.702 x) ('quick GELU'), which is off by up to "
        f"about 0.02: {asked}"
    )
    x = np.clip(s.x, -40.0, 40.0)
    sk = sigmoid(QUICK_GELU * x)
    if g is None:
        return {"gelu-sigmoid-approximation": (s.x * sk, text)}
    quick_slope = QUICK_GELU * x * sk * (1 - sk)  # x times the derivative of sigmoid(1.702 x)
    v: Variants = {"gelu-sigmoid-approximation#derivative": (g * (sk + quick_slope), text)}
    if exact:
        v["gelu-sigmoid-approximation#cdf"] = (g * (sk + x * normal_pdf(x)), text)
        v["gelu-sigmoid-approximation#density"] = (g * (normal_cdf(x) + quick_slope), text)
    return v


def _mean_for_sum(s: Site, g: np.ndarray | None) -> Variants:
    """Softmax's and log-softmax's sum along dim taken as a mean: C = the length of dim times too large (a term
    log C too large), in forward or in the probabilities backward reads from it."""
    if s.formula not in ("softmax", "log-softmax"):
        return {}
    dim = s.get("dim", -1)
    C = s.x.shape[dim]
    if C < 2:
        return {}
    log = s.formula == "log-softmax"
    along = f"C = {C} is the number of entries along dim={dim}"
    formula = "log softmax(x) = (x - m) - log(sum of e^(x - m))" if log else "softmax(x) = e^(x - m) / sum of e^(x - m)"
    forward_text = (
        f"every output is log C = {math.log(C):.6g} too large ({along}): the log of the mean of the exponentials "
        f"(np.mean) was taken where logsumexp has their sum, {formula}"
        if log
        else f"every output is C times too large ({along}), so each slice sums to {C}, not 1: the exponentials were "
        f"divided by their mean (np.mean) where softmax divides by their sum, {formula}"
    )
    if g is None:
        return {"mean-for-sum": (s.y + math.log(C) if log else C * s.y, forward_text)}
    p = np.exp(s.y) if log else s.y
    if log:
        saved = g - C * p * g.sum(axis=dim, keepdims=True)
    else:
        saved = C * p * (g - (g * C * p).sum(axis=dim, keepdims=True))
    # (backward's own sum taken as a mean is one edit of the Jacobian-vector product: activation_forms.py)
    return {
        "mean-for-sum#saved": (
            saved,
            f"backward used probabilities C = {C} times too large ({along}), as forward saved them: "
            + forward_text.split(": ", 1)[1],
        )
    }


# The negative slopes a leaky ReLU is usually written with (PyTorch's 0.01, Keras' 0.3, and the 0.1 and 0.2 of
# papers): a ReLU's backward copied from a leaky one lets one of them through for x <= 0.
_LEAKY_SLOPES = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3)


def _leaky_for_relu(s: Site, g: np.ndarray | None) -> Variants:
    """ReLU's backward written as a leaky ReLU's: slope * grad_y for x <= 0 where ReLU's gradient is 0."""
    if s.formula != "relu" or g is None or not (s.x <= 0).any():
        return {}
    return {
        f"relu-backward-leaky#{slope}": (
            np.where(s.x > 0, g, slope * g),
            f"backward lets {slope} * grad_y through where x <= 0, a leaky ReLU's derivative: ReLU is flat (0) for "
            "x <= 0, so its gradient there is zero, np.where(x > 0, grad_y, 0)",
        )
        for slope in _LEAKY_SLOPES
    }


def _first_slope(s: Site, g: np.ndarray | None) -> Variants:
    """PReLU with one slope per channel using weight[0], the first channel's slope, for every channel."""
    if s.formula != "prelu" or s.params["weight"].size < 2:
        return {}
    a = s.params["weight"]
    C = a.size
    shape = "(1, C" + ", 1" * (s.x.ndim - 2) + ")"
    text = (
        f"every channel used the first slope, weight[0] = {float(a[0]):g}: with num_parameters = {C} each channel c "
        f"of axis 1 has its own slope weight[c], broadcast over the input as shape {shape}, "
        f"weight.reshape{shape.replace('C', '-1')}"
    )
    value = np.where(s.x > 0, s.x if g is None else g, float(a[0]) * (s.x if g is None else g))
    return {"prelu-slope-broadcast#first": (value, text)}


_BIAS_AFTER_MAX = (
    "the bias was added after the maximum: the winning piece was chosen from x . w_k alone and {added} added "
    "afterwards, but a maximum of sums is not the sum of the maxima; maxout takes max_k (x . w_k + b_k), so the bias "
    "takes part in choosing the winning piece"
)


def _bias_after_max(s: Site, g: np.ndarray | None) -> Variants | dict[str, Variants]:
    """Maxout's bias left out of the maximum: the winner chosen on x . w_k, the bias added to the result (the
    largest bias, or the winner's); ``g`` given: backward through those winners, per quantity."""
    if s.formula != "maxout":
        return {}
    w, b = s.params["weight"], s.params["bias"]
    product = np.einsum("nd,kjd->nkj", s.x, w)
    won = np.argmax(product, axis=1)
    winners = np.take_along_axis(product, won[:, None, :], axis=1)[:, 0, :]
    their_bias = b[won, np.arange(b.shape[1])[None, :]]
    if g is None:
        return {
            "max-of-sum-as-sum-of-max#largest-bias": (
                winners + b.max(axis=0),
                _BIAS_AFTER_MAX.format(added="the largest bias, max_k b_k,"),
            ),
            "max-of-sum-as-sum-of-max#winner-bias": (
                winners + their_bias,
                _BIAS_AFTER_MAX.format(added="its bias"),
            ),
        }
    text = _BIAS_AFTER_MAX.format(added="the bias")
    mask = won[:, None, :] == np.arange(w.shape[0])[None, :, None]
    grad_z = np.where(mask, g[:, None, :], 0.0)
    best = np.argmax(b, axis=0)  # the largest bias of each output: the piece whose bias max_k b_k reads
    largest = np.where(best[None, :] == np.arange(w.shape[0])[:, None], g.sum(axis=0)[None, :], 0.0)
    return {
        "input": {"max-of-sum-as-sum-of-max": (np.einsum("nkj,kjd->nd", grad_z, w), text)},
        "weight": {"max-of-sum-as-sum-of-max": (np.einsum("nkj,nd->kjd", grad_z, s.x), text)},
        "bias": {
            "max-of-sum-as-sum-of-max": (grad_z.sum(axis=0), text),
            "max-of-sum-as-sum-of-max#largest-bias": (largest, text),
        },
    }


# Maxout computed as one flat matrix product: the weight (K, M, D) flattened to (K*M, D) and the bias to K*M, the
# scores (N, K*M) reshaped back to pieces and units. A flat column c is piece k of unit j in one of two orders.
_FLAT_ORDERS = {
    "pieces-major": ("weight.reshape(K * M, D)", "bias.reshape(-1)", "(N, K, M), max over axis 1"),
    "units-major": ("weight.transpose(1, 0, 2).reshape(M * K, D)", "bias.T.reshape(-1)", "(N, M, K), max over axis 2"),
}


def _flat_layout(order: str, pieces: int, units: int) -> tuple[np.ndarray, np.ndarray]:
    """``(k, j)`` of each flat column c: c = k * M + j (pieces-major) or c = j * K + k (units-major)."""
    c = np.arange(pieces * units)
    return (c // units, c % units) if order == "pieces-major" else (c % pieces, c // pieces)


_FLAT_RULE = (
    "A reshape must undo the flattening in the same order: weight.reshape(K * M, D) puts piece k of unit j in "
    "column k * M + j, which bias.reshape(-1) and a reshape of the scores to (N, K, M), max over axis 1, read back; "
    "the units-first flattening weight.transpose(1, 0, 2).reshape(M * K, D) puts it in column j * K + k, read back "
    "by bias.T.reshape(-1) and (N, M, K), max over axis 2"
)


def _maxout_layout_text(weight: str, bias: str, read: str) -> str:
    """What a flat Maxout whose flattenings and reshape do not all use one order computed (both mirror images
    said at once: with K = M they give the same numbers)."""
    if weight == bias:
        what = (
            "the scores (N, K*M) were reshaped in the other order than the weight and bias were flattened (pieces "
            "first, reshape(K * M, D), read back as (N, M, K); or units first read back as (N, K, M)), so each unit's "
            "maximum runs over pieces of other units"
        )
    else:
        what = (
            "the weight and the bias were flattened in different orders (one with reshape, pieces first, the other "
            "transposed, units first), so each flat score adds the bias of another piece or unit"
        )
        if read != weight:
            what += ", and the scores were reshaped in the bias's order, not the weight's"
    return f"Maxout was computed as one flat matrix product: {what}. {_FLAT_RULE}"


def _maxout_flat_layouts(s: Site, g: np.ndarray | None) -> Variants | dict[str, Variants]:
    """Maxout as one flat matrix product whose weight flattening, bias flattening and scores' reshape do not
    all use one order (_FLAT_ORDERS): the forward values, or (``g`` given) per quantity the gradients of the
    reference's backward run on the winners that forward saved, and of a backward that routes grad_y back
    through the same flat layout (the derivative of the wrong forward). Also, behind a right forward, a backward
    whose flat gradient (N, K*M) and flat weight are in different orders."""
    if s.formula != "maxout":
        return {}
    w, b, x = s.params["weight"], s.params["bias"], s.x
    K, M, _ = w.shape
    if K < 2 or M < 2:
        return {}
    layouts = {o: _flat_layout(o, K, M) for o in _FLAT_ORDERS}
    fwd: Variants = {}
    back: dict[str, Variants] = {"input": {}, "weight": {}, "bias": {}}
    for weight, bias, read in itertools.product(_FLAT_ORDERS, repeat=3):
        if weight == bias == read:
            continue
        (wk, wj), (bk, bj), (rk, rj) = layouts[weight], layouts[bias], layouts[read]
        flat = x @ w[wk, wj].T + b[bk, bj]  # (N, K*M)
        z = np.empty((x.shape[0], K, M))
        z[:, rk, rj] = flat  # the scores as the reshape reads them: column c is piece rk[c] of unit rj[c]
        won = np.argmax(z, axis=1)
        text = _maxout_layout_text(weight, bias, read)
        tag = f"reshape-order#maxout-flat-{weight}-{bias}-{read}"
        if g is None:
            fwd[tag] = (z.max(axis=1), text)
            continue
        mask = won[:, None, :] == np.arange(K)[None, :, None]
        grad_z = np.where(mask, g[:, None, :], 0.0)  # the reference's backward on the saved winners
        saved = f"{text}; backward then routed grad_y by the winners that forward saved"
        back["input"][f"{tag}-saved"] = (np.einsum("nkj,kjd->nd", grad_z, w), saved)
        back["weight"][f"{tag}-saved"] = (np.einsum("nkj,nd->kjd", grad_z, x), saved)
        back["bias"][f"{tag}-saved"] = (grad_z.sum(axis=0), saved)
        grad_flat = grad_z[:, rk, rj]  # the same flat layout backward: the derivative of the wrong forward
        dw, db = np.zeros_like(w), np.zeros_like(b)
        dw[wk, wj] = grad_flat.T @ x
        db[bk, bj] = grad_flat.sum(axis=0)
        through = f"{text}; backward went back through the same flat layout"
        back["input"][f"{tag}-flat"] = (grad_flat @ w[wk, wj], through)
        back["weight"][f"{tag}-flat"] = (dw, through)
        back["bias"][f"{tag}-flat"] = (db, through)
    if g is None:
        return fwd
    # Behind a right forward: grad_z (N, K, M) flattened in one order, the weight (its gradient unflattened) in
    # the other.
    won = np.argmax(np.einsum("nd,kjd->nkj", x, w) + b, axis=1)
    grad_z = np.where(won[:, None, :] == np.arange(K)[None, :, None], g[:, None, :], 0.0)
    for flat_order, weight in itertools.permutations(_FLAT_ORDERS, 2):
        (fk, fj), (wk, wj) = layouts[flat_order], layouts[weight]
        grad_flat = grad_z[:, fk, fj]
        dw, db = np.zeros_like(w), np.zeros_like(b)
        dw[wk, wj] = grad_flat.T @ x
        db[wk, wj] = grad_flat.sum(axis=0)
        text = (
            "backward flattened grad_z (N, K, M) and the weight (K, M, D) in different orders (one with reshape, "
            "pieces first, the other transposed first, units first), so flat column c pairs the gradient of one "
            f"piece and unit with the weights of another. {_FLAT_RULE}; the flat gradients go back the same way"
        )
        tag = f"reshape-order#maxout-backward-{flat_order}-{weight}"
        back["input"][tag] = (grad_flat @ w[wk, wj], text)
        back["weight"][tag] = (dw, text)
        back["bias"][tag] = (db, text)
    return back


# Maxout's routing of grad_y to the winners built in another axis order than grad_z's (N, K, M) and brought there
# with a reshape, which keeps the entries' memory order and only cuts it anew: (what was built, its axes, how it
# is built from the winners' one-hot (N, M, K) and grad_y, whether grad_y is in it already).
_ROUTINGS: tuple[tuple[str, str, Callable[[np.ndarray, np.ndarray], np.ndarray], bool], ...] = (
    ("the winners' one-hot", "(N, M, K)", lambda onehot, g: onehot, False),
    ("grad_z", "(N, M, K)", lambda onehot, g: onehot * g[:, :, None], True),
    ("the winners' one-hot", "(K, N, M)", lambda onehot, g: onehot.transpose(2, 0, 1), False),
    ("grad_z", "(K, N, M)", lambda onehot, g: (onehot * g[:, :, None]).transpose(2, 0, 1), True),
)


def _maxout_routing_reshaped(s: Site, g: np.ndarray) -> dict[str, Variants]:
    """Maxout's backward with the winners' routing (a one-hot or mask of the winning pieces, or grad_z itself)
    built in another axis order, (N, M, K) as np.eye(K)[argmax] gives it or (K, N, M) piece by piece, and brought
    to grad_z's (N, K, M) with a reshape where a transpose (np.moveaxis) belongs: per quantity, the gradients the
    reference's formulas give from that grad_z. With K = 1 or M = 1 the reshape is the transpose."""
    w, b, x = s.params["weight"], s.params["bias"], s.x
    K, M, _ = w.shape
    N = x.shape[0]
    if K < 2 or M < 2:
        return {}
    won = np.argmax(np.einsum("nd,kjd->nkj", x, w) + b, axis=1)  # (N, M)
    onehot = np.eye(K)[won]  # (N, M, K)
    found: dict[str, Variants] = {"input": {}, "weight": {}, "bias": {}}
    for k, (what, axes, build, with_g) in enumerate(_ROUTINGS):
        routed = build(onehot, g).reshape(N, K, M)
        grad_z = routed if with_g else routed * g[:, None, :]
        moved = "np.transpose(a, (0, 2, 1))" if axes == "(N, M, K)" else "np.moveaxis(a, 0, 1)"
        text = (
            f"{what} was built as {axes} and brought to (N, K, M), grad_z's axes, with reshape where a transpose "
            "belongs: a reshape keeps the entries in their memory order and only cuts that sequence anew, so entry "
            "(n, k, j) of the result is not piece k of unit j, and the gradient reaches the wrong pieces and units "
            f"(it is right only where K = 1 or M = 1). Move the axis instead: {moved}"
        )
        tag = f"reshape-not-transpose#maxout-routing-{k}"
        found["input"][tag] = (np.einsum("nkj,kjd->nd", grad_z, w), text)
        found["weight"][tag] = (np.einsum("nkj,nd->kjd", grad_z, x), text)
        found["bias"][tag] = (grad_z.sum(axis=0), text)
    return found


def misread_forward(s: Site) -> Variants:
    """The forward values of the misread formulas above that apply to this activation."""
    v: Variants = {}
    for make in (_argument_scaled, _bitwise_not, _truncated_input, _gelu_sigmoid, _mean_for_sum, _first_slope):
        v.update(make(s, None))
    v.update(_bias_after_max(s, None))
    _new(v, _maxout_flat_layouts(s, None))
    return v


def misread_backward(s: Site) -> Variants:
    """The input gradients of the misread formulas above that apply to this activation."""
    v: Variants = {}
    for make in (_argument_scaled, _bitwise_not, _truncated_input, _gelu_sigmoid, _mean_for_sum, _first_slope):
        v.update(make(s, s.g))
    v.update(_sign_for_mask(s, s.g))
    v.update(_leaky_for_relu(s, s.g))
    return v


# ------------------------------------------------------------------------------- subsets
def _branches(s: Site, positive: str, negative: str) -> Subsets:
    """The two branches of a piecewise activation, x > 0 and x <= 0, and what each one's being wrong implies."""
    return {
        "positive-branch-wrong": Subset(s.x > 0, "has x > 0", positive, "positive-branch-wrong"),
        "negative-branch-wrong": Subset(s.x <= 0, "has x <= 0", negative, "negative-branch-wrong"),
    }


def _piecewise_subsets(s: Site) -> Subsets:
    if s.formula == "relu":
        return _branches(
            s,
            "the derivative for x > 0 is wrong: there ReLU passes grad_y through unchanged (derivative 1)",
            "the derivative for x <= 0 is wrong: ReLU's gradient there is 0",
        )
    if s.formula in ("leaky-relu", "prelu"):
        return _branches(
            s,
            "the derivative for x > 0 is wrong: there the gradient is grad_y itself (derivative 1)",
            "the negative branch's derivative is wrong: for x <= 0 the gradient is slope * grad_y",
        )
    if s.formula == "elu":
        return _branches(
            s,
            "the derivative for x > 0 is wrong: it is 1 there",
            "the negative branch's derivative is wrong: for x <= 0 it is alpha * e^x",
        )
    if s.formula == "selu":
        return _branches(
            s,
            "the derivative for x > 0 is wrong: it is scale there",
            "the negative branch's derivative is wrong: for x <= 0 it is scale * alpha * e^x",
        )
    if s.formula == "softplus":
        linear = s.get("beta", 1.0) * s.x > s.get("threshold", 20.0)
        return {
            "threshold-branch-wrong": Subset(
                linear,
                "lies where beta * x > threshold",
                "past the threshold softplus is the identity, so its derivative there is 1",
                "threshold-branch-wrong",
            ),
            "smooth-branch-wrong": Subset(
                ~linear,
                "lies where beta * x <= threshold",
                "below the threshold the derivative is sigmoid(beta * x)",
                "smooth-branch-wrong",
            ),
        }
    # Smooth activations: the sign of x is worth reporting, but implies no one mistake.
    return {
        "positive-inputs": Subset(s.x > 0, "has x > 0"),
        "negative-inputs": Subset(s.x <= 0, "has x <= 0"),
    }


ELEMENTWISE = (
    "relu",
    "leaky-relu",
    "prelu",
    "elu",
    "selu",
    "softplus",
    "sigmoid",
    "tanh",
    "gelu",
    "silu",
)


def backward_subsets(
    component: Component, case: Case, twin: Any, x: np.ndarray, g: np.ndarray, forward_out: np.ndarray | None = None
) -> dict[str, Subsets]:
    """Named sets of entries of the input gradient whose being the only wrong ones implies a mistake; ``forward_out``
    is what the student's forward returned on x before this backward (a branch's claim needs it right there)."""
    if component.formula not in ELEMENTWISE:
        return {}
    s = _site(component, case, twin, x, g)
    return {"input": _behind_right_forward(_piecewise_subsets(s), s.y, forward_out)}


# A wrong branch of the derivative is backward's own mistake only where forward is right. Where forward's output is
# wrong on the same entries (a default slope changed, a constant moved into the argument, a mask taken after a
# clip), backward differentiates forward's function or reads what forward saved, so its numbers there follow from
# forward's mistake, which the forward rows (or the signature's, for a default) show: the branch is then what was
# observed, and no cause.
_FORWARD_WRONG_TOO = ", where your forward's output is wrong too"


def _behind_right_forward(subsets: Subsets, y: np.ndarray, forward_out: np.ndarray | None) -> Subsets:
    """``subsets`` with each mistake kept only where the student's forward (``forward_out``) is right on every entry
    of its subset; unknown (None), forward is not held against it."""
    if forward_out is None:
        return subsets
    out = as_array(forward_out)
    if out is None or out.shape != y.shape or out.dtype.kind not in "biuf":
        wrong = np.ones(y.shape, dtype=bool)
    else:
        wrong = evidence.wrong_entries(out, y)
    return {
        name: subset
        if subset.mistake is None or not (wrong & subset.mask).any()
        else Subset(subset.mask, subset.observation + _FORWARD_WRONG_TOO)
        for name, subset in subsets.items()
    }


# ------------------------------------------------------------------------------- crashes
def crash(component: Component, case: Case, message: str, source: str = "") -> tuple[str, str] | None:
    """``(tag, mistake)`` when numpy's message of a shape error (and ``source``, the line that raised) fits
    one known mistake of the activation."""
    if component.formula == "maxout":
        return (
            _transposed_parameter(component, case, message, source)
            or _einsum_parameter_subscripts(component, case, message, source)
            or _maxout_crash(case, message)
            or _parameter_sum_axis(component, case, message, source)
            or _parameter_grad_permuted(component, case, message, source)
        )
    if component.formula in (*ELEMENTWISE, "identity", "step"):  # (softmax's Jacobian may be a matrix product)
        found = _matrix_product(message, source)
        if found is not None:
            return found
    C, ndim = case.kwargs.get("num_parameters", 1), len(case.input_shape)
    if component.formula == "prelu" and C == 1:
        return _shared_slope_left_over(case, message)
    if component.formula == "prelu" and C > 1 and "out of bounds" in message:
        return _channel_index_past_axis(case, message, source)
    if component.formula != "prelu" or C < 2 or "broadcast" not in message:
        return None
    left_over = _slope_grad_left_over(case, message)
    if left_over is not None:
        summed, kept, shape = left_over
        axes = (0, *range(2, ndim))
        if 0 in kept:  # the batch axis left over: one value per sample and channel
            how = f"summed over {_axes_words(summed)} only" if summed else "not summed over any axis"
            return (
                "prelu-grad-wrong-axes",
                f"the slopes' gradient was {how}, which keeps the batch axis (axis 0): one value per sample and "
                f"channel{' and position along ' + _axes_words(kept[1:]) if kept[1:] else ''}, shape {shape}, where "
                f"the weight has shape ({C},): every sample of the batch uses the same slopes, so their gradient "
                f"sums the contributions over the batch too, over every axis but the channel axis, {axes} here, "
                "and for an input with any number of axes (0, *range(2, x.ndim))",
            )
        return (
            "prelu-grad-wrong-axes",
            f"the slopes' gradient was summed over {_axes_words(summed)} only, which leaves one value per channel "
            f"and position along {_axes_words(kept)}, shape {shape}, where the weight has shape ({C},): a slope is "
            f"shared by every position of its channel, so sum over every axis but the channel axis, {axes} here, "
            "and for an input with any number of axes (0, *range(2, x.ndim))",
        )
    last = (
        _slopes_on_last_axis(case, message)
        or _slope_grad_on_last_axis(case, message)
        or _slopes_channel_first(case, message)
    )
    if last is not None:
        return last
    for found in re.findall(r"\(([\d,\s]+)\)", message):
        shape = tuple(int(n) for n in found.replace(" ", "").split(",") if n)
        if len(shape) != ndim and len(shape) >= 2 and shape[:2] == (1, C) and set(shape[2:]) <= {1}:
            right = (1, C) + (1,) * (ndim - 2)
            return (
                "prelu-slope-broadcast",
                f"the slopes were reshaped to {shape}, for inputs with {len(shape)} axes; for an input with {ndim} "
                f"axes they broadcast as (1, C) followed by one 1 per further axis: {right}",
            )
    return None


def _channel_index_past_axis(case: Case, message: str, source: str) -> tuple[str, str] | None:
    """A loop over PReLU's C channels that reads channel c on another axis than axis 1, x[..., c] (the last axis,
    channels-last) or x[c] (the batch axis): numpy refuses c once it passes that axis's length, which is shorter
    than C. The line that raised says whether it was the slopes' gradient (a .grad or a contribution) or the
    function itself."""
    found = re.search(r"index (\d+) is out of bounds for axis (\d+) with size (\d+)", message)
    C, shape = case.kwargs.get("num_parameters", 1), tuple(case.input_shape)
    if found is None:
        return None
    index, axis, size = (int(n) for n in found.groups())
    if axis == 1 or axis >= len(shape) or shape[axis] != size or not size <= index < C:
        return None
    where = f"the last axis, axis {axis}," if axis == len(shape) - 1 else "axis 0, the batch,"
    right = (
        f"the channel is axis 1 of an input of shape {shape}, (N, C, ...): x[:, c], or without a loop the slopes "
        f"broadcast as weight.reshape((1, -1) + (1,) * (x.ndim - 2)) and their gradient sums over every axis but "
        f"axis 1, {(0, *range(2, len(shape)))} here"
    )
    text = (
        f"a loop over the {C} channels read channel c on {where} which has {size} entries here (index {index} is past "
        f"them): {right}"
    )
    if axis == len(shape) - 1:
        return "channels-last-layout", f"{text}. The last axis is the channel axis of the channels-last layout"
    return ("prelu-grad-wrong-axes" if "grad" in source else "prelu-slope-broadcast"), text


def _slopes_channel_first(case: Case, message: str) -> tuple[str, str] | None:
    """PReLU's C slopes shaped with C first, (C, 1) or (C, 1, ..., 1), met by the input in numpy's message: numpy
    lines shapes up from the last axis, so the slopes' C lands on axis ndim - len(shape) of the input (the batch
    axis for a column against (N, C)), not on the channel axis 1."""
    C, shape_in = case.kwargs.get("num_parameters", 1), tuple(case.input_shape)
    ndim = len(shape_in)
    found = message_shapes(message)
    if shape_in not in found:
        return None
    for shape in found:
        if 2 <= len(shape) <= ndim and shape[0] == C and set(shape[1:]) == {1}:
            axis = ndim - len(shape)
            if axis == 1:  # (then the slopes are on the channel axis: not this mistake)
                continue
            meets = "the batch axis, axis 0" if axis == 0 else f"axis {axis}"
            right = (1, C) + (1,) * (ndim - 2)
            return (
                "prelu-slope-broadcast",
                f"the slopes were reshaped to {shape}, with C first: numpy lines shapes up from the last axis, so "
                f"against an input of shape {shape_in} the C slopes meet {meets}, not the channel axis 1; they "
                f"broadcast as (1, C) followed by one 1 per further axis, {right} here, "
                "weight.reshape((1, -1) + (1,) * (x.ndim - 2))",
            )
    return None


def _slopes_on_last_axis(case: Case, message: str) -> tuple[str, str] | None:
    """PReLU's C slopes shaped (1, ..., 1, C), one per entry of the last axis (channels-last, TensorFlow's
    layout): right for (N, C), where the last axis is axis 1, but for (N, C, L) or (N, C, H, W) the slopes meet the
    length or the width, and numpy refuses them unless that axis happens to have C entries."""
    C, ndim = case.kwargs.get("num_parameters", 1), len(case.input_shape)
    on_last = (1,) * (ndim - 1) + (C,)
    if ndim < 3 or case.input_shape[-1] == C or on_last not in message_shapes(message):
        return None
    right = (1, C) + (1,) * (ndim - 2)
    return (
        "channels-last-layout",
        f"the slopes were reshaped to {on_last}, one per entry of the last axis: the channel axis of the "
        f"channels-last layout (TensorFlow's, (N, H, W, C)); here inputs are channels first, (N, C, ...), so channel "
        f"i is axis 1 whatever the number of axes, and the slopes broadcast as {right} for an input of shape "
        f"{case.input_shape} ((N, C) is the one shape where the last axis is the channel axis)",
    )


def _slope_grad_on_last_axis(case: Case, message: str) -> tuple[str, str] | None:
    """PReLU's slope gradient summed over every axis but the last (channels-last, TensorFlow's layout): right for
    (N, C), but for (N, C, L) or (N, C, H, W) it sums the channels away and leaves one value per entry of the last
    axis, which numpy refuses to add into the (C,) gradient unless that axis happens to have C entries."""
    C, shape_in = case.kwargs.get("num_parameters", 1), tuple(case.input_shape)
    ndim = len(shape_in)
    if ndim < 3 or shape_in[-1] == C:
        return None
    found = set(message_shapes(message))
    # Only the last axis leaves that length: another axis of the same length would be another reading.
    if (C,) not in found or (shape_in[-1],) not in found or shape_in[:-1].count(shape_in[-1]) > 0:
        return None
    axes = (0, *range(2, ndim))
    return (
        "channels-last-layout",
        f"the slopes' gradient was summed over every axis but the last, {tuple(range(ndim - 1))}, which leaves "
        f"shape ({shape_in[-1]},), one value per entry of the last axis, where the weight has shape ({C},): the last "
        "axis is the channel axis of the channels-last layout (TensorFlow's, (N, H, W, C)); here inputs are channels "
        f"first, (N, C, ...), so channel i is axis 1 and the sum runs over every axis but axis 1, {axes} here, "
        "(0, *range(2, x.ndim)) for any number of axes",
    )


def _matrix_product(message: str, source: str) -> tuple[str, str] | None:
    """``grad_y @ local`` (np.dot, np.matmul) in an elementwise activation: a matrix product where the chain rule
    multiplies entry by entry (the Jacobian of an elementwise function is diagonal), which fails on
    non-square batches."""
    product = re.search(r"@|\bnp\.(dot|matmul)\(|\.dot\(", source)
    if product is None or not re.search(r"matmul|not aligned|core dimension", message):
        return None
    return (
        "matmul-for-elementwise",
        f"the line that raised multiplies with a matrix product ({product.group(0).rstrip('(')}), but this "
        "activation acts entry by entry: its Jacobian is diagonal, so the chain rule multiplies grad_y by the local "
        "derivative elementwise, grad_y * f'(x), an array of x's shape",
    )


def _slope_grad_left_over(case: Case, message: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple] | None:
    """PReLU's slope gradient summed over too few axes: a shape in numpy's message that is the input's with the
    batch axis and some others summed away but the channel axis and at least one more kept. Returns the axes
    summed, the axes left over besides the channel, and the shape; None when no (or more than one) reading fits."""
    shape_in = tuple(case.input_shape)
    ndim = len(shape_in)
    found = {tuple(int(n) for n in m.split(",") if n) for m in re.findall(r"\(([\d,]+)\)", message.replace(" ", ""))}
    C = case.kwargs.get("num_parameters", 1)
    # The batch axis kept is read only from an in-place add of the left-over array into the (C,) gradient: the
    # input's shape less some axes also shows in errors of forward (the input itself, nothing summed).
    into = re.search(
        r"non-broadcastable output operand with shape \((\d+),?\) doesn't match the broadcast shape \(([\d,\s]*)\)",
        message,
    )
    added = tuple(int(n) for n in into.group(2).split(",") if n.strip()) if into and int(into.group(1)) == C else None
    readings = []
    # How many axes were summed: none up to all but the channel and one more (the batch, or another, kept).
    for size in range(ndim - 1):
        for summed in itertools.combinations(range(ndim), size):
            if 1 in summed:
                continue
            kept = tuple(a for a in range(ndim) if a not in summed)
            shape = tuple(shape_in[a] for a in kept)
            # (a kept axis of length 1 may as well be one summed with keepdims=True: no reading then)
            if 0 in kept and (shape != added or 1 in shape):
                continue
            if shape in found and (C,) in found:
                readings.append((summed, tuple(a for a in kept if a != 1), shape))
    return readings[0] if len(readings) == 1 else None


def _shared_slope_left_over(case: Case, message: str) -> tuple[str, str] | None:
    """One slope shared by every entry, whose gradient received a sum over some axes of the input only: numpy
    refuses to add an array of the input's shape less those axes into the (1,) gradient."""
    found = re.search(
        r"non-broadcastable output operand with shape \(1,?\) doesn't match the broadcast shape \(([\d,\s]*)\)",
        message,
    )
    if found is None:
        return None
    left = tuple(int(n) for n in found.group(1).split(",") if n.strip())
    shape_in = tuple(case.input_shape)
    readings = [
        summed
        for size in range(1, len(shape_in))
        for summed in itertools.combinations(range(len(shape_in)), size)
        if tuple(n for a, n in enumerate(shape_in) if a not in summed) == left
    ]
    if len(readings) != 1:
        return None
    return (
        "prelu-grad-wrong-axes",
        f"the gradient of the one shared slope, shape (1,), received a sum over {_axes_words(readings[0])} only, "
        f"which leaves shape {left} of the input's {shape_in}: a single slope is used by every entry, so its "
        "gradient collects every entry's contribution, the sum over every axis (.sum() with no axis)",
    )


def _axes_words(axes: tuple[int, ...]) -> str:
    """``(0, 2)`` -> "the batch (axis 0) and axis 2"; ``(2, 3)`` -> "axes 2 and 3"."""
    if axes and axes[0] == 0:
        return "the batch (axis 0)" + (f" and {_axes_words(axes[1:])}" if len(axes) > 1 else "")
    numbers = [str(a) for a in axes]
    return f"axis {numbers[0]}" if len(numbers) == 1 else f"axes {', '.join(numbers[:-1])} and {numbers[-1]}"


def _maxout_crash(case: Case, message: str) -> tuple[str, str] | None:
    """The winning pieces indexed as (N, 1, K), the pieces' count where the outputs' belongs: the argmax of
    z (N, K, M) ran over the outputs (axis 2), leaving one index per piece instead of one per output."""
    N, K, M = case.input_shape[0], case.kwargs.get("pieces", 2), case.kwargs["out_features"]
    found = {tuple(int(n) for n in m.split(",") if n) for m in re.findall(r"\(([\d,]+)\)", message.replace(" ", ""))}
    if K != M and {(N, M, K), (N, 1, M)} <= found:
        # A winners' array (N, M, K) met grad_y as (N, 1, M): its axes are z's (N, K, M) in another order.
        return (
            "axes-permuted",
            f"an array of shape ({N}, {M}, {K}) = (N, M, K) met grad_y as (N, 1, M) = ({N}, 1, {M}): it has z's axes "
            f"(N, K, M) = ({N}, {K}, {M}) in another order, the pieces last. A one-hot of the winners such as "
            "np.eye(K)[argmax] puts its new axis last; move the pieces axis to 1 (transpose(0, 2, 1), or compare "
            "argmax[:, None, :] with np.arange(K)[None, :, None])",
        )
    if K != M and {(N, K, M), (N, M, 1)} <= found:
        # The winner mask (N, K, M) met grad_y given its new axis last, grad_y[:, :, None] (N, M, 1).
        return (
            "broadcast-wrong-axis",
            f"grad_y was given its new axis last, grad_y[:, :, None] of shape ({N}, {M}, 1) = (N, M, 1), and met the "
            f"winner mask of shape ({N}, {K}, {M}) = (N, K, M): numpy lines shapes up from the right, so the outputs "
            "axis of grad_y faces the pieces axis; one copy of grad_y per piece is grad_y[:, None, :], (N, 1, M)",
        )
    D, default = case.kwargs["in_features"], 2
    for right, axis in (((K, M, D), 0), ((N, K, M), 1), ((K, M), 0)):  # (the pieces axis of each)
        wrong = right[:axis] + (default,) + right[axis + 1 :]
        if K != default and {right, wrong} <= found:
            # The pieces axis sized by the default number of pieces: a literal 2 written where self.pieces belongs.
            return (
                "hyperparameter-ignored#pieces",
                f"an array of shape {wrong} met one of shape {right}: where this Maxout has pieces = {K}, the pieces "
                f"axis holds {default}, the default number of pieces. A literal {default} (np.arange({default}), "
                f"range({default}), a reshape to {default} pieces) stands where self.pieces belongs",
            )
    if K == M or not ({(N, 1, K), (N, K)} & found):
        return None
    return (
        "maxout-wrong-axis",
        f"the winning piece was taken with argmax over axis 2 (the {M} outputs) of z (N, K, M) = ({N}, {K}, {M}), "
        f"which leaves one index per piece, shape ({N}, {K}); the maximum runs over the pieces, axis=1, "
        f"giving one winner per output, shape ({N}, {M})",
    )


def _parameter_sum_axis(component: Component, case: Case, message: str, source: str) -> tuple[str, str] | None:
    """A parameter's gradient summed over axis 1 of (N, ...) where the batch, axis 0, belongs: an array with
    the batch size N in place of the parameter's first axis met the parameter's ``.grad``."""
    found = re.search(r"self\.(\w+)\.grad\b", source)
    if found is None or found.group(1) not in component.params or not re.search(r"axis\s*=\s*1\b", source):
        return None
    shape = _parameter_shape(component, case, found.group(1))
    N = case.input_shape[0]
    summed = (N, *shape[1:])
    shapes = {tuple(int(n) for n in m.split(",") if n) for m in re.findall(r"\(([\d,]+)\)", message.replace(" ", ""))}
    if N == shape[0] or not {shape, summed} <= shapes:
        return None
    return (
        "gradient-summed-over-wrong-axes",
        f"`{found.group(1)}.grad`, shape {shape}, received an array of shape {summed}, one row per sample: the "
        f"sum ran over axis 1 and kept the batch axis 0 (N = {N}); a parameter's gradient sums over the batch, "
        "axis 0, leaving one entry per entry of the parameter",
    )


def _transposed_parameter(component: Component, case: Case, message: str, source: str) -> tuple[str, str] | None:
    """``x @ self.weight.data.T`` with a weight of three axes or more, in a product numpy refused: ``.T`` (or
    ``.transpose()``, ``np.transpose(w)``) reverses every axis, (K, M, D) into (D, M, K), where a matrix
    transpose swaps two; the product then meets the wrong axes."""
    if not re.search(r"matmul|not aligned|core dimension", message):
        return None
    for name in component.params:
        shape = _parameter_shape(component, case, name)
        written = re.search(
            rf"(self\.{name}(?:\.data)?)(\.T\b|\.transpose\(\))|np\.transpose\((self\.{name}(?:\.data)?)\)", source
        )
        if len(shape) < 3 or written is None:
            continue
        reversed_shape = tuple(reversed(shape))
        return (
            "axes-permuted",
            f"the line that raised transposes `{written.group(1) or written.group(3)}`, of shape {shape}, with "
            f"`{written.group(2) or 'np.transpose'}`: on an array of {len(shape)} axes that reverses "
            f"every axis, giving {reversed_shape}, not the transpose of each matrix of its last two axes, so the "
            "product meets the wrong axes. Name the axes each operand keeps or sums: np.einsum (as "
            '"nd,kjd->nkj" for x (N, D) and a (K, M, D) weight), or swap the last two axes only, '
            "np.swapaxes(w, -1, -2)",
        )
    return None


def _einsum_parameter_subscripts(component: Component, case: Case, message: str, source: str) -> tuple[str, str] | None:
    """An einsum whose subscripts for a parameter name its axes in another order than the parameter has them:
    numpy's message gives every operand's shape, and exactly one reordering of the parameter's subscripts gives
    each label one size across the operands (the parameter's shape is the documented one, so it is the one
    misread)."""
    if "remapped shapes" not in message:
        return None
    call = re.search(r"np\.einsum\(\s*['\"]([a-zA-Z,]+)(?:->\w*)?['\"]\s*,(.*)\)", source)
    if call is None:
        return None
    subscripts = call.group(1).split(",")
    operands = [a.strip() for a in call.group(2).split(",")]
    originals = [tuple(int(n) for n in m.split(",") if n.strip()) for m in re.findall(r"\(([\d,\s]*)\)->", message)]
    if len(operands) < len(subscripts) or len(originals) != len(subscripts):
        return None
    for i, operand in enumerate(operands[: len(subscripts)]):
        found = re.fullmatch(r"self\.(\w+)(?:\.data)?", operand)
        if found is None or found.group(1) not in component.params:
            continue
        name, written = found.group(1), subscripts[i]
        shape = _parameter_shape(component, case, name)
        if originals[i] != shape or len(set(written)) != len(written) or len(written) != len(shape):
            continue
        sizes: dict[str, set[int]] = {}
        for j, (letters, dims) in enumerate(zip(subscripts, originals, strict=True)):
            if j != i and len(letters) == len(dims):
                for letter, n in zip(letters, dims, strict=True):
                    sizes.setdefault(letter, set()).add(n)
        fits = [
            "".join(order)
            for order in itertools.permutations(written)
            if all(sizes.get(letter, {n}) == {n} for letter, n in zip(order, shape, strict=True))
        ]
        if len(fits) != 1 or fits[0] == written:
            return None
        right = fits[0]
        swapped = [a for a, (w, r) in enumerate(zip(written, right, strict=True)) if w != r]
        letters = _PARAMETER_AXES.get(len(shape), tuple("?" * len(shape)))
        tag = "transposed" if len(swapped) == 2 else "axes-permuted"
        how = (
            f"axes {swapped[0]} and {swapped[1]} swapped, as if `{name}` were transposed"
            if len(swapped) == 2
            else "its axes in another order"
        )
        return (
            tag,
            f'the einsum\'s subscripts for `{name}`, "{written}", read its shape {shape} = ({", ".join(letters)}) '
            f"with {how}: the labels then get two sizes across the operands. With the axes in their order the "
            f'subscripts are "{right}"; `{name}` keeps its documented shape, so write the subscripts (not the '
            "array) in its axes' order",
        )
    return None


def _parameter_grad_permuted(component: Component, case: Case, message: str, source: str) -> tuple[str, str] | None:
    """A parameter's ``.grad`` met an array with the parameter's sizes in another order: the gradient was
    built with its axes permuted (an einsum's output subscripts, a transpose, a reshape of the wrong order)."""
    found = re.search(r"self\.(\w+)\.grad\b", source)
    if found is None or found.group(1) not in component.params:
        return None
    name = found.group(1)
    shape = _parameter_shape(component, case, name)
    letters = _PARAMETER_AXES.get(len(shape))
    shapes = {tuple(int(n) for n in m.split(",") if n) for m in re.findall(r"\(([\d,]+)\)", message.replace(" ", ""))}
    permuted = [s for s in shapes if s != shape and sorted(s) == sorted(shape)]
    if letters is None or shape not in shapes or len(permuted) != 1 or len(set(shape)) != len(shape):
        return None
    got = permuted[0]
    order = ", ".join(letters[shape.index(n)] for n in got)
    einsum = re.search(r"np\.einsum\(\s*['\"][^'\"]*->(\w*)['\"]", source)
    how = (
        f"the einsum's output subscripts, ->{einsum.group(1)}, set the order of the result's axes; list them in "
        "the order of the parameter's axes"
        if einsum
        else "build it with the parameter's axes in their order"
    )
    return (
        "axes-permuted",
        f"`{name}.grad`, shape {shape} = ({', '.join(letters)}), received an array of shape {got}: the same sizes "
        f"in another order, ({order}). A parameter's gradient has the parameter's shape, axis for axis: {how}",
    )


# The letters of Maxout's parameter axes: the weight (pieces, out_features, in_features), the bias (pieces, out).
_PARAMETER_AXES = {3: ("K", "M", "D"), 2: ("K", "M")}


def _parameter_shape(component: Component, case: Case, name: str) -> tuple[int, ...]:
    """Maxout's weight (pieces, out_features, in_features) and bias (pieces, out_features)."""
    K, M, D = case.kwargs.get("pieces", 2), case.kwargs["out_features"], case.kwargs["in_features"]
    return (K, M, D) if name == "weight" else (K, M)


# ------------------------------------------------------------------------------- factors
def factors(component: Component, case: Case) -> dict[float, tuple[str, str]]:
    """The hyper-parameters a wrong array may be off by, with the mistake each factor means."""
    formula, kwargs = component.formula, case.kwargs
    if formula == "selu":
        scale = 1.0507009873554805
        return {
            scale: ("selu-scale-twice", f"SELU's scale = {scale} was applied twice"),
            1 / scale: ("selu-missing-scale", f"the factor scale = {scale} is missing"),
            **_alpha_once_more(float(SELU_ALPHA), "SELU is scale * ELU(x, alpha)"),
        }
    # An alpha of 1/2 or 2 is also the factor 2 a formula may gain or lose: the factor alone would not tell.
    if formula == "elu" and abs(kwargs.get("alpha", 1.0)) not in (0.0, 0.5, 1.0, 2.0):
        return _alpha_once_more(float(kwargs["alpha"]), "ELU is x for x > 0 and alpha (e^x - 1) for x <= 0")
    if formula == "softplus" and kwargs.get("beta", 1.0) not in (1.0, -1.0):
        beta = kwargs["beta"]
        return {
            beta: ("softplus-grad-times-beta", f"a factor beta = {beta:g} too many (the chain rule's beta cancels)"),
            1 / beta: ("softplus-divided-by-beta", f"divided by beta = {beta:g} once too often"),
        }
    if formula == "leaky-relu":
        slope = kwargs.get("negative_slope", 0.01)
        return {slope: ("slope-everywhere", f"every entry was multiplied by the slope {slope:g}")}
    return {}


def _alpha_once_more(alpha: float, formula: str) -> dict[float, tuple[str, str]]:
    """alpha times the whole right result: alpha multiplied once more on top of a result that holds it already
    (SELU's backward as alpha * ELU.backward(...), an ELU whose alpha is built in), so the x > 0 branch, which
    has no alpha, gets one and the negative branch has alpha^2."""
    return {
        alpha: (
            "alpha-applied-twice",
            f"{alpha!r} is alpha: alpha multiplied the whole result once more, on top of the alpha the negative "
            f"branch already holds ({formula}), so alpha was applied twice there and once on the x > 0 branch, "
            "which has none; alpha belongs once, inside the negative branch",
        )
    }
