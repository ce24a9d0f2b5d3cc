"""Losses against their fixtures, and the loss contracts of docs/api.md.

A case's fixture holds an input, a target, the reference's loss value and its gradient.
Contracts replay them as a training loop does: a second, larger batch through one instance,
two instances side by side, backward twice, inputs at the extremes (p = 0 or 1, logits of
1000) and exactly at a kink (a hinge margin met with equality).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .compare import as_array, compare
from .core import Check, Failed, Subject, describe_error, fail_if
from .manifest import CaseSpec

LOSS = ("loss",)


def _data(sub: Subject, prefix: str) -> tuple[np.ndarray, np.ndarray]:
    return sub.fixture[f"{prefix}/input"], sub.fixture[f"{prefix}/target"]


Variants = dict[str, tuple[np.ndarray, str]]


def _distinct(variants: Variants) -> Variants:
    """The known mistakes this case tells apart: two different mistakes (their tags before "_", the stored form
    of "#") that give the same numbers name neither here, as in the grader (judging/diagnose.py); another case
    will."""
    kept = {}
    for tag, (value, text) in variants.items():
        base = tag.partition("_")[0]
        if not any(
            other.partition("_")[0] != base and value.shape == v.shape and compare(value, v, rtol=1e-6).ok
            for other, (v, _) in variants.items()
        ):
            kept[tag] = (value, text)
    return kept


def _hard_label_probed(sub: Subject, case: CaseSpec, x: np.ndarray, variants: Variants) -> Variants:
    """The grader's probe on soft targets (judging/checks/losses.py): a loss written for 0/1 labels only and one
    with log(1 - p) in both terms give the same numbers; with the targets rounded to 0/1 (stored with the
    fixture) the first is right and the second is not. Without the probe neither is named (see _distinct)."""
    hard = f"c{case.index}/hard"
    if "bce-hard-labels-only" not in variants or f"{hard}/loss" not in sub.fixture:
        return variants
    try:
        value = sub.build(case).forward(x.copy(), sub.fixture[f"{hard}/target"])
    except Exception:  # noqa: BLE001 (the student's code: the other checks report its error)
        return variants
    if sub.judge(value, sub.fixture[f"{hard}/loss"], "the loss"):  # wrong for 0/1 labels too
        return {tag: v for tag, v in variants.items() if tag != "bce-hard-labels-only"}
    return {tag: v for tag, v in variants.items() if tag.partition("_")[0] != "bce-wrong-log-term"}


def _variants(sub: Subject, case: CaseSpec | None, quantity: str, x: np.ndarray) -> Variants | None:
    if case is None:
        return None
    variants = sub.fixture.variants(case, quantity)
    if quantity == "loss":
        variants = _hard_label_probed(sub, case, x, variants)
    return _distinct(variants)


def _judge(
    sub: Subject, loss: Any, x: np.ndarray, t: np.ndarray, prefix: str, case: CaseSpec | None, when: str = ""
) -> list[str]:
    value = loss.forward(x.copy(), t.copy())
    found = []
    if as_array(value) is None or np.ndim(value) != 0:
        found.append(
            f"forward returned {type(value).__name__}{f' of shape {np.shape(value)}' if np.ndim(value) else ''}; "
            "expected a float (the mean loss)"
        )
    else:
        found.append(
            sub.judge(
                float(np.asarray(value, dtype=np.float64)),
                sub.fixture[f"{prefix}/loss"],
                f"the loss{when}",
                batch=x.shape[0] if x.ndim > 1 else None,
                variants=_variants(sub, case, "loss", x),
                scale=max(1.0, float(np.max(np.abs(x)))),
            )
        )
    found.append(
        sub.judge(
            loss.backward(),
            sub.fixture[f"{prefix}/grad"],
            f"the gradient{when}",
            batch=x.shape[0] if x.ndim > 1 else None,
            variants=_variants(sub, case, "gradient", x),
        )
    )
    return [f for f in found if f]


def probe(sub: Subject, case: CaseSpec | None) -> None:
    loss = sub.build(sub.spec.cases[0])
    loss.forward(*_data(sub, "c0"))
    loss.backward()


def value_and_gradient(sub: Subject, case: CaseSpec) -> None:
    x, t = _data(sub, f"c{case.index}")
    fail_if(_judge(sub, sub.build(case), x, t, f"c{case.index}", case))


def not_modified(sub: Subject, case: CaseSpec | None) -> None:
    found = []
    for case in sub.spec.cases[:3]:
        x, t = _data(sub, f"c{case.index}")
        x_in, t_in = x.copy(), t.copy()
        loss = sub.build(case)
        loss.forward(x_in, t_in)
        gx = as_array(loss.backward())
        if not np.array_equal(x_in, x):
            found.append(f"forward modified its input in place ({case.id})")
        if not np.array_equal(t_in, t):
            found.append(f"forward modified the target in place ({case.id})")
        if gx is not None and gx.dtype != np.float64:
            found.append(f"backward returned dtype {gx.dtype}; gradients are float64")
    fail_if(found)


def _wrong_after_reuse(sub: Subject, case: CaseSpec, loss: Any, x: np.ndarray, t: np.ndarray, prefix: str) -> list[str]:
    """What a used instance gets wrong on the fixture's ``prefix`` call, when a new instance gets it right (then
    something from the earlier call was kept); empty otherwise."""
    try:
        found = _judge(sub, loss, x, t, prefix, None, " of the second call")
    except Exception as error:  # noqa: BLE001 (judged below against a fresh instance)
        found = [f"the second call raised {type(error).__name__}: {str(error)[:200]}"]
    return found if found and not _judge(sub, sub.build(case), x, t, prefix, None) else []


def second_call(sub: Subject, case: CaseSpec | None) -> None:
    case = sub.spec.cases[0]
    loss = sub.build(case)
    loss.forward(*_data(sub, "c0"))
    loss.backward()
    x, t = _data(sub, "second")
    if found := _wrong_after_reuse(sub, case, loss, x, t, "second"):
        raise Failed(
            f"one {sub.label(case)} got a batch of {len(_data(sub, 'c0')[0])}, then one of {len(x)}: "
            f"{'; '.join(found)}. "
            "A new instance gets that second call right, so something from the first call was kept (a count or "
            "the row indices np.arange(N) computed once)"
        )


def same_shape_call(sub: Subject, case: CaseSpec | None) -> None:
    """A second call on a batch of the same size: the first case's rows in another order first (the same mean
    loss, another gradient), then the rows as the fixture has them. State kept while the shape stays the same
    (`if self._p is None or self._p.shape != x.shape`) answers the second call with the first call's numbers."""
    case = sub.spec.cases[0]
    x, t = _data(sub, "c0")
    if x.ndim == 0 or len(x) < 2:
        return
    order = np.roll(np.arange(len(x)), 1)
    loss = sub.build(case)
    try:
        loss.forward(x[order].copy(), t[order].copy() if np.ndim(t) else t)
        loss.backward()
    except Exception:  # noqa: BLE001 (the fixture checks report a loss that cannot take its own case)
        return
    if found := _wrong_after_reuse(sub, case, loss, x, t, "c0"):
        raise Failed(
            f"one {sub.label(case)} got a batch of {len(x)}, then the same rows in another order: "
            f"{'; '.join(found)}. A new instance gets that second call right, so something computed from the first "
            "call's input was kept while the shape stayed the same; every forward must compute from its own input"
        )


