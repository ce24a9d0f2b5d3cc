"""Random layers (Dropout): every rule of inverted dropout checked on its own, no value fixtures.

The mask is the student's random draw, so outputs cannot be compared with the reference;
instead each rule is read off the output: kept entries are scaled by 1/(1-p), about a
fraction p is dropped, backward reuses the forward mask, eval is the identity, every forward
draws a new mask with one coin per entry, and eval()/train() switch it off and on again.
"""

from __future__ import annotations

import inspect
import math

import numpy as np

from .compare import as_array, compare, fmt
from .core import Check, Failed, Subject, fail_if
from .manifest import CaseSpec

RANDOM = ("layer",)


def _random(spec) -> bool:  # noqa: ANN001
    return bool(spec.info.get("random"))


def _p(case: CaseSpec) -> float:
    return float(case.kwargs.get("p", 0.5))


def _input(sub: Subject, case: CaseSpec) -> tuple[np.ndarray, np.ndarray]:
    return sub.fixture[f"c{case.index}/x"], sub.fixture[f"c{case.index}/grad_y"]


def _forward(sub: Subject, module, x: np.ndarray) -> np.ndarray:  # noqa: ANN001
    y = as_array(module.forward(x.copy()))
    if y is None or y.shape != x.shape:
        raise Failed(f"forward returned {'no array' if y is None else f'shape {y.shape}'}; expected shape {x.shape}")
    return y.astype(np.float64)


def _rate_ok(sub: Subject, dropped: float, p: float, size: int) -> bool:
    return abs(dropped - p) <= sub.s.dropout_sigmas * math.sqrt(p * (1 - p) / size) + 1e-12


def probe(sub: Subject, case: CaseSpec | None) -> None:
    case = sub.spec.cases[0]
    x, g = _input(sub, case)
    module = sub.build(case)
    module.forward(x)
    module.backward(g)


def train_rules(sub: Subject, case: CaseSpec) -> None:
    p = _p(case)
    x, g = _input(sub, case)
    module = sub.build(case)
    y = _forward(sub, module, x)
    kept = y != 0
    dropped = 1.0 - float(np.mean(kept))
    if not _rate_ok(sub, dropped, p, x.size):
        hint = " (p was used as the probability to keep an entry)" if _rate_ok(sub, dropped, 1 - p, x.size) else ""
        raise Failed(
            f"with p={p} it dropped {fmt(100 * dropped)}% of the {x.size} entries; expected about {fmt(100 * p)}%{hint}"
        )
    if kept.any() and not compare(y[kept], x[kept] / (1 - p), s=sub.s).ok:
        if compare(y[kept], x[kept], s=sub.s).ok:
            raise Failed(
                f"kept entries equal the input; inverted dropout divides them by 1 - p = {fmt(1 - p)} so that the "
                "expected output equals the input"
            )
        fail_if(sub.judge(y[kept], x[kept] / (1 - p), "the kept entries (expected x / (1 - p))"))
    gx = as_array(module.backward(g.copy()))
    want = np.where(kept, g / (1 - p), 0.0)
    if gx is not None and gx.shape == x.shape and not compare(gx, want, s=sub.s).ok:
        gx = gx.astype(np.float64)
        if np.array_equal(gx != 0, kept) and compare(gx[kept], g[kept], s=sub.s).ok:
            raise Failed(
                f"backward zeroes the dropped entries but forgets the scale 1/(1-p) = {fmt(1 / (1 - p))} of the "
                "kept ones"
            )
        if not np.array_equal(gx != 0, kept):
            raise Failed(
                "backward zeroed other entries than forward dropped: it must reuse the forward mask (save it in "
                "forward), not draw a new one"
            )
    fail_if(sub.judge(gx, want, "the input gradient (grad_y through the forward mask, scaled by 1/(1-p))"))


def eval_identity(sub: Subject, case: CaseSpec) -> None:
    x, g = _input(sub, case)
    module = sub.build(case)
    if module.eval() is not module:
        raise Failed("eval() does not return the module itself")
    found = [sub.judge(module.forward(x.copy()), x, "the output in eval mode (the identity)")]
    found.append(sub.judge(module.backward(g.copy()), g, "the input gradient in eval mode (grad_y unchanged)"))
    fail_if(found)


def extremes(sub: Subject, case: CaseSpec | None) -> None:
    x = sub.rng("extremes").standard_normal((6, 7))
    found = []
    for p, want in ((0.0, x), (1.0, np.zeros_like(x))):
        module = sub.cls()(p=p)
        found.append(sub.judge(module.forward(x.copy()), want, f"the output with p={p:g}"))
        found.append(sub.judge(module.backward(x.copy()), want, f"the gradient with p={p:g}"))
    fail_if(found)


