"""Rubric lines that reuse an instance or a saved array (the module and loss contracts of docs/api.md).

Every other check builds a fresh instance and calls it once, as a unit test does. A training
loop does not: it calls one layer on batch after batch (the last one smaller), a network
holds several instances of one class (two Sigmoid layers), and what forward saved may be
read twice. Three classes of mistakes show only then:

* something kept from the first call: ``if not hasattr(self, "_shape")``, a buffer
  allocated once, a batch size or a count saved by the first forward;
* state stored on the class and so shared by every instance: ``Sigmoid._cache = y``, a
  mutable class attribute ``cache = {}``;
* backward computing in place in what forward saved (``d = self._y; d *= 1 - d``,
  ``grad = self._probs`` without a copy), which also changes the array forward returned.

A failure is blamed on reuse only when a fresh instance gets the same call right; a mistake
that needs no reuse is the reference checks' business and is not charged twice.

The last check here reuses an input's values in another memory layout: in a CNN a layer gets
Conv2d's output, a transposed view, so code that takes strides from the shape or counts on
``reshape(-1)`` being a view must see one (blamed only when the C-contiguous input is right).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from nnlab.exercises.components import Case
from nnlab.graders.results import Outcome, failed, passed
from nnlab.graders.running.puppet import StudentCrash, StudentError, StudentTimeout

from ..catalogue import Context, check
from ..diagnose import IS
from ..tolerance import agrees, as_array
from .inputs import Twin, build_twin, loss_data, reference_class, safe_input, upstream
from .support import first_failure, judge, not_random

KINDS = ("activation", "layer", "loss")
# The second batch has two more samples and, for images, one more row and two more columns
# (H and W change differently, so a swap shows); every kernel and window still fits.
MORE_SAMPLES, MORE_ROWS, MORE_COLUMNS = 2, 1, 2

Results = dict[str, Any]
Variants = dict[str, dict[str, tuple[np.ndarray, str]]]


def _recoverable(error: StudentError) -> bool:
    """An exception this rubric explains; a timeout, a crash or a stub goes to the runner."""
    return not (isinstance(error, (StudentTimeout, StudentCrash)) or error.not_implemented)


def _constructed(ctx: Context, case: Case) -> str:
    """``Conv2d(in_channels=2, out_channels=3, kernel_size=3)``: the instance, as built."""
    args = ", ".join(f"{k}={v!r}" for k, v in case.kwargs.items())
    return f"{ctx.component.class_name}({args})"


# ------------------------------------------------------------------------------- drivers
class _Modules:
    """Drives a module in the submission and in the reference alike: forward(x), backward(g)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def build(self, case: Case, salt: str) -> Twin:
        return build_twin(self.ctx, case, salt)  # the same salt gives the same parameters

    def data(self, case: Case, twin: Twin, salt: str) -> tuple[np.ndarray, ...]:
        x = safe_input(self.ctx, case, twin, salt)
        probe = reference_class(self.ctx.component.name)(**case.kwargs)
        if case.mode == "eval":
            probe.eval()
        return x, upstream(self.ctx, case, probe.forward(x).shape, salt)

    def forward(self, twin: Twin, data: tuple, got: Results, want: Results) -> None:
        got["the output"] = self.ctx.session.call(twin.handle, "forward", data[0])
        want["the output"] = twin.ref.forward(data[0])

    def backward(self, twin: Twin, data: tuple, got: Results, want: Results) -> None:
        session = self.ctx.session
        got["the input gradient"] = session.call(twin.handle, "backward", data[1])
        want["the input gradient"] = twin.ref.backward(data[1])
        for param in twin.params:
            got[f"`{param}.grad`"] = session.get(twin.handle, f"{param}.grad")
            want[f"`{param}.grad`"] = getattr(twin.ref, param).grad.copy()

    def buffers(self, twin: Twin, got: Results, want: Results) -> None:
        if self.ctx.component.buffers and twin.ref.training:  # eval leaves the buffers as they are
            for buffer, _ in self.ctx.component.buffers:
                got[f"`{buffer}`"] = self.ctx.session.get(twin.handle, buffer)
                want[f"`{buffer}`"] = getattr(twin.ref, buffer).copy()

    def reset(self, twin: Twin) -> None:
        """Parameter gradients back to zero on both sides (as zero_grad between batches)."""
        for param, value in twin.params.items():
            self.ctx.session.setitem(twin.handle, f"{param}.grad", np.zeros_like(value))
            getattr(twin.ref, param).grad[...] = 0.0

    def scales(self, data: tuple) -> dict[str, float]:
        # Rounding scales with the terms a result is made of (see modules.backward_matches_reference).
        return {"the output": float(np.max(np.abs(data[0]))), "the input gradient": float(np.max(np.abs(data[1])))}

    def crossed(self, other: Twin, data: tuple) -> Results:
        """What this input's backward gives when it reads ``other``'s saved state (no parameters)."""
        if other.params:
            return {}
        return {"the input gradient": other.ref.backward(data[1])}