def own_state(sub: Subject, case: CaseSpec | None) -> None:
    case = sub.spec.cases[0]
    a, b = sub.build(case), sub.build(case)
    x, t = _data(sub, "c0")
    a.forward(x.copy(), t.copy())
    b.forward(*_data(sub, "other"))
    problem = sub.judge(a.backward(), sub.fixture["c0/grad"], "A's gradient")
    if problem and not _judge(sub, sub.build(case), x, t, "c0", None):
        raise Failed(
            f"two instances A and B of {sub.label(case)}: A.forward, B.forward on other data, then A.backward: "
            f"{problem}. A and B share what forward saves: it is stored on the class (a class attribute such as "
            "`cache = {}`), not on the instance"
        )


def backward_twice(sub: Subject, case: CaseSpec | None) -> None:
    loss = sub.build(sub.spec.cases[0])
    loss.forward(*_data(sub, "c0"))
    first = as_array(loss.backward())
    first = None if first is None else first.copy()
    try:
        second = loss.backward()
    except Exception:  # noqa: BLE001 (freeing what forward saved is allowed)
        return
    if first is not None:
        problem = sub.judge(second, first, "the gradient of a second backward() (vs the first)")
        if problem:
            raise Failed(
                f"{problem}. Backward changed what forward saved, in place (`self._diff *= 2 / n`, or `grad = "
                "self._probs` then `grad[...] -= 1` without `.copy()`); compute into a new array"
            )


