"""Rubric for the perceptron, Sequential, the training loop and gradient checking.

These components are driven with test doubles (graders/doubles.py) that live beside the
student's code: logged layers for ``Sequential``, a logged model, loss and optimizer for
``fit``, seeded generators for ``minibatches``, smooth scalar functions for
``numerical_gradient``. Expected values are computed here, on local copies of the same
doubles (trusted code), or with the reference.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import HealthCheck, Phase, Verbosity, given
from hypothesis import seed as hypothesis_seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from .. import doubles, settings
from ..catalogue import Context, check
from ..components import Case
from ..puppet import StudentError
from ..results import Outcome, failed, passed
from ..strategies import SEEDS, shapes
from ..tolerance import as_array, compare, fmt
from .inputs import reference_class
from .modules import check_signature, first_failure, judge

Problem = tuple[str, str] | None  # (feedback, misconception tag), or None when all is well


# ------------------------------------------------------------------------------- helpers
class _FalsifiedError(AssertionError):
    def __init__(self, text: str, tag: str) -> None:
        super().__init__(text)
        self.text, self.tag = text, tag


# No shrinking: every shrink step is another round of calls into a submission that may be
# slow; the first failing example is reported as drawn (derandomized, so always the same).
_PHASES = (Phase.explicit, Phase.reuse, Phase.generate)


def hypothesis_check(ctx: Context, name: str, strategy: st.SearchStrategy, body: Callable[[Any], Problem]) -> Outcome:
    """Run ``body`` on derandomized hypothesis examples; its first complaint fails the check.

    ``body`` returns None or ``(feedback, tag)``; the feedback describes the example. A
    :class:`StudentError` raised inside propagates (the runner reports it).
    """

    @hypothesis_seed(ctx.seed)
    @hypothesis_settings(
        max_examples=settings.PROPERTY_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
        phases=_PHASES,
    )
    @given(strategy)
    def run(example: Any) -> None:
        problem = body(example)
        if problem is not None:
            raise _FalsifiedError(*problem)

    try:
        run()
    except _FalsifiedError as error:
        return failed(name, error.text, error.tag)
    return passed(name)


def _example_rng(ctx: Context, drawn: int) -> np.random.Generator:
    """Hypothesis draws a seed; mixing in the grading seed makes every seed see new arrays."""
    return np.random.default_rng([ctx.seed, drawn])


def _seed(ctx: Context, *salt: object) -> int:
    return int(ctx.rng("seed", *salt).integers(2**31 - 1))


def _text(value: Any) -> str:
    if type(value) in (bool, np.bool_):
        return str(bool(value))
    array = as_array(value)
    if array is None:
        return repr(value) if value is None else type(value).__name__
    if array.ndim == 0:
        return fmt(float(array))
    return np.array2string(np.asarray(array, dtype=np.float64), precision=4, separator=", ")


def _is_number(value: Any) -> bool:
    return (
        type(value) in (int, float)
        or isinstance(value, np.generic)
        and value.dtype.kind in "iuf"
        or (isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf")
    )


# =============================================================================== Perceptron
PERCEPTRON = ("perceptron",)


def _perceptron_args(case: Case) -> tuple[int, float]:
    return case.kwargs["n_features"], case.kwargs.get("lr", 1.0)


def _separable(rng: np.random.Generator, n: int, size: int, spread: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
    """Two blobs on either side of a hyperplane through an offset (a bias is needed), every
    point at least PERCEPTRON_MARGIN from it; labels alternate 0, 1, 0, ..."""
    u = rng.standard_normal(n)
    u /= np.linalg.norm(u)
    centre = rng.standard_normal(n)
    X, y = [], []
    while len(X) < size:
        label = len(X) % 2
        side = 1.0 if label else -1.0
        x = centre + side * spread * u + 0.8 * rng.standard_normal(n)
        if side * float((x - centre) @ u) > settings.PERCEPTRON_MARGIN:
            X.append(x)
            y.append(float(label))
    return np.array(X), np.array(y)


def _xor(n: int) -> tuple[np.ndarray, np.ndarray]:
    """XOR of the first two features (the others zero): no hyperplane separates it."""
    X = np.zeros((4, n))
    X[:, :2] = [[0, 0], [0, 1], [1, 0], [1, 1]]
    return X, np.array([0.0, 1.0, 1.0, 0.0])


def _set_state(ctx: Context, handle: Any, weight: np.ndarray, bias: float) -> None:
    ctx.session.set(handle, "weight", np.array(weight, dtype=np.float64))
    ctx.session.set(handle, "bias", float(bias))


def _state(ctx: Context, handle: Any) -> tuple[Any, Any]:
    return ctx.session.get(handle, "weight"), ctx.session.get(handle, "bias")


def _flat_state(weight: Any, bias: Any) -> Any:
    w, b = as_array(weight), as_array(bias)
    if w is None or b is None or b.size != 1 or w.ndim != 1:
        return None
    return np.concatenate([w.astype(np.float64), b.astype(np.float64).reshape(1)])


def _judge_state(
    name: str,
    weight: Any,
    bias: Any,
    expected: np.ndarray,
    what: str,
    variants: dict[str, tuple[np.ndarray, str]] | None = None,
    scale: float | None = None,
) -> Outcome:
    """Compare ``(weight..., bias)`` as one vector, so one variant can explain both."""
    state = _flat_state(weight, bias)
    if state is None:
        return failed(
            name,
            f"{what}: `weight` should be an array of shape ({expected.size - 1},) and `bias` a "
            f"float; got {_text(weight)} and {_text(bias)}.",
            "attributes",
        )
    return judge(
        name,
        state,
        expected,
        f"{what} (weight entries, then bias as the last entry)",
        variants=variants or {},
        scale=scale,
    )


@check("api", "constructor signature", PERCEPTRON, interface=True)
def perceptron_signature(ctx: Context) -> Outcome:
    return check_signature(ctx)


@check("api", "attributes and predict output", PERCEPTRON, per_case=True)
def perceptron_attributes(ctx: Context, case: Case) -> Outcome:
    name = f"attributes and predict output: {case.id}"
    n, _ = _perceptron_args(case)
    handle = ctx.session.new(ctx.component.name, **case.kwargs)
    weight, bias = _state(ctx, handle)
    problems = []
    w = as_array(weight)
    if w is None or w.shape != (n,) or w.dtype != np.float64:
        problems.append(f"`weight` should be a float64 array of shape ({n},), got {_describe(weight)}")
    elif np.any(w != 0):
        problems.append(f"`weight` should start at zeros, got {_text(w)}")
    if not _is_number(bias) or type(bias) is int or isinstance(bias, np.integer):
        problems.append(f"`bias` should be a float (0.0), got {_describe(bias)}")
    elif float(bias) != 0.0:
        problems.append(f"`bias` should start at 0.0, got {fmt(float(bias))}")
    X = ctx.rng("api", case.id).standard_normal((6, n))
    _set_state(ctx, handle, ctx.rng("api-w", case.id).standard_normal(n), 0.3)
    predictions = as_array(ctx.session.call(handle, "predict", X))
    if predictions is None or predictions.shape != (6,):
        problems.append(
            f"predict(X) for X of shape (6, {n}) should return shape (6,), got "
            f"{_describe(ctx.session.call(handle, 'predict', X))}"
        )
    else:
        if predictions.dtype != np.float64:
            problems.append(f"predict should return float64 0.0/1.0, got dtype {predictions.dtype}")
        if not np.isin(predictions, (0.0, 1.0)).all():
            problems.append(f"predict should return only 0.0 and 1.0, got {_text(predictions)}")
    if problems:
        tag = "minus-one-labels" if predictions is not None and np.any(predictions == -1) else "attributes"
        return failed(name, "; ".join(problems) + ".", tag)
    return passed(name)


def _describe(value: Any) -> str:
    array = as_array(value)
    if isinstance(value, np.ndarray) and array is not None:
        return f"an array of shape {array.shape} and dtype {array.dtype}"
    if value is None:
        return "None"
    return f"{type(value).__name__} {_text(value)}" if array is not None else type(value).__name__


def _away_from_zero(
    rng: np.random.Generator, n: int, rows: int, weight: np.ndarray, bias: float, scale: float = 1.0
) -> np.ndarray:
    """Random inputs whose scores are clearly positive or negative (no rounding can flip them)."""
    X = scale * rng.standard_normal((rows, n))
    for _ in range(100):
        near = np.abs(X @ weight + bias) < settings.PERCEPTRON_SCORE_GAP * max(1.0, scale)
        if not near.any():
            break
        X[near] = scale * rng.standard_normal((int(near.sum()), n))
    return X


def _boundary_problem(rng: np.random.Generator, n: int) -> tuple[np.ndarray, float, np.ndarray]:
    """Integer weights, bias and inputs, half of the rows exactly on the boundary (score 0)."""
    weight = rng.choice([-3.0, -2.0, -1.0, 1.0, 2.0, 3.0], n)
    weight[-1] = rng.choice([-1.0, 1.0])
    bias = float(rng.integers(-3, 4))
    X = rng.integers(-3, 4, (8, n)).astype(np.float64)
    for row in X[::2]:  # score = row @ weight + bias = 0 exactly (small integers are exact)
        row[-1] = -(bias + row[:-1] @ weight[:-1]) / weight[-1]
    return weight, bias, X


def _predict_variants(X: np.ndarray, weight: np.ndarray, bias: float) -> dict[str, tuple[np.ndarray, str]]:
    score = X @ weight + bias
    return {
        "step-at-zero": (
            (score >= 0).astype(np.float64),
            "a score of exactly 0 was classified as 1.0 (`>= 0`); the step is 1.0 only where X @ weight + bias > 0",
        ),
        "minus-one-labels": (
            np.where(score > 0, 1.0, -1.0),
            "the classes came out as -1/1; API.md's perceptron predicts 0.0 and 1.0",
        ),
        "bias-ignored": (
            (X @ weight > 0).astype(np.float64),
            "the bias was left out of the score (X @ weight + bias)",
        ),
    }


@check("reference", "predict", PERCEPTRON, per_case=True)
def perceptron_predict(ctx: Context, case: Case) -> Outcome:
    name = f"predict: {case.id}"
    n, _ = _perceptron_args(case)
    rng = ctx.rng("predict", case.id)
    ref = reference_class(ctx.component.name)(**case.kwargs)
    handle = ctx.session.new(ctx.component.name, **case.kwargs)
    outcomes = []
    X0 = rng.standard_normal((5, n))
    outcomes.append(
        judge(
            name,
            ctx.session.call(handle, "predict", X0),
            ref.predict(X0),
            "predict with the initial (zero) weights, where every score is exactly 0",
            variants=_predict_variants(X0, np.zeros(n), 0.0),
        )
    )
    weight, bias = rng.standard_normal(n), float(rng.standard_normal())
    X = _away_from_zero(rng, n, 10, weight, bias)
    for w, b, inputs, what in (
        (weight, bias, X, "predict with random weight and bias"),
        (*_boundary_problem(rng, n), "predict where some scores are exactly 0"),
    ):
        _set_state(ctx, handle, w, b)
        ref.weight, ref.bias = w.copy(), b
        outcomes.append(
            judge(
                name,
                ctx.session.call(handle, "predict", inputs),
                ref.predict(inputs),
                what,
                variants=_predict_variants(inputs, w, b),
            )
        )
    return first_failure(name, outcomes)


def _update_variants(
    w0: np.ndarray, b0: float, x: np.ndarray, target: float, lr: float
) -> tuple[dict[str, tuple[np.ndarray, str]], dict[str, tuple[np.ndarray, str]]]:
    """What known mistakes make of one update: (state variants, returned-error variants)."""
    score = float(x @ w0 + b0)
    error = target - (1.0 if score > 0 else 0.0)

    def after(e: float, rate: float = lr) -> np.ndarray:
        return np.concatenate([w0 + rate * e * x, [b0 + rate * e]])

    state = {
        "error-sign-flipped": (
            after(-error),
            "the update has the wrong sign: error = target - prediction, "
            "then weight += lr * error * x and bias += lr * error",
        ),
        "step-at-zero": (
            after(target - (1.0 if score >= 0 else 0.0)),
            "a score of exactly 0 was taken as prediction 1.0 (`>= 0`); the step is 1.0 only where the score is > 0",
        ),
        "delta-rule": (
            after(target - score),
            "the update used the raw score x . weight + bias instead of "
            "the thresholded prediction (that is the delta/Adaline rule, not the perceptron's)",
        ),
        "bias-not-updated": (
            np.concatenate([w0 + lr * error * x, [b0]]),
            "the weights changed but the bias did not: bias += lr * error",
        ),
    }
    if lr != 1.0:
        state["lr-ignored"] = (
            after(error, 1.0),
            f"the learning rate was ignored (lr = {fmt(lr)}): weight += lr * error * x",
        )
    if error == 0.0:
        state["updates-on-correct"] = (
            after(2 * target - 1),
            "the weights changed on a sample that was "
            "already classified correctly; the perceptron only learns from "
            "mistakes (error = target - prediction is 0 then)",
        )
    errors = {
        "error-sign-flipped": (
            np.asarray(-error),
            "the error should be target - prediction, not prediction - target",
        ),
        "step-at-zero": (
            np.asarray(target - (1.0 if score >= 0 else 0.0)),
            "a score of exactly 0 was taken as prediction 1.0 (`>= 0`)",
        ),
    }
    return state, errors


@check("reference", "update", PERCEPTRON, per_case=True)
def perceptron_update(ctx: Context, case: Case) -> Outcome:
    """One update at a time from the reference's state: returned error and new weight and bias."""
    name = f"update: {case.id}"
    n, lr = _perceptron_args(case)
    rng = ctx.rng("update", case.id)
    ref = reference_class(ctx.component.name)(**case.kwargs)
    handle = ctx.session.new(ctx.component.name, **case.kwargs)
    for step in range(settings.PERCEPTRON_UPDATE_STEPS):
        w0, b0 = ref.weight.copy(), float(ref.bias)
        x = _away_from_zero(rng, n, 1, w0, b0)[0] if step else rng.standard_normal(n)
        prediction = 1.0 if float(x @ w0 + b0) > 0 else 0.0
        # Step 0 is on the boundary (zero weights: score exactly 0, prediction 0.0); then
        # wrong and correct samples alternate.
        target = 1.0 if step == 0 else (prediction if step % 2 == 0 else 1.0 - prediction)
        _set_state(ctx, handle, w0, b0)
        error = ctx.session.call(handle, "update", x, target)
        weight, bias = _state(ctx, handle)
        expected_error = ref.update(x, target)
        expected = np.concatenate([ref.weight, [ref.bias]])
        state_variants, error_variants = _update_variants(w0, b0, x, target, lr)
        where = (
            f"update #{step + 1} (x = {_text(x)}, target = {fmt(target)}, weight before = "
            f"{_text(w0)}, "
            f"bias before = {fmt(b0)}, so the score is {fmt(float(x @ w0 + b0))})"
        )
        scale = float(max(np.max(np.abs(expected)), lr * np.max(np.abs(x)), 1.0))
        outcome = first_failure(
            name,
            [
                judge(
                    name,
                    error,
                    np.asarray(expected_error),
                    f"{where}: the returned error",
                    variants=error_variants,
                ),
                _judge_state(
                    name,
                    weight,
                    bias,
                    expected,
                    f"{where}: the state after it",
                    state_variants,
                    scale,
                ),
            ],
        )
        if not outcome.passed:
            return outcome
    return passed(name)


