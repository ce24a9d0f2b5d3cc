"""Rubric for the perceptron: predictions, the update rule, and convergence where the theorem says so."""

import ast
import functools
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
from hypothesis import strategies as st
from nnlab.exercises.components import Case
from nnlab.graders import settings
from nnlab.graders.results import OBSERVATIONS, Outcome, failed, passed
from nnlab.graders.running import doubles
from nnlab.graders.running.puppet import StudentCrash, StudentError, StudentTimeout

from ..catalogue import Context
from ..catalogue import check as register_check
from ..diagnose import IS, LOOKS_LIKE, Diagnosis
from ..strategies import SEEDS
from ..tolerance import agrees, allclose, as_array, compare, fmt
from .drive import Problem, describe_kind, describe_value, example_rng, hypothesis_check, is_number
from .inputs import reference_class
from .misconceptions import preferring, saved_state
from .perceptron_loop import FitRun, Verdict, loop_verdict, right_loop_explains
from .stored_settings import stored_otherwise
from .support import check_signature, first_failure, judge

# =============================================================================== Perceptron
PERCEPTRON = ("perceptron",)

# A method of docs/api.md that takes a batch (N, n_features), handed one sample (n_features,) by the
# submission's own code (base.check_ndim's message names the method and both shapes).
_ONE_SAMPLE = re.compile(r"\w+\.(\w+) expects input of shape \(N, (\d+)\), got shape \((\d+),\)")


def _one_sample_crash(error: StudentError) -> Diagnosis | None:
    found = _ONE_SAMPLE.search(error.message)
    if error.type_name != "ValueError" or not found or found.group(2) != found.group(3):
        return None
    method = found.group(1)
    return Diagnosis(
        f"{method}-on-one-sample",
        f"{method} was called on one sample x of shape ({found.group(2)},): {method} takes a batch of shape (N, "
        f"n_features), the 2-D input docs/api.md gives it; give it x[None] (a batch of one, shape (1, "
        f"{found.group(2)})) and take entry 0, or compute the score of the one sample, x @ weight + bias",
    )


# A method of docs/api.md that takes one sample (n_features,), handed a scalar (shape ()) by the submission's own
# code: in a loop over samples, what arrived is another name of the unpacking (a target, an index).
_SCALAR_SAMPLE = re.compile(r"\w+\.(\w+) expects input of shape \((\d+),\), got shape \(\)")


def _scalar_sample_crash(error: StudentError) -> Diagnosis | None:
    found = _SCALAR_SAMPLE.search(error.message)
    if error.type_name != "ValueError" or not found:
        return None
    method = found.group(1)
    return Diagnosis(
        "unpacked-swapped",
        f"{method} was handed a single number where one sample x of shape ({found.group(2)},) belongs: the loop "
        f"over the samples unpacked its pairs in the other order, `for target, x in zip(X, y)` (or `for x, i in "
        f"enumerate(X)`), so the target went where the sample belongs; zip(X, y) gives (x, target), sample first",
        LOOKS_LIKE,
    )


# A target converted to one number (float(target), int(t)) on the line of update that raised: names students give it.
_TARGET_NAME = re.compile(r"^(target|label|class|y|y_?true|t|y_?i)$", re.IGNORECASE)


def _targets_for_target_crash(error: StudentError) -> Diagnosis | None:
    """update raised converting its target to a number ("only 0-dimensional arrays can be converted"): what came
    was an array of several targets. The grader's own calls of update give one number, so the call came from the
    submission's fit, which passed an array (every target, y, where the loop's own target belongs)."""
    if error.type_name != "TypeError" or "converted to Python scalars" not in error.message:
        return None
    if not re.search(r"\bin update\s*$", error.where):
        return None
    try:
        tree = ast.parse(error.source.strip())
    except SyntaxError:
        return None
    converted = [
        name.id
        for call in ast.walk(tree)
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in ("float", "int")
        for argument in call.args
        for name in ast.walk(argument)
        if isinstance(name, ast.Name) and _TARGET_NAME.match(name.id)
    ]
    if len(set(converted)) != 1:
        return None
    return Diagnosis(
        "wrong-shape",
        f"update raised converting its target `{converted[0]}` to one number: it received an array of several "
        "targets where one sample's target (a number) belongs. update takes one sample and its own target, and "
        "fit's loop called it with more: the whole y (or a slice of it) instead of the target paired with x; pass "
        "the loop's target, `for x, target in zip(X, y): self.update(x, target)`",
        LOOKS_LIKE,
    )


def check(*args: Any, **kwargs: Any) -> Callable[[Callable[..., Outcome]], Callable[..., Outcome]]:
    """The catalogue's ``check``, with the crashes of the perceptron's own calls read first."""

    def register(function: Callable[..., Outcome]) -> Callable[..., Outcome]:
        @functools.wraps(function)
        def reading(*call: Any) -> Outcome:
            try:
                return function(*call)
            except StudentError as error:
                error.diagnosis = (
                    error.diagnosis
                    or _one_sample_crash(error)
                    or _scalar_sample_crash(error)
                    or _targets_for_target_crash(error)
                )
                raise

        return register_check(*args, **kwargs)(reading)

    return register


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
            f"float; got {describe_value(weight)} and {describe_value(bias)}.",
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
        problems.append(f"`weight` should be a float64 array of shape ({n},), got {describe_kind(weight)}")
    elif np.any(w != 0):
        problems.append(f"`weight` should start at zeros, got {describe_value(w)}")
    if not is_number(bias) or type(bias) is int or isinstance(bias, np.integer):
        problems.append(f"`bias` should be a float (0.0), got {describe_kind(bias)}")
    elif float(bias) != 0.0:
        problems.append(f"`bias` should start at 0.0, got {fmt(float(bias))}")
    X = ctx.rng("api", case.id).standard_normal((6, n))
    w0 = ctx.rng("api-w", case.id).standard_normal(n)
    _set_state(ctx, handle, w0, 0.3)
    predictions = as_array(ctx.session.call(handle, "predict", X))
    if predictions is None or predictions.shape != (6,):
        problems.append(
            f"predict(X) for X of shape (6, {n}) should return shape (6,), got "
            f"{describe_kind(ctx.session.call(handle, 'predict', X))}"
        )
    else:
        if predictions.dtype != np.float64:
            problems.append(f"predict should return float64 0.0/1.0, got dtype {predictions.dtype}")
        if not np.isin(predictions, (0.0, 1.0)).all():
            problems.append(f"predict should return only 0.0 and 1.0, got {describe_value(predictions)}")
    if problems:
        score = X @ w0 + 0.3
        square = _broadcast_square(predictions, score)
        if square:
            return failed(name, "; ".join(problems) + f". Cause: {square}.", "broadcast-wrong-axis", confidence=IS)
        labels = [np.where(score > 0, 1.0, -1.0), np.sign(score)]
        if predictions is not None and any(np.array_equal(predictions, v) for v in labels):
            return failed(
                name, "; ".join(problems) + f". Cause: {_MINUS_ONE_LABELS}.", "minus-one-labels", confidence=IS
            )
        # the one problem a dtype of float32 (the weights or the predictions made float32): the dtype's own tag
        single = [p for p in problems if "float32" in p]
        return failed(name, "; ".join(problems) + ".", "float32" if single == problems else "attributes")
    return passed(name)


def _broadcast_square(predictions: np.ndarray | None, score: np.ndarray) -> str:
    """The sentence when predict's (N, N) result repeats the right predictions in every row or every column: a
    vector (N,) met a column (N, 1) and broadcast (the bias or the scores made a column); "" otherwise."""
    n = len(score)
    if predictions is None or predictions.shape != (n, n) or n < 2:
        return ""
    right = (score > 0).astype(np.float64)
    if np.all(predictions == right[None, :]):
        which = "every row holds the right predictions"
    elif np.all(predictions == right[:, None]):
        which = "every column holds the right predictions"
    else:
        return ""
    return (
        f"{which}: a vector of shape ({n},) met a column of shape ({n}, 1) and numpy broadcast them to ({n}, {n}) "
        "(the bias added as a column, bias * np.ones((N, 1)), or the scores reshaped to one); the scores are "
        "X @ weight + bias, of shape (N,), with the bias a plain float"
    )


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


