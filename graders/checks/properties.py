"""Rubric, properties family: what a teacher would state about each module, tried by hypothesis.

No reference is needed: each property relates the submission's outputs to each other
(sigmoid(-x) = 1 - sigmoid(x), softmax is shift-invariant, convolution is affine and
translation-equivariant, pooled shapes follow the formula) or to a known limit. Examples
are derandomized from the grading seed, so a report is reproducible.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import HealthCheck, Phase, given, seed
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.errors import Flaky

from .. import settings
from ..catalogue import Context, check
from ..puppet import StudentError
from ..results import Outcome, failed, passed
from ..strategies import conv_configs, pool_configs, rng_array, shapes
from ..tolerance import as_array, compare
from .inputs import parameter_values, reference_class

Forward = Callable[[np.ndarray], np.ndarray]


class PropertyFailed(AssertionError):
    pass


def expect_close(actual: Any, expected: np.ndarray, what: str, scale: float | None = None) -> None:
    result = compare(actual, expected, scale=scale, rtol=settings.PROPERTY_RTOL)
    if not result.ok:
        raise PropertyFailed(f"{what}: {result.problem}")


class _Stop(BaseException):
    """Ends a hypothesis run at once: hypothesis shrinks after ordinary exceptions."""

    def __init__(self, error: StudentError | None = None) -> None:
        super().__init__()
        self.error = error


def run_property(
    ctx: Context, name: str, strategy: st.SearchStrategy, body: Callable[[Any], None], tag: str
) -> Outcome:
    """Run ``body`` on derandomized examples; the first counterexample becomes the feedback.

    Shrinking a counterexample stops after ``settings.PROPERTY_SHRINK_CALLS`` more calls,
    keeping the smallest found (it runs the student's code each time). A student's
    exception ends the run at once and propagates to the runner: the error, not the
    example, is the feedback (and a timed-out session must not be called again).
    """
    failures: list[str] = []
    calls_since_failure = [0]

    @seed(ctx.seed)
    # No shrinking: the first failing example is reported as drawn (deterministic for a seed),
    # and a stub's NotImplementedError is not retried hundreds of times.
    @hsettings(
        max_examples=settings.PROPERTY_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(strategy)
    def test(example: Any) -> None:
        if failures:
            calls_since_failure[0] += 1
            if calls_since_failure[0] > settings.PROPERTY_SHRINK_CALLS:
                raise _Stop()
        try:
            body(example)
        except PropertyFailed as error:
            failures.append(str(error))
            raise
        except StudentError as error:
            raise _Stop(error) from None

    try:
        test()
    except _Stop as stop:
        if stop.error is not None:
            raise stop.error from None
        return failed(name, failures[-1] + ".", tag)
    except PropertyFailed:
        return failed(name, (failures[-1] if failures else "the property does not hold") + ".", tag)
    except Flaky:
        # A counterexample that passed when hypothesis replayed it: the result depends on
        # earlier calls or on the student's own randomness. Still a counterexample.
        if not failures:
            raise
        return failed(
            name,
            f"{failures[0]} (the same example passed when repeated: the result depends on "
            "earlier calls or on unseeded randomness).",
            tag,
        )
    return passed(name)


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
    x[np.abs(x) < 1e-3] = 1e-3
    return x


# Each entry: (statement, relation(forward, x, kwargs)); the relation raises PropertyFailed.
def _odd_part_is_x(f: Forward, x: np.ndarray, kw: dict) -> None:
    expect_close(f(x) - f(-x), x, "f(x) - f(-x) should equal x", scale=float(np.max(np.abs(x))))


def _homogeneous(f: Forward, x: np.ndarray, kw: dict) -> None:
    expect_close(f(2.5 * x), 2.5 * f(x), "f(2.5 x) should equal 2.5 f(x) (positive homogeneity)")


def _identity_where_positive(f: Forward, x: np.ndarray, kw: dict, factor: float = 1.0) -> None:
    y = f(x)
    expect_close(y[x > 0], factor * x[x > 0], f"f(x) should be {'x' if factor == 1 else f'{factor:.6g} x'} for x > 0")


SELU_SCALE = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717


def _softmax_axis(x: np.ndarray, kw: dict) -> int:
    return kw.get("dim", -1)


INVARIANTS: dict[str, list[tuple[str, Callable[[Forward, np.ndarray, dict], None]]]] = {
    "activations.Identity": [("y = x", lambda f, x, kw: expect_close(f(x), x, "y should equal x"))],
    "activations.Step": [("y = 1 where x > 0, else 0", lambda f, x, kw: expect_close(f(x), (x > 0) * 1.0, "step"))],
    "activations.Sigmoid": [
        (
            "sigmoid(-x) = 1 - sigmoid(x)",
            lambda f, x, kw: expect_close(f(-x), 1 - f(x), "sigmoid(-x) should be 1 - sigmoid(x)", 1.0),
        ),
    ],
    "activations.Tanh": [("tanh is odd", lambda f, x, kw: expect_close(f(-x), -f(x), "tanh(-x) should be -tanh(x)"))],
    "activations.ReLU": [("positively homogeneous", _homogeneous), ("y = x for x > 0", _identity_where_positive)],
    "activations.LeakyReLU": [("positively homogeneous", _homogeneous), ("y = x for x > 0", _identity_where_positive)],
    "activations.PReLU": [("positively homogeneous", _homogeneous), ("y = x for x > 0", _identity_where_positive)],
    "activations.ELU": [("y = x for x > 0", _identity_where_positive)],
    "activations.SELU": [("y = scale x for x > 0", lambda f, x, kw: _identity_where_positive(f, x, kw, SELU_SCALE))],
    "activations.GELU": [("f(x) - f(-x) = x", _odd_part_is_x)],
    "activations.SiLU": [("f(x) - f(-x) = x", _odd_part_is_x)],
    "activations.Softplus": [("f(x) - f(-x) = x below the threshold", _odd_part_is_x)],
    "activations.Softmax": [
        (
            "rows sum to 1",
            lambda f, x, kw: expect_close(
                f(x).sum(axis=_softmax_axis(x, kw)),
                np.ones(np.delete(x.shape, _softmax_axis(x, kw) % x.ndim)),
                "softmax should sum to 1 along dim",
            ),
        ),
        ("shift-invariant", lambda f, x, kw: expect_close(f(x + 7.0), f(x), "softmax(x + c) should equal softmax(x)")),
    ],
    "activations.LogSoftmax": [
        (
            "exp sums to 1",
            lambda f, x, kw: expect_close(
                np.exp(f(x)).sum(axis=_softmax_axis(x, kw)),
                np.ones(np.delete(x.shape, _softmax_axis(x, kw) % x.ndim)),
                "exp(log_softmax) should sum to 1 along dim",
            ),
        ),
        (
            "shift-invariant",
            lambda f, x, kw: expect_close(f(x + 7.0), f(x), "log_softmax(x + c) should equal log_softmax(x)"),
        ),
    ],
}


def _kwargs_for_properties(ctx: Context) -> dict[str, Any]:
    return dict(ctx.component.cases[0].kwargs)


@check("properties", "invariants", ("activation",), components=tuple(INVARIANTS))
def activation_invariants(ctx: Context) -> Outcome:
    relations = INVARIANTS[ctx.component.name]
    name = "invariants: " + "; ".join(statement for statement, _ in relations)
    kwargs = _kwargs_for_properties(ctx)
    f = _forward(ctx, **kwargs)

    def body(example: tuple) -> None:
        x = _elementwise_input(example)
        if ctx.component.name == "activations.PReLU":
            x = x.reshape(-1, 1) if x.ndim == 1 else x
        if ctx.component.name == "activations.Softplus":
            x = np.clip(x, -15, 15)  # below the threshold where f(x) = x exactly
        for _, relation in relations:
            relation(f, x, kwargs)

    return run_property(ctx, name, ELEMENTWISE, body, "property")


# Known limits far from 0: (input, output) pairs every correct implementation reaches.
def _limits(name: str) -> list[tuple[float, float]] | None:
    big = 1000.0
    return {
        "activations.Sigmoid": [(big, 1.0), (-big, 0.0)],
        "activations.Tanh": [(big, 1.0), (-big, -1.0)],
        "activations.ELU": [(-big, -1.0), (big, big)],
        "activations.SELU": [(-big, -SELU_SCALE * SELU_ALPHA), (big, SELU_SCALE * big)],
        "activations.GELU": [(-big, 0.0), (big, big)],
        "activations.SiLU": [(-big, 0.0), (big, big)],
        "activations.Softplus": [(-big, 0.0), (big, big)],
        "activations.ReLU": [(-big, 0.0), (big, big)],
    }.get(name)


# Settings whose formula differs from the first case's, so they reach the extremes too.
EXTREME_SETTINGS = {"activations.GELU": ({"approximate": "tanh"},)}


@check("properties", "stable at extreme inputs", ("activation",), exclude=("activations.Maxout",))
def stable_at_extremes(ctx: Context) -> Outcome:
    name = "stable at extreme inputs (|x| up to 1e4: no nan or inf)"
    for kwargs in (_kwargs_for_properties(ctx), *EXTREME_SETTINGS.get(ctx.component.name, ())):
        outcome = _extremes(ctx, name, kwargs)
        if not outcome.passed:
            return outcome
    return passed(name)


def _extremes(ctx: Context, name: str, kwargs: dict[str, Any]) -> Outcome:
    f = _forward(ctx, **kwargs)
    where = f" with {kwargs}" if kwargs else ""
    if ctx.component.name in ("activations.Softmax", "activations.LogSoftmax"):
        x = np.array([[1000.0, 0.0, -1000.0], [1e4, 1e4 - 1, 1e4 - 2], [-1e4, -1e4, -1e4 + 3]])
    else:
        x = np.array([[-1e4, -1000.0, -50.0, -1.5], [1.5, 50.0, 1000.0, 1e4]])
        if ctx.component.name == "activations.PReLU":
            x = x.reshape(-1, 1)
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
    limits = _limits(ctx.component.name)
    if limits and np.isfinite(y).all():
        for value, limit in limits:
            got = float(f(np.array([[value]]))[0, 0])
            if not np.isclose(got, limit, rtol=1e-6, atol=1e-6):
                problems.append(f"f({value:g}) = {got:.6g}{where}, expected {limit:.6g}")
    if ctx.component.name == "activations.Softmax" and np.isfinite(y).all():
        if not np.allclose(y.sum(axis=-1), 1.0):
            problems.append(f"rows sum to {np.round(y.sum(axis=-1), 6).tolist()}, not 1")
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
    if problems and not finite:
        return failed(
            name,
            "; ".join(problems) + ". Use a numerically stable formula (never exp of a large positive number).",
            "overflow",
        )
    if problems:  # finite everywhere, but a wrong limit: a wrong constant, not an overflow
        return failed(name, "; ".join(problems) + ".", "wrong-limit")
    return passed(name)


def _right_at_moderate_inputs(ctx: Context, kwargs: dict[str, Any], shape: tuple[int, ...]) -> bool:
    """Do forward and backward agree with the reference where no formula overflows (|x| <= 3)?"""
    rng = np.random.default_rng(ctx.seed)
    x = rng.uniform(-3.0, 3.0, shape)
    x[np.abs(x) < 1e-2] = 0.5  # away from the kinks
    g = rng.standard_normal(shape)
    ref = reference_class(ctx.component.name)(**kwargs)
    handle = ctx.session.new(ctx.component.name, **kwargs)
    if not compare(ctx.session.call(handle, "forward", x), ref.forward(x), scale=3.0).ok:
        return False
    return compare(ctx.session.call(handle, "backward", g), ref.backward(g), scale=float(np.max(np.abs(g)))).ok


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


@check("properties", "affine in the input", components=("layers.Linear", "layers.Conv2d", "layers.AvgPool2d"))
def affine(ctx: Context) -> Outcome:
    name = "affine in the input: f(a x1 + (1 - a) x2) = a f(x1) + (1 - a) f(x2)"
    convolution = ctx.component.name == "layers.Conv2d"

    def body(example: Any) -> None:
        if ctx.component.name == "layers.Linear":
            (n, d_in, d_out), data_seed = example
            f = _layer(ctx, in_features=d_in, out_features=d_out)
            shape = (n, d_in)
        elif convolution:
            config, data_seed = example
            f = _layer(
                ctx,
                in_channels=config.C_in,
                out_channels=config.C_out,
                kernel_size=config.kernel,
                stride=config.stride,
                padding=config.padding,
                bias=config.bias,
            )
            shape = config.input_shape
        else:
            config, data_seed = example
            f = _layer(ctx, kernel_size=config.kernel, stride=config.stride)
            shape = config.input_shape
        rng = np.random.default_rng(data_seed)
        x1, x2, a = rng.standard_normal(shape), rng.standard_normal(shape), float(rng.uniform(-2, 2))
        expect_close(
            f(a * x1 + (1 - a) * x2),
            a * f(x1) + (1 - a) * f(x2),
            f"input shape {shape}: f(a x1 + (1-a) x2) != a f(x1) + (1-a) f(x2)",
            scale=10.0,
        )

    if ctx.component.name == "layers.Linear":
        strategy = st.tuples(
            st.tuples(st.integers(1, 5), st.integers(1, 6), st.integers(1, 6)), st.integers(0, 2**32 - 1)
        )
    elif convolution:
        strategy = st.tuples(conv_configs(), st.integers(0, 2**32 - 1))
    else:
        strategy = st.tuples(pool_configs(), st.integers(0, 2**32 - 1))
    return run_property(ctx, name, strategy, body, "property")


@check(
    "properties",
    "output shape follows the size formula",
    components=("layers.Conv2d", "layers.MaxPool2d", "layers.AvgPool2d"),
)
def output_size_formula(ctx: Context) -> Outcome:
    name = "output shape follows H' = 1 + (H + 2 padding - k) // stride on random configurations"

    def body(config: Any) -> None:
        if ctx.component.name == "layers.Conv2d":
            f = _layer(
                ctx,
                in_channels=config.C_in,
                out_channels=config.C_out,
                kernel_size=config.kernel,
                stride=config.stride,
                padding=config.padding,
                bias=config.bias,
            )
            expected = (config.N, config.C_out, *config.output_hw)
        else:
            f = _layer(ctx, kernel_size=config.kernel, stride=config.stride)
            expected = (config.N, config.C, *config.output_hw)
        x = rng_array(config.N * 7919 + config.H, config.input_shape)
        y = f(x)
        if y.shape != expected:
            raise PropertyFailed(f"{config}: output shape {y.shape}, expected {expected}")

    strategy = conv_configs() if ctx.component.name == "layers.Conv2d" else pool_configs()
    return run_property(ctx, name, strategy, body, "wrong-shape")


@check("properties", "translation equivariant", components=("layers.Conv2d",))
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
    return run_property(ctx, name, strategy, body, "property")


@check("properties", "max pooling commutes with shifts", components=("layers.MaxPool2d",))
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

    return run_property(ctx, name, st.tuples(pool_configs(), st.integers(0, 2**32 - 1)), body, "property")


@check("properties", "row-major flattening", components=("layers.Flatten",))
def flatten_order(ctx: Context) -> Outcome:
    name = "row-major flattening: y = x.reshape(N, -1), and backward reshapes back"

    def body(example: tuple) -> None:
        shape, data_seed = example
        x = rng_array(data_seed, shape)
        handle = ctx.session.new("layers.Flatten")
        expect_close(ctx.session.call(handle, "forward", x), x.reshape(shape[0], -1), f"input of shape {shape}")
        g = rng_array(data_seed + 1, (shape[0], int(np.prod(shape[1:]))))
        expect_close(ctx.session.call(handle, "backward", g), g.reshape(shape), f"gradient for input of shape {shape}")

    return run_property(ctx, name, st.tuples(shapes(2, 4, 4), st.integers(0, 2**31)), body, "property")


@check("properties", "maxout takes the best piece", components=("activations.Maxout",))
def maxout_best_piece(ctx: Context) -> Outcome:
    name = "y is the largest of the pieces x . weight[k] + bias[k]"

    def body(example: tuple) -> None:
        (n, d_in, d_out, pieces), data_seed = example
        handle = ctx.session.new("activations.Maxout", d_in, d_out, pieces)
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
    return run_property(ctx, name, strategy, body, "property")