def _fit_both(
    ctx: Context, case: Case, X: np.ndarray, y: np.ndarray, max_epochs: int, count: bool = False
) -> dict[str, Any]:
    """``fit`` in the submission and in the reference, with ``update`` call counts if asked."""
    handle = ctx.session.new(ctx.component.name, **case.kwargs)
    ref = reference_class(ctx.component.name)(**case.kwargs)
    counter = ctx.session.harness("call_counter", handle, "update") if count else None
    ref_counter = doubles.call_counter(ref, "update")
    result = ctx.session.call(handle, "fit", X, y, max_epochs=max_epochs)
    expected = ref.fit(X, y, max_epochs=max_epochs)
    weight, bias = _state(ctx, handle)
    return {
        "result": result,
        "weight": weight,
        "bias": bias,
        "expected": expected,
        "state": np.concatenate([ref.weight, [ref.bias]]),
        "expected_calls": ref_counter.count,
        "calls": ctx.session.get(counter, "count") if count else None,
    }


def _judge_fit_result(name: str, result: Any, expected: bool, what: str) -> Outcome:
    if type(result) not in (bool, np.bool_):
        return failed(
            name,
            f"{what}: fit returned {_describe(result)}; it should return True or False.",
            "returned-none" if result is None else "wrong-type",
        )
    if bool(result) != expected:
        tag = "fit-return-value"
        return failed(name, f"{what}: fit returned {bool(result)}, expected {expected}.", tag)
    return passed(name)


@check("reference", "fit", PERCEPTRON, per_case=True)
def perceptron_fit(ctx: Context, case: Case) -> Outcome:
    """``fit`` visits the samples in order: same return value and final weights as the reference."""
    name = f"fit: {case.id}"
    n, _ = _perceptron_args(case)
    X, y = _separable(ctx.rng("fit", case.id), n, 20)
    outcomes = []
    for data, max_epochs, what in (
        ((X, y), settings.PERCEPTRON_MAX_EPOCHS, "separable data"),
        (
            _xor(n),
            settings.PERCEPTRON_XOR_EPOCHS,
            f"XOR with max_epochs={settings.PERCEPTRON_XOR_EPOCHS}",
        ),
    ):
        run = _fit_both(ctx, case, *data, max_epochs)
        outcomes.append(_judge_fit_result(name, run["result"], run["expected"], f"on {what}"))
        outcomes.append(
            _judge_state(
                name,
                run["weight"],
                run["bias"],
                run["state"],
                f"on {what}, the final state (samples are visited in their given order, epoch after epoch)",
            )
        )
    return first_failure(name, outcomes)


@check(
    "properties",
    "predictions are 0/1; a correct sample changes nothing; a mistake moves the score",
    PERCEPTRON,
)
def perceptron_properties(ctx: Context) -> Outcome:
    name = "predictions are 0/1; a correct sample changes nothing; a mistake moves the score"
    session = ctx.session
    strategy = st.tuples(
        st.integers(1, 6),
        st.integers(1, 6),
        st.sampled_from([0.5, 1.0, 2.0]),
        st.sampled_from([1e-3, 1.0, 1e3]),
        SEEDS,
    )

    def body(example: tuple[int, int, float, float, int]) -> Problem:
        n, rows, lr, scale, drawn = example
        rng = _example_rng(ctx, drawn)
        weight, bias = rng.standard_normal(n), float(rng.standard_normal())
        X = _away_from_zero(rng, n, rows, weight, bias, scale)
        about = f"(example: n_features={n}, lr={lr}, {rows} rows of scale {scale:g})"
        handle = session.new(ctx.component.name, n, lr=lr)
        _set_state(ctx, handle, weight, bias)
        predictions = as_array(session.call(handle, "predict", X))
        if predictions is None or predictions.shape != (rows,) or not np.isin(predictions, (0.0, 1.0)).all():
            return (
                f"predict returned {_text(predictions)}; expected {rows} values, each 0.0 or 1.0 {about}.",
                "minus-one-labels" if predictions is not None and np.any(predictions == -1) else "wrong-shape",
            )
        x, pred = X[0], float(predictions[0])
        error = session.call(handle, "update", x, pred)
        new_weight, new_bias = _state(ctx, handle)
        if not _is_number(error) or float(error) != 0.0:
            return (
                "update(x, target) with target equal to predict's own answer returned "
                f"{_text(error)}, "
                f"expected 0.0 {about}.",
                "updates-on-correct",
            )
        state = _flat_state(new_weight, new_bias)
        if state is None or not np.array_equal(state, np.concatenate([weight, [bias]])):
            return (
                f"update on a correctly classified sample changed the state from {_text(weight)}, "
                f"{fmt(bias)} to {_text(new_weight)}, {_text(new_bias)}; the perceptron learns "
                "only from "
                f"mistakes {about}.",
                "updates-on-correct",
            )
        target = 1.0 - pred
        error = session.call(handle, "update", x, target)
        if not _is_number(error) or float(error) != target - pred:
            return (
                f"update on a misclassified sample (prediction {fmt(pred)}, target "
                f"{fmt(target)}) returned "
                f"{_text(error)}, expected {fmt(target - pred)} {about}.",
                "error-sign-flipped",
            )
        state = _flat_state(*_state(ctx, handle))
        before, after = (
            float(x @ weight + bias),
            None if state is None else float(x @ state[:-1] + state[-1]),
        )
        if after is None or not (after - before) * (target - pred) > 0:
            return (
                f"after a mistake on x the score x . weight + bias went from {fmt(before)} to "
                f"{_text(after)}; it should move towards the target {fmt(target)} {about}.",
                "error-sign-flipped",
            )
        return None

    return hypothesis_check(ctx, name, strategy, body)


