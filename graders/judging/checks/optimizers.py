"""Rubric for optimizers: trajectories against the reference, invariants, contracts, training.

Parameters live in the student's worker (``harness("parameters", ...)``); every step the
grader writes the gradients into them (in place, so a reference kept anywhere still sees
them), calls ``step()`` and reads ``p.data`` back, all in one round trip. Whether ``step``
updates ``p.data`` in place or assigns a new array, and where it keeps its state, is free.

Known mistakes are *simulated* (:mod:`.optimizer_mistakes`), so a wrong trajectory can be
named ("Adam without bias correction") from the evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from hypothesis import strategies as st
from nnlab.exercises.components import REQUIRED, Case, Component
from nnlab.graders import settings
from nnlab.graders.results import ERROR, Outcome, failed, passed
from nnlab.graders.running.plain import Handle
from nnlab.graders.running.puppet import StudentError
from nnlab.graders.running.remote import run_batch
from nnlab.reference.activations import Tanh
from nnlab.reference.base import Parameter
from nnlab.reference.layers import Linear
from nnlab.reference.losses import MSELoss

from ..catalogue import Context, check
from ..contracts import promised, step_contract
from ..crashes import message_shapes, read_crash
from ..diagnose import IS, LOOKS_LIKE, Diagnosis, Finding, explain
from ..strategies import SEEDS, shapes
from ..tolerance import agrees, allclose, as_array, compare, fmt, kind_name
from .drive import holds
from .inputs import reference_class
from .optimizer_evidence import BIAS_CORRECTED, crash_cause, factors, nonfinite, skipped_parameters, step_factors
from .optimizer_mistake_texts import MISTAKES
from .optimizer_mistakes import (
    MIXING,
    TRUNCATED_START,
    Evidence,
    Trajectory,
    Undefined,
    contradicts,
    flat_changes,
    kept_state,
    negative_root_at,
    reproducing,
    same_trajectory,
    simulate,
)
from .support import _same_default, check_signature

OPTIMIZER = ("optimizer",)


# ------------------------------------------------------------------------------- the two sides
def hyper(component: Component, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The defaults of docs/api.md overridden by ``kwargs``."""
    defaults = {name: value for name, value in component.signature if value is not REQUIRED}
    return {**defaults, **kwargs}


class Remote:
    """The student's optimizer over parameters that live in its worker."""

    def __init__(self, ctx: Context, arrays: list[np.ndarray], kwargs: dict[str, Any]) -> None:
        self.session = ctx.session
        self.shapes = [np.shape(a) for a in arrays]
        self.params = self.session.harness("parameters", [np.array(a) for a in arrays])
        self.handle = self.session.new(ctx.component.name, self.params, **kwargs)

    def requests_for(self, path: str, method: str, values: list[np.ndarray] | None = None) -> list[dict]:
        if method == "get":
            return [{"op": "get", "target": p, "path": path} for p in self.params]
        return [
            {"op": method, "target": p, "path": path, "value": v} for p, v in zip(self.params, values, strict=False)
        ]

    def call_request(self, method: str) -> dict:
        return {"op": "call", "target": self.handle, "method": method, "args": [], "kwargs": {}}

    def step(self, grads: list[np.ndarray], rebind: bool = False) -> list[np.ndarray]:
        """One iteration as ``fit`` runs it: ``zero_grad()``, the gradients, ``step()``.

        The gradients are written into whatever array ``p.grad`` is after ``zero_grad()``
        (as backward's ``+=`` does) or, with ``rebind``, bound as new arrays (as a
        ``zero_grad`` that assigns new arrays leaves them): a step that kept references to
        last step's gradient arrays, or a ``zero_grad`` that resets the state, shows.
        Returns every ``p.data``.
        """
        requests = [self.call_request("zero_grad")]
        requests += self.requests_for("grad", "set" if rebind else "setitem", grads)
        requests += [self.call_request("step")] + self.requests_for("data", "get")
        values = run_batch(self.session, requests)[-len(self.params) :]
        pairs = zip(values, self.shapes, strict=True)
        return [_data(value, i, shape) for i, (value, shape) in enumerate(pairs)]

    def run(self, grads: list[list[np.ndarray]]) -> Trajectory:
        """Every step; the gradient arrays are rebound at every second one."""
        return [self.step(gs, rebind=k % 2 == 0) for k, gs in enumerate(grads, 1)]

    def get(self, path: str) -> list[Any]:
        return run_batch(self.session, self.requests_for(path, "get"))


def _data(value: Any, index: int, shape: tuple[int, ...]) -> np.ndarray:
    """``p.data`` as read back after a step; a step that broke it is the student's error."""
    array = as_array(value)
    if array is None or array.dtype.kind not in "biuf":
        what = f"{kind_name(value)}, not an array of numbers"
    elif array.shape != shape:
        what = f"of shape {array.shape}, not {shape}"
    else:
        return array
    raise StudentError("ValueError", f"after step(), p.data of parameter {index} is {what}")


def reference_run(
    name: str, kwargs: dict[str, Any], arrays: list[np.ndarray], grads: list[list[np.ndarray]]
) -> Trajectory:
    params = [Parameter(a) for a in arrays]
    optimizer = reference_class(name)(params, **kwargs)
    trajectory = []
    for gs in grads:
        for p, g in zip(params, gs, strict=False):
            p.grad = np.array(g, dtype=np.float64)
        optimizer.step()
        trajectory.append([p.data.copy() for p in params])
    return trajectory


_SMALL_TERM = (
    "every change agrees with the reference to about 5 significant digits or more: a small term differs "
    "(eps: where it is added, or its value)"
)


def judge_trajectory(
    name: str,
    ctx: Context,
    kwargs: dict[str, Any],
    arrays: list[np.ndarray],
    grads: list[list[np.ndarray]],
    actual: Trajectory,
    expected: Trajectory,
    others: Sequence[Evidence] = (),
) -> Outcome:
    """Compare after every step; name the first step that diverged and, if known, the mistake.

    A mistake that reproduces this trajectory is named unless ``others``, the evidence of the
    other cases, contradicts it (see :func:`.optimizer_mistakes.reproducing`).
    """
    for k, (got_k, expected_k) in enumerate(zip(actual, expected, strict=False), 1):
        for i, (got, want, start) in enumerate(zip(got_k, expected_k, arrays, strict=False)):
            where = f"after step {k} of {len(expected)}, parameter {i} (shape {want.shape})"
            if got.shape != want.shape:
                return failed(name, f"{where}: p.data has shape {got.shape}.", "wrong-shape")
            comparison = compare(got - start, want - start, rtol=settings.TRAJECTORY_RTOL)
            if comparison.ok:
                continue
            index = comparison.index
            text = (
                f"{where} is wrong: {comparison.n_wrong} of {want.size} entries differ; first at "
                f"index {index}: p.data = {fmt(got[index])}, expected {fmt(want[index])} (from "
                f"{fmt(start[index])}, a change of {fmt(got[index] - start[index])} instead of "
                f"{fmt(want[index] - start[index])})."
            )
            if k > 1:
                text += " Step 1 matched" if k == 2 else f" Steps 1 to {k - 1} matched"
                text += " the reference."
            hp = hyper(ctx.component, kwargs)
            if all(
                p.shape == q.shape
                for ps, qs in zip(actual, expected, strict=False)
                for p, q in zip(ps, qs, strict=False)
            ):
                skipped = skipped_parameters(arrays, expected, actual)
                if skipped is not None:
                    return failed(name, text + Finding("", skipped).sentences(), skipped.tag, None, IS)
                by_state = _by_state(ctx, kwargs, arrays, grads)
                known = (
                    _own_defaults(ctx, kwargs, hp, arrays, grads, actual)
                    or _int_truncated(ctx, kwargs, hp, arrays, grads, actual)
                    or reproducing(ctx.component.formula, hp, arrays, grads, expected, actual, others, by_state)
                )
                finding = _reproduced_nonfinite(ctx.component.formula, hp, arrays, grads, actual, known)
                finding = (
                    finding
                    or (None if known else nonfinite(ctx.component.formula, hp, arrays, grads, actual))
                    or explain(
                        flat_changes(actual, arrays),
                        flat_changes(expected, arrays),
                        what="the change of the parameters",
                        variants=known,
                        factors=_unsimulated(ctx.component.formula, factors(hp)),
                    )
                )
                if finding.tag == "low-precision":  # float32 is stays_float64's to name; here a small term differs
                    finding = Finding(_SMALL_TERM, None, "small-difference")
                elif finding.diagnosis is None and (
                    located := step_factors(ctx.component.formula, hp, arrays, grads, actual)
                ):
                    said = f"{finding.observation}; {located}" if finding.observation else located
                    finding = Finding(said, None, finding.observed_tag or "values")
                return failed(name, text + finding.sentences(), finding.tag, None, finding.confidence)
            return failed(name, text)
    return passed(name)