def new_mask(sub: Subject, case: CaseSpec | None) -> None:
    case = sub.spec.cases[0]
    x, _ = _input(sub, case)
    module = sub.build(case)
    # Two forwards of one instance, not two instances: the random source is free (docs/api.md), so a
    # generator seeded once in the constructor is fine even though two new instances then agree.
    first, second = _forward(sub, module, x) == 0, _forward(sub, module, x) == 0
    if first.any() and (~first).any() and np.array_equal(first, second):
        raise Failed(
            f"two training forwards of one Dropout on the same input of shape {x.shape} dropped exactly the same "
            "entries; every forward must draw a new mask. Likely cause: a generator made inside forward with a "
            "fixed seed, or a mask drawn once and kept"
        )


def same_rate_every_call(sub: Subject, case: CaseSpec | None) -> None:
    """Three training steps of one instance each drop at rate p and scale by 1/(1-p): a value derived from p
    stored back into self.p (1 - p, the scale) leaves the first call right and the next ones wrong. The cases'
    p other than 0.5, where 1 - p is p and such a swap would not show."""
    ps = sorted({_p(c) for c in sub.spec.cases} - {0.5})
    x = sub.rng("same-rate").standard_normal((100, 100))
    x[np.abs(x) < 1e-3] = 1e-3  # an input of 0 would look dropped
    for p in [p for p in ps if 0.0 < p < 1.0] or [0.3]:
        module = sub.cls()(p=p)
        for step in ("first", "second", "third"):
            y = _forward(sub, module, x)
            module.backward(np.ones_like(x))
            kept = y != 0
            dropped = 1.0 - float(np.mean(kept))
            right = _rate_ok(sub, dropped, p, x.size) and compare(y[kept], x[kept] / (1 - p), s=sub.s).ok
            if step == "first" and not right:
                break  # the first call is wrong already: the train rules say how
            if not right:
                now = getattr(module, "p", p)
                shown = fmt(float(now)) if isinstance(now, (int, float, np.number)) else repr(now)
                changed = f" (and `self.p` is now {shown})" if now is not p and shown != fmt(p) else ""
                raise Failed(
                    f"one Dropout(p={p}): the first training forward dropped about {fmt(100 * p)}% and scaled by "
                    f"1/(1-p), but the {step} dropped {fmt(100 * dropped)}%{changed}: every forward must drop at "
                    "rate p; keep self.p as given and compute what is derived from it (1 - p, the scale) into a local"
                )


def from_rng(sub: Subject, case: CaseSpec | None) -> None:
    """docs/api.md: a Dropout given ``rng`` draws its masks from it. Generators of one seed must then
    give one mask, and of another seed another (checked only when the constructor takes ``rng``)."""
    if "rng" not in inspect.signature(sub.cls()).parameters:
        return  # rng is a convenience (docs/api.md): without it the source of the masks is free
    case = sub.spec.cases[0]
    x, _ = _input(sub, case)
    seed = int(sub.rng("from-rng").integers(2**31 - 1))
    first, again, other = (
        _forward(sub, sub.build(case, rng=np.random.default_rng(s)), x) == 0 for s in (seed, seed, seed + 1)
    )
    if first.all() or not first.any():
        return  # nothing random to compare: the rate checks report it
    if not np.array_equal(first, again):
        raise Failed(
            "two Dropouts built with rng=np.random.default_rng(seed), the same seed, dropped different entries of "
            "the same input: the mask must be drawn from the generator given as rng (self.rng.random(x.shape)), not "
            "from np.random or another generator"
        )
    module = sub.build(case, rng=np.random.default_rng(seed + 1))
    renewed = not np.array_equal(_forward(sub, module, x) == 0, _forward(sub, module, x) == 0)
    if np.array_equal(first, other) and renewed:  # (the same mask every call: "draws a new mask" says why)
        raise Failed(
            "Dropouts built with generators of two different seeds dropped the same entries: the mask comes from a "
            "generator of a fixed seed, not from the rng the layer was given"
        )


def independent(sub: Subject, case: CaseSpec | None) -> None:
    for case in sub.spec.cases:
        p = _p(case)
        x, _ = _input(sub, case)
        y = _forward(sub, sub.build(case), x)
        kept = (y != 0).reshape(x.shape[0], -1)
        if x.shape[0] > 1 and (kept == kept[:1]).all() and not kept.all():
            raise Failed(
                f"with p={p} on an input of shape {x.shape} every sample lost exactly the same entries: one mask was "
                "drawn for one sample and broadcast over the batch; draw it with the input's full shape"
            )
        if kept.shape[1] > 1 and (kept == kept[:, :1]).all() and not kept.all():
            raise Failed(f"with p={p} on an input of shape {x.shape} each sample was dropped or kept as a whole")
        if x.ndim == 4:
            positions = (y != 0).reshape(*x.shape[:2], -1)
            if positions.shape[2] > 1 and (positions == positions[:, :, :1]).all() and not positions.all():
                raise Failed(
                    f"with p={p} on an input of shape {x.shape} each channel was dropped or kept as a whole (that is "
                    "Dropout2d); each entry gets its own coin"
                )