@check("contracts", "fit stops after the first epoch without a mistake, within max_epochs", PERCEPTRON)
def perceptron_fit_stops(ctx: Context) -> Outcome:
    """Counts ``update`` calls: API.md's fit calls it once per sample, epoch after epoch."""
    name = "fit stops after the first epoch without a mistake, within max_epochs"
    case = ctx.component.cases[0]
    n, _ = _perceptron_args(case)
    X, y = _separable(ctx.rng("stops", case.id), n, 20)
    problems, tag = [], ""
    run = _fit_both(ctx, case, X, y, settings.PERCEPTRON_MAX_EPOCHS, count=True)
    calls, expected_calls = run["calls"], run["expected_calls"]
    # Returning once every prediction is right (one epoch earlier) is as good as the rule.
    if calls and calls not in (expected_calls, expected_calls - len(X)):
        tag = "fit-no-early-stop" if calls > expected_calls else "fit-epochs"
        problems.append(
            f"on separable data ({len(X)} samples) fit called update {calls} times "
            f"({calls / len(X):g} epochs); it should stop after the first epoch without a "
            f"mistake, epoch {expected_calls // len(X)} here ({expected_calls} calls)"
        )
    E = settings.PERCEPTRON_XOR_EPOCHS
    run = _fit_both(ctx, case, *_xor(n), E, count=True)
    calls, expected_calls = run["calls"], run["expected_calls"]
    if calls and calls != expected_calls:
        problems.append(
            f"on XOR (4 samples) with max_epochs={E}, fit called update {calls} times "
            f"({calls / 4:g} epochs); expected {expected_calls} ({E} epochs, then return False)"
        )
        tag = tag or "fit-epochs"
    if problems:
        return failed(name, "; ".join(problems) + ".", tag)
    return passed(name)


@check("convergence", "converges on linearly separable blobs", PERCEPTRON, per_case=True)
def perceptron_converges(ctx: Context, case: Case) -> Outcome:
    name = f"converges on linearly separable blobs: {case.id}"
    n, _ = _perceptron_args(case)
    X, y = _separable(ctx.rng("blobs", case.id), n, settings.PERCEPTRON_SAMPLES)
    handle = ctx.session.new(ctx.component.name, **case.kwargs)
    result = ctx.session.call(handle, "fit", X, y, max_epochs=settings.PERCEPTRON_MAX_EPOCHS)
    predictions = as_array(ctx.session.call(handle, "predict", X))
    wrong = None if predictions is None or predictions.shape != y.shape else int(np.sum(predictions != y))
    if result is not True and not (type(result) is np.bool_ and bool(result)):
        return failed(
            name,
            f"fit on {len(X)} linearly separable points (margin {settings.PERCEPTRON_MARGIN}) "
            f"returned {_text(result)} after max_epochs={settings.PERCEPTRON_MAX_EPOCHS}; the "
            f"perceptron convergence theorem says it must reach an epoch without mistakes "
            f"({'predict gets ' + str(wrong) + ' samples wrong' if wrong is not None else ''}).",
            "no-convergence",
        )
    if wrong != 0:
        return failed(
            name,
            f"fit returned True but predict gets {wrong} of {len(X)} training samples wrong.",
            "no-convergence",
        )
    return passed(name)


@check("convergence", "reports no convergence on XOR", PERCEPTRON)
def perceptron_xor(ctx: Context) -> Outcome:
    name = "reports no convergence on XOR"
    X, y = _xor(2)
    handle = ctx.session.new(ctx.component.name, 2)
    E = settings.PERCEPTRON_XOR_EPOCHS
    result = ctx.session.call(handle, "fit", X, y, max_epochs=E)
    if result is False or type(result) is np.bool_ and not bool(result):
        return passed(name)
    return failed(
        name,
        f"fit on XOR with max_epochs={E} returned {_text(result)}; no line separates XOR, "
        "so no epoch is free of mistakes and fit must return False.",
        "fit-return-value",
    )


# =============================================================================== Sequential
SEQUENTIAL = ("sequential",)


class _Chain:
    """The composition of local doubles, for expected values (not the submission's code)."""

    def __init__(self, layers: list[Any]) -> None:
        self.layers = layers

    def forward(self, x: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, g: np.ndarray) -> np.ndarray:
        for layer in reversed(self.layers):
            g = layer.backward(g)
        return g

    def parameters(self) -> list[Any]:
        return [p for layer in self.layers for p in layer.parameters()]


class _Stack:
    """Harness layers in the submission's process and the same layers here."""

    def __init__(self, ctx: Context, kinds: str, dims: int, seed: int) -> None:
        session = ctx.session
        built = session.harness("layer_chain", kinds, dims, seed)
        self.log, self.layers = built["log"], built["layers"]
        self.local = doubles.layer_chain(kinds, dims, seed)["layers"]
        self.kinds = kinds
        for kind, handle, layer in zip(kinds, self.layers, self.local, strict=False):  # what the worker really holds
            if kind == "s":
                layer.scale.data = np.asarray(session.get(handle, "scale.data"), dtype=np.float64)
                layer.shift.data = np.asarray(session.get(handle, "shift.data"), dtype=np.float64)

    def events(self, ctx: Context) -> list[str]:
        return list(ctx.session.get(self.log, "events"))

    def clear(self, ctx: Context) -> None:
        ctx.session.set(self.log, "events", [])

    def grads_local(self, layers: list[Any]) -> list[np.ndarray]:
        return [
            getattr(layer, param).grad
            for kind, layer in zip(self.kinds, layers, strict=True)
            if kind == "s"
            for param in ("scale", "shift")
        ]

    def grads(self, ctx: Context) -> list[tuple[str, Any, np.ndarray]]:
        """``(name, submission's gradient, expected gradient)`` of every harness parameter."""
        out = []
        for i, (kind, handle, layer) in enumerate(zip(self.kinds, self.layers, self.local, strict=False)):
            if kind == "s":
                for param in ("scale", "shift"):
                    out.append(
                        (
                            f"layer {i} `{param}`",
                            ctx.session.get(handle, f"{param}.grad"),
                            getattr(layer, param).grad,
                        )
                    )
        return out


def _stack_for(ctx: Context, case: Case, salt: str) -> tuple[_Stack, Any, np.ndarray]:
    batch, dims = case.input_shape
    stack = _Stack(ctx, "scs", dims, _seed(ctx, "stack", case.id, salt))
    handle = ctx.session.new(ctx.component.name, *stack.layers)
    x = ctx.rng("x", case.id, salt).standard_normal((batch, dims))
    return stack, handle, x


_BACKWARD_MISTAKES = {
    "backward-order": "backward visited the layers in forward order; backpropagation hands the "
    "gradient "
    "from the last layer to the first (reversed(self.layers))",
    "backward-not-chained": "every layer was given the original grad_y: each layer's backward "
    "must receive "
    "what the next layer's backward returned",
}


def _backward_variants(stack: _Stack, x: np.ndarray, g: np.ndarray) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """What the known mistakes return, and the parameter gradients they leave (per harness "
    "param)."""
    returned: dict[str, Any] = {}
    grads: list[dict[str, Any]] = [{} for _ in stack.grads_local(stack.local)]
    for tag, text in _BACKWARD_MISTAKES.items():
        layers = copy.deepcopy(stack.local)
        _Chain(layers).forward(x)
        if tag == "backward-order":
            value = g
            for layer in layers:
                value = layer.backward(value)
        else:
            value = [layer.backward(g) for layer in reversed(layers)][-1]
        returned[tag] = (value, text)
        for slot, grad in zip(grads, stack.grads_local(layers), strict=True):
            slot[tag] = (grad, text)
    return returned, grads


@check("api", "constructor Sequential(*layers)", SEQUENTIAL, interface=True)
def sequential_signature(ctx: Context) -> Outcome:
    name = "constructor Sequential(*layers)"
    rows = ctx.session.signature(ctx.component.name)
    if not any(kind == "VAR_POSITIONAL" for _, kind, _ in rows):
        return failed(
            name,
            f"Sequential should take the layers as separate arguments, Sequential(*layers); "
            f"its parameters are ({', '.join(r[0] for r in rows)}).",
            "signature",
        )
    required = [r[0] for r in rows if r[2] == "<required>" and r[1] not in ("VAR_POSITIONAL", "VAR_KEYWORD")]
    if required:
        return failed(
            name,
            f"Sequential(*layers) should need no other argument; `{required[0]}` is required.",
            "signature",
        )
    return passed(name)


@check("api", "attributes and output shape", SEQUENTIAL, per_case=True)
def sequential_attributes(ctx: Context, case: Case) -> Outcome:
    name = f"attributes and output shape: {case.id}"
    session = ctx.session
    stack, handle, x = _stack_for(ctx, case, "api")
    problems = []
    layers = session.get(handle, "layers")
    if type(layers) is not list or layers != stack.layers:
        problems.append(f"`layers` should be the list of the layers given, in order; got {_describe(layers)}")
    if session.get(handle, "training") is not True:
        problems.append("`training` should be True after construction")
    listed = session.call(handle, "parameters")
    if type(listed) not in (list, tuple):
        problems.append(f"parameters() should return a list, got {type(listed).__name__}")
    y = as_array(session.call(handle, "forward", x))
    if y is None or y.shape != x.shape:
        problems.append(
            f"forward of an input of shape {x.shape} through shape-preserving layers should "
            f"return shape {x.shape}, got {_describe(y)}"
        )
    if problems:
        return failed(name, "; ".join(problems) + ".", "attributes")
    return passed(name)