def _unsimulated(formula: str, found: dict[float, tuple[str, str]]) -> dict[float, tuple[str, str]]:
    """The factors whose mistake is not simulated. A simulated one (lr applied twice) was tried already on the whole
    trajectory and against the other cases, which a factor alone never sees (lr = 0.01 is also (1 - beta2) /
    (1 - beta1) at the defaults): if the simulation did not name it, the factor does not either."""
    return {value: (tag, text) for value, (tag, text) in found.items() if tag not in MISTAKES[formula]}


def _state_arrays(session: Any, value: Any, depth: int = 0, kinds: str = "f") -> list[np.ndarray]:
    """Every array of a dtype kind in ``kinds`` (float by default) in ``value``, read from the optimizer as
    _low_precision reads it (handles opened through their ``__dict__`` a few levels deep; what cannot be read as plain
    data is skipped)."""
    if isinstance(value, np.ndarray):
        return [value] if value.dtype.kind in kinds else []
    if isinstance(value, Handle):
        if depth >= settings.OPTIMIZER_STATE_DEPTH:
            return []
        try:
            value = session.get(value, "__dict__")
        except StudentError:
            return []
        depth += 1
        value = value if isinstance(value, dict) else {}
    items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()
    return [a for item in items for a in _state_arrays(session, item, depth, kinds)]


def _by_start_dtype(ctx: Context, kwargs: dict[str, Any], arrays: list[np.ndarray], tags: list[str]) -> list[str]:
    """An integer buffer's truncated start and a start left at 0 move the parameters alike when the start is below 1,
    and the first update replaces the buffer with a float one: only the state of an optimizer that has not stepped
    yet tells them apart. An integer array shaped like a parameter there keeps the integer-buffer mistakes; a float
    state without one keeps the others; a state that cannot be read keeps every mistake."""
    integer = [tag for tag in tags if tag.partition("#")[0] == TRUNCATED_START.partition("#")[0]]
    if not integer or len(integer) == len(tags):
        return tags
    try:
        held = _state_arrays(ctx.session, Remote(ctx, arrays, kwargs).handle, kinds="biuf")
    except StudentError:
        return tags
    shapes_ = {a.shape for a in arrays}
    shaped = [h for h in held if h.shape in shapes_]
    if not shaped:
        return tags
    if any(h.dtype.kind in "biu" for h in shaped):
        return integer
    return [tag for tag in tags if tag not in integer]


# The mistakes that write into the gradient array they read (a square taken in place, g **= 2): where g is p.grad
# itself, with no weight decay to make a new array, step() changes p.grad.
_WRITES_GRAD = "modifies-grad"


def _by_gradient(
    ctx: Context, kwargs: dict[str, Any], arrays: list[np.ndarray], grads: list[list[np.ndarray]], tags: list[str]
) -> list[str]:
    """A square taken in place and a square kept in a variable of its own and read in the step as well move the
    parameters alike; only p.grad tells them apart. The student's optimizer is run on the same steps without weight
    decay (so that g is p.grad itself), and p.grad is read after each: left as written, the mistakes that write into
    it go; changed, only they stay. A step that cannot be run, or a p.grad that cannot be read, keeps every mistake."""
    writing = [tag for tag in tags if tag.partition("#")[0] == _WRITES_GRAD]
    if not writing or len(writing) == len(tags):
        return tags
    plain = {**kwargs, "weight_decay": 0.0} if "weight_decay" in hyper(ctx.component, kwargs) else kwargs
    changed = False
    try:
        remote = Remote(ctx, arrays, plain)
        for gs in grads:
            remote.step(gs)
            read = [as_array(got) for got in remote.get("grad")]
            if any(array is None for array in read):
                return tags
            changed = changed or not all(np.array_equal(a, g) for a, g in zip(read, gs, strict=False))
    except StudentError:
        return tags
    return writing if changed else [tag for tag in tags if tag not in writing]


def _by_state(
    ctx: Context, kwargs: dict[str, Any], arrays: list[np.ndarray], grads: list[list[np.ndarray]]
) -> Callable[[list[str]], list[str]]:
    """What separates mistakes whose parameters move alike: the state the student's optimizer keeps (and, first, its
    start's dtype and whether its step writes into p.grad: :func:`_by_start_dtype`, :func:`_by_gradient`).

    Two mistakes can leave the parameters in the same places and keep different running state (Adadelta with no eps
    in sqrt(acc_delta) keeps acc_delta at 0; an update never written to p.data lets it grow). The student's
    optimizer is run again on the same steps, and a mistake is kept when each array it keeps is among the arrays the
    student's optimizer holds. When none fits, or all do, the state says nothing, and every mistake stays.
    """

    def separate(tags: list[str]) -> list[str]:
        tags = _by_gradient(ctx, kwargs, arrays, grads, _by_start_dtype(ctx, kwargs, arrays, tags))
        if len({tag.partition("#")[0] for tag in tags}) < 2:
            return tags
        try:
            remote = Remote(ctx, arrays, kwargs)
            remote.run(grads)
            held = _state_arrays(ctx.session, remote.handle)
        except StudentError:
            return tags
        hp = hyper(ctx.component, kwargs)

        def held_somewhere(kept: np.ndarray) -> bool:
            return any(h.shape == kept.shape and agrees(h, kept, rtol=settings.TRAJECTORY_RTOL) for h in held)

        fitting = [
            tag
            for tag in tags
            if all(held_somewhere(kept) for kept in kept_state(ctx.component.formula, hp, arrays, grads, tag))
        ]
        return fitting if 0 < len(fitting) < len(tags) else tags

    return separate


def _truncated_hyperparameters(
    ctx: Context, kwargs: dict[str, Any], hp: dict[str, Any], arrays: list[np.ndarray]
) -> dict[str, Any]:
    """The float hyper-parameters the student's optimizer holds as int(value), read from its attributes: ``name ->
    what it holds`` (a pair such as betas when one of its floats was truncated). int() of a float below 1 is 0, which
    moves the parameters as a term left out does: only what the optimizer stored tells the two apart."""
    try:
        held = ctx.session.get(Remote(ctx, arrays, kwargs).handle, "__dict__")
    except StudentError:
        return {}
    if not isinstance(held, dict):
        return {}

    def truncated(given: Any, kept: Any) -> bool:
        whole = isinstance(kept, (int, np.integer)) and not isinstance(kept, (bool, np.bool_))
        return type(given) is float and whole and kept == int(given) != given

    found = {}
    for name, given in hp.items():
        kept = held.get(name)
        if isinstance(given, tuple) and isinstance(kept, (tuple, list)) and len(kept) == len(given):
            pairs = list(zip(given, kept, strict=True))
            if any(truncated(g, k) for g, k in pairs) and all(truncated(g, k) or g == k for g, k in pairs):
                found[name] = tuple(kept)
        elif truncated(given, kept):
            found[name] = kept
    return found


