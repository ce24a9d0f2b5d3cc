"""Rubric, properties family: what a teacher would state about each module, tried by hypothesis.

No reference is needed: each property relates the submission's outputs to each other
(sigmoid(-x) = 1 - sigmoid(x), softmax is shift-invariant, convolution is affine and
translation-equivariant, pooled shapes follow the formula) or to a known limit. Which
properties a component has, and where its inputs live, are fields of its catalogue entry
(``invariants``, ``domain``, ``extremes``, ``laws``, ``geometry``): a check here selects the
components by those fields. Examples are derandomized from the grading seed, so a report is
reproducible.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import strategies as st
from nnlab.exercises.components import Component, Invariant
from nnlab.graders import settings
from nnlab.graders.results import Outcome, failed, passed

from ..catalogue import Context, check
from ..diagnose import IS, LOOKS_LIKE
from ..strategies import conv_configs, pool_configs, rng_array, shapes
from ..tolerance import agrees, allclose, as_array, compare
from . import activation_mistakes
from .drive import PropertyFailed, hypothesis_check
from .inputs import parameter_values, reference_class

Forward = Callable[[np.ndarray], np.ndarray]
MODULES = ("activation", "layer")  # the kinds a property may be declared for


def expect_close(actual: Any, expected: np.ndarray, what: str, scale: float | None = None) -> None:
    result = compare(actual, expected, scale=scale, rtol=settings.PROPERTY_RTOL)
    if not result.ok:
        raise PropertyFailed(f"{what}: {result.problem}")


def _forward(ctx: Context, **kwargs: Any) -> Forward:
    handle = ctx.session.new(ctx.component.name, **kwargs)

    def forward(x: np.ndarray) -> np.ndarray:
        y = ctx.session.call(handle, "forward", x)
        array = as_array(y)
        if array is None:
            raise PropertyFailed(f"forward returned {type(y).__name__}, not an array")
        return array.astype(np.float64)

    forward.handle = handle  # type: ignore[attr-defined]
    return forward


ELEMENTWISE = st.tuples(shapes(1, 3, 5), st.integers(0, 2**32 - 1), st.sampled_from([0.3, 1.0, 3.0]))


def _elementwise_input(example: tuple) -> np.ndarray:
    shape, data_seed, scale = example
    x = rng_array(data_seed, shape, scale)
    x[np.abs(x) < settings.KINK_MARGIN] = settings.KINK_MARGIN
    return x


# ------------------------------------------------------------------------------- invariants
# Each relation of an entry's ``Invariant``: relation(forward, x, kwargs, invariant) raises PropertyFailed.
Relation = Callable[[Forward, np.ndarray, dict, Invariant], None]


def _dim(x: np.ndarray, kw: dict) -> int:
    return kw.get("dim", -1)


def _ones_along_dim(x: np.ndarray, kw: dict) -> np.ndarray:
    return np.ones(np.delete(x.shape, _dim(x, kw) % x.ndim))


def _positive_part(f: Forward, x: np.ndarray, kw: dict, inv: Invariant) -> None:
    y = f(x)
    k = inv.factor
    expect_close(y[x > 0], k * x[x > 0], inv.message or f"f(x) should be {'x' if k == 1 else f'{k:.6g} x'} for x > 0")


RELATIONS: dict[str, Relation] = {
    "f(x) = x": lambda f, x, kw, inv: expect_close(f(x), x, inv.message or "f(x) should equal x"),
    "f(x) = [x > 0]": lambda f, x, kw, inv: expect_close(
        f(x), (x > 0) * 1.0, inv.message or "f(x) should be 1 where x > 0, else 0"
    ),
    "f(-x) = 1 - f(x)": lambda f, x, kw, inv: expect_close(
        f(-x), 1 - f(x), inv.message or "f(-x) should be 1 - f(x)", 1.0
    ),
    "f(-x) = -f(x)": lambda f, x, kw, inv: expect_close(f(-x), -f(x), inv.message or "f(-x) should be -f(x)"),
    "f(c x) = c f(x)": lambda f, x, kw, inv: expect_close(
        f(2.5 * x), 2.5 * f(x), inv.message or "f(2.5 x) should equal 2.5 f(x) (positive homogeneity)"
    ),
    "f(x) = k x for x > 0": _positive_part,
    "f(x) - f(-x) = x": lambda f, x, kw, inv: expect_close(
        f(x) - f(-x), x, inv.message or "f(x) - f(-x) should equal x", scale=float(np.max(np.abs(x)))
    ),
    "f(x) sums to 1 along dim": lambda f, x, kw, inv: expect_close(
        f(x).sum(axis=_dim(x, kw)), _ones_along_dim(x, kw), inv.message or "f(x) should sum to 1 along dim"
    ),
    "exp f(x) sums to 1 along dim": lambda f, x, kw, inv: expect_close(
        np.exp(f(x)).sum(axis=_dim(x, kw)), _ones_along_dim(x, kw), inv.message or "exp(f(x)) should sum to 1 along dim"
    ),
    "f(x + c) = f(x)": lambda f, x, kw, inv: expect_close(
        f(x + 7.0), f(x), inv.message or "f(x + c) should equal f(x)"
    ),
}


def _kwargs_for_properties(ctx: Context) -> dict[str, Any]:
    return dict(ctx.component.cases[0].kwargs)


def _invariants_line(component: Component) -> str:
    return "invariants: " + "; ".join(invariant.statement for invariant in component.invariants)


@check("properties", "invariants", MODULES, when=lambda c: bool(c.invariants), line=_invariants_line)
def activation_invariants(ctx: Context) -> Outcome:
    invariants = ctx.component.invariants
    name = _invariants_line(ctx.component)
    kwargs = _kwargs_for_properties(ctx)
    domain = ctx.component.domain
    f = _forward(ctx, **kwargs)

    def body(example: tuple) -> None:
        x = _elementwise_input(example)
        if x.ndim < domain.min_ndim:
            x = x.reshape(-1, 1)
        if np.isfinite(domain.low) or np.isfinite(domain.high):
            x = np.clip(x, domain.low, domain.high)
        for invariant in invariants:
            RELATIONS[invariant.relation](f, x, kwargs, invariant)

    return hypothesis_check(ctx, name, ELEMENTWISE, body, "property")


# ------------------------------------------------------------------------------- extremes
def _extremes_line(component: Component) -> str:
    """The row quotes the largest |x| tried: 1e4, or 1e308 where the function stays finite up to the float max."""
    inputs = component.extremes.inputs if component.extremes is not None else ((1e4,),)
    largest = max(abs(v) for row in inputs for v in row)
    return f"stable at extreme inputs (|x| up to 1e{round(np.log10(largest))}: no nan or inf)"


@check(
    "properties",
    "stable at extreme inputs (|x| up to 1e4: no nan or inf)",
    ("activation",),
    when=lambda c: c.extremes is not None,
    line=_extremes_line,
)
def stable_at_extremes(ctx: Context) -> Outcome:
    name = _extremes_line(ctx.component)
    assert ctx.component.extremes is not None
    for kwargs in (_kwargs_for_properties(ctx), *ctx.component.extremes.settings):
        outcome = _extremes(ctx, name, kwargs)
        if not outcome.passed:
            return outcome
    return passed(name)


def _extremes(ctx: Context, name: str, kwargs: dict[str, Any]) -> Outcome:
    extremes = ctx.component.extremes
    assert extremes is not None
    f = _forward(ctx, **kwargs)
    where = f" with {kwargs}" if kwargs else ""
    x = np.array(extremes.inputs, dtype=np.float64)
    try:
        y = f(x)
    except PropertyFailed as error:
        return failed(name, str(error) + ".")
    problems = []
    if y.shape != x.shape:
        return failed(name, f"forward returned shape {y.shape} for input of shape {x.shape}.", "wrong-shape")
    finite = bool(np.isfinite(y).all())
    if not finite:
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(y))[0])
        problems.append(f"forward gives {y[bad]} at x = {x[bad]:g}")
    passed_through = False  # every wrong limit is the input itself
    limit_missed = False  # a known limit missed (the shift comparison below observes, it knows no limit)
    if extremes.limits and np.isfinite(y).all():
        wrong = []
        for value, limit in extremes.limits:
            got = float(f(np.array([[value]]))[0, 0])
            if not np.isclose(got, limit, rtol=settings.EXTREME_LIMIT_TOL, atol=settings.EXTREME_LIMIT_TOL):
                problems.append(f"f({value:g}) = {got:.6g}{where}, expected {limit:.6g}")
                wrong.append(np.isclose(got, value, rtol=settings.EXTREME_LIMIT_TOL))
                limit_missed = True
        passed_through = bool(wrong) and all(wrong)
    if extremes.sums_to_one and np.isfinite(y).all():
        if not allclose(y.sum(axis=-1), 1.0):
            problems.append(f"rows sum to {np.round(y.sum(axis=-1), 6).tolist()}, not 1")
    if ctx.component.formula in _SHIFT_INVARIANT and finite:
        # softmax(x - c) = softmax(x): a row of logits near 1e4 is the row near 0 shifted, so its values are known.
        want = reference_class(ctx.component.name)(**kwargs).forward(x)
        off = np.argwhere(~np.isclose(y, want, rtol=settings.EXTREME_LIMIT_TOL, atol=settings.EXTREME_LIMIT_TOL))
        if off.size:
            row = int(off[0][0])
            problems.append(
                f"the logits {[float(v) for v in x[row]]} give {[round(float(v), 6) for v in y[row]]}{where}, "
                f"expected {[round(float(v), 6) for v in want[row]]} (a row shifted by a constant has the same "
                "result, so far logits give the values of near ones)"
            )
    handle = ctx.session.new(ctx.component.name, **kwargs)
    ctx.session.call(handle, "forward", x)
    grad = as_array(ctx.session.call(handle, "backward", np.ones_like(x)))
    if grad is None or grad.shape != x.shape or not np.isfinite(grad).all():
        problems.append("backward gives nan or inf (or no array) at extreme inputs")
        finite = False
    if problems and not _right_at_moderate_inputs(ctx, kwargs, x.shape):
        # Wrong at ordinary inputs too: the formula is the mistake, and the extremes only show it again.
        return failed(
            name,
            "; ".join(problems) + ". It is wrong at ordinary inputs too, so this is not (only) a matter of "
            "numerical stability: the forward and backward rows show where the formula differs.",
        )
    if problems and not finite and _only_underflowing_rows(x, y):
        return failed(
            name,
            "; ".join(problems) + ". Only the rows whose every entry is very negative break: there each exp(x) "
            "underflows to 0, so the normaliser is 0 and the result 0 / 0 (or log 0). The rows with large positive "
            "entries are fine, so the shift was applied to them only (a maximum clipped at 0, or a shift only when "
            "it is positive); always subtract each row's own maximum, whatever its sign, so that its largest "
            "exponential is exp(0) = 1.",
            "underflow",
        )
    underflowed = _log_of_underflow(ctx, kwargs, x, y) if problems and not finite else None
    if underflowed is not None:
        return failed(
            name, "; ".join(problems) + f". {underflowed[1]}", "log-of-softmax-underflow", confidence=underflowed[0]
        )
    half_sum = _half_sum_explained(ctx, kwargs, x, y) if problems and not finite else None
    if half_sum is not None:
        return failed(name, "; ".join(problems) + f". Cause: {half_sum}", "overflow", confidence=IS)
    if problems and not finite and _beyond_exp_range_only(x, y):
        return failed(
            name,
            "; ".join(problems) + ". The true value there is finite (this function grows like x), so an "
            "intermediate of the formula is larger than the result and passes the largest float (1.8e308): a sum "
            "such as x + |x|, or a product of x with itself. Compute with comparisons (np.where, np.maximum), "
            "which never leave the range of x.",
            "overflow",
        )
    if problems and not finite:
        return failed(
            name,
            "; ".join(problems) + ". Use a numerically stable formula (never exp of a large positive number).",
            "overflow",
        )
    if problems and passed_through:
        # f(v) = v: not a wrong constant but the identity branch where the function is not the identity.
        return failed(
            name,
            "; ".join(problems) + ". There forward returned its input unchanged: the branch that returns x is "
            "taken on a side where the function tends to its limit, not to x (a condition that holds there too).",
        )
    clip = _clipped_at_round_bound(ctx, kwargs, x, y) if problems and finite else None
    if clip is not None:  # the output stops changing past a round |x|: a clip, not a wrong constant
        return failed(name, "; ".join(problems) + f". Cause: {clip[1]}.", clip[0].partition("#")[0], confidence=IS)
    if problems:  # finite everywhere, but a wrong limit: a wrong constant, not an overflow
        return failed(name, "; ".join(problems) + ".", "wrong-limit" if limit_missed else "values")
    return passed(name)


_SHIFT_INVARIANT = ("softmax", "log-softmax")  # f(x - c) = f(x) along dim


def _minus_inf_only(y: np.ndarray) -> bool:
    """Is every non-finite entry of ``y`` -inf (no nan, no +inf)?"""
    broken = ~np.isfinite(y)
    return bool(broken.any()) and bool(np.all(np.isneginf(y[broken])))


def _log_of_underflow(ctx: Context, kwargs: dict[str, Any], x: np.ndarray, y: np.ndarray) -> tuple[str, str] | None:
    """``(confidence, sentence)`` when forward's non-finite entries are -inf, each where the right value is a
    log-probability so negative that its probability e^value underflows to 0 (below about -745), and the other
    entries are right: the log of an underflowed probability (np.log of the softmax), not an overflow. "is" when
    they are exactly the entries whose probability underflows (what np.log(softmax) gives), "looks like" when
    only some of them are (a probability computed otherwise underflows a little later); None otherwise."""
    if x.shape != y.shape or not _minus_inf_only(y):
        return None
    with np.errstate(all="ignore"):
        want = reference_class(ctx.component.name)(**kwargs).forward(x)
        underflows = np.exp(want) == 0.0
    minus_inf = np.isneginf(y)
    if not np.isfinite(want).all() or not underflows[minus_inf].all():
        return None
    kept = ~minus_inf
    if not np.allclose(y[kept], want[kept], rtol=settings.EXTREME_LIMIT_TOL, atol=settings.EXTREME_LIMIT_TOL):
        return None
    at = tuple(int(i) for i in np.argwhere(minus_inf)[0])
    sentence = (
        f"the right value there is {want[at]:.6g}, a log-probability so negative that its probability e^{want[at]:.6g} "
        "underflows to 0 in float64, and the log of that 0 is -inf: the probabilities were computed first and their "
        "log taken (np.log of the softmax), which loses every probability below about e^-745. This is no overflow (the "
        "other entries are right, so the shift by the maximum is there). Compute the log-probabilities directly, "
        "x - max - log(sum(exp(x - max))), which stays finite"
    )
    if np.array_equal(minus_inf, underflows):
        return IS, f"Cause: {sentence}."
    return LOOKS_LIKE, f"Looks like: {sentence} (the pattern fits; not confirmed)."


def _beyond_exp_range_only(x: np.ndarray, y: np.ndarray) -> bool:
    """Is forward finite at every input up to 1e4 and not beyond (a formula that grows like x, overflowed)?"""
    broken = ~np.isfinite(y)
    return bool(broken.any()) and bool(np.all(np.abs(x[broken]) > 1e4))


def _half_sum_explained(ctx: Context, kwargs: dict[str, Any], x: np.ndarray, y: np.ndarray) -> str | None:
    """The sentence naming a positive part max(0, x) written as (x + |x|) / 2, when that reproduces the extremes'
    outputs ``y`` (inf where x + |x| passes the float max, the right value elsewhere); None otherwise.

    Only for a function that is k x for x > 0: the simulation is k (x + |x|) / 2 plus the reference at min(x, 0),
    so the negative side keeps its own formula (ReLU's 0, LeakyReLU's slope, ELU's curve)."""
    factor = next((i.factor for i in ctx.component.invariants if i.relation == "f(x) = k x for x > 0"), None)
    if factor is None or x.shape != y.shape:
        return None
    reference = reference_class(ctx.component.name)(**kwargs)
    with np.errstate(all="ignore"):
        simulated = factor * 0.5 * (x + np.abs(x)) + reference.forward(np.minimum(x, 0.0))
    if not np.array_equal(np.isfinite(simulated), np.isfinite(y)) or np.isfinite(simulated).all():
        return None
    inside = np.isfinite(y)
    if not allclose(y[inside], simulated[inside], rtol=settings.EXTREME_LIMIT_TOL, atol=0.0):
        return None
    return (
        "forward writes the positive part max(0, x) as a half sum with |x|, (x + |x|) / 2 (or a slope's "
        "((1 + a) x + (1 - a) |x|) / 2), which is the same number for every x up to about 9e307; past that the sum "
        "x + |x| passes the largest float (1.8e308) and overflows to inf, although "
        "the result, x, is finite (docs/api.md: an inf whose true value is finite is a bug). np.maximum(x, 0) or "
        "np.where(x > 0, x, 0) never leave the range of x."
    )


def _clipped_at_round_bound(
    ctx: Context, kwargs: dict[str, Any], x: np.ndarray, y: np.ndarray
) -> tuple[str, str] | None:
    """The tag and sentence of a clip of the input (or a cap of the output) at round bounds that reproduces the
    extremes' outputs ``y``, for an elementwise activation; None when none does."""
    if ctx.component.formula in _SHIFT_INVARIANT:
        return _logits_clipped(ctx, kwargs, x, y)
    if ctx.component.formula not in activation_mistakes.ELEMENTWISE:
        return None
    f = reference_class(ctx.component.name)(**kwargs).forward
    with np.errstate(all="ignore"):
        bounds = activation_mistakes.clip_bounds(f, x, f(x), y)
    if bounds is None:
        return None
    if ctx.component.formula == "softplus":
        # Past the threshold softplus is the identity, so an input clip there looks like a cap of the output; a
        # bound at threshold / beta is the guard against exp's overflow, beta x clipped at the threshold.
        reference = reference_class(ctx.component.name)(**kwargs)
        edge = float(reference.threshold) / float(reference.beta)
        if np.isinf(bounds[0]) and np.isclose(bounds[1], edge, rtol=settings.SIMULATION_RTOL):
            return (
                "input-clipped",
                f"past x = {edge:g}, where beta x reaches the threshold {float(reference.threshold):g}, the output "
                f"stops changing (it stays f({edge:g}) = {float(f(np.array([edge]))[0]):.6g}): beta x was clipped "
                "at the threshold (np.minimum(beta * x, threshold), 'so that exp cannot overflow') before the "
                "formula, so the linear branch's test beta x > threshold on the clipped value never holds (a cap "
                "of the output at the same bound gives these numbers too). Take the branch's test from the "
                "unclipped beta x; the stable formula needs no clip",
            )
    return activation_mistakes.clip_explained(f, *bounds)


# Where students clip logits to keep exp finite: round numbers, and exp's own limit (e^709 is near the float max).
_LOGIT_CLIPS = (10.0, 20.0, 30.0, 50.0, 80.0, 88.0, 100.0, 200.0, 300.0, 500.0, 700.0, 709.0, 1000.0)


def _logits_clipped(ctx: Context, kwargs: dict[str, Any], x: np.ndarray, y: np.ndarray) -> tuple[str, str] | None:
    """Softmax (or log-softmax) of the logits clipped to [-c, c] reproduces the extremes' outputs: the clip was
    written against exp's overflow where the shift by each row's maximum belongs."""
    f = reference_class(ctx.component.name)(**kwargs).forward
    bounds = [bound for bound in _LOGIT_CLIPS if allclose(y, f(np.clip(x, -bound, bound)))]
    if not bounds:
        return None
    # (these logits may not tell the bounds apart: then the row names the range of those that fit)
    where = f"[-{bounds[0]:g}, {bounds[0]:g}]" if len(bounds) == 1 else f"[-c, c] for a c from {bounds[0]:g} to "
    where += "" if len(bounds) == 1 else f"{bounds[-1]:g} (these logits give the same outputs for each)"
    return (
        "input-clipped",
        f"the outputs are exactly those of the logits clipped to {where}: a clip keeps exp finite but flattens "
        "every logit beyond the bound to one value, so far logits that differ get the same probability; subtract "
        "each row's maximum along dim instead, which keeps exp finite and changes nothing (softmax(x - c) = "
        "softmax(x))",
    )


def _only_underflowing_rows(x: np.ndarray, y: np.ndarray) -> bool:
    """Are the rows (last axis) that hold a nan or inf exactly those whose every exp(x) underflows to 0?

    A normaliser of exponentials not shifted by a negative maximum is 0 there (0 / 0, log 0), while a row of
    large positive entries, shifted, stays finite: an underflow, not the overflow of exp of a large number.
    """
    if x.ndim < 2 or x.shape != y.shape:
        return False
    with np.errstate(all="ignore"):
        underflowing = np.all(np.exp(x) == 0.0, axis=-1)
    broken = ~np.isfinite(y).all(axis=-1)
    return bool(broken.any()) and bool(np.array_equal(broken, underflowing))


def _right_at_moderate_inputs(ctx: Context, kwargs: dict[str, Any], shape: tuple[int, ...]) -> bool:
    """Do forward and backward agree with the reference where no formula overflows (|x| <= 3)?"""
    rng = np.random.default_rng(ctx.seed)
    x = rng.uniform(-settings.MODERATE_INPUT, settings.MODERATE_INPUT, shape)
    x[np.abs(x) < 1e-2] = 0.5  # away from the kinks
    g = rng.standard_normal(shape)
    ref = reference_class(ctx.component.name)(**kwargs)
    handle = ctx.session.new(ctx.component.name, **kwargs)
    if not agrees(ctx.session.call(handle, "forward", x), ref.forward(x), scale=settings.MODERATE_INPUT):
        return False
    return agrees(ctx.session.call(handle, "backward", g), ref.backward(g), scale=float(np.max(np.abs(g))))


# ------------------------------------------------------------------------------- layers
def _layer(ctx: Context, **kwargs: Any) -> Forward:
    """A layer whose parameters are drawn from the grading seed, not by its constructor:
    a replayed example then meets the same weights, so a failure repeats exactly."""
    forward = _forward(ctx, **kwargs)
    handle = forward.handle
    rng = ctx.rng("layer", *sorted(kwargs.items()))
    reference = reference_class(ctx.component.name)(**kwargs)
    for name in ctx.component.params_for(kwargs):
        shape = getattr(reference, name).data.shape
        ctx.session.set(handle, f"{name}.data", parameter_values(ctx.component, name, shape, rng))
    return forward


# How a law check configures a component of each ``geometry`` on a random problem.
DENSE_CONFIGS = st.tuples(st.integers(1, 5), st.integers(1, 6), st.integers(1, 6))  # (N, in_features, out_features)
CONFIGS: dict[str, Callable[[], st.SearchStrategy]] = {
    "dense": lambda: DENSE_CONFIGS,
    "conv": conv_configs,
    "pool": pool_configs,
}


def _configured(ctx: Context, config: Any) -> tuple[Forward, tuple[int, ...]]:
    """The component built for ``config`` (drawn from its geometry's strategy), and its input shape."""
    geometry = ctx.component.geometry
    if geometry == "dense":
        n, d_in, d_out = config
        return _layer(ctx, in_features=d_in, out_features=d_out), (n, d_in)
    if geometry == "conv":
        f = _layer(
            ctx,
            in_channels=config.C_in,
            out_channels=config.C_out,
            kernel_size=config.kernel,
            stride=config.stride,
            padding=config.padding,
            bias=config.bias,
        )
        return f, config.input_shape
    return _layer(ctx, kernel_size=config.kernel, stride=config.stride), config.input_shape


# The laws an entry may list in ``laws``, one check each.
LAWS = ("affine", "size formula", "translation equivariant", "max commutes with shifts", "row-major", "best piece")


def _law(law: str) -> Callable[[Any], bool]:
    assert law in LAWS, law
    return lambda component: law in component.laws


@check(
    "properties", "affine in the input: f(a x1 + (1 - a) x2) = a f(x1) + (1 - a) f(x2)", MODULES, when=_law("affine")
)
def affine(ctx: Context) -> Outcome:
    name = "affine in the input: f(a x1 + (1 - a) x2) = a f(x1) + (1 - a) f(x2)"

    def body(example: Any) -> None:
        config, data_seed = example
        f, shape = _configured(ctx, config)
        rng = np.random.default_rng(data_seed)
        x1, x2, a = rng.standard_normal(shape), rng.standard_normal(shape), float(rng.uniform(-2, 2))
        expect_close(
            f(a * x1 + (1 - a) * x2),
            a * f(x1) + (1 - a) * f(x2),
            f"input shape {shape}: f(a x1 + (1-a) x2) != a f(x1) + (1-a) f(x2)",
            scale=10.0,
        )

    strategy = st.tuples(CONFIGS[ctx.component.geometry](), st.integers(0, 2**32 - 1))
    return hypothesis_check(ctx, name, strategy, body, "property")


@check(
    "properties",
    "output shape follows H' = 1 + (H + 2 padding - k) // stride on random configurations",
    MODULES,
    when=_law("size formula"),
)
def output_size_formula(ctx: Context) -> Outcome:
    name = "output shape follows H' = 1 + (H + 2 padding - k) // stride on random configurations"

    def body(config: Any) -> None:
        f, _ = _configured(ctx, config)
        channels = config.C_out if ctx.component.geometry == "conv" else config.C
        expected = (config.N, channels, *config.output_hw)
        x = rng_array(config.N * 7919 + config.H, config.input_shape)
        y = f(x)
        if y.shape != expected:
            raise PropertyFailed(f"{config}: output shape {y.shape}, expected {expected}")

    return hypothesis_check(ctx, name, CONFIGS[ctx.component.geometry](), body, "wrong-shape")


@check(
    "properties",
    "translation equivariant: shifting the input shifts the output (stride 1, no padding)",
    MODULES,
    when=_law("translation equivariant"),
)
def translation_equivariant(ctx: Context) -> Outcome:
    name = "translation equivariant: shifting the input shifts the output (stride 1, no padding)"

    def body(example: Any) -> None:
        (c_in, c_out, k, shift), data_seed = example
        f = _layer(ctx, in_channels=c_in, out_channels=c_out, kernel_size=k)
        x = np.random.default_rng(data_seed).standard_normal((2, c_in, 7, 8))
        shifted = np.roll(x, shift, axis=3)
        y, y_shifted = f(x), f(shifted)
        # Away from the wrap-around, the output is shifted by the same amount.
        valid = slice(shift + k - 1, y.shape[3]) if y.shape[3] > shift + k - 1 else slice(0, 0)
        expect_close(
            y_shifted[..., valid],
            np.roll(y, shift, axis=3)[..., valid],
            f"shifting a {c_in}-channel input by {shift} columns",
            scale=10.0,
        )

    strategy = st.tuples(
        st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3)), st.integers(0, 2**32 - 1)
    )
    return hypothesis_check(ctx, name, strategy, body, "property")