@check("reference", "forward", SEQUENTIAL, per_case=True)
def sequential_forward(ctx: Context, case: Case) -> Outcome:
    name = f"forward: {case.id}"
    stack, handle, x = _stack_for(ctx, case, "forward")
    expected = _Chain(stack.local).forward(x)
    last = copy.deepcopy(stack.local[-1]).forward(x)
    return judge(
        name,
        ctx.session.call(handle, "forward", x),
        expected,
        "the output (the layers' composition, first to last)",
        variants={
            "forward-not-chained": (
                last,
                "every layer was applied to the input x and the last "
                "result kept: each layer must be applied to the previous "
                "layer's output",
            )
        },
        related={"the input x": x},
    )


@check("reference", "backward", SEQUENTIAL, per_case=True)
def sequential_backward(ctx: Context, case: Case) -> Outcome:
    name = f"backward: {case.id}"
    stack, handle, x = _stack_for(ctx, case, "backward")
    g = ctx.rng("g", case.id).standard_normal(x.shape)
    variants, grad_variants = _backward_variants(stack, x, g)
    chain = _Chain(stack.local)
    chain.forward(x)
    expected = chain.backward(g)
    ctx.session.call(handle, "forward", x)
    outcomes = [
        judge(
            name,
            ctx.session.call(handle, "backward", g),
            expected,
            "the input gradient",
            variants=variants,
            related={"the upstream gradient grad_y": g},
        )
    ]
    for (what, got, want), param_variants in zip(stack.grads(ctx), grad_variants, strict=True):
        outcomes.append(judge(name, got, want, f"the gradient of {what}", variants=param_variants))
    return first_failure(name, outcomes)


@check("contracts", "forward calls the layers in order, backward in reverse", SEQUENTIAL)
def sequential_call_order(ctx: Context) -> Outcome:
    name = "forward calls the layers in order, backward in reverse"
    case = ctx.component.cases[0]
    stack, handle, x = _stack_for(ctx, case, "order")
    stack.clear(ctx)
    ctx.session.call(handle, "forward", x)
    forward = stack.events(ctx)
    stack.clear(ctx)
    ctx.session.call(handle, "backward", np.ones_like(x))
    backward = stack.events(ctx)
    want_f = [f"forward:{i}" for i in range(3)]
    want_b = [f"backward:{i}" for i in reversed(range(3))]
    problems = []
    if forward != want_f:
        problems.append(f"forward made the calls {_calls(forward)}; expected {_calls(want_f)}")
    if backward != want_b:
        problems.append(f"backward made the calls {_calls(backward)}; expected {_calls(want_b)} (last layer first)")
    if problems:
        tag = "backward-order" if backward == want_b[::-1] else "call-order"
        return failed(name, "; ".join(problems) + ".", tag)
    return passed(name)


def _calls(events: list[str]) -> str:
    return "[" + ", ".join(e.replace(":", " of layer ") for e in events) + "]"


@check(
    "contracts",
    "parameters() in layer order; train() and eval() propagate",
    SEQUENTIAL,
    interface=True,
)
def sequential_parameters_modes(ctx: Context) -> Outcome:
    name = "parameters() in layer order; train() and eval() propagate"
    session = ctx.session
    case = ctx.component.cases[0]
    stack, handle, _ = _stack_for(ctx, case, "params")
    problems, tag = [], ""
    expected = [p for layer in stack.layers for p in session.call(layer, "parameters")]
    listed = session.call(handle, "parameters")
    if type(listed) not in (list, tuple) or list(listed) != expected:
        got = list(listed) if type(listed) in (list, tuple) else listed
        detail = ""
        if isinstance(got, list) and sorted(map(repr, got)) == sorted(map(repr, expected)):
            detail = " (the right parameters in the wrong order)"
        elif isinstance(got, list):
            detail = f" ({len(got)} parameters instead of {len(expected)}; they must be the layers' own objects)"
        problems.append(
            "parameters() should return every layer's parameters concatenated in layer order "
            f"(the layers' own objects){detail}"
        )
        tag = "parameters-order"
    for mode, flag in (("eval", False), ("train", True)):
        if session.call(handle, mode) != handle:
            problems.append(f"{mode}() should return the Sequential itself")
            tag = tag or "train-eval"
        states = [session.get(layer, "training") for layer in stack.layers]
        if session.get(handle, "training") is not flag or any(s is not flag for s in states):
            problems.append(
                f"after {mode}(), `training` should be {flag} on the Sequential and on every "
                "layer; "
                f"got {session.get(handle, 'training')} and {states}"
            )
            tag = tag or "train-eval"
    if problems:
        return failed(name, "; ".join(problems) + ".", tag)
    return passed(name)


@check("properties", "any depth, nested or not, equals the composition of its layers", SEQUENTIAL)
def sequential_any_depth(ctx: Context) -> Outcome:
    name = "any depth, nested or not, equals the composition of its layers"
    session = ctx.session
    strategy = st.tuples(
        st.text("sc", min_size=1, max_size=4),
        st.integers(1, 4),
        st.integers(1, 4),
        st.integers(0, 3),
        SEEDS,
    )

    def body(example: tuple[str, int, int, int, int]) -> Problem:
        kinds, dims, batch, split, drawn = example
        rng = _example_rng(ctx, drawn)
        stack = _Stack(ctx, kinds, dims, int(rng.integers(2**31 - 1)))
        nested = 0 < split < len(kinds)
        if nested:
            inner = session.new(ctx.component.name, *stack.layers[:split])
            handle = session.new(ctx.component.name, inner, *stack.layers[split:])
        else:
            handle = session.new(ctx.component.name, *stack.layers)
        about = (
            f"(example: layers {' -> '.join('ScaleShift' if k == 's' else 'Cube' for k in kinds)}"
            f"{f', the first {split} inside a nested Sequential' if nested else ''}; input "
            f"({batch}, {dims}))"
        )
        x = rng.standard_normal((batch, dims))
        g = rng.standard_normal((batch, dims))
        chain = _Chain(stack.local)
        for what, got, want in (
            ("forward", session.call(handle, "forward", x), chain.forward(x)),
            ("backward", session.call(handle, "backward", g), chain.backward(g)),
        ):
            comparison = compare(got, want)
            if not comparison.ok:
                return f"{what}: {comparison.problem} {about}.", "composition"
        expected = [p for layer in stack.layers for p in session.call(layer, "parameters")]
        listed = session.call(handle, "parameters")
        if type(listed) not in (list, tuple) or list(listed) != expected:
            return (
                f"parameters() did not list the layers' {len(expected)} parameters in layer order {about}.",
                "parameters-order",
            )
        return None

    return hypothesis_check(ctx, name, strategy, body)


@check("convergence", "a Sequential of layers trains with gradient descent", SEQUENTIAL)
def sequential_trains(ctx: Context) -> Outcome:
    """Linear -> ScaleShift -> Linear doubles, full-batch descent on linear data: the losses
    follow the local replay, and fall."""
    name = "a Sequential of layers trains with gradient descent"
    rng = ctx.rng("train")
    seed = _seed(ctx, "train")
    X = rng.standard_normal((32, 3))
    y = X @ rng.standard_normal((3, 1)) + 0.3
    lr, steps = settings.SEQUENTIAL_TRAIN_LR, settings.SEQUENTIAL_TRAIN_STEPS
    layers = ctx.session.harness("regression_layers", 3, 4, seed)
    handle = ctx.session.new(ctx.component.name, *layers)
    losses = ctx.session.harness("train_steps", handle, X, y, lr, steps)
    expected = doubles.train_steps(_Chain(doubles.regression_layers(3, 4, seed)), X, y, lr, steps)
    got = as_array(losses)
    if (
        got is not None
        and got.shape == (steps,)
        and np.isfinite(got).all()
        and got[-1] > settings.SEQUENTIAL_LOSS_RATIO * got[0]
    ):
        return failed(
            name,
            f"{steps} steps of gradient descent (lr {lr:g}) through the Sequential took the loss "
            f"from {fmt(got[0])} to {fmt(got[-1])}; the same layers chained correctly reach "
            f"{fmt(expected[-1])}. Check that backward reaches every layer and that parameters() "
            "returns the layers' own parameter objects.",
            "no-convergence",
        )
    outcome = judge(name, losses, np.asarray(expected), "the loss before each training step")
    return outcome


# =============================================================================== minibatches
MINIBATCHES = ("minibatches",)