class _Losses(_Modules):
    """Drives a loss alike on both sides: forward(x, t), backward()."""

    def build(self, case: Case, salt: str) -> Twin:
        name = self.ctx.component.name
        return Twin(self.ctx.session.new(name, **case.kwargs), reference_class(name)(**case.kwargs), {})

    def data(self, case: Case, twin: Twin, salt: str) -> tuple[np.ndarray, ...]:
        return loss_data(self.ctx.component, case, self.ctx.rng("loss", case.id, salt))

    def forward(self, twin: Twin, data: tuple, got: Results, want: Results) -> None:
        got["the loss"] = self.ctx.session.call(twin.handle, "forward", *data)
        want["the loss"] = np.asarray(twin.ref.forward(*data))

    def backward(self, twin: Twin, data: tuple, got: Results, want: Results) -> None:
        got["the gradient"] = self.ctx.session.call(twin.handle, "backward")
        want["the gradient"] = twin.ref.backward()

    def buffers(self, twin: Twin, got: Results, want: Results) -> None:
        pass

    def scales(self, data: tuple) -> dict[str, float]:
        return {"the loss": max(1.0, float(np.max(np.abs(data[0]))))}

    def crossed(self, other: Twin, data: tuple) -> Results:
        return {"the gradient": other.ref.backward()}


def _driver(ctx: Context) -> _Modules:
    return _Losses(ctx) if ctx.component.kind == "loss" else _Modules(ctx)


def _run(driver: _Modules, twin: Twin, data: tuple) -> tuple[Results, Results]:
    got: Results = {}
    want: Results = {}
    driver.forward(twin, data, got, want)
    driver.backward(twin, data, got, want)
    driver.buffers(twin, got, want)
    return got, want


def _judge(
    name: str, driver: _Modules, got: Results, want: Results, data: tuple, when: str, variants: Variants | None = None
) -> Outcome:
    scales = driver.scales(data)
    return first_failure(
        name,
        [
            judge(
                name,
                got[key],
                want[key],
                f"{key} {when}".strip(),
                batch=data[0].shape[0] if data[0].ndim else None,
                variants=(variants or {}).get(key, {}),
                scale=scales.get(key),
            )
            for key in want
        ],
    )


def _explained(feedback: str, evidence: str, cause: str) -> str:
    """The comparison's feedback, what the repeated calls show, and the cause they establish: a
    new instance gets the same call right, so the class of mistake is not a guess (confidence "is");
    it overrides what the numbers alone suggested."""
    label = "Cause, from the repeated calls" if "Cause:" in feedback or "Looks like:" in feedback else "Cause"
    return f"{feedback} {evidence} {label}: {cause}"


def _fresh_is_right(driver: _Modules, case: Case, salt: str, data: tuple, name: str) -> bool:
    """Does a new instance (same parameters) get this call right on its own?"""
    twin = driver.build(case, salt)
    return _judge(name, driver, *_run(driver, twin, data), data, "").passed