def _int_truncated(
    ctx: Context,
    kwargs: dict[str, Any],
    hp: dict[str, Any],
    arrays: list[np.ndarray],
    grads: list[list[np.ndarray]],
    actual: Trajectory,
) -> dict[str, tuple[np.ndarray, str]]:
    """The rule run with the hyper-parameters the student's optimizer holds truncated to integers, when that
    reproduces the student's trajectory: the stored value and the simulation together confirm it."""
    found = _truncated_hyperparameters(ctx, kwargs, hp, arrays)
    if not found:
        return {}
    try:
        with np.errstate(all="ignore"):
            simulated = simulate(ctx.component.formula, {**hp, **found}, arrays, grads)
    except Undefined:
        return {}
    if not same_trajectory(actual, simulated, arrays):
        return {}
    held = ", ".join(f"{name} = {kept!r} where it should hold {hp[name]!r}" for name, kept in found.items())
    tag = "int-truncates-hyperparameter#" + "+".join(found)
    text = (
        f"the optimizer stores {held}: int() truncates a float toward 0, dropping its fractional part, and this "
        "trajectory is what the truncated value gives; keep hyper-parameters floats, float(value)"
    )
    return {tag: (flat_changes(simulated, arrays), text)}


def _own_defaults(
    ctx: Context,
    kwargs: dict[str, Any],
    hp: dict[str, Any],
    arrays: list[np.ndarray],
    grads: list[list[np.ndarray]],
    actual: Trajectory,
) -> dict[str, tuple[np.ndarray, str]]:
    """The right rule run with the student's own defaults for the arguments this case leaves out, where they differ
    from docs/api.md's: when that reproduces the trajectory, the constructor's default is the mistake, whatever
    update rule with the documented default happens to give the same numbers (a rate hard-coded to that number;
    momentum * (b + g), which is b's update with dampening 1 - momentum). The signature, not the update, separates
    them; a case that passes the argument leaves the update as the only cause."""
    try:
        rows = {row[0]: row[2] for row in ctx.session.signature(ctx.component.name)}
    except StudentError:
        return {}
    documented = dict(ctx.component.signature)
    own = {
        name: got
        for name, got in rows.items()
        if name in hp
        and name not in kwargs
        and name in documented
        and _plain_value(got)
        and not _same_default(got, documented[name])
    }
    if not own:
        return {}
    try:
        with np.errstate(all="ignore"):
            simulated = simulate(ctx.component.formula, {**hp, **own}, arrays, grads)
    except (Undefined, TypeError, ValueError):
        return {}
    if not same_trajectory(actual, simulated, arrays):
        return {}
    defaults = ", ".join(f"{name} is {got!r} where docs/api.md's is {documented[name]!r}" for name, got in own.items())
    text = (
        f"your constructor's default {defaults}: this case leaves {' and '.join(own)} at its default, and the "
        "trajectory is the right update with your default"
    )
    return {"default-changed": (flat_changes(simulated, arrays), text)}


def _plain_value(value: Any) -> bool:
    """A default the rule can run with: a number, a flag, or a pair of numbers (betas)."""
    if isinstance(value, (bool, int, float)):
        return True
    return isinstance(value, (tuple, list)) and all(isinstance(v, (int, float)) for v in value)


def _reproduced_nonfinite(
    formula: str,
    hp: dict[str, Any],
    arrays: list[np.ndarray],
    grads: list[list[np.ndarray]],
    actual: Trajectory,
    known: dict[str, tuple[np.ndarray, str]],
) -> Finding | None:
    """A simulated mistake that reproduces a trajectory with nan in it, nan for nan (explain() compares
    finite numbers only): where the nan appeared, and the mistake."""
    if not known or np.isfinite(flat_changes(actual, arrays)).all():
        return None
    tag, (_, text) = next(iter(known.items()))
    located = nonfinite(formula, hp, arrays, grads, actual)
    return Finding(located.observation if located else "", Diagnosis(tag.partition("#")[0], text))


def trajectory_problem(
    ctx: Context,
    salt: str,
    shapes_: tuple[tuple[int, ...], ...] = settings.TRAJECTORY_SHAPES,
    steps: int = settings.TRAJECTORY_STEPS,
) -> tuple[list[np.ndarray], list[list[np.ndarray]]]:
    """Starting values and a fixed gradient sequence.

    Each entry's gradients share a drift (so momentum builds up) and a magnitude between
    1e-6 and 10 (so eps matters for some entries: eps inside or outside the square root).
    """
    rng = ctx.rng("trajectory", salt)
    arrays = [rng.standard_normal(s) for s in shapes_]
    scales = [10 ** rng.uniform(*settings.OPTIMIZER_GRADIENT_DECADES, s) for s in shapes_]
    drifts = [rng.standard_normal(s) for s in shapes_]
    # Some entries' gradients fade step by step, so running averages shrink and amsgrad's
    # running maximum differs from them by far more than the tolerance.
    fades = [np.where(rng.random(s) < 0.5, rng.uniform(*settings.OPTIMIZER_GRADIENT_FADE, s), 1.0) for s in shapes_]
    grads = [
        [c * f**k * (d + rng.standard_normal(d.shape)) for c, f, d in zip(scales, fades, drifts, strict=False)]
        for k in range(steps)
    ]
    # An all-zero gradient is still a step (momentum carries on, decay applies): one for
    # the last parameter at the first step and one for the first when the state has built up.
    if len(shapes_) > 1 and steps > 1:
        grads[0][-1] = np.zeros(shapes_[-1])
    if steps > settings.OPTIMIZER_ZERO_GRADIENT_STEP:
        grads[settings.OPTIMIZER_ZERO_GRADIENT_STEP][0] = np.zeros(shapes_[0])
    return arrays, grads


# ------------------------------------------------------------------------------- api
@check("api", "constructor signature", OPTIMIZER, interface=True)
def constructor_signature(ctx: Context) -> Outcome:
    return check_signature(ctx)


@check("api", "built from a list of parameters; step() and zero_grad() run", OPTIMIZER)
def builds_and_steps(ctx: Context) -> Outcome:
    name = "built from a list of parameters; step() and zero_grad() run"
    arrays, grads = trajectory_problem(ctx, "api", steps=1)
    problems = []
    for case in ctx.component.cases:
        remote = Remote(ctx, arrays, case.kwargs)
        data = remote.step(grads[0])
        run_batch(ctx.session, [remote.call_request("zero_grad")])
        for i, (d, a) in enumerate(zip(data, arrays, strict=False)):
            if d.shape != a.shape or d.dtype != np.float64:
                problems.append(
                    f"with {case.id}: after step(), parameter {i} is {d.dtype} of shape {d.shape}; "
                    f"expected float64 of shape {a.shape}"
                )
    if problems:
        return failed(name, "; ".join(problems[:3]) + ".", "wrong-shape")
    return passed(name)


# ------------------------------------------------------------------------------- reference
@dataclass(frozen=True)
class Run:
    """One case's trajectory problem, the reference's path and the student's (or its error)."""

    case: Case
    arrays: list[np.ndarray]
    grads: list[list[np.ndarray]]
    expected: Trajectory
    actual: Trajectory | StudentError
    steps_done: int = 0  # before the error, if it raised
    before: Trajectory | None = None  # the student's steps before the error, if it raised