def _indexed(N: int, D: int, y_columns: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Row i of X is ``100 i + [0, 1, ...]`` and y is i (or ``[i, -i]``): every batch says which
    samples it holds and whether X and y are still paired."""
    X = 100.0 * np.arange(N)[:, None] + np.arange(D)[None, :]
    y = np.arange(N, dtype=np.float64)
    if y_columns:
        y = np.stack([y, -y], axis=1)[:, :y_columns]
    return X, y


def _sizes(N: int, batch_size: int | None) -> list[int]:
    size = N if batch_size is None else batch_size
    return [min(size, N - start) for start in range(0, N, size)]


def _batch_ids(got: Any, D: int) -> tuple[list[np.ndarray], list[np.ndarray]] | str:
    """The sample ids in each batch, from X's rows and from y; or what is malformed."""
    if type(got) not in (list, tuple):
        return f"expected an iterable of (X_batch, y_batch) pairs, got {type(got).__name__}"
    x_ids, y_ids = [], []
    for k, item in enumerate(got):
        if type(item) not in (list, tuple) or len(item) != 2:
            return f"item {k} is {_describe(item)}, not an (X_batch, y_batch) pair"
        xb, yb = as_array(item[0]), as_array(item[1])
        if xb is None or yb is None or xb.ndim != 2 or xb.shape[1] != D or len(yb) != len(xb):
            return (
                f"batch {k} holds X_batch {_describe(item[0])} and y_batch "
                f"{_describe(item[1])}; expected "
                f"(n, {D}) rows of X and the n matching entries of y"
            )
        x_ids.append(xb[:, 0] / 100.0)
        y_ids.append(yb if yb.ndim == 1 else yb[:, 0])
    return x_ids, y_ids


def _batches_problem(got: Any, N: int, D: int, batch_size: int | None, shuffled: bool) -> Problem:
    """Compare the batches of ``minibatches(X, y, batch_size, shuffled)`` with the rules."""
    ids = _batch_ids(got, D)
    if isinstance(ids, str):
        return ids, "wrong-type"
    x_ids, y_ids = ids
    want = _sizes(N, batch_size)
    sizes = [len(b) for b in x_ids]
    if sizes != want:
        if sizes == want[:-1] and want[-1] < (batch_size or N):
            return (
                f"got batches of sizes {sizes}; expected {want}: the last, smaller batch is missing",
                "drops-last-batch",
            )
        if batch_size is not None and sizes == [N]:
            return (
                f"got one batch of {N}; expected sizes {want} (batch_size={batch_size})",
                "batch-size-ignored",
            )
        return (
            f"got batches of sizes {sizes}; expected {want} for {N} samples and batch_size={batch_size}",
            "batch-sizes",
        )
    xs, ys = np.concatenate(x_ids), np.concatenate(y_ids)
    if not np.array_equal(xs, ys):
        k = int(np.argmax(xs != ys))
        return (
            f"X and y are no longer paired: X row {int(xs[k])} came with y of sample {fmt(ys[k])}; "
            "apply the same permutation to both",
            "unpaired-shuffle",
        )
    order = np.arange(N)
    if not shuffled and not np.array_equal(xs, order):
        return (
            f"without shuffle the samples should come in their stored order 0..{N - 1}; got {_text(xs)}",
            "order-changed",
        )
    if shuffled and not np.array_equal(np.sort(xs), order):
        missing = sorted(set(range(N)) - set(int(i) for i in xs))
        return (
            f"the shuffled batches should hold every sample exactly once; samples {missing[:5]} "
            "are "
            f"missing and others repeat (draw one permutation per call, not one per batch)",
            "not-a-permutation",
        )
    return None


def _minibatches(ctx: Context, X: np.ndarray, y: np.ndarray, **kwargs: Any) -> Any:
    return ctx.session.collect(ctx.component.name, None, X, y, **kwargs)


@check("api", "signature", MINIBATCHES, interface=True)
def minibatches_signature(ctx: Context) -> Outcome:
    return check_signature(ctx)


@check("api", "yields (X_batch, y_batch) pairs", MINIBATCHES)
def minibatches_pairs(ctx: Context) -> Outcome:
    name = "yields (X_batch, y_batch) pairs"
    X, y = _indexed(7, 3)
    ids = _batch_ids(_minibatches(ctx, X, y, batch_size=3), 3)
    if isinstance(ids, str):
        return failed(name, f"minibatches(X, y, batch_size=3) for X (7, 3): {ids}.", "wrong-type")
    return passed(name)


_MINIBATCH_CASES = (
    # name, N, D, y columns, batch_size, misconception when wrong
    ("batch_size=None: one batch of everything", 9, 3, 0, None),
    ("batch_size=1: one sample per batch (SGD)", 6, 2, 0, 1),
    ("batch_size=4 of 10 samples: 4, 4 and a last batch of 2", 10, 3, 2, 4),
    ("batch_size=5 of 10 samples: two full batches", 10, 1, 0, 5),
    ("batch_size larger than the data: one batch", 5, 2, 1, 8),
)


def _register_minibatch_case(label: str, N: int, D: int, columns: int, batch_size: int | None) -> None:
    @check("reference", label, MINIBATCHES)
    def minibatches_case(ctx: Context) -> Outcome:
        X, y = _indexed(N, D, columns)
        got = _minibatches(ctx, X, y, batch_size=batch_size)
        expected = list(reference_class(ctx.component.name)(X, y, batch_size=batch_size))
        problem = _batches_problem(got, N, D, batch_size, shuffled=False)
        if problem is None:
            for k, ((xb, yb), (xe, ye)) in enumerate(zip(got, expected, strict=False)):
                if not (np.array_equal(np.asarray(xb), xe) and np.array_equal(np.asarray(yb), ye)):
                    problem = (
                        f"batch {k} differs from the rows {k * (batch_size or N)}.. of X and y",
                        "values",
                    )
                    break
        if problem is not None:
            return failed(
                label,
                f"minibatches(X, y, batch_size={batch_size}) for {N} samples: {problem[0]}.",
                problem[1],
            )
        return passed(label)


for _case in _MINIBATCH_CASES:
    _register_minibatch_case(*_case)


@check("properties", "batches cover every sample once, in order, sized batch_size", MINIBATCHES)
def minibatches_cover(ctx: Context) -> Outcome:
    name = "batches cover every sample once, in order, sized batch_size"
    strategy = st.tuples(
        st.integers(1, 25),
        st.integers(1, 3),
        st.one_of(st.none(), st.integers(1, 28)),
        st.integers(0, 2),
    )

    def body(example: tuple[int, int, int | None, int]) -> Problem:
        N, D, batch_size, columns = example
        X, y = _indexed(N, D, columns)
        problem = _batches_problem(_minibatches(ctx, X, y, batch_size=batch_size), N, D, batch_size, False)
        if problem:
            return (
                f"minibatches(X, y, batch_size={batch_size}) for X of shape {X.shape}: {problem[0]}.",
                problem[1],
            )
        return None

    return hypothesis_check(ctx, name, strategy, body)


@check("properties", "shuffled batches are a permutation, X and y paired", MINIBATCHES)
def minibatches_shuffled(ctx: Context) -> Outcome:
    name = "shuffled batches are a permutation, X and y paired"
    strategy = st.tuples(
        st.integers(1, 25),
        st.integers(1, 3),
        st.one_of(st.none(), st.integers(1, 28)),
        st.integers(0, 2),
        SEEDS,
    )

    def body(example: tuple[int, int, int | None, int, int]) -> Problem:
        N, D, batch_size, columns, drawn = example
        X, y = _indexed(N, D, columns)
        generator = ctx.session.harness("generator", [ctx.seed, drawn])
        got = _minibatches(ctx, X, y, batch_size=batch_size, shuffle=True, rng=generator)
        problem = _batches_problem(got, N, D, batch_size, True)
        if problem:
            return (
                f"minibatches(X, y, batch_size={batch_size}, shuffle=True, rng=a Generator) for "
                "X of shape "
                f"{X.shape}: {problem[0]}.",
                problem[1],
            )
        return None

    return hypothesis_check(ctx, name, strategy, body)


def _order(got: Any, D: int) -> tuple[float, ...] | None:
    ids = _batch_ids(got, D)
    return None if isinstance(ids, str) else tuple(np.concatenate(ids[0]).tolist())


@check("contracts", "shuffle draws one permutation per call from rng", MINIBATCHES)
def minibatches_rng(ctx: Context) -> Outcome:
    name = "shuffle draws one permutation per call from rng"
    N, D = 20, 2
    X, y = _indexed(N, D)
    seed = _seed(ctx, "rng")

    def shuffled(rng: Any) -> tuple[float, ...] | None:
        return _order(_minibatches(ctx, X, y, batch_size=6, shuffle=True, rng=rng), D)

    first = ctx.session.harness("generator", seed)
    a, b = shuffled(first), shuffled(first)
    again = shuffled(ctx.session.harness("generator", seed))
    fresh = shuffled(None), shuffled(None)
    identity = tuple(float(i) for i in range(N))
    if None in (a, b, again, *fresh):
        return failed(
            name,
            "minibatches(X, y, batch_size=6, shuffle=True, rng=...) did not yield (X_batch, y_batch) pairs.",
            "wrong-type",
        )
    if a == identity and again == identity:
        return failed(
            name,
            f"with shuffle=True the {N} samples came in their stored order: shuffle was ignored.",
            "shuffle-ignored",
        )
    if a != again:
        return failed(
            name,
            "two generators made with the same seed gave different orders: the permutation "
            "must come from the rng argument (e.g. rng.permutation(len(X))), not from another "
            "source of randomness.",
            "rng-ignored",
        )
    if a == b:
        return failed(
            name,
            "two calls with the same generator gave the same order: each call should draw a "
            "new permutation from rng (do not re-seed or copy it).",
            "same-permutation",
        )
    if fresh[0] == fresh[1]:
        return failed(
            name,
            "with rng=None two calls gave the same order: use a fresh generator "
            "(np.random.default_rng()) when rng is None, not a fixed seed.",
            "same-permutation",
        )
    return passed(name)


# =============================================================================== fit
FIT = ("fit",)
_PATTERN = ["zero_grad", "forward", "loss", "loss_backward", "backward", "step"]


class _FitRun:
    """``training.fit`` on a recording rig in the submission, and what the rig saw."""

    def __init__(
        self,
        ctx: Context,
        salt: str,
        N: int,
        epochs: int,
        batch_size: int | None,
        shuffle: bool = False,
        rng_seed: int | None = None,
        n_in: int = 3,
        n_out: int = 2,
        lr: float = 0.1,
        seed: int | None = None,
    ) -> None:
        session = ctx.session
        rng = ctx.rng("fit", salt)
        self.seed = _seed(ctx, "fit", salt) if seed is None else seed
        self.X = rng.standard_normal((N, n_in))
        self.y = rng.standard_normal((N, n_out))
        self.N, self.epochs, self.batch_size, self.shuffle = N, epochs, batch_size, shuffle
        self.n_in, self.n_out, self.lr = n_in, n_out, lr
        rig = session.harness("recording_rig", n_in, n_out, lr, self.seed)
        kwargs: dict[str, Any] = {"epochs": epochs, "batch_size": batch_size, "shuffle": shuffle}
        if rng_seed is not None:
            kwargs["rng"] = session.harness("generator", rng_seed)
        self.history = session.call(
            ctx.component.name,
            None,
            session.get(rig, "model"),
            session.get(rig, "loss"),
            session.get(rig, "optimizer"),
            self.X,
            self.y,
            **kwargs,
        )
        self.inputs = session.get(rig, "model.inputs")
        self.targets = session.get(rig, "loss.targets")
        self.events = list(session.get(rig, "log.events"))
        self.weights = session.get(rig, "weights")
        self.rng_seed = rng_seed

    def recorded(self) -> list[tuple[np.ndarray, np.ndarray]]:
        return list(zip(self.inputs, self.targets, strict=False))

    def describe(self) -> str:
        extra = (
            ", shuffle=True, rng=a seeded Generator"
            if self.shuffle and self.rng_seed is not None
            else (", shuffle=True" if self.shuffle else "")
        )
        return f"fit(..., epochs={self.epochs}, batch_size={self.batch_size}{extra}) on {self.N} samples"


def _student_batches(
    ctx: Context, run: _FitRun, shuffle: bool | None = None
) -> list[list[tuple[np.ndarray, np.ndarray]]] | None:
    """Each epoch's batches as the submission's own ``minibatches`` makes them.

    API.md's fit trains "for each batch from minibatches", so fit is judged against the
    submission's minibatches and a bug there is not charged to fit. None when the batches
    cannot be known: an unseeded shuffle, or a minibatches that ignores its rng.
    """
    shuffle = run.shuffle if shuffle is None else shuffle
    if shuffle and run.rng_seed is None:
        return None

    def collect(rng: Any = None) -> list[tuple[np.ndarray, np.ndarray]] | None:
        kwargs: dict[str, Any] = {"batch_size": run.batch_size, "shuffle": shuffle}
        if shuffle:
            kwargs["rng"] = rng
        return _pairs(ctx.session.collect("training.minibatches", None, run.X, run.y, **kwargs))

    epochs: list[Any] | None
    try:
        if not shuffle:
            epoch = collect()
            epochs = None if epoch is None else [epoch] * run.epochs
        else:
            generator = ctx.session.harness("generator", run.rng_seed)
            epochs = [collect(generator) for _ in range(run.epochs)]
            again = collect(ctx.session.harness("generator", run.rng_seed))
            if any(e is None for e in epochs) or (epochs and not _same_batches(again or [], epochs[0])):
                return None
    except StudentError:
        epochs = None
    if epochs is None and not shuffle:  # minibatches fails: API.md's slices in stored order
        starts = np.cumsum([0, *_sizes(run.N, run.batch_size)])
        epochs = [[(run.X[i:j], run.y[i:j]) for i, j in zip(starts, starts[1:], strict=False)]] * run.epochs
    return epochs


def _pairs(batches: Any) -> list[tuple[np.ndarray, np.ndarray]] | None:
    if type(batches) not in (list, tuple):
        return None
    out = []
    for item in batches:
        if type(item) not in (list, tuple) or len(item) != 2 or as_array(item[0]) is None or as_array(item[1]) is None:
            return None
        out.append((np.asarray(item[0], dtype=np.float64), np.asarray(item[1], dtype=np.float64)))
    return out


def _same_batches(a: list[tuple[np.ndarray, np.ndarray]], b: list[tuple[np.ndarray, np.ndarray]]) -> bool:
    return len(a) == len(b) and all(
        xa.shape == xb.shape and np.array_equal(xa, xb) and np.array_equal(ya.reshape(yb.shape), yb)
        if ya.size == yb.size
        else False
        for (xa, ya), (xb, yb) in zip(a, b, strict=False)
    )


_FIT_MISTAKES = {
    "zero-grad-missing": "optimizer.zero_grad() was not called before each batch, so gradients "
    "of earlier "
    "batches pile up in p.grad",
    "call-order": "optimizer.step() ran before model.backward, so every step used the gradients "
    "of the "
    "previous batch (or zeros)",
}


def _replay(run: _FitRun, epochs: list[list[tuple[np.ndarray, np.ndarray]]], mistake: str = "") -> dict[str, Any]:
    """The same training on local doubles: per-epoch losses (and some wrong ways to report
    them) and the final weights; ``mistake`` replays a known wrong loop instead."""
    rig = doubles.training_rig(run.n_in, run.n_out, run.lr, run.seed)
    weighted, per_n, unweighted, last = [], [], [], []
    for batches in epochs:
        losses, sizes = [], []
        for xb, yb in batches:
            if mistake != "zero-grad-missing":
                rig.optimizer.zero_grad()
            losses.append(rig.loss.forward(rig.model.forward(xb), yb))
            if mistake == "call-order":
                rig.optimizer.step()
            rig.model.backward(rig.loss.backward())
            if mistake != "call-order":
                rig.optimizer.step()
            sizes.append(len(xb))
        total = math.fsum(loss * n for loss, n in zip(losses, sizes, strict=True))
        weighted.append(total / max(sum(sizes), 1))
        per_n.append(total / run.N)
        unweighted.append(float(np.mean(losses)) if losses else 0.0)
        last.append(losses[-1] if losses else 0.0)
    return {
        "weighted": np.array(weighted),
        "per_n": np.array(per_n),
        "weights": rig.weights,
        "variants": {
            "unweighted-mean": (
                np.array(unweighted),
                "each epoch's loss is the plain mean of the batch "
                "losses; weight each batch loss by its batch size (a smaller last batch "
                "counts for its few samples only)",
            ),
            "last-batch-loss": (
                np.array(last),
                "each epoch reports the loss of its last batch only; report the mean over the whole epoch",
            ),
        },
    }


def _fit_variants(run: _FitRun, expected: dict[str, Any]) -> list[dict[str, tuple[np.ndarray, str]]]:
    """Variants for (history, W, b): the reporting mistakes, and loops run the wrong way."""
    variants: list[dict[str, tuple[np.ndarray, str]]] = [dict(expected["variants"]), {}, {}]
    full = [[(run.X, run.y)]] * run.epochs
    starts = np.cumsum([0, *_sizes(run.N, run.batch_size)])
    in_order = [[(run.X[i:j], run.y[i:j]) for i, j in zip(starts, starts[1:], strict=False)]] * run.epochs
    others = [(tag, expected["batches"], tag, text) for tag, text in _FIT_MISTAKES.items()]
    if run.batch_size is not None and run.batch_size < run.N:
        others.append(
            (
                "",
                full,
                "batch-size-ignored",
                "fit trained on the full batch every step: batch_size was not passed on to minibatches",
            )
        )
    if run.shuffle:
        others.append(
            (
                "",
                in_order,
                "shuffle-ignored",
                "fit visited the samples in their stored order: shuffle (and rng) were not passed on to minibatches",
            )
        )
    for mistake, batches, tag, text in others:
        replay = _replay(run, batches, mistake)
        for slot, value in zip(variants, (replay["weighted"], *replay["weights"]), strict=True):
            slot[tag] = (value, text)
    return variants


def _judge_history(name: str, run: _FitRun, expected: dict[str, Any]) -> Outcome:
    history = run.history
    if type(history) not in (list, tuple) and not (isinstance(history, np.ndarray) and history.ndim == 1):
        return failed(
            name,
            f"{run.describe()} returned {_describe(history)}; expected a list of {run.epochs} per-epoch losses.",
            "returned-none" if history is None else "wrong-type",
        )
    outcome = judge(
        name,
        list(history),
        expected["weighted"],
        f"{run.describe()}: the per-epoch losses",
        variants=expected["variants"],
    )
    if not outcome.passed and compare(list(history), expected["per_n"]).ok:
        return passed(name)  # a total divided by len(X) is the same mean when every sample is seen
    return outcome


@check("api", "signature", FIT, interface=True)
def fit_signature(ctx: Context) -> Outcome:
    return check_signature(ctx)


@check("api", "returns one loss per epoch", FIT)
def fit_returns(ctx: Context) -> Outcome:
    name = "returns one loss per epoch"
    run = _FitRun(ctx, "api", N=6, epochs=3, batch_size=None)
    history = run.history
    array = (
        as_array(list(history))
        if type(history) in (list, tuple)
        else (history if isinstance(history, np.ndarray) else None)
    )
    if array is None or array.shape != (3,) or not np.isfinite(array.astype(np.float64)).all():
        return failed(
            name,
            f"{run.describe()} returned {_describe(history)}; expected a list of 3 floats "
            "(the mean loss of each epoch).",
            "returned-none" if history is None else "wrong-type",
        )
    return passed(name)


_FIT_CASES = (
    # test name, N, epochs, batch_size, shuffle
    ("full batch: per-epoch losses and final weights", 10, 3, None, False),
    ("mini-batches of 4 of 10 samples: losses weighted by batch size", 10, 2, 4, False),
    ("stochastic (batch_size=1)", 5, 2, 1, False),
    ("shuffled mini-batches from a given rng", 11, 3, 3, True),
)


def _register_fit_case(label: str, N: int, epochs: int, batch_size: int | None, shuffle: bool) -> None:
    @check("reference", label, FIT)
    def fit_case(ctx: Context) -> Outcome:
        run = _FitRun(
            ctx,
            label,
            N=N,
            epochs=epochs,
            batch_size=batch_size,
            shuffle=shuffle,
            rng_seed=_seed(ctx, "rng", label) if shuffle else None,
        )
        batches = _student_batches(ctx, run)
        if batches is None:  # the submission's minibatches ignores rng: replay what fit did
            per_epoch = len(run.inputs) // max(epochs, 1)
            recorded = run.recorded()
            batches = [recorded[e * per_epoch : (e + 1) * per_epoch] for e in range(epochs)]
        expected = _replay(run, batches)
        expected["batches"] = batches
        history_variants, w_variants, b_variants = _fit_variants(run, expected)
        expected["variants"] = history_variants
        outcomes = [_judge_history(label, run, expected)]
        W, b = run.weights if type(run.weights) in (list, tuple) and len(run.weights) == 2 else (None, None)
        outcomes.append(
            judge(
                label,
                W,
                expected["weights"][0],
                f"{run.describe()}: the model's weights after training",
                variants=w_variants,
            )
        )
        outcomes.append(
            judge(
                label,
                b,
                expected["weights"][1],
                f"{run.describe()}: the model's bias after training",
                variants=b_variants,
            )
        )
        return first_failure(label, outcomes)


for _case in _FIT_CASES:
    _register_fit_case(*_case)


@check("contracts", "per batch: zero_grad, forward, loss, backward, step", FIT)
def fit_call_order(ctx: Context) -> Outcome:
    name = "per batch: zero_grad, forward, loss, backward, step"
    run = _FitRun(ctx, "order", N=10, epochs=2, batch_size=4)
    calls = [e.split(":")[0] for e in run.events]
    batches = max(len(run.inputs), 1)
    if calls == _PATTERN * batches:
        return passed(name)
    tag = "zero-grad-missing" if "zero_grad" not in calls else "call-order"
    k = next((k for k in range(batches) if calls[6 * k : 6 * k + 6] != _PATTERN), batches)
    made = calls[6 * k : 6 * k + 6] if k < batches else calls[6 * batches :]
    where = f"batch {k + 1} made the calls" if k < batches else "after the last batch came the extra calls"
    return failed(
        name,
        f"{run.describe()}: {where} [{', '.join(made)}]; every batch must call "
        "optimizer.zero_grad(), model.forward, loss_fn.forward, loss_fn.backward, "
        "model.backward(that gradient), optimizer.step(), in this order.",
        tag,
    )


@check("contracts", "epochs and batch_size are respected", FIT)
def fit_epochs(ctx: Context) -> Outcome:
    name = "epochs and batch_size are respected"
    problems, tag = [], ""
    for N, epochs, batch_size in ((10, 3, 3), (7, 1, None), (6, 0, 2)):
        run = _FitRun(ctx, f"epochs {N} {epochs} {batch_size}", N=N, epochs=epochs, batch_size=batch_size)
        expected = _student_batches(ctx, run) or []
        want = [len(xb) for batch in expected for xb, _ in batch]
        sizes = [len(x) for x in run.inputs]
        length = len(run.history) if type(run.history) in (list, tuple, np.ndarray) else None
        if sizes != want or length != epochs:
            problems.append(
                f"{run.describe()} trained on batches of sizes {sizes} and returned "
                f"{length} losses; expected sizes {want} ({epochs} epochs) and {epochs} losses"
            )
            if not tag:
                tag = "batch-size-ignored" if len(set(sizes)) == 1 and sizes and sizes[0] == N != want[0] else "epochs"
    if problems:
        return failed(name, "; ".join(problems) + ".", tag)
    return passed(name)


@check("contracts", "shuffle and rng are passed on to minibatches", FIT)
def fit_shuffle(ctx: Context) -> Outcome:
    name = "shuffle and rng are passed on to minibatches"
    run = _FitRun(ctx, "shuffle", N=12, epochs=3, batch_size=5, shuffle=True, rng_seed=_seed(ctx, "shuffle"))
    expected = _student_batches(ctx, run)
    recorded = run.recorded()
    if expected is not None and not _same_batches(recorded, [b for epoch in expected for b in epoch]):
        unshuffled = _student_batches(ctx, run, shuffle=False)
        ignored = unshuffled is not None and _same_batches(recorded, [b for e in unshuffled for b in e])
        return failed(
            name,
            f"{run.describe()}: the batches fit trained on are not those of minibatches(X, y, "
            "batch_size, shuffle, rng) called once per epoch with the given rng"
            + (
                ": they come in the stored order, so shuffle was not passed on."
                if ignored
                else ": pass shuffle and rng on to minibatches (no new generator when rng is given)."
            ),
            "shuffle-ignored" if ignored else "rng-ignored",
        )
    # rng=None: one fresh generator for the run, so epochs get new orders (when the
    # submission's minibatches shuffles at all: that is graded on minibatches).
    X, y = _indexed(12, 3)
    orders = [
        _order(ctx.session.collect("training.minibatches", None, X, y, batch_size=12, shuffle=True), 3)
        for _ in range(2)
    ]
    if None in orders or orders[0] == orders[1]:
        return passed(name)
    fresh = _FitRun(ctx, "fresh", N=12, epochs=3, batch_size=12, shuffle=True)
    epochs = [tuple(np.asarray(x)[:, 0].tolist()) for x in fresh.inputs]
    if len(epochs) >= 2 and len(set(epochs)) == 1:
        return failed(
            name,
            f"{fresh.describe()} (rng=None) trained every epoch on the same order: with "
            "rng=None one fresh generator serves the whole run, so epochs get new permutations.",
            "same-permutation",
        )
    return passed(name)


@check("convergence", "trains a linear regression (mini-batches of 8)", FIT)
def fit_converges(ctx: Context) -> Outcome:
    name = "trains a linear regression (mini-batches of 8)"
    return _regression(ctx, name, 8, settings.FIT_EPOCHS, 0.05, settings.FIT_LOSS_RATIO, monotone=False)


@check("convergence", "full-batch descent lowers the loss every epoch", FIT)
def fit_full_batch(ctx: Context) -> Outcome:
    name = "full-batch descent lowers the loss every epoch"
    return _regression(
        ctx,
        name,
        None,
        settings.FIT_FULL_BATCH_EPOCHS,
        0.1,
        settings.FIT_FULL_BATCH_RATIO,
        monotone=True,
    )


def _regression(
    ctx: Context,
    name: str,
    batch_size: int | None,
    epochs: int,
    lr: float,
    ratio: float,
    monotone: bool,
) -> Outcome:
    rng = ctx.rng("regression", name)
    X = rng.standard_normal((64, 3))
    y = X @ rng.standard_normal((3, 1)) + 0.5
    rig = ctx.session.harness("training_rig", 3, 1, lr, _seed(ctx, "regression", name))
    history = ctx.session.call(
        ctx.component.name,
        None,
        ctx.session.get(rig, "model"),
        ctx.session.get(rig, "loss"),
        ctx.session.get(rig, "optimizer"),
        X,
        y,
        epochs=epochs,
        batch_size=batch_size,
    )
    h = as_array(list(history)) if type(history) in (list, tuple) else as_array(history)
    what = f"fit(..., epochs={epochs}, batch_size={batch_size}) of a linear model (lr {lr:g}) on noise-free data"
    if h is None or h.shape != (epochs,) or not np.isfinite(h.astype(np.float64)).all():
        return failed(
            name,
            f"{what} returned {_describe(history)}; expected {epochs} finite losses.",
            "wrong-type",
        )
    if monotone and not np.all(np.diff(h) < 0):
        k = int(np.argmax(np.diff(h) >= 0))
        return failed(
            name,
            f"{what}: the loss went from {fmt(h[k])} (epoch {k + 1}) to {fmt(h[k + 1])} "
            f"(epoch {k + 2}); full-batch gradient descent with a small step lowers it every "
            "epoch.",
            "no-convergence",
        )
    if not h[-1] <= ratio * h[0]:
        return failed(
            name,
            f"{what}: the loss went from {fmt(h[0])} to {fmt(h[-1])}; it should fall below "
            f"{ratio:g} of the first epoch's.",
            "no-convergence",
        )
    return passed(name)


# =============================================================================== numerical_gradient
NUMGRAD = ("numerical_gradient",)


def _probe_loop(f: Callable[[np.ndarray], float], x: np.ndarray, h: float, kind: str = "central") -> np.ndarray:
    """The grader's own loop: ``central`` (API.md), or a known mistake (``forward``,
    ``over-h``: divided by h, ``not-restored``: each entry left at x - h)."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    base = f(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        plus = f(x)
        x[index] = original - h
        minus = f(x)
        if kind != "not-restored":
            x[index] = original
        if kind == "forward":
            grad[index] = (plus - base) / h
        elif kind == "over-h":
            grad[index] = (plus - minus) / h
        else:
            grad[index] = (plus - minus) / (2 * h)
    return grad


def _numgrad_variants(f: Any, x: np.ndarray, h: float, default_h: float) -> dict[str, tuple[np.ndarray, str]]:
    variants = {
        "forward-difference": (
            _probe_loop(f, x, h, "forward"),
            "this is the one-sided difference "
            "(f(x + h) - f(x)) / h; API.md asks for the central difference "
            "(f(x + h e_i) - f(x - h e_i)) / 2h, which is accurate to O(h^2)",
        ),
        "central-over-h": (
            _probe_loop(f, x, h, "over-h"),
            "the central difference was divided by h; the two probes are 2h apart, so divide by 2h",
        ),
        "not-restored": (
            _probe_loop(f, x, h, "not-restored"),
            "each entry was left at x - h after its "
            "probe, so later entries were probed at a shifted point; restore x[i] to its saved "
            "value after both probes",
        ),
    }
    if h != default_h:
        variants["h-ignored"] = (
            _probe_loop(f, x, default_h),
            f"the step h={h:g} was ignored (the default {default_h:g} was used)",
        )
    return variants


_NUMGRAD_CASES = (
    ("central differences: a vector", (6,), None),
    ("central differences: a 3x4 matrix", (3, 4), None),
    ("central differences: a 2x2x3 array", (2, 2, 3), None),
    ("central differences: step h=0.01", (2, 3), 1e-2),
)
_DEFAULT_H = 1e-5


def _register_numgrad_case(label: str, shape: tuple[int, ...], h: float | None) -> None:
    @check("reference", label, NUMGRAD)
    def numgrad_case(ctx: Context) -> Outcome:
        seed = _seed(ctx, label)
        x = ctx.rng("x", label).standard_normal(shape)
        f = ctx.session.harness("coupled_function", list(shape), seed)
        kwargs = {} if h is None else {"h": h}
        got = ctx.session.call(ctx.component.name, None, f, x, **kwargs)
        local = doubles.coupled_function(list(shape), seed)
        step = _DEFAULT_H if h is None else h
        expected = _probe_loop(local, x, step)
        f_size = float(np.sum(np.abs(local.w * np.sin(x) + local.c * x**2))) + 0.5 * float(np.sum(local.u * x)) ** 2
        noise = settings.GRADCHECK_NOISE * max(1.0, f_size) / step
        scale = max(float(np.max(np.abs(expected))), noise / settings.ATOL_SCALE)
        outcome = judge(
            label,
            got,
            expected,
            f"numerical_gradient(f, x{'' if h is None else f', h={h:g}'}) for x of shape {shape}",
            variants=_numgrad_variants(local, x, step, _DEFAULT_H),
            related={"the input x": x},
            scale=scale,
        )
        array = as_array(got)
        if outcome.passed or array is None or array.shape != expected.shape:
            return outcome
        with np.errstate(all="ignore"):
            gap = float(np.max(np.abs(array.astype(np.float64) - expected)))
        return failed(
            label,
            f"{outcome.feedback} (The largest difference is {gap:.3g}; a correct central "
            f"difference agrees to about 1e-9.)",
            outcome.misconception,
        )


for _case in _NUMGRAD_CASES:
    _register_numgrad_case(*_case)


@check("api", "signature", NUMGRAD, interface=True)
def numgrad_signature(ctx: Context) -> Outcome:
    return check_signature(ctx)


@check("api", "returns a float64 array shaped like x", NUMGRAD)
def numgrad_shape(ctx: Context) -> Outcome:
    name = "returns a float64 array shaped like x"
    problems = []
    for shape in ((4,), (2, 3)):
        f = ctx.session.harness("scalar_function", list(shape), 1)
        got = ctx.session.call(ctx.component.name, None, f, ctx.rng("shape", shape).standard_normal(shape))
        if not isinstance(got, np.ndarray) or got.shape != shape or got.dtype != np.float64:
            problems.append(f"for x of shape {shape} it returned {_describe(got)}")
    if problems:
        return failed(name, "; ".join(problems) + ".", "wrong-shape")
    return passed(name)


@check("contracts", "x is restored exactly after every probe", NUMGRAD)
def numgrad_restores(ctx: Context) -> Outcome:
    name = "x is restored exactly after every probe"
    shape = (3, 4)
    x = ctx.rng("restore").standard_normal(shape) + 0.1  # x + h - h == x fails for many of these
    box = ctx.session.harness("array_box", x)
    f = ctx.session.harness("coupled_function", list(shape), _seed(ctx, "restore"))
    ctx.session.call_unboxed(ctx.component.name, None, f, box)
    after = np.asarray(ctx.session.get(box, "value"))
    if np.array_equal(after, x):
        return passed(name)
    wrong = np.argwhere(after != x)
    index = tuple(int(i) for i in wrong[0])
    return failed(
        name,
        f"after numerical_gradient(f, x), {len(wrong)} of {x.size} entries of x differ from "
        f"their values before the call; first at index {index}: was {float(x[index])!r}, now "
        f"{float(after[index])!r}. "
        "Save x[i], probe, then assign the saved value back (adding and subtracting h does not "
        "restore a float exactly).",
        "not-restored",
    )


@check("properties", "agrees with the analytic derivative for any shape and step", NUMGRAD)
def numgrad_property(ctx: Context) -> Outcome:
    name = "agrees with the analytic derivative for any shape and step"
    strategy = st.tuples(shapes(1, 3, 4), st.sampled_from([1e-4, 1e-5, 1e-6]), SEEDS)

    def body(example: tuple[tuple[int, ...], float, int]) -> Problem:
        shape, h, drawn = example
        rng = _example_rng(ctx, drawn)
        seed = int(rng.integers(2**31 - 1))
        x = rng.standard_normal(shape)
        f = ctx.session.harness("coupled_function", list(shape), seed)
        got = as_array(ctx.session.call(ctx.component.name, None, f, x, h=h))
        local = doubles.coupled_function(list(shape), seed)
        true = local.derivative(x)
        about = f"(example: x of shape {shape}, h={h:g})"
        if got is None or got.shape != shape:
            return f"returned {_describe(got)}, expected shape {shape} {about}.", "wrong-shape"
        f_size = float(np.sum(np.abs(local.w * np.sin(x) + local.c * x**2))) + 0.5 * float(np.sum(local.u * x)) ** 2
        allowed = (
            settings.NUMGRAD_PROPERTY_RTOL * (np.abs(true) + np.max(np.abs(true)))
            + 10 * settings.GRADCHECK_NOISE * max(1.0, f_size) / h
        )
        excess = np.abs(got - true) - allowed
        if not np.isfinite(got).all() or (excess > 0).any():
            i = tuple(
                int(k) for k in np.unravel_index(int(np.argmax(np.where(np.isfinite(got), excess, np.inf))), shape)
            )
            return (
                f"at index {i} it gave {fmt(got[i])} where the derivative is {fmt(true[i])}; "
                "the central "
                f"difference is accurate to O(h^2) {about}.",
                "gradcheck-formula",
            )
        return None

    return hypothesis_check(ctx, name, strategy, body)


# =============================================================================== relative_error
RELERR = ("relative_error",)


def _relerr_variants(a: np.ndarray, b: np.ndarray) -> dict[str, tuple[np.ndarray, str]]:
    diff, total = np.abs(a - b), np.abs(a) + np.abs(b)
    with np.errstate(all="ignore"):
        ratio = diff / np.maximum(1e-8, total)
        return {
            "mean-not-max": (
                np.asarray(np.mean(ratio)),
                "this is the mean of the entry-wise ratios; the "
                "relative error is the largest one (max), so one bad entry is not averaged away",
            ),
            "missing-abs": (
                np.asarray(np.max((a - b) / np.maximum(1e-8, total))),
                "the difference a - b was not taken in absolute value: |a - b|",
            ),
            "abs-of-sum": (
                np.asarray(np.max(diff / np.maximum(1e-8, np.abs(a + b)))),
                "the denominator was |a + b|; it is |a| + |b| (which is never 0 unless both are)",
            ),
            "no-floor": (
                np.asarray(np.max(diff / total)),
                "dividing by |a| + |b| without the floor max(1e-8, .) gives 0/0 = nan where both entries are 0",
            ),
            "relative-to-a": (
                np.asarray(np.max(diff / np.maximum(1e-8, np.abs(a)))),
                "the difference was divided by |a| only; divide by |a| + |b| (symmetric in a and b)",
            ),
        }


def _relerr_inputs(rng: np.random.Generator, kind: str) -> tuple[np.ndarray, np.ndarray]:
    a = rng.standard_normal((4, 5))
    b = a * (1 + rng.uniform(-0.01, 0.01, a.shape))
    if kind == "zeros":
        mask = rng.random(a.shape) < 0.4
        a[mask] = 0.0
        b[mask] = 0.0
        b[0, 0], a[0, 0] = 1e-10, 0.0  # below the floor: 1e-10 / 1e-8
    if kind in ("random", "zeros"):
        a[1, 2] = abs(a[1, 2]) + 0.5  # the worst entry has b > a, so a missing abs shows
        b[1, 2] = 1.5 * a[1, 2]
    if kind == "equal":
        b = a.copy()
    if kind == "opposite":
        b = -a + 0.1 * rng.standard_normal(a.shape)
    return a, b


_RELERR_CASES = (
    ("value: random arrays", "random"),
    ("value: zeros in both (the 1e-8 floor)", "zeros"),
    ("value: equal arrays give 0", "equal"),
    ("value: arrays of opposite signs", "opposite"),
)


def _register_relerr_case(label: str, kind: str) -> None:
    @check("reference", label, RELERR)
    def relerr_case(ctx: Context) -> Outcome:
        a, b = _relerr_inputs(ctx.rng("relerr", kind), kind)
        expected = reference_class(ctx.component.name)(a, b)
        got = ctx.session.call(ctx.component.name, None, a, b)
        return judge(
            label,
            got,
            np.asarray(expected),
            f"relative_error(a, b) for arrays of shape {a.shape}",
            variants=_relerr_variants(a, b),
        )


for _case in _RELERR_CASES:
    _register_relerr_case(*_case)


@check("api", "signature", RELERR, interface=True)
def relerr_signature(ctx: Context) -> Outcome:
    return check_signature(ctx)


@check("api", "returns a float", RELERR)
def relerr_float(ctx: Context) -> Outcome:
    name = "returns a float"
    rng = ctx.rng("float")
    got = ctx.session.call(ctx.component.name, None, rng.standard_normal((3, 2)), rng.standard_normal((3, 2)))
    if (
        type(got) is float
        or isinstance(got, np.floating)
        or (isinstance(got, np.ndarray) and got.shape == () and got.dtype.kind == "f")
    ):
        return passed(name)
    return failed(
        name,
        f"relative_error(a, b) returned {_describe(got)}; it should return one float (the largest entry-wise ratio).",
        "wrong-type",
    )


@check("properties", "symmetric, 0 for equal arrays, between 0 and 1, scale-free", RELERR)
def relerr_properties(ctx: Context) -> Outcome:
    name = "symmetric, 0 for equal arrays, between 0 and 1, scale-free"
    session = ctx.session
    strategy = st.tuples(shapes(1, 3, 5), st.sampled_from([1e-3, 1.0, 1e3]), st.booleans(), SEEDS)

    def call(a: np.ndarray, b: np.ndarray) -> float | None:
        value = session.call(ctx.component.name, None, a, b)
        return float(value) if _is_number(value) else None

    def body(example: tuple[tuple[int, ...], float, bool, int]) -> Problem:
        shape, scale, zeros, drawn = example
        rng = _example_rng(ctx, drawn)
        a, b = scale * rng.standard_normal(shape), scale * rng.standard_normal(shape)
        if zeros:
            mask = rng.random(shape) < 0.5
            a[mask], b[mask] = 0.0, 0.0
        about = f"(example: arrays of shape {shape} and scale {scale:g}{', some entries 0 in both' if zeros else ''})"
        ab, ba, aa = call(a, b), call(b, a), call(a, a.copy())
        if None in (ab, ba, aa):
            return f"relative_error did not return a number {about}.", "wrong-type"
        if not all(math.isfinite(v) for v in (ab, ba, aa)):
            return (
                f"relative_error gave {fmt(ab)}, {fmt(ba)} (swapped) and {fmt(aa)} (a with "
                "itself): nan "
                f"comes from 0/0 where both entries are 0; divide by max(1e-8, |a| + |b|) {about}.",
                "no-floor",
            )
        if not math.isclose(ab, ba, rel_tol=1e-12, abs_tol=1e-300):
            return (
                f"relative_error(a, b) = {fmt(ab)} but relative_error(b, a) = {fmt(ba)}; it is symmetric {about}.",
                "not-symmetric",
            )
        if aa != 0.0:
            return f"relative_error(a, a) = {fmt(aa)}; it should be 0 {about}.", "no-floor"
        if not 0.0 <= ab <= 1.0:
            return (
                f"relative_error(a, b) = {fmt(ab)}; |a - b| <= |a| + |b|, so it lies in [0, 1] {about}.",
                "missing-abs" if ab < 0 else "abs-of-sum",
            )
        if scale >= 1.0:
            scaled = call(1024 * a, 1024 * b)
            if scaled is None or not math.isclose(scaled, ab, rel_tol=1e-12):
                return (
                    f"relative_error(1024 a, 1024 b) = {_text(scaled)} but relative_error(a, b) "
                    f"= {fmt(ab)}; "
                    f"a relative error does not change when both arrays are scaled {about}.",
                    "not-relative",
                )
        return None

    return hypothesis_check(ctx, name, strategy, body)
