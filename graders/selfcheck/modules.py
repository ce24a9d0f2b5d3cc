"""Activations and layers against their fixtures, and the module contracts of docs/api.md.

A case's fixture holds the parameters, an input x, an upstream gradient grad_y and what the
reference returned: the output, the input gradient, the parameter gradients (and, for
BatchNorm, its running statistics). Contracts replay the fixtures in the ways a training
loop uses a layer: a second, larger batch through the same instance; two instances side by
side; backward twice; an input that is a view in another memory layout; float32 input.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .compare import as_array, compare, fmt
from .core import Check, Failed, Subject, fail_if
from .manifest import CaseSpec

MODULES = ("activation", "layer")
BUFFERS = ("running_mean", "running_var")


# ------------------------------------------------------------------------------- helpers
def setup(sub: Subject, case: CaseSpec, prefix: str | None = None) -> Any:
    """The student's module for ``case``, with the fixture's parameters, buffers and mode."""
    prefix = prefix or f"c{case.index}"
    module = sub.build(case)
    for name in sub.spec.params_for(case):
        param = getattr(module, name, None)
        if param is None or not hasattr(param, "data") or not hasattr(param, "grad"):
            raise Failed(f"{sub.label(case)} has no parameter `{name}` (an object with .data and .grad)")
        param.data = sub.fixture[f"{prefix}/param/{name}"]
        if np.shape(param.grad) != param.data.shape:
            raise Failed(f"`{name}.grad` has shape {np.shape(param.grad)}, expected {param.data.shape} (like `.data`)")
    for name, value in sub.fixture.under(f"{prefix}/buffer").items():
        set_buffer(module, name, value)
    if case.mode == "eval":
        module.eval()
    return module


def set_buffer(module: Any, name: str, value: np.ndarray) -> None:
    """``module.<name> = value``; a buffer exposed read-only (a property) is written in place instead."""
    try:
        setattr(module, name, np.array(value, dtype=np.float64))
    except AttributeError:
        current = getattr(module, name, None)
        if not isinstance(current, np.ndarray) or current.shape != np.shape(value):
            raise
        current[...] = value


def zero_grads(sub: Subject, module: Any, case: CaseSpec) -> None:
    for name in sub.spec.params_for(case):
        getattr(module, name).grad = np.zeros_like(getattr(module, name).data)


def run(sub: Subject, module: Any, x: np.ndarray, g: np.ndarray, case: CaseSpec) -> dict[str, Any]:
    """forward(x), backward(g), and everything the fixture compares, by name."""
    got: dict[str, Any] = {"the output": module.forward(x)}
    got["the input gradient"] = module.backward(g)
    for name in sub.spec.params_for(case):
        got[f"`{name}.grad`"] = getattr(module, name).grad
    for name in BUFFERS:
        if f"c{case.index}/after/{name}" in sub.fixture:
            got[f"`{name}`"] = getattr(module, name, None)
    return got


def expected(sub: Subject, case: CaseSpec, prefix: str | None = None) -> dict[str, np.ndarray]:
    prefix, fx = prefix or f"c{case.index}", sub.fixture
    want = {"the output": fx[f"{prefix}/y"], "the input gradient": fx[f"{prefix}/grad_x"]}
    for name in sub.spec.params_for(case):
        want[f"`{name}.grad`"] = fx[f"{prefix}/grad/{name}"]
    for name in BUFFERS:
        if f"{prefix}/after/{name}" in fx:
            want[f"`{name}`"] = fx[f"{prefix}/after/{name}"]
    return want


def problems(
    sub: Subject, got: dict[str, Any], want: dict[str, np.ndarray], x: np.ndarray, g: np.ndarray, case: CaseSpec | None
) -> list[str]:
    """Every quantity that differs, with where and (when the numbers show it) why."""
    found = []
    for key, value in want.items():
        quantity = {"the output": "output", "the input gradient": "input"}.get(key, key.strip("`").split(".")[0])
        hints: dict[str, Any] = {"batch": x.shape[0] if x.ndim else None}
        if case is not None:
            hints["variants"] = sub.fixture.variants(case, quantity)
        if key == "the output":
            hints["scale"] = float(np.max(np.abs(x))) if x.size else None
            hints["related"] = {"the input x": x}
        elif key == "the input gradient":
            hints["scale"] = float(np.max(np.abs(g))) if g.size else None
            hints["related"] = {"the upstream gradient grad_y": g, "the input x": x}
        found.append(sub.judge(got.get(key), value, key, **hints))
    return [p for p in found if p]


def layout_view(array: np.ndarray) -> np.ndarray:
    """The same values, not C-contiguous (as Conv2d's output, a transposed product, is)."""
    return np.ascontiguousarray(array.T).T


# ------------------------------------------------------------------------------- checks
def probe(sub: Subject, case: CaseSpec | None) -> None:
    """Builds, runs forward and backward on the first case (not implemented -> one line)."""
    case = sub.spec.cases[0]
    module = setup(sub, case)
    x, want = sub.fixture["c0/x"], sub.fixture["c0/y"]
    y = as_array(module.forward(x))
    if y is None or y.shape != want.shape:
        got = "no array" if y is None else f"shape {y.shape}"
        raise Failed(f"{sub.label(case)}.forward returned {got} for an input of shape {x.shape}; expected {want.shape}")
    module.backward(sub.fixture["c0/grad_y"])


def forward_backward(sub: Subject, case: CaseSpec) -> None:
    k, fx = case.index, sub.fixture
    module = setup(sub, case)
    x, g = fx[f"c{k}/x"], fx[f"c{k}/grad_y"]
    got = run(sub, module, x, g, case)
    found = problems(sub, got, expected(sub, case), x, g, case)
    for name in BUFFERS:  # eval: the buffers are used, never updated
        if f"c{k}/buffer/{name}" in fx and not np.array_equal(
            as_array(getattr(module, name, None)), fx[f"c{k}/buffer/{name}"]
        ):
            found.append(f"an eval forward changed `{name}`; in eval mode the running statistics are only read")
    fail_if(found)


def not_modified(sub: Subject, case: CaseSpec | None) -> None:
    found = []
    for case in sub.spec.cases[:3]:
        module = setup(sub, case)
        x, g = sub.fixture[f"c{case.index}/x"], sub.fixture[f"c{case.index}/grad_y"]
        x_in, g_in = x.copy(), g.copy()
        module.forward(x_in)
        module.backward(g_in)
        if not np.array_equal(x_in, x):
            found.append(f"forward modified its input x in place ({case.id})")
        if not np.array_equal(g_in, g):
            found.append(f"backward modified grad_y in place ({case.id})")
    if found:
        raise Failed("; ".join(found) + ". Compute into new arrays (`y = x * mask`, not `x *= mask`)")


def accumulates(sub: Subject, case: CaseSpec | None) -> None:
    for case in (c for c in sub.spec.cases if sub.spec.params_for(c)):
        module = setup(sub, case)
        x, g = sub.fixture[f"c{case.index}/x"], sub.fixture[f"c{case.index}/grad_y"]
        grads = []
        for _ in range(2):
            module.forward(x.copy())
            module.backward(g.copy())
            grads.append({p: _copy(getattr(module, p).grad) for p in sub.spec.params_for(case)})
        for p in sub.spec.params_for(case):
            once, twice = grads[0][p], grads[1][p]
            if once is None or twice is None or once.shape != twice.shape:
                continue
            if compare(twice, once, s=sub.s).ok and np.any(once):
                raise Failed(
                    f"{case.id}: `{p}.grad` after two forward/backward calls equals the first call's gradient: it was "
                    "assigned (`=`), not added (`+=`). docs/api.md: backward adds into p.grad (zero_grad resets it)"
                )
            fail_if(sub.judge(twice, 2 * once, f"{case.id}: `{p}.grad` after two backward calls (twice the first)"))


def keeps_parameter_shapes(sub: Subject, case: CaseSpec | None) -> None:
    """After forward and after backward every parameter's data has the shape it was given (docs/api.md's)."""
    for case in (c for c in sub.spec.cases if sub.spec.params_for(c)):
        module = setup(sub, case)
        x, g = sub.fixture[f"c{case.index}/x"], sub.fixture[f"c{case.index}/grad_y"]
        for method, argument in (("forward", x), ("backward", g)):
            getattr(module, method)(argument.copy())
            for p in sub.spec.params_for(case):
                shape = sub.fixture[f"c{case.index}/param/{p}"].shape
                data = as_array(getattr(getattr(module, p, None), "data", None))
                if data is not None and data.shape != shape:
                    raise Failed(
                        f"{case.id}: after {method}, `{p}.data` has shape {data.shape}, expected {shape} (its shape at "
                        f"construction, and `{p}.grad`'s): {method} stored an array of another shape back into the "
                        "parameter (a reshape to broadcast it?); keep that array in a variable of your own. The "
                        "optimizer updates p.data from p.grad in place"
                    )


def _copy(value: Any) -> np.ndarray | None:
    array = as_array(value)
    return None if array is None else np.array(array)


def new_output(sub: Subject, case: CaseSpec | None) -> None:
    """An output is the caller's: a second forward of the same instance on another input of the same shape
    must leave the array the first returned as it was (a layer used twice in a network keeps both)."""
    case = sub.spec.cases[0]
    module = setup(sub, case)
    x = sub.fixture["c0/x"]
    first = module.forward(x)
    kept = _copy(first)
    second = module.forward(0.25 - 2.0 * x)  # another input, same shape
    now = _copy(first)
    if kept is None or now is None or now.shape != kept.shape or np.array_equal(now, kept, equal_nan=True):
        return
    same = " (both forwards returned the same array object)" if first is second else ""
    raise Failed(
        f"{sub.label(case)}.forward returned an array, and a second forward on another input of shape {x.shape} "
        f"changed it{same}: forward writes its output into an array kept on the layer (`out=self._out`, "
        "`self._y[...] = ...`); return a new array at every call, as a PyTorch module returns a new tensor"
    )


def train_eval(sub: Subject, case: CaseSpec | None) -> None:
    module = sub.build(sub.spec.cases[0])
    found = []
    if module.training is not True:
        found.append("`training` is not True after construction")
    if module.eval() is not module:
        found.append("eval() does not return the module itself")
    if getattr(module, "training", None) is not False:
        found.append("after eval(), `training` is not False")
    if module.train() is not module:
        found.append("train() does not return the module itself")
    if getattr(module, "training", None) is not True:
        found.append("after train(), `training` is not True")
    fail_if(found)


def filled(sub: Subject, case: CaseSpec | None) -> None:
    """docs/api.md fills some parameters with a constructor argument (PReLU's weight with init)."""
    for case in sub.spec.cases:
        module = sub.build(case)
        for param, (argument, default) in sub.spec.info["filled"].items():
            value = case.kwargs.get(argument, default)
            data = as_array(getattr(getattr(module, param, None), "data", None))
            if data is None or np.allclose(data, value):
                continue  # (a missing parameter is the fixture rows' finding)
            cause = (
                f": it holds {default!r}, the default of {argument}, written in the code instead of the argument"
                if value != default and np.allclose(data, default)
                else ""
            )
            raise Failed(
                f"{sub.label(case)}: `{param}` starts as {data.tolist()}, expected every entry {argument} = "
                f"{value!r}{cause}. docs/api.md fills `{param}` with {argument}"
            )


def float64_results(sub: Subject, case: CaseSpec | None) -> None:
    case = sub.spec.cases[0]
    module = setup(sub, case)
    # float32 input; grad_y stays float64 (a backward converts it in code given outside the solution region)
    y = as_array(module.forward(sub.fixture["c0/x"].astype(np.float32)))
    gx = as_array(module.backward(sub.fixture["c0/grad_y"]))
    found = []
    for what, value in (("forward", y), ("backward", gx)):
        if value is not None and value.dtype != np.float64:
            found.append(f"{what} returned dtype {value.dtype} after a float32 input; results must be float64")
    for p in sub.spec.params_for(case):
        grad = as_array(getattr(module, p).grad)
        if grad is not None and grad.dtype != np.float64:
            found.append(f"`{p}.grad` became {grad.dtype}; gradients stay float64")
    fail_if(found)


def _fresh_right(sub: Subject, case: CaseSpec, x: np.ndarray, g: np.ndarray, want: dict[str, np.ndarray]) -> bool:
    """Does a new instance get this call right on its own? (then reuse is to blame)"""
    module = setup(sub, case)
    return not problems(sub, run(sub, module, x, g, case), want, x, g, None)


def second_call(sub: Subject, case: CaseSpec | None) -> None:
    case, fx = sub.spec.cases[0], sub.fixture
    module = setup(sub, case)
    module.forward(fx["c0/x"])
    module.backward(fx["c0/grad_y"])
    zero_grads(sub, module, case)
    for name in BUFFERS:  # the second call is compared from the buffers the first call left
        if f"second/before/{name}" in fx:
            set_buffer(module, name, fx[f"second/before/{name}"])
    x, g = fx["second/x"], fx["second/grad_y"]
    want = expected(sub, case, "second")
    try:
        found = problems(sub, run(sub, module, x, g, case), want, x, g, None)
    except Exception as error:  # noqa: BLE001 (judged below against a fresh instance)
        found = [f"the second call raised {type(error).__name__}: {str(error)[:200]}"]
    if not found:
        return
    fresh = setup(sub, case)
    held = [name for name in BUFFERS if f"second/before/{name}" in fx]
    for name in held:
        set_buffer(fresh, name, fx[f"second/before/{name}"])
    got = run(sub, fresh, x, g, case)
    if problems(sub, got, want, x, g, None):
        _buffers_not_moved(sub, case, got, want, x, g, held)
        return  # a new instance is wrong too: the fixture checks say why
    raise Failed(
        f"one {sub.label(case)} got forward and backward on an input of shape {fx['c0/x'].shape}, then on one of "
        f"shape {x.shape}: {'; '.join(found)}. A new instance gets that second call right, so something from the "
        "first call was kept: a shape, batch size or count saved once (`if not hasattr(self, ...)`), or a buffer "
        "allocated on the first call; every forward must save what backward needs from its own input"
    )


def _buffers_not_moved(
    sub: Subject, case: CaseSpec, got: dict[str, Any], want: dict[str, np.ndarray], x: Any, g: Any, held: list[str]
) -> None:
    """A new instance given the running statistics one batch left gets only those wrong after the next batch, and
    the fixture's case, which starts from the starting buffers (zeros and ones), right: the update does not start
    from the buffers the layer holds (a buffer reset before each update looks right from the start alone)."""
    buffers = {key for key in want if key.strip("`") in held}
    rest = {key: value for key, value in want.items() if key not in buffers}
    wrong = problems(sub, got, {key: want[key] for key in buffers}, x, g, None)
    if not held or not wrong or problems(sub, got, rest, x, g, None):
        return
    if not _fresh_right(sub, case, sub.fixture["c0/x"], sub.fixture["c0/grad_y"], expected(sub, case)):
        return  # wrong from the starting buffers too: the fixture checks say why
    raise Failed(
        f"a new {sub.label(case)} holding the running statistics that one training batch left gets them wrong after "
        f"the next batch: {'; '.join(wrong)}. From the starting buffers (zeros and ones) the same update is right, "
        "so it does not start from the buffers the layer holds: a buffer reset before each update, or an update "
        "whose old value's share is lost where the start is zeros; move the buffer as it is, running = (1 - "
        "momentum) * running + momentum * batch_statistic"
    )


def after_more_axes(sub: Subject, case: CaseSpec | None) -> None:
    """An activation takes input of any shape: a forward on an input with one more axis must leave the next call
    as a new instance would make it (a `dim=-1` resolved to a positive axis and stored back, say)."""
    case, fx = sub.spec.cases[0], sub.fixture
    x, g = fx["c0/x"], fx["c0/grad_y"]
    module = setup(sub, case)
    try:
        module.forward(x[None])
    except Exception:  # noqa: BLE001 (an activation that takes fixed axes, Maxout or PReLU's channels)
        return
    want = expected(sub, case)
    try:
        found = problems(sub, run(sub, module, x, g, case), want, x, g, None)
    except Exception as error:  # noqa: BLE001 (judged below against a fresh instance)
        found = [f"the second call raised {type(error).__name__}: {str(error)[:200]}"]
    if found and _fresh_right(sub, case, x, g, want):
        raise Failed(
            f"one {sub.label(case)} got a forward on an input of shape {x[None].shape}, then forward and backward on "
            f"one of shape {x.shape}: {'; '.join(found)}. A new instance gets that second call right, so the first "
            "call changed the module: a negative axis resolved against the first input and stored back, or a shape "
            "kept; keep the constructor's arguments as given and resolve them at every call"
        )


def _crossed(sub: Subject, case: CaseSpec, other: np.ndarray) -> list[str]:
    """A.forward(x), B.forward(other), A.backward(g): what is wrong in A's results."""
    fx = sub.fixture
    a, b = setup(sub, case), setup(sub, case)
    x, g = fx["c0/x"], fx["c0/grad_y"]
    got: dict[str, Any] = {"the output": a.forward(x)}
    b.forward(other)
    if other.shape == x.shape:
        got["the input gradient"] = a.backward(g)
    else:  # B's shape where A's belongs may make A's backward raise: that is the finding then
        try:
            got["the input gradient"] = a.backward(g)
        except Exception as error:  # noqa: BLE001 (judged below against a fresh instance)
            return [f"A.backward raised {type(error).__name__}: {str(error)[:200]}"]
    for name in sub.spec.params_for(case):
        got[f"`{name}.grad`"] = getattr(a, name).grad
    want = {k: v for k, v in expected(sub, case).items() if k in got}
    return problems(sub, got, want, x, g, None)


def own_state(sub: Subject, case: CaseSpec | None) -> None:
    case, fx = sub.spec.cases[0], sub.fixture
    x, g = fx["c0/x"], fx["c0/grad_y"]
    other = fx["other/x"]
    found = _crossed(sub, case, other)
    if not found and "other-layout/x" in fx:  # B's input in another layout: a saved shape shows only then
        other = fx["other-layout/x"]
        found = _crossed(sub, case, other)
    if found and _fresh_right(sub, case, x, g, expected(sub, case)):
        raise Failed(
            f"two instances A and B of {sub.label(case)}: A.forward on an input of shape {x.shape}, B.forward on "
            f"another of shape {other.shape}, then "
            f"A.backward: {'; '.join(found)}. Alone, A gets it right, so A and B share what forward saves: it is "
            f"stored on the class (`{sub.spec.class_name}._saved = ...`, or a class attribute `cache = {{}}`), "
            "not on the instance (`self._saved = ...`)"
        )


def eval_backward(sub: Subject, case: CaseSpec | None) -> None:
    """docs/api.md: backward returns dL/dx for the input of the last forward, in eval mode too."""
    case, fx = sub.spec.cases[0], sub.fixture
    x, g = fx["c0/x"], fx["c0/grad_y"]

    def after(*earlier: np.ndarray) -> dict[str, Any]:
        module = setup(sub, case)
        if any(hasattr(module, name) for name in BUFFERS):
            return {}  # running statistics move in training: the eval rows of the fixtures judge them
        for value in earlier:
            module.forward(value)
        module.eval()
        return run(sub, module, x, g, case)

    try:
        alone = after()
    except Exception as error:  # noqa: BLE001 (the finding: an eval forward leaves backward nothing)
        said = " ".join(str(error).split())[:200]
        raise Failed(
            f"after eval(), forward and then backward raised {type(error).__name__}: {said}. A forward in eval mode "
            "must save what backward needs, as in training (docs/api.md: backward returns the "
            "gradient for the input of the last forward)"
        ) from None
    if not alone:
        return
    want = {k: np.asarray(v, dtype=np.float64) for k, v in alone.items() if as_array(v) is not None}
    found = problems(sub, after(fx["other/x"]), want, x, g, None)
    if found:
        raise Failed(
            f"a forward in training mode on one input, eval(), then forward and backward on another: {'; '.join(found)}"
            " (compared with a new instance that ran only the eval forward). Backward used what the training "
            "forward saved: forward saves its input (or what backward needs) only in training mode; save it at "
            "every forward, whatever the mode"
        )
    eval_parameter_gradients(sub, case, alone)


def eval_parameter_gradients(sub: Subject, case: CaseSpec, in_eval: dict[str, Any]) -> None:
    """A layer without running statistics or randomness computes the same in both modes: the parameter gradients
    of an eval-mode forward and backward are the fixture's (training-mode) ones. Judged only when the training-mode
    run matches the fixture (else "forward and backward" reports it)."""
    if case.mode == "eval" or not sub.spec.params_for(case):
        return
    x, g = sub.fixture[f"c{case.index}/x"], sub.fixture[f"c{case.index}/grad_y"]
    want = {k: v for k, v in expected(sub, case).items() if k.endswith(".grad`")}
    if problems(sub, run(sub, setup(sub, case), x, g, case), want, x, g, None):
        return
    found = problems(sub, in_eval, want, x, g, None)
    if found:
        raise Failed(
            f"eval(), then forward and backward: {'; '.join(found)} (right in training mode). Backward accumulates "
            "the parameter gradients only in training mode: the mode says how forward behaves (Dropout, BatchNorm), "
            "not whether backward computes gradients; add every parameter's gradient whatever the mode"
        )


def backward_twice(sub: Subject, case: CaseSpec | None) -> None:
    case, fx = sub.spec.cases[0], sub.fixture
    module = setup(sub, case)
    x, g = fx["c0/x"], fx["c0/grad_y"]
    y = as_array(module.forward(x))
    y_before = None if y is None else y.copy()
    first = as_array(module.backward(g))
    first = None if first is None else first.copy()
    grads = {p: np.array(getattr(module, p).grad, dtype=np.float64) for p in sub.spec.params_for(case)}
    try:
        second = module.backward(g)
    except Exception:  # noqa: BLE001 (freeing what forward saved is allowed, as PyTorch frees its graph)
        return
    found = []
    if y is not None and y_before is not None and not np.array_equal(y, y_before, equal_nan=True):
        found.append(
            "backward changed the array forward returned (the caller's output): it computed in place in a saved "
            "array (`d = self._y; d *= 1 - d`); compute into a new array"
        )
    if first is not None:
        found.append(sub.judge(second, first, "the input gradient of the second backward (vs the first)"))
    for p, once in grads.items():
        twice = as_array(getattr(module, p).grad)
        if twice is not None and not compare(twice, once, s=sub.s).ok:  # `=` is the accumulate check's
            found.append(sub.judge(twice, 2 * once, f"`{p}.grad` after two backward calls (twice the first)"))
    found = [f for f in found if f]
    if found:
        raise Failed(
            f"after one forward, backward was called twice: {'; '.join(found)}. Backward must depend only on "
            "what the last forward saved and on grad_y: it may not change a saved array in place "
            "(`grad = self._probs` then `grad -= ...` without `.copy()`), draw random numbers or count calls"
        )


def non_contiguous(sub: Subject, case: CaseSpec | None) -> None:
    case = sub.spec.cases[sub.spec.info.get("layout_case", 0)]
    x, g = sub.fixture[f"c{case.index}/x"], sub.fixture[f"c{case.index}/grad_y"]
    want = expected(sub, case)
    module = setup(sub, case)
    try:
        found = problems(sub, run(sub, module, layout_view(x), layout_view(g), case), want, x, g, None)
    except Exception as error:  # noqa: BLE001 (judged below against a contiguous input)
        found = [f"it raised {type(error).__name__}: {str(error)[:200]}"]
    if found and _fresh_right(sub, case, x, g, want):
        raise Failed(
            f"{sub.label(case)} got forward on an input of shape {x.shape} that is a view, not C-contiguous "
            f"(`np.ascontiguousarray(x.T).T`: the same values in another memory layout, as a Conv2d output is), "
            f"then backward on a grad_y of the same kind: {'; '.join(found)}. The same values in C-contiguous "
            "arrays give the right results. Likely cause: strides computed from the shape instead of taken from "
            "`x.strides`, or a `reshape`/`ravel` assumed to be a view (of a non-contiguous array it is a copy)"
        )


def at_kink(sub: Subject, case: CaseSpec | None) -> None:
    for case in sub.spec.cases:
        prefix = f"kink{case.index}"
        if f"{prefix}/x" not in sub.fixture:
            continue
        module = setup(sub, case, prefix)
        x, g = sub.fixture[f"{prefix}/x"], sub.fixture[f"{prefix}/grad_y"]
        y, gx = as_array(module.forward(x)), as_array(module.backward(g))
        at = x == 0
        for got, want, what in (
            (y, sub.fixture[f"{prefix}/y"], "value"),
            (gx, sub.fixture[f"{prefix}/grad_x"], "derivative"),
        ):
            if got is None or got.shape != x.shape:
                continue  # the fixture checks report this
            if what == "derivative":
                got, want = got / g, want / g
            result = compare(got[at], want[at], scale=1.0, s=sub.s)
            if not result.ok:
                i = tuple(int(v) for v in np.argwhere(at)[0])
                raise Failed(
                    f"{case.id}: at x = 0 the {what} is wrong ({result.problem}; first zero entry at {i}). "
                    "At a kink docs/api.md takes PyTorch's x <= 0 branch "
                    "(`x > 0`, not `x >= 0`, selects the positive side)"
                )


def pool_ties(sub: Subject, case: CaseSpec | None) -> None:
    """Disjoint windows of small integers (many ties): each window's gradient lands whole on one maximum."""
    fx, kwargs = sub.fixture, sub.spec.info["tie"]["kwargs"]
    module = sub.cls()(**kwargs)
    x, g = fx["tie/x"], fx["tie/grad_y"]
    y = as_array(module.forward(x))
    if y is None or not compare(y, fx["tie/y"], s=sub.s).ok:
        return  # the fixture checks report a wrong forward
    grad = as_array(module.backward(g))
    if grad is None or grad.shape != x.shape:
        return
    k = sub.spec.info["tie"]["kernel"]
    N, C, Ho, Wo = y.shape
    windows = grad[:, :, : Ho * k[0], : Wo * k[1]].reshape(N, C, Ho, k[0], Wo, k[1])
    receivers = (windows != 0).sum(axis=(3, 5))
    sums = windows.sum(axis=(3, 5))
    if (receivers > 1).any():
        raise Failed(
            f"{sub.spec.class_name}({', '.join(f'{a}={b!r}' for a, b in kwargs.items())}) on an input with tied "
            f"maxima: a window's gradient went to {int(receivers.max())} of its entries; it goes "
            "whole to exactly one maximal entry (which one is free), not to every maximum or split among them"
        )
    fail_if(sub.judge(sums, g, "the gradient summed over each window (must equal grad_y: it lands exactly once)"))


def maxout_ties(sub: Subject, case: CaseSpec | None) -> None:
    """All pieces equal (every unit tied): the gradient goes to one piece, as if there were one."""
    fx, kwargs = sub.fixture, sub.spec.info["tie"]["kwargs"]
    module = sub.cls()(**kwargs)
    module.weight.data, module.bias.data = fx["tie/param/weight"], fx["tie/param/bias"]
    module.forward(fx["tie/x"])
    gx = module.backward(fx["tie/grad_y"])
    total = as_array(module.weight.grad)
    found = [sub.judge(gx, fx["tie/grad_x"], "the input gradient with every piece tied")]
    if total is not None and total.ndim == 3:
        found.append(sub.judge(total.sum(axis=0), fx["tie/grad_w_sum"], "`weight.grad` summed over the tied pieces"))
    found = [f for f in found if f]
    if found:
        raise Failed(
            "; ".join(found) + ". With tied pieces the maximum is one piece: only one of them may receive grad_y "
            "(which one is free)"
        )


CHECKS = (
    Check("runs", "runs", MODULES, probe, when=lambda s: not s.info.get("random")),
    Check(
        "fixtures",
        "forward and backward",
        MODULES,
        forward_backward,
        per_case=True,
        when=lambda s: not s.info.get("random"),
    ),
    Check(
        "contracts",
        "forward and backward do not modify their arguments",
        MODULES,
        not_modified,
        when=lambda s: not s.info.get("random"),
    ),
    Check("contracts", "parameter gradients accumulate (+=)", MODULES, accumulates, when=lambda s: bool(s.params)),
    Check(
        "contracts",
        "parameters keep their shape through forward and backward",
        MODULES,
        keeps_parameter_shapes,
        when=lambda s: bool(s.params),
    ),
    Check(
        "contracts",
        "every forward returns a new array",
        MODULES,
        new_output,
        when=lambda s: not s.info.get("random"),
    ),
    Check("contracts", "train() and eval() set `training` and return the module", MODULES, train_eval),
    Check(
        "contracts",
        "parameters filled at construction with their constructor argument",
        MODULES,
        filled,
        when=lambda s: "filled" in s.info,
    ),
    Check(
        "contracts",
        "float64 results for float32 input",
        MODULES,
        float64_results,
        when=lambda s: not s.info.get("random"),
    ),
    Check(
        "contracts", "a second call with a larger batch", MODULES, second_call, when=lambda s: not s.info.get("random")
    ),
    Check(
        "contracts", "two instances keep their own state", MODULES, own_state, when=lambda s: not s.info.get("random")
    ),
    Check(
        "contracts",
        "a call on an input with one more axis leaves the next call right",
        ("activation",),
        after_more_axes,
        when=lambda s: not s.info.get("random"),
    ),
    Check(
        "contracts",
        "backward after a forward in eval mode",
        MODULES,
        eval_backward,
        when=lambda s: not s.info.get("random"),
    ),
    Check(
        "contracts",
        "backward twice after one forward",
        MODULES,
        backward_twice,
        when=lambda s: not s.info.get("random"),
    ),
    Check(
        "contracts", "a non-contiguous input (a view)", MODULES, non_contiguous, when=lambda s: not s.info.get("random")
    ),
    Check(
        "contracts", "value and derivative at the kink x = 0", ("activation",), at_kink, when=lambda s: 0.0 in s.kinks
    ),
    Check(
        "contracts",
        "ties: a tied maximum's gradient goes to one entry",
        ("layer",),
        pool_ties,
        when=lambda s: s.info.get("tie", {}).get("kind") == "pool",
    ),
    Check(
        "contracts",
        "ties: a tied maximum's gradient goes to one piece",
        ("activation",),
        maxout_ties,
        when=lambda s: s.info.get("tie", {}).get("kind") == "maxout",
    ),
)

__all__ = ["CHECKS", "setup", "run", "expected", "problems", "fmt"]