# The known mistakes of predict and update, in a student's words.
_MINUS_ONE_LABELS = "the classes came out as -1/1 (np.sign?); the perceptron of docs/api.md predicts 0.0 and 1.0"
_ERROR_SIGN = "the error should be target - prediction, not prediction - target"
_ERROR_SIGNS = ("error-sign-flipped", "error-unsigned")
_ERROR_UNSIGNED = (
    "the error is a mistake flag, 1.0 for any mistake (float(target != prediction), or |target - prediction|): it "
    "is right for a missed 1, but a false positive (prediction 1, target 0) also gets +1, so the update pushes its "
    "score up, towards class 1, where it must push it down; the error is signed, target - prediction, -1 for a "
    "false positive: it sets the direction of the update"
)
_RETURNED_UNSIGNED = (
    "the returned error lost its sign: update returned 1 for any mistake (abs(error), (target - prediction) ** 2, "
    "or float(target != prediction)), so a false positive (prediction 1, target 0) returned +1 where its error is "
    "-1, while a missed 1 returned +1 rightly; the weights moved right, only the value returned is unsigned: "
    "return error = target - prediction itself"
)
_UNSIGNED_SEEN = (
    "the returned error lost its sign: update returned +1 for a false positive (prediction 1, target 0) as for a "
    "missed 1 (abs(error), (target - prediction) ** 2, or float(target != prediction)); the error is signed, "
    "target - prediction, -1 for a false positive"
)
_SIGN_FLIPPED = (
    "the update has the wrong sign: error = target - prediction, then weight += lr * error * x and bias += lr * error"
)
_DELTA_RULE = (
    "the update used the raw score x . weight + bias instead of the thresholded prediction (that is the "
    "delta/Adaline rule, not the perceptron's)"
)
_UPDATES_ON_CORRECT = (
    "the weights changed on a sample that was already classified correctly; the perceptron only learns from "
    "mistakes (error = target - prediction is 0 then)"
)


def _predict_variants(X: np.ndarray, weight: np.ndarray, bias: float) -> dict[str, tuple[np.ndarray, str]]:
    score = X @ weight + bias
    return {
        "step-at-zero": (
            (score >= 0).astype(np.float64),
            "a score of exactly 0 was classified as 1.0 (`>= 0`); the step is 1.0 only where X @ weight + bias > 0",
        ),
        "minus-one-labels": (np.where(score > 0, 1.0, -1.0), _MINUS_ONE_LABELS),
        "minus-one-labels#sign": (np.sign(score), _MINUS_ONE_LABELS),
        "bias-ignored": (
            (X @ weight > 0).astype(np.float64),
            "the bias was left out of the score (X @ weight + bias)",
        ),
        "threshold-half": (
            (score > 0.5).astype(np.float64),
            "the score was thresholded at 0.5 instead of 0 (a probability's threshold, or the score rounded into "
            "[0, 1], np.round(np.clip(score, 0, 1)), which gives the same numbers): the perceptron's score "
            "X @ weight + bias is no probability, and the step is 1.0 where it is > 0",
        ),
        "bias-sign-as-threshold": ((X @ weight - bias > 0).astype(np.float64), _BIAS_AS_THRESHOLD),
        "step-at-zero#half": ((np.sign(score) + 1.0) / 2.0, _HALF_AT_ZERO.format("predict gave 0.5", "where")),
    }


# A step that gives 0.5 at a score of exactly 0 and is right elsewhere: the step built from sign, (sign(score) + 1)
# / 2, and np.heaviside(score, 0.5) give the same numbers on every input (nan and -0.0 alike), so no case tells
# them apart and the sentence names both; the tag is the class they share, the value of the step at 0.
_HALF_AT_ZERO = (
    "a score of exactly 0 gave 0.5, neither class ({} {} the score is 0, as for every sample while the weights are "
    "still zero): either the step was built from np.sign, (sign(score) + 1) / 2, to map -1/+1 to 0/1 (sign(0) is "
    "0), or it is np.heaviside(score, 0.5), whose second argument is the value at exactly 0; the two give the same "
    "numbers. The step is 1.0 where the score is > 0 and 0.0 otherwise: 1.0 if score > 0 else 0.0, (score > "
    "0).astype(np.float64), or np.heaviside(score, 0.0)"
)


_BIAS_AS_THRESHOLD = (
    "the bias was subtracted from the score, X @ weight - bias (or compared with it, X @ weight > bias), as if it "
    "were Rosenblatt's threshold theta (fire when w . x > theta); in docs/api.md's perceptron it is a bias, added "
    "to the score, X @ weight + bias > 0 (a threshold theta is a bias of -theta), and update moves it as a bias, "
    "bias += lr * error"
)


def _unrefuted(
    variants: list[dict[str, tuple[np.ndarray, str]]], answers: list[Any]
) -> list[dict[str, tuple[np.ndarray, str]]]:
    """The variants of several predict calls of one check, less every mistake that one of the calls refutes:
    a simulated mistake names the cause only when it gives the student's predictions in every call, not in the
    one that failed alone (0/1 predictions agree with a wrong rule by chance)."""
    refuted = set()
    for found, answer in zip(variants, answers, strict=True):
        got = as_array(answer)
        if got is None:
            continue
        refuted |= {
            tag for tag, (value, _) in found.items() if got.shape != value.shape or not np.array_equal(got, value)
        }
    return [{tag: v for tag, v in found.items() if tag not in refuted} for found in variants]


