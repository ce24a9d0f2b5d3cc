"""Weight initialisers: fan_in_and_fan_out against its fixtures, the others by the statistics of a draw.

A draw is random, so it is never compared entry by entry (``rng.uniform(-b, b)`` and
``rng.random() * 2b - b`` are both right): one large draw per case is judged by its mean, its
standard deviation against the fixture's, its shape (uniform or normal: the fraction of
entries beyond sqrt(3) std) and, for uniform draws, its bound. While an initialiser runs,
its module's ``fan_in_and_fan_out`` answers the fixture's shapes from the fixture (a table,
not code), so a wrong fan computation costs fan_in_and_fan_out only.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .compare import as_array, fmt
from .core import Check, Failed, Subject, fail_if
from .manifest import CaseSpec

FANS = ("fans",)
INITIALIZER = ("initializer",)
NORMAL_TAIL = 0.0833  # the fraction of a normal draw beyond sqrt(3) std (a uniform draw has none)


def _shape(sub: Subject, case: CaseSpec) -> tuple[int, ...]:
    return tuple(int(v) for v in sub.fixture[f"c{case.index}/shape"])


# ------------------------------------------------------------------------------- fans
def fans_probe(sub: Subject, case: CaseSpec | None) -> None:
    sub.cls()(_shape(sub, sub.spec.cases[0]))


def fans_fixture(sub: Subject, case: CaseSpec) -> None:
    shape = _shape(sub, case)
    got = sub.cls()(shape)
    want = tuple(int(v) for v in sub.fixture[f"c{case.index}/fans"])
    if (
        not isinstance(got, (tuple, list))
        or len(got) != 2
        or any(isinstance(v, bool) or not float(v).is_integer() for v in got)
    ):
        raise Failed(f"fan_in_and_fan_out({shape}) returned {got!r}; expected two ints (fan_in, fan_out)")
    got = (int(got[0]), int(got[1]))
    if got != want:
        known = {tuple(v): text for v, text in case.info.get("mistakes", [])}
        cause = known.get(got)
        raise Failed(
            f"fan_in_and_fan_out({shape}) returned {got}; expected {want}"
            + (f". Likely cause: {cause}" if cause else "")
        )


# ------------------------------------------------------------------------------- initialisers
class _Fans:
    """While an initialiser runs, its module's ``fan_in_and_fan_out`` answers from the fixture."""

    def __init__(self, sub: Subject) -> None:
        self.namespace = getattr(sub.cls(), "__globals__", {})
        table = {}
        for case in sub.spec.cases:
            table[_shape(sub, case)] = tuple(int(v) for v in sub.fixture[f"c{case.index}/fans"])
        for key in _small_keys(sub):
            table[tuple(int(v) for v in sub.fixture[f"{key}/shape"])] = tuple(
                int(v) for v in sub.fixture[f"{key}/fans"]
            )
        original = self.namespace.get("fan_in_and_fan_out")

        def fans(shape: Any) -> tuple[int, int]:
            key = tuple(int(v) for v in shape)
            return table[key] if key in table else original(shape)

        self.replacement = fans

    def __enter__(self) -> None:
        self.had, self.old = "fan_in_and_fan_out" in self.namespace, self.namespace.get("fan_in_and_fan_out")
        if self.had:
            self.namespace["fan_in_and_fan_out"] = self.replacement

    def __exit__(self, *exc: object) -> None:
        if self.had:
            self.namespace["fan_in_and_fan_out"] = self.old


def draw(sub: Subject, case: CaseSpec, seed: int) -> np.ndarray:
    shape = _shape(sub, case)
    with _Fans(sub):
        got = sub.cls()(shape, **case.kwargs, rng=np.random.default_rng(seed))
    array = as_array(got)
    if array is None or array.shape != shape:
        raise Failed(
            f"it returned {'no array' if array is None else f'shape {array.shape}'}; expected a new array of shape "
            f"{shape}"
        )
    if array.dtype != np.float64:
        raise Failed(f"it returned dtype {array.dtype}; weights are float64")
    return array


def init_probe(sub: Subject, case: CaseSpec | None) -> None:
    draw(sub, sub.spec.cases[0], 0)