def _same_shape_first_is_right(driver: _Modules, later: Case, second: tuple, name: str) -> bool:
    """Does a new instance get the second call right after a first call of the second's shape?"""
    twin = driver.build(later, "second-call")
    _run(driver, twin, driver.data(later, twin, "same-shape-first"))
    driver.reset(twin)
    return _judge(name, driver, *_run(driver, twin, second), second, "").passed


# ------------------------------------------------------------------------------- checks
SECOND_CALL = "a second call (another batch size, or the same) gives the same results as a new instance"
OWN_STATE = "two instances keep their own state"
TWICE = "backward twice after one forward: the same gradient, nothing saved is changed"


@check("contracts", SECOND_CALL, KINDS, when=not_random)
def second_call(ctx: Context) -> Outcome:
    """One instance, forward and backward on one batch, then on a larger one (other H and W)."""
    name = SECOND_CALL
    driver, case = _driver(ctx), ctx.component.cases[0]
    n, *rest = case.input_shape
    if ctx.component.kind == "layer" and len(rest) == 3:
        shape = (n + MORE_SAMPLES, rest[0], rest[1] + MORE_ROWS, rest[2] + MORE_COLUMNS)
    else:
        shape = (n + MORE_SAMPLES, *rest)
    later = dataclasses.replace(case, input_shape=shape)
    twin = driver.build(case, "second-call")
    first, second = driver.data(case, twin, "first"), driver.data(later, twin, "second")
    _run(driver, twin, first)  # the first call's values are the reference checks' business
    driver.reset(twin)
    try:
        outcome = _judge(name, driver, *_run(driver, twin, second), second, "on the second call")
    except StudentError as error:
        if not _recoverable(error):
            raise
        outcome = failed(name, f"the second call raised {error.describe()}.")
    if outcome.passed:
        return _same_shape_second_call(ctx, driver, case)
    if not _fresh_is_right(driver, case, "second-call", second, name):
        return passed(name)
    if not _same_shape_first_is_right(driver, later, second, name):
        # A new instance starts from the initial state, where a wrong update of the running
        # statistics vanishes as well: the two candidates differ only when the first call has the
        # second's shape. Wrong then too, it is state carried between calls, not a cached shape.
        return failed(
            name,
            f"One {_constructed(ctx, case)} got forward and backward on an input of shape {first[0].shape}, "
            f"then on one of shape {second[0].shape}: {outcome.feedback} Observed: a new instance gets that "
            "second call right, but one whose first call had the second's shape gets it wrong too: what one "
            "call leaves for the next (the running statistics) is wrong, whatever the shapes.",
        )
    return failed(
        name,
        f"One {_constructed(ctx, case)} got forward and backward on an input of shape {first[0].shape}, "
        f"then on one of shape {second[0].shape}: "
        + _explained(
            outcome.feedback,
            "A new instance gets that second call right, so something from the first call was reused.",
            "a shape, batch size or count saved once and kept (`if not hasattr(self, ...)`, "
            "`getattr(self, '_n', N)`, a buffer allocated on the first call); every forward must save what "
            "backward needs from its own input.",
        ),
        "cached-first-call",
        confidence=IS,
    )


def _same_shape_second_call(ctx: Context, driver: _Modules, case: Case) -> Outcome:
    """One instance, two calls on inputs of one shape and other values: what forward recomputes only when the
    shape changes (`if self._s is None or self._s.shape != x.shape`) passes the call with another batch size and
    is stale here. Not asked of a module with buffers: its running statistics carry over by design, and a wrong
    update of them is the second call's other story (see second_call)."""
    name = SECOND_CALL
    if ctx.component.buffers:
        return passed(name)
    twin = driver.build(case, "same-shape")
    first, second = driver.data(case, twin, "same-shape-first"), driver.data(case, twin, "same-shape-second")
    _run(driver, twin, first)
    driver.reset(twin)
    try:
        outcome = _judge(name, driver, *_run(driver, twin, second), second, "on the second call")
    except StudentError as error:
        if not _recoverable(error):
            raise
        outcome = failed(name, f"the second call raised {error.describe()}.")
    if outcome.passed or not _fresh_is_right(driver, case, "same-shape", second, name):
        return passed(name)
    if _kept_buffer(ctx, driver, case, second) is not None:
        return passed(name)  # a buffer backward adds into, kept and not zeroed: backward_twice names it
    return failed(
        name,
        f"One {_constructed(ctx, case)} got forward and backward on an input of shape {first[0].shape}, then on "
        "another input of the same shape: "
        + _explained(
            outcome.feedback,
            "A new instance gets that second call right (and a second call with another batch size was right), so "
            "something from the first call was kept while the shape stayed the same.",
            "a value forward saves for backward is recomputed only when something changes (`if self._s is None or "
            "self._s.shape != x.shape:`, a cache keyed on the shape or the batch size), so the second batch's "
            "backward read the first batch's; every forward must recompute what backward needs from its own input.",
        ),
        "cached-first-call",
        confidence=IS,
    )