@check("reference", "predict", PERCEPTRON, per_case=True)
def perceptron_predict(ctx: Context, case: Case) -> Outcome:
    name = f"predict: {case.id}"
    n, _ = _perceptron_args(case)
    rng = ctx.rng("predict", case.id)
    ref = reference_class(ctx.component.name)(**case.kwargs)
    handle = ctx.session.new(ctx.component.name, **case.kwargs)
    X0 = rng.standard_normal((5, n))
    answers = [ctx.session.call(handle, "predict", X0)]
    expected = [ref.predict(X0)]
    whats = ["predict with the initial (zero) weights, where every score is exactly 0"]
    variants = [_predict_variants(X0, np.zeros(n), 0.0)]
    weight, bias = rng.standard_normal(n), float(rng.standard_normal())
    X = _away_from_zero(rng, n, 10, weight, bias)
    for w, b, inputs, what in (
        (weight, bias, X, "predict with random weight and bias"),
        (*_boundary_problem(rng, n), "predict where some scores are exactly 0"),
    ):
        _set_state(ctx, handle, w, b)
        ref.weight, ref.bias = w.copy(), b
        answers.append(ctx.session.call(handle, "predict", inputs))
        expected.append(ref.predict(inputs))
        whats.append(what)
        variants.append(_predict_variants(inputs, w, b))
    variants = _unrefuted(variants, answers)
    outcomes = [
        judge(name, answer, want, what, variants=found)
        for answer, want, what, found in zip(answers, expected, whats, variants, strict=True)
    ]
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
        "error-sign-flipped": (after(-error), _SIGN_FLIPPED),
        "step-at-zero": (
            after(target - (1.0 if score >= 0 else 0.0)),
            "a score of exactly 0 was taken as prediction 1.0 (`>= 0`); the step is 1.0 only where the score is > 0",
        ),
        "delta-rule": (after(target - score), _DELTA_RULE),
        "bias-not-updated": (
            np.concatenate([w0 + lr * error * x, [b0]]),
            "the weights changed but the bias did not: bias += lr * error",
        ),
        # an update computed but never stored back (an expression statement, or a new local name)
        "result-discarded": (
            np.concatenate([w0, [b0 + lr * error]]),
            "the bias changed but the weights did not: the new weights were computed and never stored back on self "
            "(an expression whose result is discarded, or a local name); assign it, self.weight = self.weight + "
            "lr * error * x",
        ),
        # an update assigned where it accumulates: the old value is lost
        "assigned-not-accumulated": (
            np.concatenate([w0 + lr * error * x, [lr * error]]),
            "the bias was set to lr * error instead of being moved by it: its old value was overwritten; the update "
            "adds to it, bias = bias + lr * error",
        ),
        "assigned-not-accumulated#weight": (
            np.concatenate([lr * error * x, [b0 + lr * error]]),
            "the weights were set to lr * error * x instead of being moved by it: their old values were "
            "overwritten; the update adds to them, weight = weight + lr * error * x",
        ),
    }
    if lr != 1.0:
        state["lr-ignored"] = (
            after(error, 1.0),
            f"the learning rate was ignored (lr = {fmt(lr)}): weight += lr * error * x",
        )
        # a factor left out of one of the two updates only
        state["lr-ignored#weight"] = (
            np.concatenate([w0 + error * x, [b0 + lr * error]]),
            f"the weights' update left out the learning rate (lr = {fmt(lr)}), the bias's kept it: "
            "weight += lr * error * x",
        )
        state["lr-ignored#bias"] = (
            np.concatenate([w0 + lr * error * x, [b0 + error]]),
            f"the bias's update left out the learning rate (lr = {fmt(lr)}): bias += lr * error",
        )
    state["update-without-x"] = (
        np.concatenate([w0 + lr * error, [b0 + lr * error]]),
        "the weights' update left out x: every weight moved by lr * error, the bias's step; the perceptron rule "
        "moves weight i by lr * error * x[i]",
    )
    norm = float(np.linalg.norm(x))
    if norm > 0.0 and not np.isclose(norm, 1.0):
        # the sample scaled to unit length before the step (x / ||x||, "normalised steps"): only in the step,
        # or from the start of update, where the prediction then sees the scaled sample too
        unit = x / norm
        unit_error = target - (1.0 if float(unit @ w0 + b0) > 0 else 0.0)
        for key, e in (("input-normalised", error), ("input-normalised#prediction", unit_error)):
            state[key] = (
                np.concatenate([w0 + lr * e * unit, [b0 + lr * e]]),
                _UNIT_SAMPLE.format(norm=fmt(norm)),
            )
    whole = np.trunc(x)
    if not np.array_equal(whole, x):
        # the sample cast to int (x.astype(int), int(x_i)): only in the step, or from the start of update, where the
        # prediction then sees the truncated sample too. A rival of result-discarded where every |x_i| < 1 (both
        # leave the weights as they were), so that case claims neither.
        whole_error = target - (1.0 if float(whole @ w0 + b0) > 0 else 0.0)
        state["int-truncates-input"] = (np.concatenate([w0 + lr * error * whole, [b0 + lr * error]]), _TRUNCATED_SAMPLE)
        if whole_error != error:  # the same numbers otherwise: one mistake, one key
            moved = np.concatenate([w0 + lr * whole_error * whole, [b0 + lr * whole_error]])
            state["int-truncates-input#prediction"] = (moved, _TRUNCATED_SAMPLE)
    if error == 0.0:
        state["updates-on-correct"] = (after(2 * target - 1), _UPDATES_ON_CORRECT)
    if score == 0.0 and target == 0.0:  # a correct class-0 sample on the boundary, moved as a mistake
        state["updates-on-correct#boundary"] = (after(-1.0), _BOUNDARY_AS_MISTAKE)
    # update's own prediction without the bias (predict may include it): a rival of every mistake
    # above, so a case where they coincide claims neither (diagnose's rule).
    unbiased = target - (1.0 if float(x @ w0) > 0 else 0.0)
    if unbiased != error:
        state["bias-ignored"] = (after(unbiased), _UPDATE_WITHOUT_BIAS)
    errors = {
        "error-sign-flipped": (np.asarray(-error), _ERROR_SIGN),
        "step-at-zero": (
            np.asarray(target - (1.0 if score >= 0 else 0.0)),
            "a score of exactly 0 was taken as prediction 1.0 (`>= 0`)",
        ),
    }
    if unbiased != error:
        errors["bias-ignored"] = (np.asarray(unbiased), _UPDATE_WITHOUT_BIAS)
    # update's own prediction compared the bias with w . x (x @ weight > bias, a threshold theta): its sign flipped
    thresholded = target - (1.0 if float(x @ w0) > b0 else 0.0)
    if thresholded != error:
        state["bias-sign-as-threshold"] = (after(thresholded), _BIAS_AS_THRESHOLD)
        errors["bias-sign-as-threshold"] = (np.asarray(thresholded), _BIAS_AS_THRESHOLD)
    if score == 0.0 and target == 0.0:
        errors["updates-on-correct#boundary"] = (np.asarray(-1.0), _BOUNDARY_AS_MISTAKE)
    if score == 0.0:  # update's own prediction 0.5 on the boundary ((sign + 1) / 2, heaviside(s, 0.5))
        text = _HALF_AT_ZERO.format("update's own prediction was 0.5", "where")
        errors["step-at-zero#half"] = (np.asarray(target - 0.5), text)
        state["step-at-zero#half"] = (after(target - 0.5), text)
    # The error as a mistake flag (1.0 for any mistake, |target - prediction|): right on a missed 1, the sign
    # flipped on a false positive, so only with a missed 1 seen right does it part from a flipped sign.
    if error < 0.0:
        state["error-unsigned"] = (after(abs(error)), _ERROR_UNSIGNED)
        errors["error-unsigned"] = (np.asarray(abs(error)), _ERROR_UNSIGNED)
        # ... or only the returned error lost its sign (return abs(error), error ** 2, float(target != prediction))
        # while the step used the signed one: the state is right, so the state's variant above cannot show it.
        errors["error-unsigned#returned"] = (np.asarray(abs(error)), _RETURNED_UNSIGNED)
    if lr != 1.0 and error != 0.0:
        # the learning rate folded into the error (error = lr * (target - prediction), then weight += error * x):
        # the state moves right, the returned error is lr times the right one (a factor that is lr, not a 2)
        errors["times-lr#returned"] = (np.asarray(lr * error), _RETURNED_TIMES_LR.format(lr=fmt(lr)))
    # update's own prediction in the +-1 convention (-1 for a non-positive score) against 0/1 targets:
    # the error of a class-0 prediction is doubled or never 0, so it keeps learning from correct samples.
    # Its state can equal another mistake's (error 2 at lr 0.5 is lr ignored): the returned error tells them
    # apart, so the state names it only where no other mistake gives the same.
    # np.sign(score) is the same but for a score of exactly 0, which it predicts as 0.0 (right there).
    for key, minus in (
        ("minus-one-labels", target - (1.0 if score > 0 else -1.0)),
        ("minus-one-labels#sign", target - float(np.sign(score))),
    ):
        if minus != error:
            text = _MINUS_ONE_UPDATE.format("< 0" if key.endswith("#sign") else "<= 0")
            errors[key] = (np.asarray(minus), text)
            moved = after(minus)
            if not any(allclose(moved, other) for other, _ in state.values()):
                state[key] = (moved, text)
    return state, errors


_UNIT_SAMPLE = (
    "the weights moved along the sample scaled to unit length, lr * error * x / ||x|| (here ||x|| = {norm}), so "
    "every weight's step is divided by the sample's norm: the perceptron rule adds lr * error * x itself, whose "
    "length grows with the sample's (and a zero sample would give nan); scaling the inputs is preprocessing, done "
    "on the data before fit if wanted, not inside update"
)


_TRUNCATED_SAMPLE = (
    "the weights moved along the sample truncated to integers (x.astype(int), int(...) or np.trunc drops every "
    "entry's fraction, so an entry between -1 and 1 gives no step at all): the rule adds lr * error * x with x's "
    "float values; keep x a float array"
)


_RETURNED_TIMES_LR = (
    "update returned the error times the learning rate (lr = {lr}): the rate was folded into the error "
    "(error = lr * (target - prediction)) and that product returned; the steps are right, but update returns "
    "error = target - prediction itself, one of -1.0, 0.0, 1.0, and applies lr only in the steps"
)


_MINUS_ONE_UPDATE = (
    "update's own prediction was -1.0 for a score {} (the +-1 convention) while targets are 0/1: error = target "
    "- prediction then is 2 instead of 1 on a mistake and 1 instead of 0 on a correct class-0 sample; predict "
    "1.0 or 0.0, as predict does"
)


# The +-1 form of the rule (update when y * score <= 0, y = 2 t - 1) counts a score of exactly 0 as a mistake of
# either class; with 0/1 targets a score of 0 predicts 0.0, so a target 0 there is classified correctly.
_BOUNDARY_AS_MISTAKE = (
    "a sample exactly on the boundary (score 0) with target 0 was treated as a mistake and moved the weights "
    "towards class 0 (error -1): the step puts a score of exactly 0 in class 0.0, so this sample is classified "
    "correctly, error = target - prediction = 0, and nothing changes. Counting the boundary as a mistake of "
    "either class is the +-1 form of the rule (update when y * score <= 0 with y = 2 * target - 1); with 0/1 "
    "targets the prediction decides: error = target - (1.0 if score > 0 else 0.0), an update only when it is not 0"
)


_UPDATE_WITHOUT_BIAS = (
    "update's own prediction left the bias out of the score: it used x @ weight > 0 where the score is "
    "x @ weight + bias, as in predict"
)


def _reproduces(value: np.ndarray, got: np.ndarray) -> bool:
    """Does a simulated value equal what came (a number may come as a 1-entry array)?"""
    return np.size(value) == np.size(got) and allclose(np.ravel(value), np.ravel(got))