def case_runs(ctx: Context) -> dict[str, Run]:
    """Every case's run, made in case order at the first call and kept for the other cases.

    A mistake named from one case's numbers is checked against the other cases' runs. Running
    them all once, in the order the per-case checks would, costs a correct submission nothing
    and shows the student's code the same calls in the same order; an error is raised again
    by its own case's check.
    """
    if "trajectories" not in ctx.cache:
        runs = {}
        for case in ctx.component.cases:
            arrays, grads = trajectory_problem(ctx, case.id)
            expected = reference_run(ctx.component.name, case.kwargs, arrays, grads)
            path: Trajectory = []
            try:
                with promised(step_contract([a.shape for a in arrays])):
                    remote = Remote(ctx, arrays, case.kwargs)
                    for k, gs in enumerate(grads, 1):  # as Remote.run, one step at a time
                        path.append(remote.step(gs, rebind=k % 2 == 0))
                runs[case.id] = Run(case, arrays, grads, expected, path)
            except StudentError as error:
                runs[case.id] = Run(case, arrays, grads, expected, error, len(path), path)
        ctx.cache["trajectories"] = runs
    return ctx.cache["trajectories"]


def case_evidence(ctx: Context, but: str = "") -> list[Evidence]:
    """The trajectories run so far (all cases, or none), but case ``but`` and those that raised."""
    return [
        (hyper(ctx.component, r.case.kwargs), r.arrays, r.grads, r.expected, r.actual)
        for r in ctx.cache.get("trajectories", {}).values()
        if r.case.id != but and not isinstance(r.actual, StudentError)
    ]


@check("reference", "trajectory", OPTIMIZER, per_case=True)
def trajectory(ctx: Context, case: Case) -> Outcome:
    """Eight steps from identical parameters and gradients, compared after every step."""
    name = f"trajectory: {case.id}"
    runs = case_runs(ctx)
    run = runs[case.id]
    if isinstance(run.actual, StudentError):
        if run.actual.not_implemented:
            raise run.actual
        # What the student's code does where it does not raise outranks a reading of the line that raised.
        tried = _apart_cause(ctx, run) or _square_cause(ctx, run) or _flag_cause(ctx, run) or _complex_cause(ctx, run)
        tried = tried or _refused_cause(ctx, run)
        tried = tried or _crossed_state_cause(ctx, run)
        found = tried.diagnosis if tried is not None else None
        found = found or crash_cause(ctx.component.formula, run.actual.type_name, run.steps_done, run.actual.message)
        if found is not None and found.confidence != IS and tried is None:
            found = read_crash(run.actual, ctx.component) or found  # the line that raised may show the cause
        if found is None:
            raise run.actual
        contract = f". The contract: {run.actual.contract}" if run.actual.contract else ""
        said = Finding(tried.observation if tried is not None else "", found).sentences()
        return Outcome(
            name,
            ERROR,
            f"raised {run.actual.describe().rstrip()}{contract}." + said,
            found.tag,
            confidence=found.confidence,
        )
    others = case_evidence(ctx, but=case.id)
    return judge_trajectory(name, ctx, case.kwargs, run.arrays, run.grads, run.actual, run.expected, others)


def _each_alone_runs_right(ctx: Context, run: Run) -> bool:
    """Does every parameter, optimized on its own with its own gradients, run its whole trajectory right?"""
    for i, a in enumerate(run.arrays):
        alone = [[gs[i]] for gs in run.grads]
        try:
            path = Remote(ctx, [a], run.case.kwargs).run(alone)
        except StudentError:
            return False
        if not same_trajectory(path, reference_run(ctx.component.name, run.case.kwargs, [a], alone), [a]):
            return False
    return True


def _crossed_state_cause(ctx: Context, run: Run) -> Finding | None:
    """A first step that raised on two shapes that are two different parameters' shapes, while each parameter alone
    runs its whole trajectory right: one parameter's update met another parameter's state (a state shared, or a loop
    that pairs every parameter with every state where zip pairs them one to one)."""
    error = run.actual
    if run.steps_done != 0 or len(run.arrays) < 2 or "broadcast" not in error.message:
        return None
    own = [a.shape for a in run.arrays]
    named = [shape for shape in dict.fromkeys(message_shapes(error.message)) if shape in own]
    if len(named) < 2:
        return None
    if not _each_alone_runs_right(ctx, run):
        return None
    text = (
        f"one parameter's update met another parameter's state: {named[0]} and {named[1]} in the error are the "
        "shapes of two different parameters. Each parameter has its "
        "own state and is updated once per step with it: pair them one to one, `for p, state in zip(params, "
        "states)`, not a nested loop over every state for every parameter, and never one state for several "
        "parameters"
    )
    observed = (
        f"each parameter optimized alone, shapes {own} one by one, runs all {len(run.grads)} steps right; together "
        "the first step raised"
    )
    return Finding(observed, Diagnosis("state-shared-between-parameters", text, LOOKS_LIKE))


def _apart_cause(ctx: Context, run: Run) -> Finding | None:
    """A first step that read a None state with several parameters, while each parameter alone runs its whole
    trajectory right: a later parameter's first step was taken for a later step (its state still None), so the test
    for the first step is not per parameter (a flag or a step count on the optimizer, set by the first parameter)."""
    error = run.actual
    if run.steps_done != 0 or len(run.arrays) < 2 or "NoneType" not in error.message:
        return None
    if not _each_alone_runs_right(ctx, run):
        return None
    text = (
        "a state entry was still None when a parameter's running update read it: the test for the first step is "
        "not per parameter (a flag or a step count kept on the optimizer, that the first parameter's step set), so "
        "every other parameter's first step was taken as a later one and read a state it had not made yet; each "
        "parameter has its own first step: test that parameter's own state"
    )
    if ctx.component.formula == "sgd":
        text += " (its velocity: `if state['momentum_buffer'] is None:`)"
    observed = (
        f"each parameter optimized alone, shapes {[a.shape for a in run.arrays]} one by one, runs all "
        f"{len(run.grads)} steps right; together the first step raised"
    )
    return Finding(observed, Diagnosis("state-shared-between-parameters", text, LOOKS_LIKE))


# The options whose branch reads, beyond what the rest of the update keeps, only a state entry that the rest of the
# update has stored already at the first step: a None read there, where the runs without the option are right, is
# that entry read before this step stored it. ``(formula, option) -> (the hyper-parameter under which the rest of
# the update stores that entry, which a right case must set; the mistake)``. (amsgrad's maximum and centered
# RMSprop's mean are entries of their own, which a None there may equally show never started: no claim for them.)
_FLAG_READS = {
    ("sgd", "nesterov"): (
        "momentum",
        "the Nesterov look-ahead g + momentum * buf read the momentum buffer from before this step's update "
        "(state['momentum_buffer'], still None at the first step, the old velocity later); update the buffer "
        "first and step along g + momentum * buf with the buffer just updated",
    ),
}
# A state entry still None where an operand was expected (None * x, None + x).
_NONE_READ = "NoneType"


def _flag_cause(ctx: Context, run: Run) -> Finding | None:
    """A first step that read a None state under an option alone: every case that turns the option on raised so at
    its first step, and every case without it runs its whole trajectory right. The code that option adds read a state
    entry before this step stored it (the old entry, None at the first step), where the rest of the update runs
    right."""
    error = run.actual
    formula = ctx.component.formula
    on = [flag for (name, flag) in _FLAG_READS if name == formula and run.case.kwargs.get(flag)]
    if run.steps_done != 0 or error.type_name != "TypeError" or _NONE_READ not in error.message or len(on) != 1:
        return None
    flag = on[0]
    runs = case_runs(ctx).values()
    if any(
        isinstance(r.actual, StudentError) != bool(r.case.kwargs.get(flag))
        or (isinstance(r.actual, StudentError) and (r.steps_done != 0 or _NONE_READ not in r.actual.message))
        or (not isinstance(r.actual, StudentError) and not same_trajectory(r.actual, r.expected, r.arrays))
        for r in runs
    ):
        return None
    needed, text = _FLAG_READS[formula, flag]
    right = [r for r in runs if not isinstance(r.actual, StudentError)]
    if not any(hyper(ctx.component, r.case.kwargs).get(needed) for r in right):
        return None  # no right case stores the entry: a None there may be an entry never started
    observed = (
        f"every case with {flag}=True raised at its first step, reading None; the {len(right)} cases without it "
        "follow the reference at every step"
    )
    return Finding(observed, Diagnosis("saved-state-stale", text, LOOKS_LIKE))