def stale_mask(sub: Subject, case: CaseSpec | None) -> None:
    case = sub.spec.cases[0]
    x, g = _input(sub, case)
    module = sub.build(case)
    _forward(sub, module, x)
    module.eval()
    module.forward(x.copy())
    problem = sub.judge(module.backward(g.copy()), g, "the input gradient")
    if problem:
        raise Failed(
            f"a training forward, then eval(), a forward and backward: {problem}. Backward applied the mask of the "
            "earlier training forward; an eval forward must leave backward nothing to apply"
        )


def round_trip(sub: Subject, case: CaseSpec | None) -> None:
    case = sub.spec.cases[0]
    p = _p(case)
    x, _ = _input(sub, case)
    module = sub.build(case)
    module.eval()
    if module.train() is not module:
        raise Failed("train() does not return the module itself")
    dropped = float(np.mean(_forward(sub, module, x) == 0))
    if not _rate_ok(sub, dropped, p, x.size):
        raise Failed(
            f"after eval() then train(), a training forward dropped {fmt(100 * dropped)}% of the entries; expected "
            f"about {fmt(100 * p)}%. eval() and train() should only set `training` (not change p)"
        )


def not_modified(sub: Subject, case: CaseSpec | None) -> None:
    case = sub.spec.cases[0]
    x, g = _input(sub, case)
    x_in, g_in = x.copy(), g.copy()
    module = sub.build(case)
    y = as_array(module.forward(x_in))
    module.backward(g_in)
    found = []
    if not np.array_equal(x_in, x):
        found.append("forward modified its input x in place (`x *= mask`)")
    if not np.array_equal(g_in, g):
        found.append("backward modified grad_y in place")
    if y is not None and y.dtype != np.float64:
        found.append(f"forward returned dtype {y.dtype}; results are float64")
    fail_if(found)


def backward_twice(sub: Subject, case: CaseSpec | None) -> None:
    case = sub.spec.cases[0]
    x, g = _input(sub, case)
    module = sub.build(case)
    module.forward(x.copy())
    first = as_array(module.backward(g.copy()))
    first = None if first is None else first.copy()
    try:
        second = module.backward(g.copy())
    except Exception:  # noqa: BLE001 (freeing the mask after backward is allowed)
        return
    if first is not None:
        problem = sub.judge(second, first, "the input gradient of a second backward (vs the first)")
        if problem:
            raise Failed(problem + ". Backward changed the saved mask in place (`self._mask *= grad_y`)")


def expectation(sub: Subject, case: CaseSpec | None) -> None:
    p = 0.3
    x = np.full((100, 100), 2.0)
    y = _forward(sub, sub.cls()(p=p), x)
    sigma = 2.0 * math.sqrt(p / (1 - p)) / math.sqrt(x.size)
    if abs(float(np.mean(y)) - 2.0) > sub.s.dropout_sigmas * sigma:
        raise Failed(
            f"the mean output for an input of 2.0 everywhere is {fmt(float(np.mean(y)))} with p={p}; inverted "
            "dropout keeps it at 2.0"
        )


CHECKS = (
    Check("runs", "runs", RANDOM, probe, when=_random),
    Check(
        "fixtures",
        "train: rate p, kept entries scaled by 1/(1-p), backward reuses the mask",
        RANDOM,
        train_rules,
        per_case=True,
        when=_random,
    ),
    Check("fixtures", "eval: the identity", RANDOM, eval_identity, per_case=True, when=_random),
    Check("contracts", "p=0 keeps everything, p=1 drops everything", RANDOM, extremes, when=_random),
    Check("contracts", "each training forward draws a new mask", RANDOM, new_mask, when=_random),
    Check(
        "contracts",
        "every training forward drops at rate p, not only the first",
        RANDOM,
        same_rate_every_call,
        when=_random,
    ),
    Check("contracts", "the mask is drawn from the generator passed as rng", RANDOM, from_rng, when=_random),
    Check("contracts", "one coin per entry (not per sample, feature or channel)", RANDOM, independent, when=_random),
    Check("contracts", "eval after train: backward is the identity", RANDOM, stale_mask, when=_random),
    Check("contracts", "train() after eval() drops again at rate p", RANDOM, round_trip, when=_random),
    Check(
        "contracts", "forward and backward do not modify their arguments; float64", RANDOM, not_modified, when=_random
    ),
    Check("contracts", "backward twice after one forward", RANDOM, backward_twice, when=_random),
    Check("properties", "the output's expectation equals the input", RANDOM, expectation, when=_random),
)