# What update returned in place of its error, target - prediction: (tag, the quantity as a function of
# (prediction, target), the sentence). The state may still move right: the error is computed, another name returned.
_RETURNED_INSTEAD = (
    (
        "returns-prediction",
        lambda prediction, target: prediction,
        "update returned the prediction, not the error: it must return error = target - prediction (1.0 for a "
        "missed 1, -1.0 for a false 1, 0.0 when right), the value fit counts mistakes with",
    ),
    (
        "returns-target",
        lambda prediction, target: target,
        "update returned the target, not the error: it must return error = target - prediction (1.0 for a missed "
        "1, -1.0 for a false 1, 0.0 when right), the value fit counts mistakes with",
    ),
)


def _returned_instead(ctx: Context, n: int, lr: float) -> tuple[str, str] | None:
    """The quantity update returns instead of its error, when one of ``_RETURNED_INSTEAD`` gives every value a
    fresh perceptron's update returns on three samples that tell them apart (a missed 1, a false 1, a right 1:
    predictions 0, 1, 1, targets 1, 0, 1, errors 1, -1, 0); None otherwise. Runs only after a failure."""
    x = np.ones(n)
    w1 = np.full(n, 1.0 / n)  # score 1 + bias 0 on x: predicted 1
    cases = ((np.zeros(n), 0.0, 1.0), (w1, 0.0, 0.0), (w1, 0.0, 1.0))
    got = []
    for weight, bias, target in cases:
        handle = ctx.session.new(ctx.component.name, n, lr=lr)
        _set_state(ctx, handle, weight, bias)
        value = ctx.session.call(handle, "update", x, target)
        if not is_number(value):
            return None
        got.append((1.0 if float(x @ weight + bias) > 0 else 0.0, target, float(value)))
    found = [
        (tag, text)
        for tag, quantity, text in _RETURNED_INSTEAD
        if all(value == quantity(prediction, target) for prediction, target, value in got)
    ]
    return found[0] if len(found) == 1 else None