def _other_layout(case: Case) -> Case | None:
    """``case`` with its last two axes swapped: as many entries in another shape (None for a 2-D or square input)."""
    shape = case.input_shape
    if len(shape) < 3 or shape[-1] == shape[-2]:
        return None
    return dataclasses.replace(case, input_shape=(*shape[:-2], shape[-1], shape[-2]))


def _crossed_calls(name: str, driver: _Modules, case: Case, other: Case) -> tuple[Outcome, tuple]:
    """A.forward(x1), B.forward(x2), A.backward(g1), with B built and fed from ``other``; A's data."""
    a, b = driver.build(case, "instance-a"), driver.build(other, "instance-b")
    data_a, data_b = driver.data(case, a, "instance-a"), driver.data(other, b, "instance-b")
    got: Results = {}
    want: Results = {}
    driver.forward(a, data_a, got, want)
    driver.forward(b, data_b, {}, {})
    try:
        driver.backward(a, data_a, got, want)
    except StudentError as error:
        if not _recoverable(error) or other is case:
            raise
        return failed(name, f"A.backward raised {error.describe()}."), data_a
    try:
        crossed = driver.crossed(b, data_a)
    except ValueError:  # B's saved state does not fit A's gradient at all: no simulation to offer
        crossed = {}
    variants = {
        key: {"shared-class-state": (value, "it is B's result: A's backward used what B's forward saved")}
        for key, value in crossed.items()
    }
    return _judge(name, driver, got, want, data_a, "of A", variants), data_a


@check("contracts", OWN_STATE, KINDS, when=not_random)
def own_state(ctx: Context) -> Outcome:
    """A.forward(x1), B.forward(x2), A.backward(g1): A must not see B's forward. When inputs of one shape
    pass, a layer without parameters is tried again with B's input in another shape (its last two axes
    swapped): state that holds only a shape (Flatten's) differs between instances only then."""
    name = OWN_STATE
    driver, case = _driver(ctx), ctx.component.cases[0]
    other = case
    outcome, data_a = _crossed_calls(name, driver, case, case)
    if outcome.passed:
        swapped = _other_layout(case) if ctx.component.kind != "loss" and not ctx.component.params else None
        if swapped is None:
            return outcome
        other = swapped
        outcome, data_a = _crossed_calls(name, driver, case, other)
        if outcome.passed:
            return outcome
    where = (
        f"it is stored on the class, not on the instance (`{ctx.component.class_name}._saved = ...`, or a mutable "
        "class attribute such as `cache = {}` filled through `self.cache[...]`); assign it to the instance in "
        "forward (`self._saved = ...`)."
    )
    shapes = "" if other is case else f" (A's input of shape {case.input_shape}, B's of shape {other.input_shape})"
    setup = (
        f"Two instances A and B of {_constructed(ctx, case)}: A.forward on one input, B.forward on another{shapes}, "
        "then A.backward:"
    )
    if outcome.misconception == "shared-class-state":
        text = f"{setup} {outcome.feedback} So A and B share what forward saves: {where}"
    elif _fresh_is_right(driver, case, "instance-a", data_a, name):
        text = f"{setup} " + _explained(
            outcome.feedback, "Alone, A gets it right, so A and B share what forward saves.", where
        )
    else:
        return passed(name)  # A alone is wrong too: the reference checks report it
    return failed(name, text, "shared-class-state", confidence=IS)