def float_labels(sub: Subject, case: CaseSpec | None) -> None:
    """docs/api.md: class labels may be floats holding whole numbers; they mean what the integers mean."""
    case = sub.spec.cases[0]
    x, t = _data(sub, "c0")
    loss = sub.build(case)
    value = as_array(loss.forward(x.copy(), t.copy()))
    grad = as_array(loss.backward())
    if value is None or grad is None or value.size != 1:
        return  # no numbers with integer labels either: the other checks say so
    floats = t.astype(np.float64)
    other = sub.build(case)
    try:
        found = [sub.judge(other.forward(x.copy(), floats.copy()), value.reshape(()), "the loss")]
        found.append(sub.judge(other.backward(), grad, "the gradient"))
    except Exception as error:  # noqa: BLE001 (the student's code: its error is the finding)
        found = [f"raised {describe_error(error)}"]
    if any(found):
        raise Failed(
            f"with the labels as floats holding whole numbers ({floats}), where the integers {t} work: "
            f"{'; '.join(f for f in found if f)}. docs/api.md allows such labels: cast them before using them as "
            "indices, labels = target.astype(int)"
        )


def scenario(name: str, title: str):  # noqa: ANN201
    """A check of one extra fixture (``extreme``, ``kink``): value and gradient against the reference."""

    def run(sub: Subject, case: CaseSpec | None) -> None:
        kwargs = sub.spec.info[name]["kwargs"]
        x, t = _data(sub, name)
        found = _judge(sub, sub.cls()(**kwargs), x, t, name, None, f" {title}")
        if found:
            raise Failed("; ".join(found) + f". {sub.spec.info[name]['hint']}")

    return run


CHECKS = (
    Check("runs", "runs", LOSS, probe),
    Check("fixtures", "value and gradient", LOSS, value_and_gradient, per_case=True),
    Check("contracts", "forward and backward do not modify their arguments; float64", LOSS, not_modified),
    Check("contracts", "a second call with a larger batch", LOSS, second_call),
    Check("contracts", "a second call on a batch of the same size", LOSS, same_shape_call),
    Check("contracts", "two instances keep their own state", LOSS, own_state),
    Check("contracts", "backward twice after one forward", LOSS, backward_twice),
    Check(
        "contracts",
        "class labels given as whole-number floats",
        LOSS,
        float_labels,
        when=lambda s: s.target == "class",
    ),
    Check(
        "contracts",
        "stable at extreme inputs",
        LOSS,
        scenario("extreme", "at extreme inputs"),
        when=lambda s: "extreme" in s.info,
    ),
    Check(
        "contracts",
        "exactly at the kink",
        LOSS,
        scenario("kink", "exactly at the kink"),
        when=lambda s: "kink" in s.info,
    ),
)