@check("reference", "update", PERCEPTRON, per_case=True)
def perceptron_update(ctx: Context, case: Case) -> Outcome:
    """One update at a time from the reference's state: returned error and new weight and bias."""
    name = f"update: {case.id}"
    n, lr = _perceptron_args(case)
    rng = ctx.rng("update", case.id)
    ref = reference_class(ctx.component.name)(**case.kwargs)
    handle = ctx.session.new(ctx.component.name, **case.kwargs)
    stored_lr = saved_state(ctx.session, handle).get("lr")  # int(lr) shows only in the attribute (0.5 kept as 0)
    refuted: set[str] = set()  # mistakes an update judged right would have made visible: no longer candidates
    last = settings.PERCEPTRON_UPDATE_STEPS
    for step in range(last + 1):
        if step == last:  # back on the boundary from zero weights, now with target 0 (see below)
            ref.weight, ref.bias = np.zeros_like(ref.weight), 0.0
        w0, b0 = ref.weight.copy(), float(ref.bias)
        boundary = step in (0, last)
        x = rng.standard_normal(n) if boundary else _away_from_zero(rng, n, 1, w0, b0)[0]
        prediction = 1.0 if float(x @ w0 + b0) > 0 else 0.0
        # Step 0 is on the boundary (zero weights: score exactly 0, prediction 0.0), a missed 1; then wrong and
        # correct samples alternate; the last is on the boundary again with target 0, a correct sample there
        # (only it shows an update that counts a score of 0 as a mistake of either class).
        target = (1.0 if step == 0 else 0.0) if boundary else (prediction if step % 2 == 0 else 1.0 - prediction)
        _set_state(ctx, handle, w0, b0)
        error = ctx.session.call(handle, "update", x, target)
        weight, bias = _state(ctx, handle)
        expected_error = ref.update(x, target)
        expected = np.concatenate([ref.weight, [ref.bias]])
        state_variants, error_variants = _update_variants(w0, b0, x, target, lr)
        state_variants = {k: v for k, v in state_variants.items() if k not in refuted}
        for _, tag, why in stored_otherwise((("lr", lr),), {}, {"lr": stored_lr}):
            if tag:
                missed = target - prediction
                changed = np.concatenate([w0 + stored_lr * missed * x, [b0 + stored_lr * missed]])
                state_variants = preferring(state_variants, {f"{tag}#lr": (changed, "the perceptron " + why)})
        error_variants = {k: v for k, v in error_variants.items() if k not in refuted}
        # One mistake makes both the returned error and the new state: a simulation of both names the cause of
        # either only when the other is what it gives too (an error left right refutes a state that fits by chance).
        got_error, got_state = as_array(error), _flat_state(weight, bias)
        for key in set(error_variants) & set(state_variants):
            if got_error is not None and not _reproduces(error_variants[key][0], got_error):
                del state_variants[key]
            if got_state is not None and not _reproduces(state_variants.get(key, (got_state,))[0], got_state):
                del error_variants[key]
        where = (
            f"update #{step + 1} (x = {describe_value(x)}, target = {fmt(target)}, weight before = "
            f"{describe_value(w0)}, "
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
            # an observation (all zeros, values) is no cause: the probe may still find one
            instead = None if outcome.misconception not in ("", *OBSERVATIONS) else _returned_instead(ctx, n, lr)
            if instead is not None:
                return failed(name, f"{outcome.feedback} Cause: {instead[1]}.", instead[0], confidence=IS)
            return outcome
        # This update was right: a mistake that would have changed it is ruled out. Every update starts from the
        # reference's state, so a simulated mistake is a deterministic rule that must reproduce all the updates
        # seen, not only the one that failed (the error's sign by a missed 1 or a false positive, a zero score
        # taken as class 1 by the boundary, a bias left out or used as a threshold by a score between 0 and -bias).
        refuted |= {
            k
            for k, (v, _) in [*error_variants.items(), *state_variants.items()]
            if not allclose(v, expected_error if np.ndim(v) == 0 else expected)
        }
    return passed(name)


def _fit_both(
    ctx: Context, case: Case, X: np.ndarray, y: np.ndarray, max_epochs: int, count: bool = False
) -> dict[str, Any]:
    """``fit`` in the submission and in the reference, with ``update`` call counts if asked;
    ``run`` is the submission's fit as a :class:`FitRun` (for :func:`loop_verdict`)."""
    handle = ctx.session.new(ctx.component.name, **case.kwargs)
    ref = reference_class(ctx.component.name)(**case.kwargs)
    counter = ctx.session.harness("call_counter", handle, "update") if count else None
    ref_counter = doubles.call_counter(ref, "update")
    result = ctx.session.call(handle, "fit", X, y, max_epochs=max_epochs)
    expected = ref.fit(X, y, max_epochs=max_epochs)
    weight, bias = _state(ctx, handle)
    calls = ctx.session.get(counter, "count") if count else None
    return {
        "result": result,
        "weight": weight,
        "bias": bias,
        "expected": expected,
        "state": np.concatenate([ref.weight, [ref.bias]]),
        "expected_calls": ref_counter.count,
        "calls": calls,
        "run": FitRun(dict(case.kwargs), X, y, max_epochs, result, weight, bias, calls),
    }


def _judge_fit_result(name: str, result: Any, expected: bool, what: str) -> Outcome:
    if type(result) not in (bool, np.bool_):
        return failed(
            name,
            f"{what}: fit returned {describe_kind(result)}; it should return True or False.",
            "returned-none" if result is None else "wrong-type",
            confidence=IS,
        )
    if bool(result) != expected:
        return failed(name, f"{what}: fit returned {bool(result)}, expected {expected}.")
    return passed(name)


def _count_returned(result: Any, expected: bool, calls: int, N: int) -> str:
    """What count a number fit returned is, where a bool belongs ("" when it is none of them): the epochs it
    took to a clean epoch, that epoch's index, or the update calls. The counts come from the reference's run on
    the same data (``calls`` update calls on ``N`` samples), so the number is read, not guessed."""
    if not expected or isinstance(result, (bool, np.bool_)) or not isinstance(result, (int, float, np.number)):
        return ""
    epochs = -(-calls // max(N, 1))
    counts = (
        (epochs, f"the number of epochs it took ({epochs}, the clean one included)"),
        (epochs - 1, f"the index of the clean epoch ({epochs - 1}, counted from 0)"),
        (calls, f"the number of update calls ({calls})"),
    )
    found = [text for value, text in counts if float(result) == value]
    if len(found) != 1 or float(result) == 1.0:  # 1 is also True written as a number
        return ""
    return (
        f"fit returned {describe_value(result)}, {found[0]}, where docs/api.md's fit returns the bool True after "
        "the first epoch without a mistake (and False if none came): a count is truthy, so `if model.fit(X, y):` "
        "still passes, but `model.fit(X, y) is True` (or == True) fails, and a run that converges at once gives 0, "
        "which reads as False. Return True; keep the count in an attribute if you want it"
    )


def _compare_state(name: str, weight: Any, bias: Any, expected: np.ndarray, what: str) -> Outcome:
    """Compare fit's final ``(weight..., bias)`` with the reference's, saying what differs only: why
    is for :func:`_explained` (generic rules such as "all zeros" would guess at fit's loop)."""
    state = _flat_state(weight, bias)
    if state is None:
        return _judge_state(name, weight, bias, expected, what)
    comparison = compare(state, expected)
    if comparison.ok:
        return passed(name)
    return failed(name, f"{what} (weight entries, then bias as the last entry): {comparison.problem}.")


def _sentence(verdict: Verdict) -> str:
    if verdict.confidence == IS:
        return f" Cause: {verdict.text}."
    return f" {verdict.text[0].upper()}{verdict.text[1:]}."


def _more_runs(ctx: Context) -> list[FitRun]:
    """The submission's fit on XOR, on separable data with room to converge and on data its zero
    weights already fit: where the known mistakes of fit's loop differ (returned True at once, on
    a clean epoch, or on predict(X) == y; a count never reset or counting every sample)."""
    runs = []
    separable = _separable(ctx.rng("more runs"), 2, 20)
    for X, y, max_epochs in (
        (*_xor(2), settings.PERCEPTRON_XOR_EPOCHS),
        (*separable, settings.PERCEPTRON_MAX_EPOCHS),
        # every target 0: the zero weights make no mistake, so the first epoch is clean (a loop that
        # counts every sample, or never resets its count, tells itself apart here)
        (separable[0], np.zeros(len(separable[0])), 3),
        # the first sample a mistake, the next one right: a loop that stops at a right sample stops at
        # update 2, one that tests its running count inside the sample loop only in epoch 2
        (np.array([[1.0, 0.0], [-1.0, 0.0], [0.5, 0.5]]), np.array([1.0, 0.0, 1.0]), 5),
        # one epoch with mistakes: False. A loop that returns True after its first epoch whatever happened, and one
        # whose samples' iterator the first epoch used up (a later epoch is empty, so clean), differ only here
        (*_xor(2), 1),
    ):
        handle = ctx.session.new(ctx.component.name, 2)
        counter = ctx.session.harness("call_counter", handle, "update")
        result = ctx.session.call(handle, "fit", X, y, max_epochs=max_epochs)
        calls = ctx.session.get(counter, "count")
        runs.append(FitRun({"n_features": 2}, X, y, max_epochs, result, *_state(ctx, handle), calls))
    return runs


def _visit_order(ctx: Context, run: FitRun) -> str:
    """How fit's update calls visit the samples when not in their given order, else "" (the x each
    call receives, recorded: the order is observed, not guessed)."""
    handle = ctx.session.new(ctx.component.name, **run.kwargs)
    counter = ctx.session.harness("call_counter", handle, "update")
    try:
        ctx.session.call(handle, "fit", run.X, run.y, max_epochs=run.max_epochs)
        seen = [as_array(x) for x in ctx.session.get(counter, "firsts")]
    except (StudentTimeout, StudentCrash):
        raise
    except StudentError:
        return ""
    N = len(run.X)
    rows = []
    for x in seen:
        match = [i for i in range(N) if x is not None and x.shape == run.X[i].shape and np.array_equal(x, run.X[i])]
        if len(match) != 1:
            return ""  # not the samples themselves, or duplicated rows: nothing to read
        rows.append(match[0])
    epochs = [rows[start : start + N] for start in range(0, len(rows), N)]
    if not epochs or any(sorted(e) != list(range(len(e))) for e in epochs[:-1]) or len(epochs[0]) != N:
        return ""
    wrong = next((k for k, e in enumerate(epochs) if e != list(range(len(e)))), None)
    if wrong is None:
        return ""
    full = {tuple(e) for e in epochs if len(e) == N}
    changes = "" if len(epochs) < 2 else ("; a new order every epoch" if len(full) > 1 else "; the same every epoch")
    return (
        f"fit visited the samples in another order than given (epoch {wrong + 1} updates on rows "
        f"{epochs[wrong][:6]}{'...' if N > 6 else ''}{changes}): docs/api.md visits them in their given order, "
        "epoch after epoch (not shuffled, not reversed), so that fit is deterministic"
    )


def _update_in_place(ctx: Context, runs: list[FitRun]) -> str:
    """What update did to the sample it was given, when it changed it in place ("" when it did not):
    fit hands update X[i], a view of the caller's row, so such an update overwrites the training data."""
    run = next((r for r in runs if len(r.X)), None)
    if run is None:
        return ""
    x = np.asarray(run.X[0], dtype=np.float64)
    for target in (0.0, 1.0):  # a correct sample and a mistake (the weights start at 0: the prediction is 0)
        handle = ctx.session.new(ctx.component.name, **run.kwargs)
        box = ctx.session.harness("array_box", x)
        try:
            ctx.session.call_unboxed(handle, "update", box, target)
        except StudentError as error:  # an update that raises is judged by the update test
            if isinstance(error, (StudentTimeout, StudentCrash)):
                raise
            return ""
        after = as_array(ctx.session.get(box, "value"))
        if after is not None and after.shape == x.shape and not np.array_equal(after, x):
            break
    else:
        return ""
    return (
        f" Cause: update changed the sample it was given in place (x = {describe_value(x)} became "
        f"{describe_value(after)}, as x *= ... or x += ... do): fit hands update X[i], a view of the caller's row, "
        "so every update overwrote the training data and later epochs saw other samples; compute into new arrays, "
        "self.weight = self.weight + self.lr * error * x"
    )


def _explained(ctx: Context, outcome: Outcome, runs: list[FitRun]) -> Outcome:
    """A failed fit check, with what the replays of fit's loop say (nothing when they cannot tell)."""
    if outcome.passed or outcome.misconception in ("returned-none", "wrong-type", "attributes"):
        return outcome
    overwritten = _update_in_place(ctx, runs)
    if overwritten:  # the caller's data changed under fit: no replay on the original data can explain it
        return failed(outcome.name, outcome.feedback + overwritten + ".", "modifies-input", confidence=IS)
    verdict = loop_verdict(ctx, runs, lambda: _more_runs(ctx))
    if verdict is None:
        order = _visit_order(ctx, runs[0])
        if order:
            return failed(outcome.name, f"{outcome.feedback} Cause: {order}.", "visit-order", confidence=IS)
        return failed(outcome.name, outcome.feedback)
    return failed(outcome.name, outcome.feedback + _sentence(verdict), verdict.tag, confidence=verdict.confidence)


@check("reference", "fit", PERCEPTRON, per_case=True)
def perceptron_fit(ctx: Context, case: Case) -> Outcome:
    """``fit`` visits the samples in order: same return value and final weights as the reference."""
    name = f"fit: {case.id}"
    n, _ = _perceptron_args(case)
    X, y = _separable(ctx.rng("fit", case.id), n, 20)
    outcomes, runs, counted = [], [], ""
    for data, max_epochs, what in (
        ((X, y), settings.PERCEPTRON_MAX_EPOCHS, "separable data"),
        (
            _xor(n),
            settings.PERCEPTRON_XOR_EPOCHS,
            f"XOR with max_epochs={settings.PERCEPTRON_XOR_EPOCHS}",
        ),
    ):
        run = _fit_both(ctx, case, *data, max_epochs)
        runs.append(run["run"])
        counted = counted or _count_returned(run["result"], run["expected"], run["expected_calls"], len(data[0]))
        outcomes.append(_judge_fit_result(name, run["result"], run["expected"], f"on {what}"))
        outcomes.append(
            _compare_state(
                name,
                run["weight"],
                run["bias"],
                run["state"],
                f"on {what}, the final state (samples are visited in their given order, epoch after epoch)",
            )
        )
    outcome = first_failure(name, outcomes)
    if counted and outcome.misconception == "wrong-type":
        return failed(name, f"{outcome.feedback} Cause: {counted}.", "fit-return-value", confidence=IS)
    return _explained(ctx, outcome, runs)


def _update_mistake(
    weight: np.ndarray, bias: float, x: np.ndarray, target: float, lr: float, state: np.ndarray | None
) -> tuple[str, str] | None:
    """The known mistake of update that leaves ``state`` after ``update(x, target)`` from
    ``(weight, bias)``, simulated (as in :func:`_update_variants`); None when none does."""
    if state is None:
        return None
    score = float(x @ weight + bias)
    error = target - (1.0 if score > 0 else 0.0)
    candidates = (
        (2 * target - 1, "updates-on-correct", _UPDATES_ON_CORRECT),
        (target - score, "delta-rule", _DELTA_RULE),
        (-error, "error-sign-flipped", _SIGN_FLIPPED),
    )
    found = [
        (tag, text)
        for e, tag, text in candidates
        if e != error
        and allclose(state, np.concatenate([weight + lr * e * x, [bias + lr * e]]), rtol=settings.SAME_VALUE_RTOL)
    ]
    return found[0] if len({tag for tag, _ in found}) == 1 else None  # two mistakes that agree here: neither


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
    sure: dict[str, str] = {}  # the confidence of the tag a failing example ends with

    def problem(text: str, found: tuple[str, str] | None = None, tag: str = "") -> Problem:
        """``text``, and the mistake a simulation reproduced (a Cause) if there is one."""
        if found is not None:
            tag, text = found[0], f"{text} Cause: {found[1]}."
        sure[tag] = IS if found is not None or tag else ""
        return text, tag

    def _error_sign(x: np.ndarray, weight: np.ndarray, bias: float) -> tuple[str, str] | None:
        """A mistake's error of the opposite sign: flipped (prediction - target) or unsigned (1.0 for any
        mistake)? The same sample with the state negated is a mistake of the other kind, which tells."""
        handle = session.new(ctx.component.name, len(x))
        _set_state(ctx, handle, -weight, -bias)
        pred = 1.0 if float(x @ -weight - bias) > 0 else 0.0
        error = session.call(handle, "update", x, 1.0 - pred)
        if not is_number(error):
            return None
        if float(error) == pred - (1.0 - pred):
            return "error-sign-flipped", _ERROR_SIGN
        if float(error) == abs(1.0 - 2.0 * pred):
            # Unsigned on both kinds of mistake. Whether the step used it too, the probe's score says: moved
            # towards its target, only the returned value lost the sign; moved away, the update used it as well.
            state = _flat_state(*_state(ctx, handle))
            if state is None or state.shape != (len(x) + 1,):
                return "error-unsigned", _UNSIGNED_SEEN
            moved = float(x @ state[:-1] + state[-1]) - float(x @ -weight - bias)
            if moved * (1.0 - 2.0 * pred) > 0:
                return "error-unsigned", _RETURNED_UNSIGNED
            return (
                ("error-unsigned", _ERROR_UNSIGNED)
                if moved * (1.0 - 2.0 * pred) < 0
                else ("error-unsigned", _UNSIGNED_SEEN)
            )
        return None

    def body(example: tuple[int, int, float, float, int]) -> Problem:
        n, rows, lr, scale, drawn = example
        rng = example_rng(ctx, drawn)
        weight, bias = rng.standard_normal(n), float(rng.standard_normal())
        X = _away_from_zero(rng, n, rows, weight, bias, scale)
        about = f"(example: n_features={n}, lr={lr}, {rows} rows of scale {scale:g})"
        handle = session.new(ctx.component.name, n, lr=lr)
        _set_state(ctx, handle, weight, bias)
        predictions = as_array(session.call(handle, "predict", X))
        if predictions is None or predictions.shape != (rows,) or not np.isin(predictions, (0.0, 1.0)).all():
            text = f"predict returned {describe_value(predictions)}; expected {rows} values, each 0.0 or 1.0 {about}."
            signs = np.where(X @ weight + bias > 0, 1.0, -1.0)
            if predictions is not None and predictions.shape == signs.shape and np.array_equal(predictions, signs):
                return problem(text, ("minus-one-labels", _MINUS_ONE_LABELS))
            return problem(text, tag="" if predictions is not None and predictions.shape == (rows,) else "wrong-shape")
        x, pred = X[0], float(predictions[0])
        error = session.call(handle, "update", x, pred)
        new_weight, new_bias = _state(ctx, handle)
        state = _flat_state(new_weight, new_bias)
        score = float(x @ weight + bias)
        if not is_number(error) or float(error) != 0.0:
            raw = is_number(error) and np.isclose(
                float(error), pred - score, rtol=settings.SAME_VALUE_RTOL, atol=settings.SAME_VALUE_ATOL
            )
            return problem(
                "update(x, target) with target equal to predict's own answer returned "
                f"{describe_value(error)}, expected 0.0 {about}.",
                ("delta-rule", _DELTA_RULE) if raw else None,
            )
        if state is None or not np.array_equal(state, np.concatenate([weight, [bias]])):
            return problem(
                f"update on a correctly classified sample changed the state from {describe_value(weight)}, "
                f"{fmt(bias)} to {describe_value(new_weight)}, {describe_value(new_bias)}; the perceptron learns "
                f"only from mistakes {about}.",
                _update_mistake(weight, bias, x, pred, lr, state),
            )
        target = 1.0 - pred
        error = session.call(handle, "update", x, target)
        if not is_number(error) or float(error) != target - pred:
            flipped = is_number(error) and float(error) == pred - target
            return problem(
                f"update on a misclassified sample (prediction {fmt(pred)}, target "
                f"{fmt(target)}) returned "
                f"{describe_value(error)}, expected {fmt(target - pred)} {about}.",
                _error_sign(x, weight, bias) if flipped else _returned_instead(ctx, n, lr),
            )
        after = _flat_state(*_state(ctx, handle))
        new_score = None if after is None else float(x @ after[:-1] + after[-1])
        if new_score is None or not (new_score - score) * (target - pred) > 0:
            return problem(
                f"after a mistake on x the score x . weight + bias went from {fmt(score)} to "
                f"{describe_value(new_score)}; it should move towards the target {fmt(target)} {about}.",
                _update_mistake(weight, bias, x, target, lr, after),
            )
        return None

    outcome = hypothesis_check(ctx, name, strategy, body)
    return outcome if outcome.passed else replace(outcome, confidence=sure.get(outcome.misconception, ""))


def _no_epochs_run(ctx: Context, case: Case, X: np.ndarray, y: np.ndarray) -> tuple[str, FitRun | None]:
    """``fit(X, y, max_epochs=0)``: no epoch runs, so nothing changes and the result is False
    (the zero weights make mistakes on X, so a loop that runs once anyway changes the state).
    Returns what went wrong ("" if nothing) and the run (None if it raised)."""
    try:
        run = _fit_both(ctx, case, X, y, 0, count=True)
    except StudentError as error:  # said here, so that a problem found before keeps its diagnosis
        if error.not_implemented or isinstance(error, (StudentTimeout, StudentCrash)):
            raise
        return (
            f"fit(X, y, max_epochs=0) on {len(X)} samples raised {error.describe()}; with max_epochs=0 no epoch "
            "runs: fit changes nothing and returns False"
        ), None
    state = _flat_state(run["weight"], run["bias"])
    changed = state is None or state.shape != run["state"].shape or not np.array_equal(state, run["state"])
    wrong_result = type(run["result"]) not in (bool, np.bool_) or bool(run["result"])
    if not (run["calls"] or changed or wrong_result):
        return "", run["run"]
    seen = [f"called update {run['calls']} times"] if run["calls"] else []
    if changed:
        seen.append(f"changed weight and bias to {describe_value(run['weight'])} and {describe_value(run['bias'])}")
    if wrong_result:
        seen.append(f"returned {describe_value(run['result'])}")
    return (
        f"fit(X, y, max_epochs=0) on {len(X)} samples {', '.join(seen)}; with max_epochs=0 no epoch runs: fit "
        "changes nothing and returns False"
    ), run["run"]


@check("contracts", "fit stops after the first epoch without a mistake, within max_epochs", PERCEPTRON)
def perceptron_fit_stops(ctx: Context) -> Outcome:
    """Counts ``update`` calls: fit (docs/api.md) calls it once per sample, epoch after epoch."""
    name = "fit stops after the first epoch without a mistake, within max_epochs"
    case = ctx.component.cases[0]
    n, _ = _perceptron_args(case)
    X, y = _separable(ctx.rng("stops", case.id), n, 20)
    problems, runs = [], []
    run = _fit_both(ctx, case, X, y, settings.PERCEPTRON_MAX_EPOCHS, count=True)
    runs.append(run["run"])
    calls, expected_calls = run["calls"], run["expected_calls"]
    # Returning once every prediction is right (one epoch earlier) is as good as the rule.
    if calls and calls not in (expected_calls, expected_calls - len(X)):
        problems.append(
            f"on separable data ({len(X)} samples) fit called update {calls} times "
            f"({calls / len(X):g} epochs); it should stop after the first epoch without a "
            f"mistake, epoch {expected_calls // len(X)} here ({expected_calls} calls)"
        )
    E = settings.PERCEPTRON_XOR_EPOCHS
    run = _fit_both(ctx, case, *_xor(n), E, count=True)
    runs.append(run["run"])
    calls, expected_calls = run["calls"], run["expected_calls"]
    if calls and calls != expected_calls:
        problems.append(
            f"on XOR (4 samples) with max_epochs={E}, fit called update {calls} times "
            f"({calls / 4:g} epochs); expected {expected_calls} ({E} epochs, then return False)"
        )
    zero, zero_run = _no_epochs_run(ctx, case, X, y)
    if zero:
        problems.append(zero)
    if zero_run is not None:
        runs.append(zero_run)
    if problems:
        return _explained(ctx, failed(name, "; ".join(problems) + "."), runs)
    return passed(name)


_TRUE_ONLY_AFTER_A_CLEAN_EPOCH = (
    "As docs/api.md says, fit returns True only after an epoch without a mistake (every update returned 0.0); an "
    "epoch whose updates fix the last misclassified sample still made mistakes"
)


def _false_positive_epoch(ctx: Context, name: str) -> tuple[Outcome, FitRun]:
    """Two samples on one feature (lr 1) whose second epoch makes one mistake, a false positive (update
    returns -1.0 there): no clean epoch comes within max_epochs=2, so fit returns False."""
    X, y = np.array([[2.0], [1.0]]), np.array([1.0, 0.0])
    handle = ctx.session.new(ctx.component.name, 1)
    result = ctx.session.call(handle, "fit", X, y, max_epochs=2)
    run = FitRun({"n_features": 1}, X, y, 2, result, *_state(ctx, handle))
    what = "fit(X=[[2.0], [1.0]], y=[1.0, 0.0], max_epochs=2)"
    outcome = _judge_fit_result(name, result, False, what)
    if outcome.passed or outcome.misconception:
        return outcome, run
    return failed(
        name,
        f"{what} returned True, expected False: epoch 1 leaves weight 1, bias 0, so in epoch 2 the sample x = 1.0 "
        "(target 0.0) scores 1.0 and is predicted 1.0, a false positive: update returns -1.0, a mistake, and no "
        f"epoch without one came within max_epochs=2. {_TRUE_ONLY_AFTER_A_CLEAN_EPOCH}.",
    ), run


def _counts_one_sign(ctx: Context, runs: list[FitRun]) -> str:
    """The sign of error a fit counts, when the loop of docs/api.md counting only errors of that sign
    (replayed here on the reference's update) reproduces every run and the right loop does not: "".
    The update test judges update itself; this replay assumes it is right."""
    cls = reference_class(ctx.component.name)

    def replay(run: FitRun, counted: Callable[[float], bool]) -> bool:
        model = cls(**run.kwargs)
        result = False
        for _ in range(run.max_epochs):
            if not sum(counted(float(model.update(x, t))) for x, t in zip(run.X, run.y, strict=True)):
                result = True
                break
        got = _flat_state(run.weight, run.bias)
        want = np.concatenate([model.weight, [model.bias]])
        same = got is not None and got.shape == want.shape and allclose(got, want)
        return type(run.result) in (bool, np.bool_) and bool(run.result) == result and bool(same)

    if not runs or all(replay(run, lambda e: e != 0.0) for run in runs):
        return ""
    for sign, counted in (("1.0", lambda e: e > 0.0), ("-1.0", lambda e: e < 0.0)):
        if all(replay(run, counted) for run in runs):
            return sign
    return ""


@check("contracts", "fit returns False when max_epochs ends on an epoch with mistakes", PERCEPTRON)
def perceptron_fit_budget(ctx: Context) -> Outcome:
    """Budgets that end on the epoch that fixes the last mistake: no clean epoch came, so False."""
    name = "fit returns False when max_epochs ends on an epoch with mistakes"
    case = ctx.component.cases[0]
    n, _ = _perceptron_args(case)
    one, runs = np.ones((1, 1)), []
    handle = ctx.session.new(ctx.component.name, 1)
    counter = ctx.session.harness("call_counter", handle, "update")
    result = ctx.session.call(handle, "fit", one, np.ones(1), max_epochs=1)
    outcome = _judge_fit_result(name, result, False, "fit(X=[[1.0]], y=[1.0], max_epochs=1)")
    if not outcome.passed and outcome.misconception:  # not True or False
        return outcome
    if not outcome.passed:  # True
        outcome = failed(
            name,
            "fit(X=[[1.0]], y=[1.0], max_epochs=1) returned True, expected False: in epoch 1 the zero weights "
            "predict 0.0 for the target 1.0: a mistake (update returns 1.0; the sample is predicted right only "
            f"after it), so no epoch without a mistake came within max_epochs=1. {_TRUE_ONLY_AFTER_A_CLEAN_EPOCH}.",
        )
        calls = ctx.session.get(counter, "count")
        runs.append(FitRun({"n_features": 1}, one, np.ones(1), 1, result, *_state(ctx, handle), calls))
    # The mistake above is a false negative (update returns 1.0); the case below makes a false positive (-1.0).
    signs = [FitRun({"n_features": 1}, one, np.ones(1), 1, result, *_state(ctx, handle))]
    positive, run = _false_positive_epoch(ctx, name)
    if positive.misconception:  # not True or False
        return positive
    signs.append(run)
    if not positive.passed:
        runs.append(run)
    outcome = first_failure(name, [outcome, positive])
    X, y = _separable(ctx.rng("budget", case.id), n, 20)
    ref = reference_class(ctx.component.name)(**case.kwargs)
    counter = doubles.call_counter(ref, "update")
    if not ref.fit(X, y, max_epochs=settings.PERCEPTRON_MAX_EPOCHS):
        return _explained(ctx, outcome, [])  # the budget below needs a clean epoch to exist
    budget = counter.count // len(X) - 1  # the epoch that fixed the last mistake (>= 1: zeros predict 0.0)
    run = _fit_both(ctx, case, X, y, budget, count=True)
    what = f"on separable data ({len(X)} samples) with max_epochs={budget}"
    separable = _judge_fit_result(name, run["result"], run["expected"], what)
    if separable.misconception:
        return separable
    if not separable.passed:  # True
        separable = failed(
            name,
            f"fit {what} returned True, expected False: epoch {budget} still makes a mistake, and the first epoch "
            f"without one is epoch {budget + 1}, beyond max_epochs. {_TRUE_ONLY_AFTER_A_CLEAN_EPOCH}.",
        )
    separable = first_failure(
        name, [separable, _compare_state(name, run["weight"], run["bias"], run["state"], f"{what}, the final state")]
    )
    if outcome.passed and separable.passed:
        return passed(name)
    outcome = first_failure(name, [outcome, separable])
    # The one-sign replay runs on the reference's update; fit's loop reads the submission's update, so a wrong
    # update (its returned error) can fake a loop that counts one sign: the right loop over the submission's own
    # update reproducing every run refutes it (the update test then names update's mistake).
    sign = _counts_one_sign(ctx, [*signs, run["run"]])
    if sign and not right_loop_explains(ctx, [*signs, run["run"]]):
        return failed(
            name,
            f"{outcome.feedback} Cause: fit counted as mistakes only the updates that returned {sign}: the loop of "
            "docs/api.md counting one sign of error gives exactly these results and weights. A mistake is any "
            "nonzero error, of either sign (a missed 1 gives 1.0, a false 1 gives -1.0): count it with `!= 0`.",
            "mistakes-one-sign",
            confidence=IS,
        )
    return _explained(ctx, outcome, [*runs, run["run"]])


_CONTINUES = (
    "docs/api.md's fit calls update for every sample, epoch after epoch, so it carries on from the weight and bias "
    "the perceptron holds (zeros only when it is new), as the notebook's fit(X, y, max_epochs=1), called epoch by "
    "epoch, relies on"
)


_API_MAX_EPOCHS = 100  # docs/api.md: fit(X, y, max_epochs=100)


@check("contracts", "fit's max_epochs defaults to 100", PERCEPTRON)
def perceptron_fit_default_epochs(ctx: Context) -> Outcome:
    """fit(X, y) makes as many update calls as fit(X, y, max_epochs=100). On XOR no epoch is clean, so fit runs its
    whole budget: the counts differ only when the default differs (whatever else fit gets wrong, it gets wrong in
    both runs; a fit that never calls update is judged by the other tests)."""
    name = "fit's max_epochs defaults to 100"
    default = _API_MAX_EPOCHS
    calls = _default_calls(ctx)
    want = _default_calls(ctx, max_epochs=default)
    if calls == want:
        return passed(name)
    where = (
        f"on XOR (no epoch is free of mistakes, so fit runs until its budget ends), fit(X, y) made {calls} update "
        f"calls and fit(X, y, max_epochs={default}) {want}"
    )
    samples = len(_xor(2)[1])
    if isinstance(calls, int) and calls and calls % samples == 0:
        epochs = calls // samples
        if epochs != default and _default_calls(ctx, max_epochs=epochs) == calls:
            cause = f"fit's max_epochs defaults to {epochs}; docs/api.md gives fit(X, y, max_epochs={default})"
            return failed(
                name,
                f"{where}: {epochs} epochs of {samples} samples, as with max_epochs={epochs}. Cause: {cause}.",
                "default-changed",
                confidence=IS,
            )
    return failed(name, f"{where}: without max_epochs fit must run as with its default, {default}.", "")


def _default_calls(ctx: Context, **kwargs: Any) -> Any:
    """The update calls of fit on XOR (two features) from a new perceptron."""
    X, y = _xor(2)
    handle = ctx.session.new(ctx.component.name, 2)
    counter = ctx.session.harness("call_counter", handle, "update")
    ctx.session.call(handle, "fit", X, y, **kwargs)
    return ctx.session.get(counter, "count")


@check("contracts", "fit continues from the current weight and bias", PERCEPTRON)
def perceptron_fit_continues(ctx: Context) -> Outcome:
    """fit from a weight and bias set before it: the same result and final state as the reference's fit from
    there. Where fit is wrong from the zeros of a new perceptron, its loop is for the fit test, and this one passes."""
    name = "fit continues from the current weight and bias"
    case = ctx.component.cases[0]
    n, _ = _perceptron_args(case)
    X, y = _separable(ctx.rng("continues", case.id), n, 20)
    epochs = 3  # a few epochs: from two starts, two different states (converged or not)
    new = _fit_both(ctx, case, X, y, epochs)
    if not _fit_matches(new["result"], new["weight"], new["bias"], new["expected"], new["state"]):
        return passed(name)
    rng = ctx.rng("continues from", case.id)
    w0, b0 = rng.standard_normal(n), float(rng.standard_normal())
    handle = ctx.session.new(ctx.component.name, **case.kwargs)
    _set_state(ctx, handle, w0, b0)
    result = ctx.session.call(handle, "fit", X, y, max_epochs=epochs)
    weight, bias = _state(ctx, handle)

    def reference_from(w: np.ndarray, b: float) -> tuple[bool, np.ndarray]:
        ref = reference_class(ctx.component.name)(**case.kwargs)
        ref.weight, ref.bias = np.array(w, dtype=np.float64), float(b)
        returned = ref.fit(X, y, max_epochs=epochs)
        return returned, np.concatenate([ref.weight, [ref.bias]])

    expected, state = reference_from(w0, b0)
    if _fit_matches(result, weight, bias, expected, state):
        return passed(name)
    what = (
        f"fit(X, y, max_epochs={epochs}) on {len(X)} separable samples, from weight = {describe_value(w0)} and bias = "
        f"{fmt(b0)} set before it"
    )
    text = f"{what} returned {describe_value(result)} and left the state {describe_value(_flat_state(weight, bias))} "
    text += f"(weight entries, then bias); expected {expected} and {describe_value(state)}"
    for start, how in (
        ((np.zeros(n), 0.0), "the weight and the bias"),
        ((np.zeros(n), b0), "the weight (the bias was kept)"),
        ((w0, 0.0), "the bias (the weight was kept)"),
    ):
        if _fit_matches(result, weight, bias, *reference_from(*start)):
            return failed(
                name,
                f"{text}. Cause: fit set {how} back to zero before its epochs, as a new perceptron starts (a fit "
                f"that re-initialises, as scikit-learn's does): the state it was given was lost. {_CONTINUES}; make "
                "the zeros in __init__ only.",
                "state-reset",
                confidence=IS,
            )
    return failed(name, f"{text}: {_CONTINUES}.")


def _fit_matches(result: Any, weight: Any, bias: Any, expected: bool, state: np.ndarray) -> bool:
    """fit returned ``expected`` and left ``state`` (weight entries, then bias)."""
    got = _flat_state(weight, bias)
    if type(result) not in (bool, np.bool_) or bool(result) != expected or got is None or got.shape != state.shape:
        return False
    return agrees(got, state)


@check("convergence", "converges on linearly separable blobs", PERCEPTRON, per_case=True)
def perceptron_converges(ctx: Context, case: Case) -> Outcome:
    name = f"converges on linearly separable blobs: {case.id}"
    n, _ = _perceptron_args(case)
    X, y = _separable(ctx.rng("blobs", case.id), n, settings.PERCEPTRON_SAMPLES)
    handle = ctx.session.new(ctx.component.name, **case.kwargs)
    result = ctx.session.call(handle, "fit", X, y, max_epochs=settings.PERCEPTRON_MAX_EPOCHS)
    weight, bias = _state(ctx, handle)
    predictions = as_array(ctx.session.call(handle, "predict", X))
    wrong = None if predictions is None or predictions.shape != y.shape else int(np.sum(predictions != y))
    run = FitRun(dict(case.kwargs), X, y, settings.PERCEPTRON_MAX_EPOCHS, result, weight, bias)
    if type(result) not in (bool, np.bool_) and result is not None:
        ref = reference_class(ctx.component.name)(**case.kwargs)
        ref_counter = doubles.call_counter(ref, "update")
        converged = ref.fit(X, y, max_epochs=settings.PERCEPTRON_MAX_EPOCHS)
        counted = _count_returned(result, converged, ref_counter.count, len(X))
        if counted:
            return failed(
                name,
                f"fit on {len(X)} linearly separable points (margin {settings.PERCEPTRON_MARGIN}) converged "
                f"(predict gets {wrong} samples wrong), but returned {describe_value(result)}, not True. Cause: "
                f"{counted}.",
                "fit-return-value",
                confidence=IS,
            )
        if converged and wrong == 0:
            return failed(
                name,
                f"fit on {len(X)} linearly separable points (margin {settings.PERCEPTRON_MARGIN}) converged "
                f"(predict gets 0 samples wrong), but returned {describe_kind(result)}; it should return True.",
                "wrong-type",
            )
    if result is not True and not (type(result) is np.bool_ and bool(result)):
        return _explained(
            ctx,
            failed(
                name,
                f"fit on {len(X)} linearly separable points (margin {settings.PERCEPTRON_MARGIN}) "
                f"returned {describe_value(result)} after max_epochs={settings.PERCEPTRON_MAX_EPOCHS}; the "
                f"perceptron convergence theorem says it must reach an epoch without mistakes "
                f"({'predict gets ' + str(wrong) + ' samples wrong' if wrong is not None else ''}).",
                "no-convergence" if type(result) in (bool, np.bool_) else "wrong-type",
            ),
            [run],
        )
    if wrong != 0:
        text = f"fit returned True but predict gets {wrong} of {len(X)} training samples wrong."
        state = _flat_state(weight, bias)
        if state is not None and state.size == n + 1 and np.array_equal((X @ state[:-1] + state[-1] > 0), y == 1):
            return failed(
                name,
                f"{text} With the weights fit left, the score x . weight + bias is positive exactly for the class-1 "
                "samples, so fit did its job: predict does not turn the scores into those classes (see the predict "
                "test).",
            )
        return _explained(ctx, failed(name, text, "no-convergence"), [run])
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
    return _explained(
        ctx,
        failed(
            name,
            f"fit on XOR with max_epochs={E} returned {describe_value(result)}; no line separates XOR, "
            "so no epoch is free of mistakes and fit must return False.",
            "fit-return-value" if type(result) in (bool, np.bool_) else "wrong-type",
        ),
        [FitRun({"n_features": 2}, X, y, E, result, *_state(ctx, handle))],
    )