@check("contracts", TWICE, KINDS)
def backward_twice(ctx: Context) -> Outcome:
    """After one forward, backward twice: the same input gradient, parameter gradients doubled.

    Judged on the submission's own first backward (no reference). A second backward that
    raises is accepted: freeing what forward saved is allowed, as PyTorch frees its graph.
    """
    name = TWICE
    driver, case = _driver(ctx), ctx.component.cases[0]
    twin = driver.build(case, "twice")
    data = driver.data(case, twin, "twice")
    once: Results = {}
    twice: Results = {}
    driver.forward(twin, data, once, {})
    driver.backward(twin, data, once, {})
    once = {key: as_array(value) for key, value in once.items()}
    try:
        driver.backward(twin, data, twice, {})
    except StudentError as error:
        if not _recoverable(error):
            raise
        return passed(name)
    outcomes = []
    for key, value in twice.items():
        first = once[key]
        if first is None or first.dtype.kind not in "biuf":
            continue  # the shape and type checks report this
        if ".grad" not in key:
            outcomes.append(judge(name, value, first, f"{key} of the second backward (vs the first)"))
        elif agrees(value, 2 * first) or not agrees(value, first):  # `=` is the accumulate check's
            outcomes.append(judge(name, value, 2 * first, f"{key} after two backward calls (twice the first)"))
    outcome = first_failure(name, outcomes)
    if outcome.passed:
        return outcome
    changed, returned = _changed_by_backward(ctx, driver, case, data)
    setup = f"After one forward on an input of shape {data[0].shape}, backward was called twice"
    kept = _kept_buffer(ctx, driver, case, data)
    if kept is not None:
        return failed(
            name,
            f"{setup}: "
            + _explained(
                outcome.feedback,
                f"The second result is twice the first, and `self.{kept}` held each backward's result: the gradient "
                "buffer lives on the instance and was not zeroed, so the second backward added its sums onto the "
                "first's.",
                KEPT_BUFFER,
            ),
            "buffer-not-zeroed",
            confidence=IS,
        )
    if not changed and _reads_parameter_grads(driver, case, data):
        return failed(
            name,
            f"{setup}: {outcome.feedback} Nothing forward saved was changed, and with the parameters' .grad set "
            "back to 0 between the two calls (as zero_grad does) the second backward repeats the first. Cause: "
            "backward reads a parameter's `.grad`, which backward itself accumulates, where the parameter's value "
            "`.data` belongs.",
            "parameter-grad-for-data",
            confidence=IS,
        )
    if not changed:
        return failed(
            name,
            f"{setup}: {outcome.feedback} Nothing forward saved was changed. Cause: backward itself changes "
            "between calls (a random draw, a counter or an update inside backward); it must depend only on what "
            "the last forward saved and on grad_y.",
            "backward-not-repeatable",
            confidence=IS,
        )
    trace = _backward_trace(ctx, driver, case, data)
    if trace is not None:
        rebinding = _rebinding(ctx, trace, changed, returned, setup, outcome.feedback)
        if rebinding is not None:
            return rebinding
        written = [k for k in changed if k in trace["written"]]
        if written:  # identity known: only the arrays written in place, the caller's output only if it changed
            changed = written
            returned = [k for k in written if k in trace["held_output"]] if trace["output_changed"] else []
    which = _attributes(changed)
    alias = (
        f" {_attributes(returned)} held the array forward returned, so the caller's output changed too."
        if returned
        else ""
    )
    return failed(
        name,
        f"{setup}: "
        + _explained(
            outcome.feedback,
            f"The first backward changed {which}, saved by forward.{alias}",
            "backward computes in place in a saved array ("
            + (
                "`self._diff *= 2 / n`, or `grad = self._probs` then `grad[...] -= 1` without `.copy()`); compute "
                "into a new array (`2 * self._diff / n`, `grad = self._probs.copy()`)."
                if ctx.component.kind == "loss"
                else "`d = self._y; d *= 1 - d`, or `y = self._y; y *= ...; return y`); compute into a new array "
                "(`d = self._y * (1 - self._y)`)."
            ),
        ),
        "backward-mutates-saved-state",
        confidence=IS,
    )