def _refused_cause(ctx: Context, run: Run) -> Finding | None:
    """The constructor's own check (a ``raise ValueError`` line) refused this case's hyper-parameters, which docs/api.md
    accepts (every case's are valid: the reference runs them). Building the optimizer alone raises the same error, so
    no step ran; and the student's defaults are docs/api.md's for every argument the case leaves out (a changed
    default that the check then refuses is the signature's to name, not the check's)."""
    error = run.actual
    if run.steps_done != 0 or error.type_name != "ValueError" or not error.source.strip().startswith("raise"):
        return None
    try:
        Remote(ctx, run.arrays, run.case.kwargs)
        return None  # the constructor runs: a step raised
    except StudentError as again:
        if again.type_name != error.type_name or again.message != error.message:
            return None
    rows = {row[0]: row[2] for row in ctx.session.signature(ctx.component.name)}
    if any(
        name in rows and not _same_default(rows[name], default)
        for name, default in ctx.component.signature
        if default is not REQUIRED and name not in run.case.kwargs
    ):
        return None
    given = ", ".join(f"{name}={value!r}" for name, value in run.case.kwargs.items()) or "the defaults"
    text = (
        f"the constructor's own check raised ValueError for {given}, hyper-parameters docs/api.md accepts, so the "
        "test refuses a valid value. Only a negative lr, eps or weight_decay, a beta outside [0, 1), or Nesterov "
        "without momentum > 0 and dampening = 0 is invalid; the ends of each range are valid (0 <= beta < 1: beta "
        "= 0 is no averaging; a weight_decay or momentum of 0), so check the test's bounds (0 < beta leaves an end "
        "out) and how its conditions are grouped"
    )
    return Finding("", Diagnosis("valid-input-refused", text, IS))


def _complex_cause(ctx: Context, run: Run) -> Finding | None:
    """step() raised on a complex number (a negative Python float to a fractional power, x ** 0.5, is complex):
    the known mistakes that take the root of a negative number at the step that raised, after moving the parameters
    as the student's did before it, in every case that raised so; a case the student's code runs contradicts one
    whose simulation changes it otherwise."""
    if "complex" not in run.actual.message or run.before is None:
        return None
    formula = ctx.component.formula
    runs = [r for r in case_runs(ctx).values() if isinstance(r.actual, StudentError) and "complex" in r.actual.message]
    tags: list[str] | None = None
    for r in runs:
        if r.before is None:
            return None
        hp = hyper(ctx.component, r.case.kwargs)
        fitting = negative_root_at(formula, hp, r.arrays, r.grads, r.before)
        tags = fitting if tags is None else [tag for tag in tags if tag in fitting]
    others = case_evidence(ctx)
    tags = [tag for tag in tags or [] if not any(contradicts(formula, tag, other) for other in others)]
    if not tags:
        return None
    mistakes = list(dict.fromkeys(MISTAKES[formula][tag] for tag in tags))
    said = mistakes[0] if len(mistakes) == 1 else "either " + "; or ".join(mistakes[:3])
    k = run.steps_done
    observed = (
        f"step {k + 1} made a complex number, the root of a negative number (in Python a negative float to the "
        "power 0.5 is complex; np.sqrt gives nan)"
        + (
            ""
            if not k
            else "; the step before it is what the mistake gives"
            if k == 1
            else f"; the {k} steps before it are what the mistake gives"
        )
    )
    return Finding(observed, Diagnosis(tags[0].partition("#")[0], said, LOOKS_LIKE))


# Square matrices (and vectors) on which a product that needs matching axes (g @ g, g * g.T) runs.
_SQUARE_SHAPES = ((4, 4), (5,), (5,))


def _square_cause(ctx: Context, run: Run) -> Finding | None:
    """A shape error of step() whose trajectory on square parameters is a known mistake's: a product that is not
    elementwise (the square g^2 as g @ g or g * g.T) raises on a non-square matrix and runs on a square one, where
    the simulation of the mistake reproduces the student's numbers."""
    error = run.actual
    shapes_error = any(word in error.message for word in ("broadcast", "matmul", "not aligned"))
    if error.type_name != "ValueError" or not shapes_error:
        return None
    if all(a.ndim < 2 or len(set(a.shape)) == 1 for a in run.arrays):
        return None  # it raised on square parameters already
    arrays, grads = trajectory_problem(ctx, f"{run.case.id} square", _SQUARE_SHAPES)
    expected = reference_run(ctx.component.name, run.case.kwargs, arrays, grads)
    try:
        actual = Remote(ctx, arrays, run.case.kwargs).run(grads)
    except StudentError:
        return None
    if same_trajectory(actual, expected, arrays):
        return None  # right on square parameters: a shape mistake of its own (the readers of the line say which)
    hp = hyper(ctx.component, run.case.kwargs)
    found = reproducing(ctx.component.formula, hp, arrays, grads, expected, actual)
    if not found:
        return None
    tag, (_, text) = next(iter(found.items()))
    observed = (
        f"on parameters of shapes {list(_SQUARE_SHAPES)} the same case runs, and its {len(grads)} steps are what "
        "this mistake gives"
    )
    return Finding(observed, Diagnosis(tag.partition("#")[0], text, IS))


# ------------------------------------------------------------------------------- properties
def _without_decay(ctx: Context, index: int) -> dict[str, Any]:
    kwargs = dict(ctx.component.cases[index % len(ctx.component.cases)].kwargs)
    kwargs["weight_decay"] = 0.0
    return kwargs


def _property_problem(example: tuple) -> tuple[int, list[np.ndarray], np.random.Generator]:
    index, shape_list, seed = example
    rng = np.random.default_rng(seed)
    return index, [rng.standard_normal(s) for s in shape_list], rng


PROPERTY_STRATEGY = st.tuples(st.integers(0, 3), st.lists(shapes(1, 3, 4), min_size=1, max_size=3), SEEDS)


@check("properties", "zero gradient without weight decay: the parameters stay put", OPTIMIZER)
def zero_gradient(ctx: Context) -> Outcome:
    name = "zero gradient without weight decay: the parameters stay put"

    def body(*example: Any) -> str:
        index, arrays, _ = _property_problem(example)
        kwargs = _without_decay(ctx, index)
        remote = Remote(ctx, arrays, kwargs)
        for k in range(1, settings.OPTIMIZER_PROPERTY_STEPS + 1):
            for i, (got, start) in enumerate(
                zip(remote.step([np.zeros_like(a) for a in arrays]), arrays, strict=False)
            ):
                comparison = compare(got, start)
                if not comparison.ok:
                    return (
                        f"with {kwargs} and every gradient 0, parameter {i} (shape {start.shape}) "
                        f"moved at step {k}: {comparison.problem}"
                    )
        return ""

    return holds(ctx, name, PROPERTY_STRATEGY, body, "moves-without-gradient")