def statistics(sub: Subject, case: CaseSpec) -> None:
    w = draw(sub, case, 1000 + case.index)
    n, std, uniform = w.size, float(sub.fixture[f"c{case.index}/std"]), case.info["distribution"] == "uniform"
    call = f"{sub.spec.class_name}({_shape(sub, case)}{''.join(f', {k}={v!r}' for k, v in case.kwargs.items())})"
    sigmas, threshold = sub.s.init_sigmas, sub.s.init_tail_fraction
    mean, measured = float(np.mean(w)), float(np.std(w))
    if abs(mean) > sigmas * std / math.sqrt(n):
        raise Failed(
            f"{call}: the mean of {n} entries is {fmt(mean)}; the weights must be centred on 0 (U(-b, b), not U(0, b))"
        )
    if n > 1 and abs(mean) < sub.s.init_recentred_sem * std / math.sqrt(n):
        raise Failed(
            f"{call}: the mean of {n} entries is {fmt(mean)}, 0 to round-off, where independent draws scatter by "
            f"std / sqrt(n) = {fmt(std / math.sqrt(n))}: the sample was shifted by its own mean, so its entries "
            "are no longer independent draws of the law; return the draw as the generator gives it"
        )
    kurtosis = 1.8 if uniform else 3.0
    if abs(measured / std - 1) > sigmas * math.sqrt((kurtosis - 1) / (4 * n)):
        cause = next((text for value, text in case.info.get("mistakes", []) if abs(measured / value - 1) < 0.02), None)
        raise Failed(
            f"{call}: the standard deviation of {n} entries is {fmt(measured)}; the rule gives {fmt(std)} "
            f"(ratio {fmt(measured / std)})" + (f". Likely cause: {cause}" if cause else "")
        )
    tail = float(np.mean(np.abs(w) > math.sqrt(3) * measured))
    if uniform and tail > threshold:
        raise Failed(
            f"{call}: {fmt(100 * tail)}% of the entries lie beyond sqrt(3) std, as for a normal draw; a uniform "
            "draw has none"
        )
    if not uniform and tail < threshold:
        raise Failed(
            f"{call}: only {fmt(100 * tail)}% of the entries lie beyond sqrt(3) std (a normal draw has "
            f"{fmt(100 * NORMAL_TAIL)}%): the entries were drawn uniform, not normal"
        )
    if uniform:
        bound, top = math.sqrt(3.0) * std, float(np.max(np.abs(w)))
        if top > bound * (1 + 1e-9) or top < bound * (1 - sub.s.init_bound_reach / n):
            raise Failed(
                f"{call}: the largest |entry| is {fmt(top)}; a draw from U(-b, b) with b = sqrt(3) std = "
                f"{fmt(bound)} comes within 30/n of b and never beyond"
            )


def _small_keys(sub: Subject) -> list[str]:
    """The fixture's small shapes (``small0``, ``small1``, ...); none in fixtures written before them."""
    keys = []
    while f"small{len(keys)}/shape" in sub.fixture:
        keys.append(f"small{len(keys)}")
    return keys


def scale_follows_fans(sub: Subject, case: CaseSpec | None) -> None:
    """Small shapes of as many entries, generators of the same seed: one draw scaled (any way of drawing from
    rng scales one unit draw), in the ratio of the fixture's stds. A draw of 12 entries has no statistical power,
    but the ratio is exact: an odd fan sum's half dropped by // or a root rounded to a whole number shows."""
    keys = _small_keys(sub)
    if not keys:
        return
    shapes = [tuple(int(v) for v in sub.fixture[f"{key}/shape"]) for key in keys]
    stds = [float(sub.fixture[f"{key}/std"]) for key in keys]
    draws = []
    with _Fans(sub):
        for shape in shapes:
            draws.append(as_array(sub.cls()(shape, rng=np.random.default_rng(12))))
    if any(w is None or w.size != draws[0].size or not np.isfinite(w).all() for w in draws):
        return  # (the statistics test says what is wrong with the draws)
    magnitudes = [np.sort(np.abs(w.astype(np.float64)).ravel()) for w in draws]
    if not magnitudes[0].any():
        return
    ratios = [float(m.sum() / magnitudes[0].sum()) for m in magnitudes]
    if not all(
        np.allclose(m, r * magnitudes[0], rtol=1e-7, atol=1e-7 * m.max())
        for m, r in zip(magnitudes, ratios, strict=True)
    ):
        return  # not one draw scaled: drawn another way, nothing to compare
    wrong = [
        f"{shape}: {fmt(r)} times the first, expected {fmt(s / stds[0])}"
        for shape, r, s in zip(shapes, ratios, stds, strict=True)
        if abs(r / (s / stds[0]) - 1) > 1e-9
    ]
    if wrong:
        raise Failed(
            f"{sub.spec.class_name} on shapes of as many entries, generators of the same seed, gave one draw scaled, "
            f"but not in the ratio of the rule's stds (against {shapes[0]}): "
            + "; ".join(wrong)
            + ". The scale depends on the fans otherwise than the rule; integer arithmetic, which only small fans "
            "show (// where / belongs, math.isqrt or int() of a root), is one way"
        )


def uses_rng(sub: Subject, case: CaseSpec | None) -> None:
    case = sub.spec.cases[0]
    a, b, c = draw(sub, case, 7), draw(sub, case, 7), draw(sub, case, 8)
    found = []
    if not np.array_equal(a, b):
        found.append(
            "two generators with the same seed gave different weights: draw from the rng argument (not np.random's "
            "global functions)"
        )
    if np.array_equal(a, c):
        found.append("generators with different seeds gave the same weights: the rng argument is ignored")
    fail_if(found)


CHECKS = (
    Check("runs", "runs", FANS, fans_probe),
    Check("fixtures", "fans", FANS, fans_fixture, per_case=True),
    Check("runs", "runs", INITIALIZER, init_probe),
    Check(
        "fixtures",
        "mean, standard deviation, distribution and bound of a large draw",
        INITIALIZER,
        statistics,
        per_case=True,
    ),
    Check("contracts", "draws from its rng argument", INITIALIZER, uses_rng),
    Check("contracts", "the scale follows the fans exactly on small shapes", INITIALIZER, scale_follows_fans),
)