def _attributes(keys: list[str]) -> str:
    return ", ".join(f"`self.{k}`" for k in keys)


def _backward_trace(ctx: Context, driver: _Modules, case: Case, data: tuple) -> dict[str, Any] | None:
    """Replay on a new instance in the worker, watching what forward saved by identity (see
    ``doubles.backward_trace``): which saved arrays were written in place, which attributes were rebound to new
    arrays, whether the caller's output changed, and what backward passed to forward if it called it."""
    twin = driver.build(case, "twice")
    forward_args, backward_args = (list(data), []) if isinstance(driver, _Losses) else ([data[0]], [data[1]])
    try:
        trace = ctx.session.harness("backward_trace", twin.handle, forward_args, backward_args)
    except StudentError as error:
        if not _recoverable(error):
            raise
        return None
    return trace if isinstance(trace, dict) else None


def _rebinding(
    ctx: Context, trace: dict[str, Any], changed: list[str], returned: list[str], setup: str, feedback: str
) -> Outcome | None:
    """The saved attributes that changed were rebound to new arrays, none written in place: backward assigned
    them (``self._y = ...``) or called forward, which saved anew. Said as it happened; None when an array forward
    saved was written in place (the in-place explanation then holds)."""
    rebound = [k for k in changed if k in trace["rebound"]]
    if not rebound or any(k in trace["written"] for k in changed):
        return None
    which = _attributes(rebound)
    one = len(rebound) == 1
    untouched = (
        f"{'the array' if one else 'the arrays'} the first forward saved {'was' if one else 'were'} not written to"
    )
    if not trace["output_changed"]:
        untouched += ", and the caller's output did not change"
    calls = trace["forward_calls"]
    tag = "backward-mutates-saved-state"
    if not calls:
        evidence = (
            f"The first backward assigned a new array to {which}, saved by forward ({untouched}), so the second "
            "backward read what the first one left there."
        )
        cause = (
            "backward replaces what forward saved (`self._y = ...` inside backward); compute into a local "
            "(`d = self._y * (1 - self._y)`) and leave the saved attributes as forward set them."
        )
        return failed(TWICE, f"{setup}: " + _explained(feedback, evidence, cause), tag, confidence=IS)
    argument = calls[0]
    output = bool(argument) and (argument in trace["held_output"] or argument in returned)
    on = f" on `self.{argument}`, what forward saved{' (its output)' if output else ''}," if argument else ""
    evidence = (
        f"The first backward called forward again{on} and forward saved anew: {which} now "
        f"{'holds a new array' if one else 'hold new arrays'} ({untouched}), and the second backward read "
        f"{'it' if one else 'them'}."
    )
    if output:
        name = ctx.component.class_name.lower()
        tag = "derivative-at-output"
        cause = (
            f"backward re-ran forward on what forward saved, its output: that computes {name}({name}(x)), {name} "
            f"applied to its own output, so what backward builds from it is taken at the output y = {name}(x), not "
            "at x, and each call replaces the saved output. The derivative is a formula in the saved output itself "
            "(sigmoid: y * (1 - y), tanh: 1 - y^2): backward should read what forward saved, not call forward."
        )
    else:
        cause = (
            f"backward re-ran forward{' on what forward saved' if argument else ''}, and forward replaces what it "
            "saved: backward should only read the saved attributes, not call forward."
        )
    return failed(TWICE, f"{setup}: " + _explained(feedback, evidence, cause), tag, confidence=IS)


KEPT_BUFFER = (
    "backward accumulates into an array kept on the instance across calls (allocated once, `if self._grad is None: "
    "self._grad = np.zeros(...)`, then `+=` into it), so each call starts from what the previous backward left "
    "there and the gradient grows with every call. Allocate the accumulator afresh in every backward, "
    "`grad_x = np.zeros(x_shape)`, or zero it (`self._grad[...] = 0`) before adding into it."
)