def _first_step_cause(
    ctx: Context, kwargs: dict[str, Any], arrays: list[np.ndarray], grads: list[np.ndarray], got: list[np.ndarray]
) -> tuple[str, str] | None:
    """``(tag, sentence)`` of the one known mistake whose first step is the student's, or None."""
    expected = reference_run(ctx.component.name, kwargs, arrays, [grads])
    skipped = skipped_parameters(arrays, expected, [got])
    if skipped is not None:
        return skipped.tag, f". Cause: {skipped.text}"
    # The trajectories, when graded already, may contradict what one step suggests.
    found = reproducing(
        ctx.component.formula,
        hyper(ctx.component, kwargs),
        arrays,
        [grads],
        expected,
        [got],
        case_evidence(ctx),
        _by_state(ctx, kwargs, arrays, [grads]),
    )
    if not found:
        return None
    tag, (_, mistake) = next(iter(found.items()))
    return tag.partition("#")[0], f". Cause: {mistake}"


def _confirmed(outcome: Outcome, tags: set[str]) -> Outcome:
    """The property's outcome, with confidence "is" when its tag came from a reproduced mistake."""
    if not outcome.passed and outcome.misconception in tags:
        return replace(outcome, confidence=IS)
    return outcome


@check("properties", "the first step moves every entry against its gradient", OPTIMIZER)
def first_step_direction(ctx: Context) -> Outcome:
    name = "the first step moves every entry against its gradient"
    confirmed: set[str] = set()

    def body(*example: Any) -> str | tuple[str, str]:
        index, arrays, rng = _property_problem(example)
        kwargs = _without_decay(ctx, index)
        grads = [rng.choice([-1.0, 1.0], a.shape) * 10 ** rng.uniform(-3, 3, a.shape) for a in arrays]
        data = Remote(ctx, arrays, kwargs).step(grads)
        for i, (got, start, g) in enumerate(zip(data, arrays, grads, strict=False)):
            wrong = np.argwhere(~((got - start) * g < 0))
            if len(wrong):
                at = tuple(int(j) for j in wrong[0])
                text = (
                    f"with {kwargs}, parameter {i} (shape {start.shape}) at index {at} had "
                    f"gradient {fmt(g[at])} and moved from {fmt(start[at])} to {fmt(got[at])}"
                )
                cause = _first_step_cause(ctx, kwargs, arrays, grads, data)
                if cause is not None:
                    confirmed.add(cause[0])
                    return text + cause[1], cause[0]
                if not np.isfinite(got[at]):
                    return text + ": it became nan or inf", "non-finite"
                if got[at] == start[at]:
                    return text + ": it did not move at all", "does-not-move"
                return text + ": it moved with the gradient, uphill; a descent step is p -= lr * update", "moves-uphill"
        return ""

    return _confirmed(holds(ctx, name, PROPERTY_STRATEGY, body, "moves-uphill"), confirmed)


@check(
    "properties",
    "the first step has size lr in every entry, whatever the gradient's scale",
    OPTIMIZER,
    when=lambda component: component.formula in BIAS_CORRECTED,  # 1 / (1 - beta^t) makes the first step lr
)
def adam_first_step(ctx: Context) -> Outcome:
    name = "the first step has size lr in every entry, whatever the gradient's scale"
    confirmed: set[str] = set()

    def body(*example: Any) -> str | tuple[str, str]:
        index, arrays, rng = _property_problem(example)
        kwargs = _without_decay(ctx, index)
        hp = hyper(ctx.component, kwargs)
        grads = [rng.choice([-1.0, 1.0], a.shape) * 10 ** rng.uniform(-3, 3, a.shape) for a in arrays]
        data = Remote(ctx, arrays, kwargs).step(grads)
        for i, (got, start, g) in enumerate(zip(data, arrays, grads, strict=False)):
            expected = hp["lr"] * np.abs(g) / (np.abs(g) + hp["eps"])
            comparison = compare(np.abs(got - start), expected, rtol=settings.TRAJECTORY_RTOL)
            if not comparison.ok:
                text = (
                    f"with {kwargs}, the first step of parameter {i} (shape {start.shape}) should "
                    f"move each entry by lr * |g| / (|g| + eps) ~ lr: {comparison.problem}"
                )
                cause = _first_step_cause(ctx, kwargs, arrays, grads, data)
                if cause is None:
                    return text
                confirmed.add(cause[0])
                return text + cause[1], cause[0]
        return ""

    return _confirmed(holds(ctx, name, PROPERTY_STRATEGY, body, "adam-first-step-size"), confirmed)


# ------------------------------------------------------------------------------- contracts
def _stateful_case(ctx: Context) -> tuple[Case, list[np.ndarray], list[list[np.ndarray]]]:
    """The first case whose trajectory depends on the optimizer's state."""
    arrays, grads = trajectory_problem(ctx, "state", steps=settings.OPTIMIZER_CONTRACT_STEPS)
    for case in ctx.component.cases:
        hp = hyper(ctx.component, case.kwargs)
        persistent = simulate(ctx.component.formula, hp, arrays, grads)
        if not same_trajectory(persistent, simulate(ctx.component.formula, hp, arrays, grads, "state-reset"), arrays):
            return case, arrays, grads
    return ctx.component.cases[0], arrays, grads


def _state_kept_elsewhere(
    ctx: Context, case: Case, arrays: list[np.ndarray], grads: list[list[np.ndarray]]
) -> Case | None:
    """Another case whose trajectory depends on the state (a fresh state at every step would change it)
    and that the student gets right: there the state demonstrably carries over from step to step."""
    for other in ctx.component.cases:
        if other is case:
            continue
        hp = hyper(ctx.component, other.kwargs)
        persistent = simulate(ctx.component.formula, hp, arrays, grads)
        if same_trajectory(persistent, simulate(ctx.component.formula, hp, arrays, grads, "state-reset"), arrays):
            continue
        if same_trajectory(Remote(ctx, arrays, other.kwargs).run(grads), persistent, arrays):
            return other
    return None


@check("contracts", "state persists between step() calls", OPTIMIZER)
def state_persists(ctx: Context) -> Outcome:
    """Each step() of a fresh optimizer from where the student's stood must differ from its own."""
    name = "state persists between step() calls"
    case, arrays, grads = _stateful_case(ctx)
    actual = Remote(ctx, arrays, case.kwargs).run(grads)
    expected = reference_run(ctx.component.name, case.kwargs, arrays, grads)
    if same_trajectory(actual, expected, arrays):
        return passed(name)
    starts = [arrays, *actual[:-1]]
    fresh = [Remote(ctx, start, case.kwargs).step(gs) for start, gs in zip(starts, grads, strict=False)]
    moved = any(
        not np.array_equal(p, q) for ps, qs in zip(actual, starts, strict=False) for p, q in zip(ps, qs, strict=False)
    )
    reset = all(
        allclose(p, q, rtol=settings.EXACT_RTOL, atol=0)
        for ps, qs in zip(actual, fresh, strict=False)
        for p, q in zip(ps, qs, strict=False)
    )
    if moved and reset:
        text = f"with {case.kwargs or 'the defaults'}, every step() behaved like the first step of a new optimizer."
        hp = hyper(ctx.component, case.kwargs)
        # A rate held as int(0.9) = 0 makes every step memoryless too: the stored value says which it is.
        truncated = _int_truncated(ctx, case.kwargs, hp, arrays, grads, actual)
        if truncated:
            tag, (_, said) = next(iter(truncated.items()))
            cause = Diagnosis(tag.partition("#")[0], said)
            return failed(name, text + Finding("", cause).sentences(), cause.tag, None, IS)
        kept = _state_kept_elsewhere(ctx, case, arrays, grads)
        if kept is not None:
            # The state carries over where another case reads it: it is kept, and this case's step ignores it.
            text += f" Yet with {kept.kwargs}, whose steps also read the state, every step matched the reference."
            if "momentum-ignored" in MISTAKES[ctx.component.formula] and same_trajectory(
                actual, simulate(ctx.component.formula, hp, arrays, grads, "momentum-ignored"), arrays
            ):
                cause = Diagnosis("momentum-ignored", MISTAKES[ctx.component.formula]["momentum-ignored"])
                return failed(name, text + Finding("", cause).sentences(), "momentum-ignored", None, IS)
            return failed(name, text + " The state is kept, but this case's step does not use it.", "memoryless")
        if not same_trajectory(actual, simulate(ctx.component.formula, hp, arrays, grads, "state-reset"), arrays):
            # Memoryless by the algebra of another mistake (Adadelta dividing by the stale average
            # of g^2 steps by exactly g): the trajectory checks name that one.
            return failed(name, text + " Nothing from earlier steps changed a step.", "memoryless")
        # Other mistakes step alike here (SGD stepping along p.grad, not the velocity, behaves like a fresh optimizer
        # at every step): the trajectories of the other cases (weight decay) say which one it is.
        case_runs(ctx)
        found = reproducing(ctx.component.formula, hp, arrays, grads, expected, actual, case_evidence(ctx))
        tag = next(iter(found), "")
        if found and "state-reset" not in tag.partition("#")[0].split("+"):
            cause = Diagnosis(tag.partition("#")[0], found[tag][1])
            return failed(name, text + Finding("", cause).sentences(), cause.tag, None, IS)
        cause = (
            "the state (velocity, running averages, step count) never carried over: it was created anew inside "
            "step() or zero_grad(), or its update was stored where the next step does not read it (a local "
            "variable, or under another key than the one read back); create it once, keep it on self between "
            "calls, and read and write the same entries"
        )
        return failed(name, text + Finding("", Diagnosis("state-reset", cause)).sentences(), "state-reset", None, IS)
    return passed(name)  # a wrong update rule is the trajectory checks' business