@check(
    "properties",
    "max pooling: pool(x + c) = pool(x) + c and pool(2x) = 2 pool(x); each output is in its window",
    MODULES,
    when=_law("max commutes with shifts"),
)
def max_pool_shift(ctx: Context) -> Outcome:
    name = "max pooling: pool(x + c) = pool(x) + c and pool(2x) = 2 pool(x); each output is in its window"

    def body(example: Any) -> None:
        config, data_seed = example
        f = _layer(ctx, kernel_size=config.kernel, stride=config.stride)
        x = np.random.default_rng(data_seed).standard_normal(config.input_shape)
        y = f(x)
        expect_close(f(x + 3.0), y + 3.0, f"{config}: pool(x + 3) should be pool(x) + 3")
        expect_close(f(2.0 * x), 2.0 * y, f"{config}: pool(2 x) should be 2 pool(x)")
        if not np.isin(y, x).all():
            raise PropertyFailed(f"{config}: an output value is not one of the input values")

    return hypothesis_check(ctx, name, st.tuples(pool_configs(), st.integers(0, 2**32 - 1)), body, "property")


@check("properties", "row-major flattening", MODULES, when=_law("row-major"))
def flatten_order(ctx: Context) -> Outcome:
    name = "row-major flattening: y = x.reshape(N, -1), and backward reshapes back"

    def body(example: tuple) -> None:
        shape, data_seed = example
        x = rng_array(data_seed, shape)
        handle = ctx.session.new(ctx.component.name)
        expect_close(ctx.session.call(handle, "forward", x), x.reshape(shape[0], -1), f"input of shape {shape}")
        g = rng_array(data_seed + 1, (shape[0], int(np.prod(shape[1:]))))
        expect_close(ctx.session.call(handle, "backward", g), g.reshape(shape), f"gradient for input of shape {shape}")

    return hypothesis_check(ctx, name, st.tuples(shapes(2, 4, 4), st.integers(0, 2**31)), body, "property")


@check("properties", "y is the largest of the pieces x . weight[k] + bias[k]", MODULES, when=_law("best piece"))
def maxout_best_piece(ctx: Context) -> Outcome:
    name = "y is the largest of the pieces x . weight[k] + bias[k]"

    def body(example: tuple) -> None:
        (n, d_in, d_out, pieces), data_seed = example
        handle = ctx.session.new(ctx.component.name, d_in, d_out, pieces)
        rng = np.random.default_rng(data_seed)
        w, b = rng.standard_normal((pieces, d_out, d_in)), rng.standard_normal((pieces, d_out))
        ctx.session.set(handle, "weight.data", w)
        ctx.session.set(handle, "bias.data", b)
        x = rng.standard_normal((n, d_in))
        expected = (np.einsum("ni,koi->nko", x, w) + b[None]).max(axis=1)
        expect_close(
            ctx.session.call(handle, "forward", x),
            expected,
            f"Maxout({d_in}, {d_out}, pieces={pieces}) on a batch of {n}",
        )

    strategy = st.tuples(
        st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.integers(1, 4)), st.integers(0, 2**31)
    )
    return hypothesis_check(ctx, name, strategy, body, "property")