def _kept_buffer(ctx: Context, driver: _Modules, case: Case, data: tuple) -> str | None:
    """Replay on a new instance: is the second backward's result twice the first, and did an array attribute of
    the instance hold each backward's result (the accumulator the returned gradient is)? Then backward adds into
    a buffer kept across calls: that attribute's name. (Twice the first alone fits any doubling inside backward.)"""
    twin = driver.build(case, "twice")
    results: list[np.ndarray | None] = []
    held: list[dict[str, np.ndarray]] = []
    try:
        driver.forward(twin, data, {}, {})
        for _ in range(2):
            got: Results = {}
            driver.backward(twin, data, got, {})
            results.append(as_array(next(iter(got.values()))))
            held.append(_saved_arrays(ctx, twin.handle))
    except StudentError as error:
        if not _recoverable(error):
            raise
        return None
    first, second = results
    if first is None or second is None or first.shape != second.shape or not np.any(first):
        return None
    if not agrees(second, 2 * first) or agrees(second, first):
        return None
    for key, value in held[0].items():
        later = held[1].get(key)
        if later is not None and value.shape == first.shape == later.shape:
            if np.allclose(value, first) and np.allclose(later, second):
                return key
    return None


def _reads_parameter_grads(driver: _Modules, case: Case, data: tuple) -> bool:
    """Replay on a new instance, zeroing the parameters' .grad between two backward calls: does
    the input gradient then repeat? Then backward reads the .grad it accumulates."""
    twin = driver.build(case, "twice")
    if not twin.params:
        return False
    first: Results = {}
    second: Results = {}
    try:
        driver.forward(twin, data, {}, {})
        driver.backward(twin, data, first, {})
        driver.reset(twin)
        driver.backward(twin, data, second, {})
    except StudentError as error:
        if not _recoverable(error):
            raise
        return False
    a, b = as_array(first.get("the input gradient")), as_array(second.get("the input gradient"))
    return a is not None and b is not None and a.shape == b.shape and agrees(b, a)


def _changed_by_backward(ctx: Context, driver: _Modules, case: Case, data: tuple) -> tuple[list[str], list[str]]:
    """Replay on a new instance: which saved arrays did backward change, and which of them
    held forward's output? Attributes are found by value, whatever their names."""
    twin = driver.build(case, "twice")
    got: Results = {}
    driver.forward(twin, data, got, {})
    before = _saved_arrays(ctx, twin.handle)
    later = []  # after each backward: a second one may undo the first's change (hinge: -(-x) = x)
    try:
        for _ in range(2):
            driver.backward(twin, data, {}, {})
            later.append(_saved_arrays(ctx, twin.handle))
    except StudentError as error:
        if not _recoverable(error):
            raise
        return [], []
    changed = [
        key
        for key, value in before.items()
        if any(
            key in after and after[key].shape == value.shape and not np.array_equal(after[key], value, equal_nan=True)
            for after in later
        )
    ]
    output = as_array(next(iter(got.values())))
    returned = [
        key
        for key in changed
        if output is not None and output.shape == before[key].shape and np.array_equal(before[key], output)
    ]
    return changed, returned


def _saved_arrays(ctx: Context, handle: Any) -> dict[str, np.ndarray]:
    """The instance's array attributes (one level into dicts), as plain copies."""
    try:
        state = ctx.session.get(handle, "__dict__")
    except StudentError as error:
        if not _recoverable(error):
            raise
        return {}
    arrays = {}
    for key, value in (state if isinstance(state, dict) else {}).items():
        inner = value.items() if isinstance(value, dict) else [("", value)]
        for sub, item in inner:
            if isinstance(item, np.ndarray) and item.dtype.kind in "biuf" and item.size > 1:
                arrays[f"{key}[{sub!r}]" if sub else key] = item
    return arrays


# ------------------------------------------------------------------------------- memory layout
# Conv2d's output is a view (PyTorch's layout from an im2col product, transposed), so in a CNN
# the next layer's forward, and the previous layer's backward, get arrays that are not
# C-contiguous. Code that takes strides from the shape, or counts on `reshape(-1)` being a view
# of its argument, is right in every other check and wrong there.
NON_CONTIGUOUS = "a non-contiguous input (a view, as Conv2d's output is) gives the same results"