@check("contracts", "step() leaves p.grad unchanged", OPTIMIZER)
def grad_unchanged(ctx: Context) -> Outcome:
    name = "step() leaves p.grad unchanged"
    arrays, grads = trajectory_problem(ctx, "grad", steps=2)
    for case in ctx.component.cases:
        remote = Remote(ctx, arrays, case.kwargs)
        for gs in grads:
            remote.step(gs)
            for i, (got, g) in enumerate(zip(remote.get("grad"), gs, strict=False)):
                array = as_array(got)
                if array is not None and array.dtype != np.float64 and np.array_equal(array, g.astype(array.dtype)):
                    return failed(
                        name,
                        f"after zero_grad(), p.grad of parameter {i} is {array.dtype}, so the float64 gradient "
                        "written into it lost precision (step() itself left it alone).",
                        "zero-grad",
                        None,
                        IS,
                    )
                if not np.array_equal(array, g):
                    return failed(
                        name,
                        f"with {case.kwargs or 'the defaults'}, step() changed p.grad of "
                        f"parameter {i}. Build new arrays (g = p.grad + weight_decay * p.data), "
                        "never `g = p.grad; g += ...`, which writes into the gradient.",
                        "modifies-grad",
                    )
    return passed(name)


@check("contracts", "zero_grad() sets every gradient to zero", OPTIMIZER, interface=True)
def zero_grad_zeros(ctx: Context) -> Outcome:
    name = "zero_grad() sets every gradient to zero"
    arrays, grads = trajectory_problem(ctx, "zero_grad", settings.OPTIMIZER_SHAPES, steps=1)
    # After a diverged step: `p.grad *= 0` would keep these.
    grads[0][-1].flat[:2] = np.nan, np.inf
    remote = Remote(ctx, arrays, ctx.component.cases[0].kwargs)
    values = run_batch(
        ctx.session,
        remote.requests_for("grad", "setitem", grads[0])
        + [remote.call_request("zero_grad")]
        + remote.requests_for("grad", "get")
        + remote.requests_for("data", "get"),
    )
    n = len(arrays)
    for i, (grad, data, a) in enumerate(zip(values[n + 1 : 2 * n + 1], values[2 * n + 1 :], arrays, strict=False)):
        g = as_array(grad)
        if g is None or g.shape != a.shape or np.any(g != 0) or g.dtype != np.float64:
            if g is None or g.shape != a.shape:
                got = f"{type(grad).__name__} of shape {getattr(g, 'shape', None)}"
            elif not np.isfinite(g).all():
                got = "still nan or inf where the gradient was (multiplying by 0 keeps nan: assign zeros)"
            elif np.any(g != 0):
                got = "an array with nonzero entries"
            else:
                got = f"of dtype {g.dtype}"
            return failed(
                name,
                f"after zero_grad(), p.grad of parameter {i} (shape {a.shape}) is {got}; "
                "every p.grad must be a float64 array of zeros shaped like p.data.",
                "zero-grad",
            )
        if not np.array_equal(as_array(data), a):
            return failed(name, f"zero_grad() changed p.data of parameter {i}.", "zero-grad")
    return passed(name)


@check("contracts", "each parameter is updated on its own, whatever its shape", OPTIMIZER)
def parameters_independent(ctx: Context) -> Outcome:
    """Optimizing several parameters together must move each as if it were alone."""
    name = "each parameter is updated on its own, whatever its shape"
    case = ctx.component.cases[-1]
    arrays, grads = trajectory_problem(
        ctx, "shapes", settings.OPTIMIZER_SHAPES, steps=settings.OPTIMIZER_CONTRACT_STEPS
    )
    together = Remote(ctx, arrays, case.kwargs).run(grads)
    for i, a in enumerate(arrays):
        alone = Remote(ctx, [a], case.kwargs).run([[gs[i]] for gs in grads])
        for k, (joint, single) in enumerate(zip(together, alone, strict=False), 1):
            got = joint[i]
            if got.shape != a.shape or got.dtype != np.float64:
                return failed(
                    name,
                    f"parameter {i}: after step {k}, p.data is {got.dtype} of shape "
                    f"{got.shape}; expected float64 of shape {a.shape}.",
                    "wrong-shape",
                )
            if not agrees(got - a, single[0] - a, rtol=settings.TRAJECTORY_RTOL):
                text = (
                    f"with {case.kwargs or 'the defaults'}, parameter {i} (shape {a.shape}) moved "
                    f"differently at step {k} when optimized together with parameters of shapes "
                    f"{[b.shape for b in arrays]} than alone."
                )
                expected = reference_run(ctx.component.name, case.kwargs, arrays, grads)
                hp = hyper(ctx.component, case.kwargs)
                found = reproducing(ctx.component.formula, hp, arrays, grads, expected, together, case_evidence(ctx))
                skipped = skipped_parameters(arrays, expected, together)
                if skipped is not None:  # alone, a parameter is its list's first and last: the one left out
                    said = Finding(f"alone, parameter {i} is the first and the last of its list", skipped)
                    return failed(name, text + said.sentences(), skipped.tag, None, IS)
                tag, (_, mistake) = next(iter(found.items()), ("", (None, "")))
                if tag in MIXING:
                    return failed(name, text + Finding("", Diagnosis(tag, mistake)).sentences(), tag, None, IS)
                # the rule the numbers break, not a cause: no simulated mistake reproduced them
                advice = " Each parameter's step must depend only on its own gradient and its own state."
                return failed(name, text + advice, "parameters-mixed")
    return passed(name)


