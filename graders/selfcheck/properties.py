"""Properties: invariants the student's component must satisfy on any input (hypothesis).

Each property is a sentence about the component alone (softmax rows sum to 1 and ignore a
shift; sigmoid(x) + sigmoid(-x) = 1; a convolution is affine in its input), so it needs no
reference. The manifest lists the ones that apply to each component. Examples are few and
derandomized (the same ones every run) with no deadline: a slow loop is not a wrong answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .compare import as_array, compare, fmt
from .core import Check, Failed, Subject
from .manifest import CaseSpec
from .modules import setup

SEEDS_MAX = 2**32 - 1
# BatchNorm's channels shifted by this (times 1, 2, ...): a variance taken from x - mean stays exact to ~1e-10,
# one taken as mean(x**2) - mean**2 cancels to ~eps * mean**2 / var of it (1e-4 for a spread of 1).
LARGE_MEAN = 1e6


class _Falsified(AssertionError):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def hypothesis_run(
    sub: Subject, strategy: Any, body: Callable[[Any], str | None], explicit: tuple[Any, ...] = ()
) -> None:
    """Run ``body`` on ``explicit`` examples and a few derandomized ones; its first complaint fails the check."""
    from hypothesis import HealthCheck, Phase, Verbosity, example, given
    from hypothesis import settings as hypothesis_settings

    @hypothesis_settings(
        max_examples=sub.s.property_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate),  # no shrinking: the first failing example, as drawn
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
    )
    @given(strategy)
    def run(drawn: Any) -> None:
        problem = body(drawn)
        if problem:
            raise _Falsified(problem)

    for given_example in explicit:
        run = example(given_example)(run)
    try:
        run()
    except _Falsified as falsified:
        raise Failed(falsified.problem) from None


Module = Callable[[], Any]  # a fresh instance of the student's module, set up from the first case


def _forward(module: Any, x: np.ndarray) -> np.ndarray:
    y = as_array(module.forward(x.copy()))
    if y is None:
        raise Failed("forward did not return an array")
    return y.astype(np.float64)


def _close(sub: Subject, a: np.ndarray, b: np.ndarray, scale: float = 1.0) -> bool:
    return a.shape == b.shape and compare(a, b, scale=scale, rtol=sub.s.property_rtol, s=sub.s).ok


def _dim(case: CaseSpec) -> int:
    return int(case.kwargs.get("dim", -1))


# ------------------------------------------------------------------------------- module properties
def identity(sub: Subject, new: Module, x: np.ndarray, case: CaseSpec) -> str | None:
    module = new()
    if not _close(sub, _forward(module, x), x) or not _close(sub, as_array(module.backward(2 * x)), 2 * x):
        return "forward(x) must be x and backward(grad_y) must be grad_y"
    return None


def monotone(sub: Subject, new: Module, x: np.ndarray, case: CaseSpec) -> str | None:
    x = np.sort(x, axis=-1)
    y = _forward(new(), x)
    if y.shape == x.shape and (np.diff(y, axis=-1) < -1e-12 * (1 + np.abs(y[..., 1:]))).any():
        return (
            f"it is not monotone: for sorted inputs {np.array2string(x.reshape(-1)[:4], precision=4)}... "
            "the outputs decrease somewhere"
        )
    return None


def odd(sub: Subject, new: Module, x: np.ndarray, case: CaseSpec) -> str | None:
    if not _close(sub, _forward(new(), -x), -_forward(new(), x)):
        return "f(-x) must equal -f(x) (an odd function)"
    return None


def sigmoid_symmetry(sub: Subject, new: Module, x: np.ndarray, case: CaseSpec) -> str | None:
    if not _close(sub, _forward(new(), x) + _forward(new(), -x), np.ones_like(x)):
        return "f(x) + f(-x) must equal 1"
    return None


def minus_mirror_is_x(sub: Subject, new: Module, x: np.ndarray, case: CaseSpec) -> str | None:
    if not _close(sub, _forward(new(), x) - _forward(new(), -x), x, scale=float(np.max(np.abs(x)))):
        return "f(x) - f(-x) must equal x (as for x * sigmoid(x), x * Phi(x), max(0, x), softplus)"
    return None


def positive_homogeneous(sub: Subject, new: Module, x: np.ndarray, case: CaseSpec) -> str | None:
    module = new()
    if hasattr(module, "bias") and getattr(module, "bias", None) is not None and hasattr(module.bias, "data"):
        module.bias.data = np.zeros_like(module.bias.data)
    c = 2.5
    if not _close(sub, _forward(module, c * x), c * _forward(module, x), scale=c * float(np.max(np.abs(x)))):
        return f"f({c} x) must equal {c} f(x) (positively homogeneous, with zero bias)"
    return None


def bounded(sub: Subject, new: Module, x: np.ndarray, case: CaseSpec) -> str | None:
    low, high = (float(v) for v in case.info.get("bounds", sub.spec.info["bounds"]))  # (per case: ELU's -alpha)
    y = _forward(new(), 20 * x)
    if (y < low - 1e-12).any() or (y > high + 1e-12).any():
        return f"outputs must lie in [{low}, {high}]; got {fmt(float(y.min()))} .. {fmt(float(y.max()))}"
    return None


def finite_at_extremes(sub: Subject, new: Module, x: np.ndarray, case: CaseSpec) -> str | None:
    big = 1000.0 * np.sign(x) + x
    module = new()
    y = _forward(module, big)
    grad = as_array(module.backward(np.ones_like(y)))
    if not np.isfinite(y).all() or grad is None or not np.isfinite(grad).all():
        which = "forward" if not np.isfinite(y).all() else "backward"
        return (
            f"{which} gives nan or inf for inputs of magnitude 1000 (an overflow in exp?): use a numerically "
            "stable formula"
        )
    return None


def finite_near_max(sub: Subject, new: Module, x: np.ndarray, case: CaseSpec) -> str | None:
    """A function that is x for x > 0 is finite there up to the largest float (1.8e308). The negative side keeps
    its inputs: a slope above 1 truly overflows at -1e308."""
    huge = np.where(x >= 0, 1e308, x)
    y = _forward(new(), huge)
    if not np.isfinite(y).all():
        return (
            "forward gives inf or nan at inputs of magnitude 1e308, where the result is finite: an intermediate "
            "larger than the result (a sum such as x + |x|) passes the largest float; compute with comparisons "
            "(np.where, np.maximum)"
        )
    return None


def rows_sum_to_one(sub: Subject, new: Module, x: np.ndarray, case: CaseSpec) -> str | None:
    y = _forward(new(), 5 * x)
    if (y < 0).any() or not _close(sub, y.sum(axis=_dim(case)), np.ones(np.delete(x.shape, _dim(case) % x.ndim))):
        return f"the outputs along dim={_dim(case)} must be non-negative and sum to 1"
    return None


def logsumexp_zero(sub: Subject, new: Module, x: np.ndarray, case: CaseSpec) -> str | None:
    y = _forward(new(), 5 * x)
    if not _close(sub, np.exp(y).sum(axis=_dim(case)), np.ones(np.delete(x.shape, _dim(case) % x.ndim))):
        return f"exp of the outputs along dim={_dim(case)} must sum to 1 (log-probabilities)"
    return None


def shift_invariant(sub: Subject, new: Module, x: np.ndarray, case: CaseSpec) -> str | None:
    other = list(x.shape)
    other[_dim(case) % x.ndim] = 1
    shift = np.linspace(-50.0, 50.0, int(np.prod(other))).reshape(other)  # one constant per slice along dim
    if not _close(sub, _forward(new(), x + shift), _forward(new(), x), scale=50.0):
        return f"adding a constant to every entry along dim={_dim(case)} must not change the result (shifts up to 50)"
    return None


def affine(sub: Subject, new: Module, x: np.ndarray, case: CaseSpec) -> str | None:
    module = new()
    a, b, lam = x, np.roll(x, 1) * 0.7 - 0.3, 0.3
    mixed = _forward(module, lam * a + (1 - lam) * b)
    if not _close(
        sub, mixed, lam * _forward(module, a) + (1 - lam) * _forward(module, b), scale=float(np.max(np.abs(x)))
    ):
        return "f(0.3 a + 0.7 b) must equal 0.3 f(a) + 0.7 f(b): the layer is affine in its input"
    return None


def convex(sub: Subject, new: Module, x: np.ndarray, case: CaseSpec) -> str | None:
    module = new()
    a, b = x, -np.roll(x, 1)
    mid, ends = _forward(module, (a + b) / 2), (_forward(module, a) + _forward(module, b)) / 2
    if (mid > ends + 1e-9 * (1 + np.abs(ends))).any():
        return "f((a + b) / 2) must be at most (f(a) + f(b)) / 2: a maximum of affine pieces is convex"
    return None


def backward_linear(sub: Subject, new: Module, x: np.ndarray, case: CaseSpec) -> str | None:
    module = new()
    y = _forward(module, x)
    rng = np.random.default_rng(int(abs(x.flat[0]) * 1e6) % SEEDS_MAX)
    g1, g2 = rng.standard_normal(y.shape), rng.standard_normal(y.shape)
    first = as_array(module.backward(g1))
    module.forward(x.copy())
    second = as_array(module.backward(g2))
    module.forward(x.copy())
    both = as_array(module.backward(2.0 * g1 - g2))
    if first is None or second is None or both is None:
        return "backward did not return an array"
    if not _close(
        sub, both.astype(np.float64), 2.0 * first - second, scale=float(np.max(np.abs(first)) + np.max(np.abs(second)))
    ):
        return (
            "backward(2 g1 - g2) must equal 2 backward(g1) - backward(g2): the chain rule multiplies "
            "grad_y in, it is linear in grad_y"
        )
    return None


def translation_equivariant(sub: Subject, new: Module, x: np.ndarray, case: CaseSpec) -> str | None:
    module = sub.cls()(**sub.spec.info["equivariance"]["kwargs"])
    weight, bias = sub.fixture["equivariance/param/weight"], sub.fixture["equivariance/param/bias"]
    module.weight.data, module.bias.data = weight, bias
    image = np.random.default_rng(int(abs(x.flat[0]) * 1e6) % SEEDS_MAX).standard_normal((1, weight.shape[1], 6, 7))
    y = _forward(module, image)
    shifted = _forward(module, np.roll(image, 1, axis=3))
    if not _close(sub, shifted[..., 1:], y[..., :-1], scale=float(np.max(np.abs(image)))):
        return "shifting the image one column right must shift the output one column right (stride 1, no padding)"
    return None


def pool_commutes(sub: Subject, new: Module, x: np.ndarray, case: CaseSpec) -> str | None:
    module = new()
    y = _forward(module, x)
    if not _close(sub, _forward(module, 3.0 * x + 1.5), 3.0 * y + 1.5, scale=3 * float(np.max(np.abs(x))) + 1.5):
        return "pooling 3 x + 1.5 must give 3 pool(x) + 1.5 (a maximum commutes with increasing affine maps)"
    return None


def round_trip(sub: Subject, new: Module, x: np.ndarray, case: CaseSpec) -> str | None:
    module = new()
    y = _forward(module, x)
    if y.ndim != 2 or y.shape[0] != x.shape[0] or not _close(sub, as_array(module.backward(y)), x):
        return "forward must give (N, everything else) and backward(forward(x)) must give x back"
    return None


def normalises(sub: Subject, new: Module, x: np.ndarray, case: CaseSpec) -> str | None:
    module = new()
    module.weight.data = np.ones_like(module.weight.data)
    module.bias.data = np.zeros_like(module.bias.data)
    module.train()
    data = 3.0 * x + 2.0
    y = _forward(module, data)
    axes = (0, *range(2, x.ndim))  # every axis but the channels
    if x.size // x.shape[1] < 2:
        return None
    var = data.var(axis=axes)
    eps = float(case.kwargs.get("eps", 1e-5))
    if not _close(sub, y.mean(axis=axes), np.zeros_like(var), scale=10.0) or not _close(
        sub, y.var(axis=axes), var / (var + eps), scale=1.0
    ):
        return (
            "in training, with weight 1 and bias 0, every channel of the output must have mean 0 and "
            "variance var / (var + eps)"
        )
    # Channels whose mean dwarfs their spread (raw features): the variance must still come out right.
    shifted = x + LARGE_MEAN * np.arange(1, x.shape[1] + 1).reshape((1, -1) + (1,) * (x.ndim - 2))
    module = new()
    module.weight.data = np.ones_like(module.weight.data)
    module.bias.data = np.zeros_like(module.bias.data)
    module.train()
    var = x.var(axis=axes)
    if not _close(sub, _forward(module, shifted).var(axis=axes), var / (var + eps), scale=1.0):
        return (
            f"in training, channels with a mean of {LARGE_MEAN:g} or more must be normalised as well as centred "
            "ones (variance var / (var + eps)): a variance computed as mean(x**2) - mean**2 loses its digits "
            "there (both terms are about mean**2); take it from x - mean, or x.var(axis=axes)"
        )
    return None


MODULE_PROPERTIES: dict[str, tuple[str, Callable[..., str | None]]] = {
    "identity": ("forward and backward are the identity", identity),
    "monotone": ("monotone", monotone),
    "odd": ("odd: f(-x) = -f(x)", odd),
    "sigmoid-symmetry": ("f(x) + f(-x) = 1", sigmoid_symmetry),
    "minus-mirror": ("f(x) - f(-x) = x", minus_mirror_is_x),
    "positive-homogeneous": ("f(c x) = c f(x) for c > 0", positive_homogeneous),
    "bounded": ("outputs within their range", bounded),
    "finite-extremes": ("finite at inputs of magnitude 1000", finite_at_extremes),
    "finite-near-max": ("finite at inputs of magnitude 1e308", finite_near_max),
    "sums-to-one": ("sums to 1 along dim", rows_sum_to_one),
    "logsumexp-zero": ("exp sums to 1 along dim", logsumexp_zero),
    "shift-invariant": ("a shift along dim changes nothing", shift_invariant),
    "affine": ("affine in the input", affine),
    "convex": ("convex in the input", convex),
    "backward-linear": ("backward is linear in grad_y", backward_linear),
    "translation-equivariant": ("translation equivariant", translation_equivariant),
    "pool-commutes": ("commutes with increasing affine maps", pool_commutes),
    "round-trip": ("backward undoes forward", round_trip),
    "normalises": ("training output normalised per channel", normalises),
}


def _module_check(key: str) -> Callable[[Subject, CaseSpec | None], None]:
    prop = MODULE_PROPERTIES[key][1]

    def run(sub: Subject, case: CaseSpec | None) -> None:
        from hypothesis import strategies as st

        cases = sub.spec.cases

        def body(example: tuple[int, int, float]) -> str | None:
            k, seed, scale = example
            case = cases[k % len(cases)]
            if key in case.info.get("skip_properties", ()):
                return None
            shape = sub.fixture[f"c{case.index}/x"].shape
            x = scale * np.random.default_rng(seed).standard_normal(shape)
            problem = prop(sub, lambda: setup(sub, case), x, case)
            return f"{problem} ({case.id}: an input of shape {shape}, scale {scale:g})" if problem else None

        strategy = st.tuples(
            st.integers(0, len(cases) - 1), st.integers(0, SEEDS_MAX), st.sampled_from([0.5, 1.0, 3.0])
        )
        # Every case once at a large scale (|x| up to ~100: where clipped or limiting formulas take over).
        hypothesis_run(sub, strategy, body, explicit=tuple((k, k + 1, 30.0) for k in range(len(cases))))

    return run


# ------------------------------------------------------------------------------- loss properties
def _loss_data(sub: Subject, seed: int) -> tuple[np.ndarray, np.ndarray, CaseSpec]:
    case = sub.spec.cases[0]
    x, t = sub.fixture["c0/input"], sub.fixture["c0/target"]
    rng = np.random.default_rng(seed)
    if sub.spec.positive_input:
        x = rng.uniform(0.01, 0.99, x.shape)
    else:
        x = 2.0 * rng.standard_normal(x.shape)
    if sub.spec.target == "class":
        t = rng.integers(0, x.shape[1], x.shape[0])
    elif sub.spec.target == "binary":
        t = rng.integers(0, 2, x.shape).astype(np.float64)
    else:
        t = rng.standard_normal(x.shape)
    return x, t, case


def nonnegative(sub: Subject, seed: int) -> str | None:
    x, t, case = _loss_data(sub, seed)
    value = float(np.asarray(sub.build(case).forward(x, t), dtype=np.float64))
    if not value >= 0:
        return f"the loss is {fmt(value)}; a loss of this kind is never negative"
    return None


def zero_at_target(sub: Subject, seed: int) -> str | None:
    x, _, case = _loss_data(sub, seed)
    loss = sub.build(case)
    value = float(np.asarray(loss.forward(x, x.copy()), dtype=np.float64))
    grad = as_array(loss.backward())
    if value != 0 or grad is None or np.any(grad != 0):
        return "with target equal to the input, the loss and its gradient must be exactly 0"
    return None


def class_shift_invariant(sub: Subject, seed: int) -> str | None:
    x, t, case = _loss_data(sub, seed)
    shift = np.linspace(-40.0, 40.0, x.shape[0])[:, None]
    loss = sub.build(case)
    a = float(np.asarray(loss.forward(x, t), dtype=np.float64))
    ga = as_array(loss.backward())
    b = float(np.asarray(loss.forward(x + shift, t), dtype=np.float64))
    gb = as_array(loss.backward())
    if (
        not _close(sub, np.asarray(b), np.asarray(a), scale=40.0)
        or ga is None
        or gb is None
        or not _close(sub, gb, ga, scale=1.0)
    ):
        return "adding a constant to a row of logits must change neither the loss nor its gradient (shifts up to 40)"
    return None


def separated_is_zero(sub: Subject, seed: int) -> str | None:
    x, t, case = _loss_data(sub, seed)
    margin = float(case.kwargs.get("margin", 1.0))
    x = x.copy()
    x[np.arange(len(t)), t] = x.max(axis=1) + margin + 0.5
    loss = sub.build(case)
    value = float(np.asarray(loss.forward(x, t), dtype=np.float64))
    grad = as_array(loss.backward())
    if value != 0 or grad is None or np.any(grad != 0):
        return (
            f"when the true class wins by more than the margin ({margin:g}) everywhere, the loss and gradient must be 0"
        )
    return None


LOSS_PROPERTIES: dict[str, tuple[str, Callable[[Subject, int], str | None]]] = {
    "nonnegative": ("never negative", nonnegative),
    "zero-at-target": ("zero at the target", zero_at_target),
    "class-shift-invariant": ("a shift of a row of logits changes nothing", class_shift_invariant),
    "separated-is-zero": ("zero when every sample is separated by the margin", separated_is_zero),
}


def _loss_check(key: str) -> Callable[[Subject, CaseSpec | None], None]:
    prop = LOSS_PROPERTIES[key][1]

    def run(sub: Subject, case: CaseSpec | None) -> None:
        from hypothesis import strategies as st

        hypothesis_run(sub, st.integers(0, SEEDS_MAX), lambda seed: prop(sub, seed))

    return run


def _has(key: str) -> Callable[[Any], bool]:
    return lambda spec: key in spec.properties


CHECKS = tuple(
    Check("properties", title, ("activation", "layer"), _module_check(key), when=_has(key))
    for key, (title, _) in MODULE_PROPERTIES.items()
) + tuple(
    Check("properties", title, ("loss",), _loss_check(key), when=_has(key))
    for key, (title, _) in LOSS_PROPERTIES.items()
)