def _layout_case(ctx: Context) -> Case:
    """The first case with the most dimensions: the most strides to get wrong."""
    return max(ctx.component.cases, key=lambda case: len(case.input_shape))


# numpy's own words when `a.shape = ...` meets an array whose memory cannot take the new shape without a copy.
_SHAPE_ASSIGNMENT_ERROR = "incompatible shape for in-place modification"
SHAPE_ASSIGNED = (
    "Cause: the argument was reshaped in place, by assigning its `.shape` (`x.shape = (N, -1)`): that reshapes "
    "the caller's array itself (the caller's x is flattened too), and a view that is not C-contiguous cannot be "
    "reshaped without a copy, so it raises. Leave the argument alone and return a new view or copy: "
    "`y = x.reshape(N, -1)`."
)


def _shape_assigned(error: StudentError) -> bool:
    """Did the student's code assign the ``.shape`` of an array that needs a copy to take it?"""
    return error.type_name == "AttributeError" and _SHAPE_ASSIGNMENT_ERROR in error.message.lower()


@check("contracts", NON_CONTIGUOUS, ("activation", "layer"), when=not_random)
def non_contiguous_input(ctx: Context) -> Outcome:
    """forward(x) and backward(g) with x and g views in another memory layout (the same values)."""
    name = NON_CONTIGUOUS
    driver, case, session = _Modules(ctx), _layout_case(ctx), ctx.session
    twin = driver.build(case, "layout")
    data = driver.data(case, twin, "layout")
    # In the worker, np.ascontiguousarray(a.T).T: a's values, the axes' order reversed in memory.
    views = [session.harness("transposed_box", array) for array in data]
    got: Results = {}
    want: Results = {"the output": twin.ref.forward(data[0]), "the input gradient": twin.ref.backward(data[1])}
    for param in twin.params:
        want[f"`{param}.grad`"] = getattr(twin.ref, param).grad.copy()
    try:
        got["the output"] = session.call_unboxed(twin.handle, "forward", views[0])
        got["the input gradient"] = session.call_unboxed(twin.handle, "backward", views[1])
        for param in twin.params:
            got[f"`{param}.grad`"] = session.get(twin.handle, f"{param}.grad")
        driver.buffers(twin, got, want)
        outcome = _judge(name, driver, got, want, data, "")
    except StudentError as error:
        if not _recoverable(error):
            raise
        outcome = failed(name, f"It raised {error.describe()}.")
        if _shape_assigned(error):
            return failed(name, f"It raised {error.describe()}. {SHAPE_ASSIGNED}", "modifies-input", confidence=IS)
    if outcome.passed or not _fresh_is_right(driver, case, "layout", data, name):
        return passed(name)  # wrong on a C-contiguous input too: the reference checks report it
    layout = "a transposed view, `x.T`" if data[0].ndim == 2 else "`np.ascontiguousarray(x.T).T`"
    return failed(
        name,
        f"One {_constructed(ctx, case)} got forward on an input of shape {data[0].shape} that is a view, not "
        f"C-contiguous ({layout}: the same values in another memory layout; Conv2d's output is such a view, "
        "a transpose, and so is what the next layer of a CNN receives), then backward on a grad_y of the same "
        "kind: "
        + _explained(
            outcome.feedback,
            "The same values in C-contiguous arrays give the right results, so the code depends on how its "
            "argument is laid out in memory.",
            "strides computed from the shape (`as_strided(x, ..., (C*H*W*8, H*W*8, W*8, 8))`) instead of "
            "taken from `x.strides`; or a `reshape`/`ravel` assumed to be a view of its argument (of a "
            "non-contiguous array it is a copy, so writes into it are lost), or `np.empty_like(x)`, which keeps "
            "x's layout. Take strides from `x.strides` (or start with `x = np.ascontiguousarray(x)`).",
        ),
        "non-contiguous-input",
        confidence=IS,
    )