def _low_precision(session: Any, value: Any, path: str, depth: int = 0) -> str:
    """The path of a float array that is not float64 in ``value``, or "".

    ``value`` is plain data read from the optimizer; objects (handles) are opened through
    their ``__dict__`` a few levels deep. What cannot be read as plain data is skipped.
    """
    if isinstance(value, np.ndarray):
        return path if value.dtype.kind == "f" and value.dtype != np.float64 else ""
    if isinstance(value, Handle):
        if depth >= settings.OPTIMIZER_STATE_DEPTH:
            return ""
        try:
            value = session.get(value, "__dict__")
        except StudentError:
            return ""  # e.g. a dict keyed by id(p): not plain data
        items = value.items() if isinstance(value, dict) else ()
        return next(
            (found for key, item in items if (found := _low_precision(session, item, f"{path}.{key}", depth + 1))),
            "",
        )
    if isinstance(value, dict):
        items = [(f"{path}[{key!r}]", item) for key, item in value.items()]
    elif isinstance(value, (list, tuple)):
        items = [(f"{path}[{index}]", item) for index, item in enumerate(value)]
    else:
        return ""
    return next(
        (found for where, item in items if (found := _low_precision(session, item, where, depth))),
        "",
    )


@check("contracts", "parameters and state stay float64", OPTIMIZER)
def stays_float64(ctx: Context) -> Outcome:
    name = "parameters and state stay float64"
    arrays, grads = trajectory_problem(ctx, "dtype", steps=2)
    for case in ctx.component.cases:
        remote = Remote(ctx, arrays, case.kwargs)
        data = remote.run(grads)[-1]
        bad = [i for i, d in enumerate(data) if d.dtype != np.float64]
        if bad:
            return failed(
                name,
                f"with {case.kwargs or 'the defaults'}, p.data of parameter {bad[0]} became "
                f"{data[bad[0]].dtype}; parameters stay float64.",
                "float32",
            )
        found = _low_precision(ctx.session, remote.handle, "optimizer")
        if found:
            return failed(
                name,
                f"with {case.kwargs or 'the defaults'}, the optimizer's state {found} is not "
                "float64 (results, gradients and optimizer state are float64).",
                "float32",
            )
    return passed(name)


# ------------------------------------------------------------------------------- convergence
@dataclass(frozen=True)
class Task:
    """A function to minimise: starting parameters and ``f(params) -> (value, gradients)``."""

    start: list[np.ndarray]
    evaluate: Callable[[list[np.ndarray]], tuple[float, list[np.ndarray]]]


def bowl(ctx: Context) -> Task:
    """An ill-conditioned convex quadratic: curvatures from 1 to 10, minimum off the origin."""
    rng = ctx.rng("bowl")
    shapes_ = ((3,), (2, 2))
    curvature = [10 ** rng.uniform(0, 1, s) for s in shapes_]
    centre = [rng.standard_normal(s) for s in shapes_]

    def evaluate(ps: list[np.ndarray]) -> tuple[float, list[np.ndarray]]:
        value = sum(0.5 * float(np.sum(h * (p - c) ** 2)) for p, h, c in zip(ps, curvature, centre, strict=False))
        return value, [h * (p - c) for p, h, c in zip(ps, curvature, centre, strict=False)]

    return Task([c + rng.uniform(1, 2, c.shape) * rng.choice([-1, 1], c.shape) for c in centre], evaluate)


def rosenbrock(ctx: Context) -> Task:
    """``(1 - x)^2 + 100 (y - x^2)^2`` from several starts left of the valley; minimum (1, 1)."""
    rng = ctx.rng("rosenbrock")
    start = np.column_stack([rng.uniform(-1.5, -0.5, 3), rng.uniform(0.5, 1.5, 3)])

    def evaluate(ps: list[np.ndarray]) -> tuple[float, list[np.ndarray]]:
        x, y = ps[0][:, 0], ps[0][:, 1]
        value = float(np.sum((1 - x) ** 2 + 100 * (y - x**2) ** 2))
        grad = np.column_stack([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])
        return value, [grad]

    return Task([start], evaluate)


def mlp(ctx: Context) -> Task:
    """A 2-8-1 tanh network (reference layers and MSELoss) fitting a smooth surface."""
    rng = ctx.rng("mlp")
    X = rng.uniform(-2, 2, (settings.OPTIMIZER_MLP_SAMPLES, 2))
    y = np.sin(X[:, :1]) * np.cos(X[:, 1:])
    layers = [Linear(2, 8), Tanh(), Linear(8, 1)]
    params = [p for layer in layers for p in layer.parameters()]
    loss = MSELoss()
    start = [rng.uniform(-1, 1, p.data.shape) / np.sqrt(p.data.shape[-1] if p.data.ndim > 1 else 8) for p in params]

    def evaluate(ps: list[np.ndarray]) -> tuple[float, list[np.ndarray]]:
        for p, value in zip(params, ps, strict=False):
            p.data, p.grad = value.copy(), np.zeros_like(value)
        h = X
        for layer in layers:
            h = layer.forward(h)
        value = loss.forward(h, y)
        g = loss.backward()
        for layer in reversed(layers):
            g = layer.backward(g)
        return value, [p.grad.copy() for p in params]

    return Task(start, evaluate)


TASKS = {"a quadratic bowl": bowl, "the Rosenbrock function": rosenbrock, "a small MLP": mlp}


def _descend(task: Task, steps: int, step: Callable[[list[np.ndarray]], list[np.ndarray]]) -> float:
    ps = [p.copy() for p in task.start]
    for _ in range(steps):
        value, grads = task.evaluate(ps)
        if not np.isfinite(value):
            return value
        ps = step(grads)
    return task.evaluate(ps)[0]


def _reference_stepper(name: str, kwargs: dict[str, Any], start: list[np.ndarray]) -> Callable:
    params = [Parameter(p) for p in start]
    optimizer = reference_class(name)(params, **kwargs)

    def step(grads: list[np.ndarray]) -> list[np.ndarray]:
        for p, g in zip(params, grads, strict=False):
            p.grad = g
        optimizer.step()
        return [p.data.copy() for p in params]

    return step


def _converges(ctx: Context, name: str, title: str) -> Outcome:
    run = next(d for d in ctx.component.descents if d.task == title)
    kwargs, steps = run.kwargs, run.steps
    task = TASKS[title](ctx)
    f0 = task.evaluate([p.copy() for p in task.start])[0]
    with np.errstate(all="ignore"):
        expected = _descend(task, steps, _reference_stepper(ctx.component.name, kwargs, task.start))
        remote = Remote(ctx, task.start, kwargs)
        got = _descend(task, steps, remote.step)
    allowed = expected * settings.OPTIMIZER_CONVERGENCE_FACTOR + settings.OPTIMIZER_CONVERGENCE_FLOOR * f0
    if np.isfinite(got) and got <= allowed:
        return passed(name)
    text = (
        f"with {kwargs}, {steps} steps from the same start took f from {fmt(f0)} to {fmt(got)}; "
        f"the reference reaches {fmt(expected)}."
    )
    if not np.isfinite(got):
        text += " The parameters diverged to nan or inf."
    elif got >= f0:
        text += " It went uphill: check the sign and the size of the update."
    return failed(name, text, "does-not-converge")


def _descends_on(task: str) -> Callable[[Component], bool]:
    """Does the entry list a convergence run on ``task``?"""
    return lambda component: any(d.task == task for d in component.descents)


@check("convergence", "minimises a quadratic bowl", OPTIMIZER, when=_descends_on("a quadratic bowl"))
def minimises_bowl(ctx: Context) -> Outcome:
    return _converges(ctx, "minimises a quadratic bowl", "a quadratic bowl")


@check("convergence", "minimises the Rosenbrock function", OPTIMIZER, when=_descends_on("the Rosenbrock function"))
def minimises_rosenbrock(ctx: Context) -> Outcome:
    return _converges(ctx, "minimises the Rosenbrock function", "the Rosenbrock function")


@check("convergence", "trains a small MLP", OPTIMIZER, when=_descends_on("a small MLP"))
def trains_mlp(ctx: Context) -> Outcome:
    return _converges(ctx, "trains a small MLP", "a small MLP")
