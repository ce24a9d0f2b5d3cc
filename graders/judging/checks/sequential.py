"""Rubric for Sequential, driven with logged test-double layers (graders/running/doubles.py)."""

import copy
from dataclasses import replace
from typing import Any

import numpy as np
from hypothesis import strategies as st
from nnlab.exercises.components import Case
from nnlab.graders import settings
from nnlab.graders.results import Outcome, failed, passed
from nnlab.graders.running import doubles
from nnlab.graders.running.puppet import StudentCrash, StudentError, StudentTimeout

from ..catalogue import Context, check
from ..diagnose import IS, Diagnosis
from ..strategies import SEEDS
from ..tolerance import agrees, as_array, compare, fmt
from .drive import (
    Problem,
    describe_kind,
    draw_seed,
    example_rng,
    hypothesis_check,
)
from .support import holding_default, judge, kept_between_calls

# =============================================================================== Sequential
SEQUENTIAL = ("sequential",)


# The known mistakes of a container, each simulated by _Chain (the same at every level of nesting).
_FORWARD_MISTAKES = {
    "forward-not-chained": "every layer was applied to the input x and the last result kept: each layer must be "
    "applied to the previous layer's output",
    "forward-not-chained#input-returned": "each layer was applied to the input x and its output kept under another "
    "name, so x itself was returned: each layer must be applied to the previous layer's output (x = "
    "layer.forward(x)) and the last one's output returned",
    "forward-order": "forward applied the layers last to first; the forward pass runs them in the order given",
    "forward-skips-layer": "forward left out the last layer (a loop over self.layers[:-1], or range(len(self.layers) "
    "- 1)): every layer runs",
    "forward-skips-layer#first-only": "forward returned the first layer's output (a return inside the loop?): every "
    "layer runs, each on the previous one's output, and the last one's output is returned after the loop",
    "forward-skips-layer#first": "forward left out the first layer (a loop over self.layers[1:], or range(1, "
    "len(self.layers)), as if indices counted from 1): every layer runs, from self.layers[0] on",
    "layer-applied-twice": "forward applied the last layer twice: the loop already ran every layer, the last one "
    "included, and the output layer was applied once more after it (x = self.layers[-1].forward(x)), to its own "
    "output; every layer runs exactly once, each on the previous one's output",
    "layer-applied-twice#first": "forward applied the first layer twice: it was applied to x before the loop (the "
    "input layer), and the loop over every layer applied it again; every layer runs exactly once, each on the "
    "previous one's output",
    "returns-cache": "forward returned a list of every activation, the input first and then each layer's output (a "
    "cache kept for backward), instead of the last layer's output: keep a cache if you like, but return the final "
    "output, an array shaped like the last layer's",
    "returns-cache#outputs": "forward returned a list of every layer's output (a cache kept for backward) instead of "
    "the last layer's output: keep a cache if you like, but return the final output, an array shaped like the last "
    "layer's",
    # Right on any one call; only a second call on the same input, after a step changed the weights, shows it.
    "cached-first-call#same-input": "forward returned the output kept from an earlier call on the same input (a "
    "cache keyed on x, `if x is self._last_x: return self._last_y`) instead of running the layers again: after the "
    "optimizer changed their weights that output is stale, so every step saw the first step's output and loss, "
    "and backward worked from it. A training loop feeds the same batch again after each update: forward runs "
    "every layer on every call",
}
# Functions made in a loop (lambda g: layer.backward(g) in a comprehension, a def inside the loop) look `layer` up
# when they are called, after the loop ended: every one of them calls the layer the loop ended on.
_LATE_BINDING = (
    "every backward step called the {which} layer of the loop ({loop}), once per layer: functions made in a loop "
    "(lambda g: layer.backward(g)) do not keep the layer of their own pass, they look the name `layer` up when they "
    "run, after the loop ended, and find its last value (a late-binding closure). Call layer.backward(grad_y) in "
    "the loop itself, or bind the layer when the function is made (lambda g, layer=layer: layer.backward(g))"
)
_BACKWARD_MISTAKES = {
    "backward-order": "backward visited the layers in forward order; backpropagation hands the gradient from the "
    "last layer to the first (reversed(self.layers))",
    "backward-not-chained": "every layer was given the original grad_y: each layer's backward must receive what the "
    "next layer's backward returned",
    "backward-not-chained#dropped": "every layer was given the original grad_y, and grad_y itself was returned: "
    "layer.backward(grad_y) returns dL/d(its input), which must be kept (grad_y = layer.backward(grad_y)) and "
    "handed on",
    "backward-skips-layer": "backward never reached the first layer (a loop over reversed(self.layers[1:])?), so "
    "its parameters got no gradient and dL/dx was not passed through it: every layer's backward runs",
    "backward-skips-layer#last": "backward left out the last layer (a loop over reversed(self.layers[:-1])?): every "
    "layer's backward runs, the last one first",
    "backward-skips-layer#parameterless": "backward called only the layers that have parameters (`if "
    "layer.parameters():`), so a layer without any (an activation, a pooling or flatten layer) passed grad_y on "
    "unchanged: by the chain rule every layer's backward runs, parameters or not, turning the gradient of its "
    "output into the gradient of its input",
    "backward-returns-upstream": "backward ran every layer but returned the grad_y it was given, not what the first "
    "layer's backward returned (dL/dx)",
    "late-binding-closure": _LATE_BINDING.format(which="last", loop="for layer in self.layers"),
    "late-binding-closure#first": _LATE_BINDING.format(which="first", loop="for layer in reversed(self.layers)"),
    "iterator-exhausted": "the first backward ran every layer, but every later one ran none and returned grad_y as "
    "given: the layers were walked through an iterator made once and kept (reversed(self.layers) or iter(...) "
    "stored in __init__), and one loop over an iterator uses it up; make the reversed order anew in each backward",
}

# parameters() that leaves out a whole layer: the optimizer never moves it, whatever backward computed for it.
# Skipping the first layer trains exactly as a backward that never reaches it (a first layer's dL/dx goes
# nowhere), so the training test tells them apart only by asking the submission itself (see _skipped_layer_cause).
_PARAMETERS_MISTAKES = {
    "layer-skipped": "parameters() left out the first layer (a loop over self.layers[1:]?), so the optimizer never "
    "moved its parameters although backward gave them their gradients: parameters() lists every layer's, "
    "[p for layer in self.layers for p in layer.parameters()]",
    "layer-skipped#last": "parameters() left out the last layer (a loop over self.layers[:-1]?), so the optimizer "
    "never moved its parameters although backward gave them their gradients: parameters() lists every layer's, "
    "[p for layer in self.layers for p in layer.parameters()]",
}


class _Chain:
    """The composition of local doubles, for expected values (not the submission's code); with a
    ``mistake`` (a key of the tables above), the loop a student wrote instead, applied at every
    level of nesting (a nested Sequential is a list of layers)."""

    def __init__(self, layers: list[Any], mistake: str = "") -> None:
        self.layers = [_Chain(layer, mistake) if isinstance(layer, list) else layer for layer in layers]
        self.mistake = mistake
        self.backward_calls = 0  # an iterator kept from the constructor is used up by the first backward

    def forward(self, x: np.ndarray) -> np.ndarray:
        if self.mistake == "cached-first-call#same-input":  # the output of the last call, when x is its input
            if getattr(self, "_last", (None,))[0] is x:
                return self._last[1]
            self._last = (x, _Chain(self.layers).forward(x))
            return self._last[1]
        if self.mistake.startswith("forward-not-chained"):
            last = [layer.forward(x) for layer in self.layers][-1]
            return x if self.mistake.endswith("#input-returned") else last
        if self.mistake.startswith("returns-cache"):  # every activation kept in a list, and the list returned
            cache = [x]
            for layer in self.layers:
                cache.append(layer.forward(cache[-1]))
            return np.array(cache[1:] if self.mistake.endswith("#outputs") else cache)
        order = {
            "forward-order": self.layers[::-1],
            "forward-skips-layer": self.layers[:-1],
            "forward-skips-layer#first-only": self.layers[:1],
            "forward-skips-layer#first": self.layers[1:],
            "layer-applied-twice": self.layers + self.layers[-1:],
            "layer-applied-twice#first": self.layers[:1] + self.layers,
        }
        for layer in order.get(self.mistake, self.layers):
            x = layer.forward(x)
        return x

    def backward(self, g: np.ndarray) -> np.ndarray:
        if self.mistake.startswith("backward-not-chained"):
            last = [layer.backward(g) for layer in self.layers[::-1]][-1]
            return g if self.mistake.endswith("#dropped") else last
        order = {
            "backward-order": self.layers,
            "backward-skips-layer": self.layers[:0:-1],
            "backward-skips-layer#last": self.layers[-2::-1],
            "backward-skips-layer#parameterless": [layer for layer in self.layers[::-1] if layer.parameters()],
            "late-binding-closure": self.layers[-1:] * len(self.layers),
            "late-binding-closure#first": self.layers[:1] * len(self.layers),
        }
        self.backward_calls += 1
        if self.mistake == "iterator-exhausted" and self.backward_calls > 1:
            order["iterator-exhausted"] = []
        grad = g
        for layer in order.get(self.mistake, self.layers[::-1]):
            grad = layer.backward(grad)
        return g if self.mistake == "backward-returns-upstream" else grad

    def parameters(self) -> list[Any]:
        kept = {"layer-skipped": self.layers[1:], "layer-skipped#last": self.layers[:-1]}
        return [p for layer in kept.get(self.mistake, self.layers) for p in layer.parameters()]


def _simulated(layers: list[Any], x: np.ndarray, g: np.ndarray | None, mistake: str) -> tuple[Any, ...] | None:
    """What a container with ``mistake`` gives on fresh copies of ``layers``: its output, then
    (with ``g``) dL/dx and the copies (for their parameter gradients); None if it cannot run."""
    copies = copy.deepcopy(layers)
    chain = _Chain(copies, mistake)
    for param in chain.parameters():  # the copies start without gradients, as the submission's layers did
        param.grad = np.zeros_like(param.grad)
    try:
        with np.errstate(all="ignore"):
            y = chain.forward(x)
            return (y,) if g is None else (y, chain.backward(g), copies)
    except (AttributeError, ValueError, IndexError):  # e.g. a layer's backward before its forward
        return None


def _same(got: Any, want: Any) -> bool:
    return want is not None and agrees(got, np.asarray(want))


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


_LIST_EXPECTED = (
    "the constructor reads its layers from one list passed as the first argument: Sequential([{names}]) builds the "
    "model, Sequential({names}) raises. Sequential(*layers) receives the modules as separate arguments, which "
    "*layers collects into a tuple (layers[0] is the first module itself, not a list of them): self.layers = "
    "list(layers)"
)


def _new(ctx: Context, *layers: Any) -> Any:
    """The submission's Sequential of ``layers``, given as separate arguments. When the constructor raises, and
    takes the same layers passed as one list, the error carries that cause (probed once, only after a raise)."""
    try:
        return ctx.session.new(ctx.component.name, *layers)
    except (StudentTimeout, StudentCrash):
        raise
    except StudentError as error:
        if error.diagnosis is None and not error.not_implemented and layers:
            error.diagnosis = _list_expected(ctx)
        raise


def _list_expected(ctx: Context) -> Diagnosis | None:
    """The constructor given three fresh layers as one list: a Sequential whose ``layers`` are those three (the
    list read as the layers) shows a constructor written for a list. None when it raises too or stores another."""
    if "sequential list expected" not in ctx.cache:
        given = ctx.session.harness("regression_layers", 2, 3, 0)
        try:
            stored = ctx.session.get(ctx.session.new(ctx.component.name, list(given)), "layers")
        except StudentError:
            stored = None
        read = type(stored) in (list, tuple) and list(stored) == list(given)
        names = ", ".join(f"layer{i + 1}" for i in range(len(given)))
        ctx.cache["sequential list expected"] = (
            Diagnosis("varargs-wrapped", _LIST_EXPECTED.format(names=names), IS) if read else None
        )
    return ctx.cache["sequential list expected"]


def _stack_for(ctx: Context, case: Case, salt: str) -> tuple[_Stack, Any, np.ndarray]:
    batch, dims = case.input_shape
    stack = _Stack(ctx, "scs", dims, draw_seed(ctx, "stack", case.id, salt))
    handle = _new(ctx, *stack.layers)
    x = ctx.rng("x", case.id, salt).standard_normal((batch, dims))
    return stack, handle, x


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
    wrapped = _wrapped(layers, stack.layers)
    if wrapped:
        return failed(name, wrapped, "varargs-wrapped", confidence=IS)
    if type(layers) is not list or layers != stack.layers:
        problems.append(f"`layers` should be the list of the layers given, in order; got {describe_kind(layers)}")
    try:
        training = session.get(handle, "training")
    except (StudentTimeout, StudentCrash):
        raise
    except StudentError as error:
        if error.type_name != "AttributeError" or "'training'" not in error.message:
            raise
        return failed(
            name,
            f"a new Sequential has no attribute `training` ({error.message}). Cause: {_NO_FLAG}.",
            "state-not-initialised",
            confidence=IS,
        )
    if training is not True:
        problems.append("`training` should be True after construction")
    listed = session.call(handle, "parameters")
    if type(listed) not in (list, tuple):
        problems.append(_not_a_list(listed)[0])
    y = as_array(session.call(handle, "forward", x))
    if y is None or y.shape != x.shape:
        problems.append(
            f"forward of an input of shape {x.shape} through shape-preserving layers should "
            f"return shape {x.shape}, got {describe_kind(y)}"
        )
    if problems:
        return failed(name, "; ".join(problems) + ".", "attributes")
    return passed(name)


_DATA_ARRAYS = (
    "parameters() returned numpy arrays, the parameters' values (p.data), not the parameter objects: an optimizer "
    "needs each parameter itself, with .data to update and .grad to read; return the layers' own parameters, "
    "[p for layer in self.layers for p in layer.parameters()]"
)


def _data_arrays(ctx: Context, listed: Any, expected: list[Any]) -> bool:
    """Is ``listed`` the arrays ``p.data`` of the layers' parameters, in order, where the parameters belong?"""
    if len(listed) != len(expected) or not listed or not all(isinstance(item, np.ndarray) for item in listed):
        return False
    values = [np.asarray(ctx.session.get(p, "data")) for p in expected]
    return all(
        item.shape == value.shape and np.array_equal(item, value) for item, value in zip(listed, values, strict=True)
    )


# The container's own mode never set: Module.__init__ is what sets training = True.
_NO_FLAG = (
    "the constructor never set the container's own mode: Module.__init__ sets self.training = True, and a "
    "subclass's __init__ that does not call super().__init__() skips it, so the attribute exists only once train() "
    "or eval() has run; call super().__init__() first in __init__ (a module is in training mode right after "
    "construction)"
)


def _wrapped(layers: Any, given: list[Any]) -> str:
    """The sentence for a ``layers`` list whose one element holds the layers given (``[layers]``, or
    ``append(layers)``: the tuple ``*layers`` collected, wrapped once more), else ""."""
    if type(layers) is not list or len(layers) != 1 or type(layers[0]) not in (list, tuple):
        return ""
    if list(layers[0]) != given:
        return ""
    return (
        f"`layers` should be the list of the {len(given)} layers given, in order; it is a list of one element, "
        f"a {type(layers[0]).__name__} that holds the {len(given)} layers: in Sequential(*layers) the star already "
        "collects the arguments into a tuple, so [layers] (or append(layers)) wraps that tuple once more and every "
        "loop over self.layers meets one tuple, not a layer. Make a list of the layers themselves: self.layers = "
        "list(layers)."
    )


@check("reference", "forward", SEQUENTIAL, per_case=True)
def sequential_forward(ctx: Context, case: Case) -> Outcome:
    name = f"forward: {case.id}"
    stack, handle, x = _stack_for(ctx, case, "forward")
    expected = _Chain(stack.local).forward(x)
    got = ctx.session.call(handle, "forward", x)
    what = "the output (the layers' composition, first to last)"
    if agrees(got, expected):
        return passed(name)
    variants = {}
    for mistake, text in _FORWARD_MISTAKES.items():
        simulated = _simulated(stack.local, x, None, mistake)
        if simulated is not None:
            variants[mistake] = (simulated[0], text)
    return judge(name, got, expected, what, variants=variants, related={"the input x": x})


def _backward_cause(
    stack: _Stack, x: np.ndarray, g: np.ndarray, got: Any, grads: list[tuple[str, Any, np.ndarray]]
) -> tuple[str, str, str]:
    """``(tag, confidence, sentence)``: the known mistake whose simulation gives the submission's
    dL/dx and every parameter gradient, or ("", "", "") when none does."""
    if got is None:
        return (
            "returned-none",
            IS,
            "Cause: backward returned None: return dL/dx, what the first layer's backward returned.",
        )
    found = []
    for mistake in (*_BACKWARD_MISTAKES, *_FORWARD_MISTAKES):
        simulated = _simulated(stack.local, x, g, mistake)
        if simulated is None or not _same(got, simulated[1]):
            continue
        if all(_same(a, b) for (_, a, _), b in zip(grads, stack.grads_local(simulated[2]), strict=True)):
            found.append(mistake)
    if len({m.partition("#")[0] for m in found}) != 1:
        return "", "", ""  # none reproduces everything, or several do: the arrays cannot tell which
    if found[0] in _FORWARD_MISTAKES:
        return (
            "",
            "",
            "The backward loop itself is right: after forward's mistake (see the forward test), which fed the "
            "layers other inputs, it gives exactly these gradients.",
        )
    return found[0].partition("#")[0], IS, f"Cause: {_BACKWARD_MISTAKES[found[0]]}."


_FORWARD_FIRST = (
    "Forward's output is already wrong (see the forward test), so the layers saw other inputs and these gradients "
    "say nothing more about backward."
)


@check("reference", "backward", SEQUENTIAL, per_case=True)
def sequential_backward(ctx: Context, case: Case) -> Outcome:
    """dL/dx and every layer's parameter gradients, judged together: one simulated mistake must
    explain all of them (a rule per array would name a mistake that one array happens to fit)."""
    name = f"backward: {case.id}"
    stack, handle, x = _stack_for(ctx, case, "backward")
    g = ctx.rng("g", case.id).standard_normal(x.shape)
    chain = _Chain(stack.local)
    chain.forward(x)
    expected = chain.backward(g)
    output = ctx.session.call(handle, "forward", x)
    got = ctx.session.call(handle, "backward", g)
    grads = stack.grads(ctx)
    arrays = [("the input gradient", got, expected), *((f"the gradient of {w}", a, b) for w, a, b in grads)]
    comparisons = [(what, compare(a, b)) for what, a, b in arrays]
    wrong = [f"{what}: {c.problem}." for what, c in comparisons if not c.ok]
    if not wrong:
        return passed(name)
    right = [what for what, c in comparisons if c.ok]
    text = " ".join(wrong) + (f" Right: {', '.join(right)}." if right else "")
    tag, confidence, cause = _backward_cause(stack, x, g, got, grads)
    if tag and not agrees(output, _Chain(copy.deepcopy(stack.local)).forward(x)):
        # forward already handed the layers other inputs: a backward mistake cannot be told from that
        tag, confidence, cause = "", "", _FORWARD_FIRST
    return failed(name, f"{text} {cause}".strip(), tag, confidence=confidence)


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
        # What the log shows is the mistake itself, so each tag is certain ("is").
        tag = "call-order"
        skipped = [event for event in want_b if event not in backward]
        bare = [i for i, kind in enumerate(stack.kinds) if kind != "s"]  # the layers without parameters
        if forward == want_f and backward == want_b[::-1]:
            tag = "backward-order"
        elif forward == want_f and backward in (want_b[:-1], want_b[1:]):
            tag = "backward-skips-layer"
        elif (
            forward == want_f
            and skipped == [f"backward:{i}" for i in bare[::-1]]
            and backward == [event for event in want_b if event not in skipped]
        ):
            # the right calls in the right order, less exactly the layers without parameters
            tag = "backward-skips-layer"
            problems.append(
                f"backward skipped exactly the layers without parameters ({_calls(skipped)[1:-1]}): "
                f"{_BACKWARD_MISTAKES['backward-skips-layer#parameterless']}"
            )
        elif backward == want_b and forward == want_f[::-1]:
            tag = "forward-order"
        elif backward == want_b and forward == want_f[-1:] + want_f[:-1]:
            # the last layer first, then the others in order: an index one behind (self.layers[i - 1])
            tag = "forward-order"
            problems.append(
                "forward ran the last layer first and then the others in order, as an index one behind does "
                "(self.layers[i - 1] is self.layers[-1], the last layer, at i = 0): step i runs self.layers[i], "
                "from the first layer to the last"
            )
        elif backward == want_b and _repeats_a_call(forward, want_f):
            tag = "layer-applied-twice"
            problems.append(
                "each layer's forward runs exactly once, each on the previous one's output: a layer applied again "
                "(an extra call before or after the loop that already ran it) transforms its own output a second "
                "time, and keeps that as the input its backward uses"
            )
        elif forward == want_f and backward in ([want_b[0]] * len(want_b), [want_b[-1]] * len(want_b)):
            # one layer's backward once per layer: the loop's functions all found the layer it ended on
            late = "late-binding-closure" if backward[0] == want_b[0] else "late-binding-closure#first"
            tag = "late-binding-closure"
            problems.append(_BACKWARD_MISTAKES[late])
        return failed(name, "; ".join(problems) + ".", tag, confidence=IS)
    return passed(name)


def _layers_changed(ctx: Context, handle: Any, given: list[Any], after: str) -> str:
    """The sentence for a Sequential whose ``layers`` list is no longer the one given after
    ``after`` (the calls made on it), else "": a method changed the list in place."""
    now = ctx.session.get(handle, "layers")
    if type(now) is not list or now == given:
        return ""
    if ctx.session.get(_new(ctx, *given), "layers") != given:
        return ""  # a new Sequential of these layers already holds another list: the constructor's doing, no method's
    if len(given) > 1 and now == given[::-1]:
        how = (
            "it now holds the layers last to first: the list was reversed in place (self.layers.reverse()), so "
            "every later forward runs the layers in the wrong order and parameters() lists them reversed. Loop over "
            "reversed(self.layers) (or self.layers[::-1], a copy), which leaves the list alone"
        )
    elif len(now) < len(given) and all(any(layer is g for g in given) for layer in now):
        how = (
            f"it now holds {len(now)} of the {len(given)} layers: they were removed from the list in place "
            "(self.layers.pop()?), so later calls no longer see them. Iterate over the list without changing it"
        )
    else:
        how = "it is no longer the list of the layers given, in order: a method changed it in place"
    return f"after {after}, self.layers is not the list the Sequential was built with: {how}"


def _repeats_a_call(got: list[str], want: list[str]) -> bool:
    """``got`` is ``want`` with some call made again right after itself (forward of layer 2, then again)."""
    runs = [event for k, event in enumerate(got) if k == 0 or got[k - 1] != event]
    return len(got) > len(want) and runs == want


def _calls(events: list[str]) -> str:
    return "[" + ", ".join(e.replace(":", " of layer ") for e in events) + "]"


# What an iterator is, where docs/api.md asks for a list (the type name of what came back, in the worker).
_ITERATORS = ("generator", "map", "filter", "zip", "chain", "list_iterator", "tuple_iterator", "dict_values")


def _not_a_list(listed: Any) -> tuple[str, str]:
    """The sentence and tag for a parameters() that returned no list: its type, and for an iterator (a generator
    expression, a `yield`, map) why that is not a list. No order is judged in what is not a list."""
    kind = getattr(listed, "type_name", None) or type(listed).__name__
    text = f"parameters() should return a list, got {kind}"
    if kind.rpartition(".")[2] in _ITERATORS:  # the type of what came back, read: certain
        return text + (
            ": a generator expression in round brackets (or a `yield`, or map) gives an iterator, not a list; it has "
            "no len(), cannot be indexed, and is used up after one pass, so whoever reads it a second time (an "
            "optimizer's step, a second loop) sees no parameters at all. Return a list, in square brackets: "
            "[p for layer in self.layers for p in layer.parameters()]"
        ), "returns-iterator"
    return text, "wrong-type"


def _nested(listed: Any, per_layer: list[list[Any]]) -> str:
    """The sentence for a parameters() that returns one list per layer (simulated: the layers'
    own lists, in layer order), else ""."""
    if type(listed) not in (list, tuple) or not listed or any(type(item) not in (list, tuple) for item in listed):
        return ""
    if [list(item) for item in listed] != [params for params in per_layer if params] and [
        list(item) for item in listed
    ] != per_layer:
        return ""
    return (
        f"parameters() returned one list per layer ({len(listed)} lists), a list of lists, instead of one flat "
        "list of the layers' parameters: concatenate them, [p for layer in self.layers for p in layer.parameters()]"
    )


def _same_handle(one: Any, other: Any) -> bool:
    """Whether two values name the same object (handles compare by id; arrays are never a layer's own object)."""
    return type(one) is type(other) and not isinstance(one, np.ndarray) and bool(one == other)


def _parameters_follow_mode(session: Any, handle: Any, expected: list[Any]) -> list[Any] | None:
    """parameters() in eval mode when, right in training mode, it is wrong there, the same twice (a list that
    changes at every call is another mistake), and right again after train(): the mode alone changes it; else None."""

    def listing() -> list[Any] | None:
        got = session.call(handle, "parameters")
        return list(got) if type(got) in (list, tuple) else None

    def right(got: list[Any] | None) -> bool:
        return got is not None and len(got) == len(expected) and all(map(_same_handle, got, expected))

    session.call(handle, "eval")
    first, second = listing(), listing()
    session.call(handle, "train")
    if first is None or second is None or right(first) or not right(listing()):
        return None
    return first if len(first) == len(second) and all(map(_same_handle, first, second)) else None


def _left_out(listed: Any, per_layer: list[list[Any]]) -> str:
    """The sentence for a parameters() that lists fewer parameters than the layers hold, each one of the layers'
    own and none twice, in layer order (read, not guessed: which objects came back), else "". It names the
    pattern of what was left out: each layer's first parameter only (``layer.parameters()[0]``: a Linear's weight
    without its bias), each layer's last only, one layer's only; otherwise which ones. A shorter list is never an
    order mistake."""
    if type(listed) not in (list, tuple) or any(type(item) in (list, tuple) for item in listed):
        return ""
    own = [(i, j) for i, params in enumerate(per_layer) for j in range(len(params))]
    at = []
    for item in listed:
        found = [(i, j) for i, j in own if per_layer[i][j] is item or _same_handle(per_layer[i][j], item)]
        if len(found) != 1:
            return ""
        at.append(found[0])
    if len(at) >= len(own) or len(set(at)) != len(at) or at != sorted(at):
        return ""
    holding = [i for i, params in enumerate(per_layer) if params]
    missing = [(i, j) for i, j in own if (i, j) not in at]
    head = f"parameters() listed {len(at)} of the layers' {len(own)} parameters"
    ask = "ask every layer for all of its parameters: [p for layer in self.layers for p in layer.parameters()]"
    if at == [(i, 0) for i in holding]:
        return (
            f"{head}: only each layer's first parameter (layer.parameters()[0]), the second and later of every "
            "layer left out (for a Linear layer: the weight without its bias, which then never learns). A layer's "
            f"parameters() is a list of all its parameters; {ask}"
        )
    if at == [(i, len(per_layer[i]) - 1) for i in holding]:
        return (
            f"{head}: only each layer's last parameter (layer.parameters()[-1], for a Linear layer its bias), the "
            f"others of every layer left out; {ask}"
        )
    # one whole layer left out, every other listed: a loop over self.layers[1:] (or [:-1], or past one index)
    gone = sorted({i for i, _ in missing})
    if len(gone) == 1 and len(per_layer) > 1 and missing == [(gone[0], j) for j in range(len(per_layer[gone[0]]))]:
        which, loop = {
            0: ("the first layer's", " (a loop over self.layers[1:]?)"),
            len(per_layer) - 1: ("the last layer's", " (a loop over self.layers[:-1]?)"),
        }.get(gone[0], (f"layer {gone[0] + 1}'s", ""))
        skipped = (
            f"{which} parameters were left out, every other layer's listed{loop}, so an optimizer never moves "
            "that layer"
        )
    else:
        skipped = ""
    whole = sorted({i for i, _ in at})
    if len(whole) == 1 and at == [(whole[0], j) for j in range(len(per_layer[whole[0]]))]:
        which = {holding[0]: "the first layer's", holding[-1]: "the last layer's"}.get(whole[0])
        which = which or f"layer {whole[0] + 1}'s"
        kept = (
            f"only {which} parameters, those of every other layer left out (a `return` or an assignment inside the "
            "loop over the layers keeps one layer's list)"
        )
        if skipped:  # two layers hold parameters: keeping one and skipping the other list the same objects
            return (
                f"{head}: either {kept}, or {skipped}: with two layers that hold parameters both give this list; {ask}"
            )
        return f"{head}: {kept}; {ask}"
    if skipped:
        return f"{head}: {skipped}; {ask}"
    names = ", ".join(f"parameter {j + 1} of layer {i + 1}" for i, j in missing[:4])
    more = f" and {len(missing) - 4} more" if len(missing) > 4 else ""
    return f"{head}, in layer order; left out: {names}{more}; {ask}"


_BY_ATTRIBUTE_NAME = (
    "parameters() picked parameters by attribute name: of a Sequential of a layer whose parameters are called "
    "scale and shift, one that also calls them weight and bias, and one without parameters, it listed only the "
    "weight and bias, {got} of the layers' {want} parameters. A layer's parameters are whatever its own "
    "parameters() returns, under any name (a Linear without bias has none, a nested Sequential holds its layers'); "
    "ask each layer: [p for layer in self.layers for p in layer.parameters()]"
)


def _picked_by_attribute_name(ctx: Context) -> str:
    """The sentence when parameters() lists exactly the parameters a layer exposes as ``weight`` and ``bias``
    (and none of a layer that names them otherwise), else "": a container that looks up layer.weight and
    layer.bias (hasattr, getattr) instead of calling layer.parameters()."""
    session = ctx.session
    layers = session.harness("named_parameter_layers", 2, draw_seed(ctx, "named parameters"))["layers"]
    own = [list(session.call(layer, "parameters")) for layer in layers]
    named = own[1]  # the layer with weight and bias
    # Two orders of the same layers: with the named layer second, a parameters() that skips the first layer lists
    # exactly its weight and bias too; with it first, only a choice by name still lists them alone.
    for order in (layers, [layers[1], layers[0], layers[2]]):
        listed = session.call(_new(ctx, *order), "parameters")
        if type(listed) not in (list, tuple) or len(listed) != len(named) or any(p not in listed for p in named):
            return ""
    return _BY_ATTRIBUTE_NAME.format(got=len(named), want=sum(map(len, own)))


def _parameters_kept(ctx: Context) -> tuple[str, str] | None:
    """parameters() of two new Sequentials, each of its own layers: the second must list its own layers'
    parameters. One that lists everything the first call listed and then its own (the first call's contents + this
    call's) collects into a list that outlives the call: (tag, cause), else None. Probed once per grading."""
    if "parameters kept" not in ctx.cache:
        ctx.cache["parameters kept"] = None
        session, case = ctx.session, ctx.component.cases[0]
        (_, one, _), (second, two, _) = (_stack_for(ctx, case, f"kept {k}") for k in range(2))
        before, after = session.call(one, "parameters"), session.call(two, "parameters")
        own = [p for layer in second.layers for p in session.call(layer, "parameters")]
        if type(before) is list and type(after) is list and before and own and after == [*before, *own]:
            ctx.cache["parameters kept"] = kept_between_calls(
                ctx,
                ctx.component.name,
                after,
                f"parameters() of a new Sequential listed {len(before)} parameters, then that of another new "
                f"Sequential listed {len(after)}, where its layers hold {len(own)}",
                "parameters",
                "params = [] in the body, or return [p for layer in self.layers for p in layer.parameters()]",
                method="parameters",
            )
    return ctx.cache["parameters kept"]


def _layers_shared(ctx: Context) -> tuple[str, str] | None:
    """Two new Sequentials, each of its own layers: the second must hold its own layers only. One whose ``layers``
    holds the first's and then its own keeps every Sequential's layers in one list made once: a class attribute
    (read back from the class itself) or a default argument (``__init__``'s). (tag, cause), else None. Probed once
    per grading, after a failure."""
    if "layers shared" not in ctx.cache:
        ctx.cache["layers shared"] = None
        session, case = ctx.session, ctx.component.cases[0]
        (first, _, _), (second, two, _) = (_stack_for(ctx, case, f"shared {k}") for k in range(2))
        held = session.get(two, "layers")
        if type(held) is not list or len(held) <= len(second.layers) or held[-len(second.layers) :] != second.layers:
            return None
        if not all(layer in held[: -len(second.layers)] for layer in first.layers):
            return None
        seen = f"a new Sequential of {len(second.layers)} layers holds {len(held)} in self.layers, those of the "
        seen += "Sequentials built before it first"
        try:
            on_class = session.get(ctx.component.name, "layers")
        except (StudentTimeout, StudentCrash):
            raise
        except StudentError:
            on_class = None
        if type(on_class) is list and on_class == held:
            ctx.cache["layers shared"] = ("shared-class-state", _LAYERS_ON_CLASS.format(seen=seen))
        else:
            name, _ = holding_default(ctx, ctx.component.name, held, "__init__")
            if name:
                ctx.cache["layers shared"] = ("mutable-default-argument", _LAYERS_DEFAULT.format(seen=seen, name=name))
    return ctx.cache["layers shared"]


_LAYERS_ON_CLASS = (
    "{seen}: layers is a list on the class (layers = [] in the class body), one list that every Sequential shares, "
    "and each __init__ extends it, where every instance needs its own: self.layers = list(layers) in __init__"
)
_LAYERS_DEFAULT = (
    "{seen}: the list is a mutable default argument, `{name}=[]`, evaluated once when __init__ is defined and "
    "shared by every Sequential; make a new one in every __init__, self.layers = list(layers)"
)


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
    per_layer = [list(session.call(layer, "parameters")) for layer in stack.layers]
    expected = [p for params in per_layer for p in params]
    listed = session.call(handle, "parameters")
    nested = _nested(listed, per_layer)
    if nested:
        problems.append(nested)
        tag = "parameters-nested"
    elif type(listed) not in (list, tuple):  # not a list at all: its order says nothing
        text, tag = _not_a_list(listed)
        problems.append(text)
    elif _data_arrays(ctx, listed, expected):
        problems.append(_DATA_ARRAYS)
        tag = "parameters-data-arrays"
    elif list(listed) != expected and _layers_shared(ctx) is not None:
        tag, cause = _layers_shared(ctx) or ("", "")
        problems.append(
            f"parameters() listed {len(listed)} parameters, where the layers hold {len(expected)}. Cause: {cause}"
        )
    elif list(listed) != expected and _parameters_kept(ctx) is not None:
        tag, cause = _parameters_kept(ctx) or ("", "")
        problems.append(
            f"parameters() listed {len(listed)} parameters, where the layers hold {len(expected)}. Cause: {cause}"
        )
    elif list(listed) != expected:
        changed = _layers_changed(ctx, handle, stack.layers, "parameters()")  # read only when the list is wrong
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
        # An order mistake only where the same parameters came in another order; anything else is observed only.
        tag = "parameters-order" if detail.startswith(" (the right") else ""
        if changed:
            problems[-1], tag = f"{problems[-1]}: {changed}", "mutates-layers"
        elif not detail.startswith(" (the right"):
            by_name = _picked_by_attribute_name(ctx)
            left = "" if by_name else _left_out(got, per_layer)
            if by_name:
                problems[-1], tag = f"{problems[-1]}: {by_name}", "parameters-by-attribute-name"
            elif left:  # which objects came back, read: parameters left out, not an order mistake
                problems[-1], tag = left, "entries-skipped"
    listed_right = not problems  # in training mode (a new model): every parameter, in layer order
    for mode, flag in (("eval", False), ("train", True)):
        returned = session.call(handle, mode)
        if returned is None:  # the modes may be right: only the `return self` is missing
            problems.append(
                f"{mode}() returned None: it should `return self`, so that model.{mode}().forward(x) chains"
            )
            tag = tag or "returns-none"
        elif returned != handle:  # the modes may be right: what it returns is not the container
            kind = type(returned)
            what = f"a {kind.__name__} of {len(returned)} items" if kind in (list, tuple) else describe_kind(returned)
            problems.append(
                f"{mode}() returned {what}, not the Sequential itself: it should `return self` "
                f"once every layer is switched, so that model.{mode}().forward(x) chains (a list comprehension over "
                "the layers returns the list it builds)"
            )
            tag = tag or "returns-none"  # the class of a missing `return self`, whatever came back instead
        states = [session.get(layer, "training") for layer in stack.layers]
        if session.get(handle, "training") is not flag or any(s is not flag for s in states):
            problems.append(
                f"after {mode}(), `training` should be {flag} on the Sequential and on every "
                "layer; "
                f"got {session.get(handle, 'training')} and {states}"
            )
            tag = tag or "train-eval"
    in_eval = _parameters_follow_mode(session, handle, expected) if listed_right else None
    if in_eval is not None:
        problems.append(
            f"after eval(), parameters() listed {len(in_eval)} parameters (the same each time) where the layers hold "
            f"{len(expected)}, and after train() all {len(expected)} again: the parameters depend on the mode, as "
            "if `if layer.training` picked the layers whose parameters are trainable. training is the train/eval "
            "mode (dropout, batch norm behave differently in it), not whether a layer has parameters to train: "
            "parameters() lists every layer's parameters in either mode (a model in eval mode is still saved, "
            "restored and counted)"
        )
        tag = tag or "train-eval"
    repeated = _modes_repeated(ctx, case)
    if repeated:
        problems.append(repeated)
        tag = tag or "train-eval"
    if problems:
        confidence = (
            IS
            if tag
            in (
                "parameters-by-attribute-name",
                "mutable-default-argument",
                "state-kept-between-calls",
                "entries-skipped",
            )
            else ""
        )  # a probe's result, not a guess
        return failed(name, "; ".join(problems) + ".", tag, confidence=confidence)
    nested, confidence = _nested_modes(ctx, case)
    if nested:
        return failed(name, nested, "train-eval", confidence=confidence)
    return passed(name)


def _modes_repeated(ctx: Context, case: Case) -> str:
    """train() on a new Sequential (already training), then eval() twice and train() twice: each call sets its
    mode whatever the mode was before; a call that switches to the other mode (a toggle, `training = not
    training`) shows where the mode does not change. "" when every call set its own mode."""
    session = ctx.session
    _, handle, _ = _stack_for(ctx, case, "modes repeated")
    stack_layers = session.get(handle, "layers")
    layers = list(stack_layers) if type(stack_layers) in (list, tuple) else []
    steps = ["train", "eval", "eval", "train", "train"]
    for k, mode in enumerate(steps):
        calls, flag = steps[: k + 1], mode == "train"
        session.call(handle, mode)
        mine = session.get(handle, "training")
        states = [session.get(layer, "training") for layer in layers]
        if mine is flag and all(state is flag for state in states):
            continue
        said = "a new Sequential, which is in training mode" if calls == ["train"] else "the Sequential"
        return (
            f"after {', '.join(c + '()' for c in calls)} on {said}, `training` is {mine} on the Sequential and "
            f"{states} on its layers, where the last call, {calls[-1]}(), must leave {flag} everywhere: "
            f"{calls[-1]}() sets its mode whatever the mode was, it does not switch to the other one "
            "(`self.training = not self.training` toggles, so a second call undoes the first); "
            f"set self.training = {flag} and call layer.{calls[-1]}() on every layer"
        )
    return ""


def _nested_modes(ctx: Context, case: Case) -> tuple[str, str]:
    """A Sequential nested as the first layer: the outer train() and eval() must reach its layers.

    A layer's mode is switched by its own train() or eval() (docs/api.md uses layers through their
    methods only); setting ``layer.training`` looks the same on a plain layer, but a nested container
    then keeps its layers in the old mode. The logged layer after the nested one tells why.
    """
    session = ctx.session
    stack, _, _ = _stack_for(ctx, case, "nested-modes")
    inner = _new(ctx, *stack.layers[:2])
    handle = _new(ctx, inner, *stack.layers[2:])
    for mode, flag in (("eval", False), ("train", True)):
        stack.clear(ctx)
        session.call(handle, mode)
        states = [session.get(layer, "training") for layer in stack.layers[:2]]
        if all(s is flag for s in states):
            continue
        text = (
            f"after {mode}() on a Sequential whose first layer is a Sequential of 2 layers, `training` should be "
            f"{flag} on those 2 inner layers too; got {states}."
        )
        direct = stack.layers[2]  # a logged layer held by the outer container itself
        if session.get(direct, "training") is flag and f"{mode}:2" not in stack.events(ctx):
            return (
                f"{text} Cause: the layers' flags were set directly (layer.training = {flag}), without calling "
                f"layer.{mode}(): the outer layer's flag changed but its {mode}() never ran. A layer's own "
                f"{mode}() is what switches it, and in a nested Sequential it is what reaches the layers inside: "
                f"call layer.{mode}() on every layer.",
                IS,
            )
        return text, ""
    return "", ""


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

    sure: dict[str, str] = {}  # the confidence of the tag a failing example ends with

    def body(example: tuple[str, int, int, int, int]) -> Problem:
        kinds, dims, batch, split, drawn = example
        rng = example_rng(ctx, drawn)
        stack = _Stack(ctx, kinds, dims, int(rng.integers(2**31 - 1)))
        nested = 0 < split < len(kinds)
        if nested:
            inner = _new(ctx, *stack.layers[:split])
            handle = _new(ctx, inner, *stack.layers[split:])
        else:
            handle = _new(ctx, *stack.layers)
        about = (
            f"(example: layers {' -> '.join('ScaleShift' if k == 's' else 'Cube' for k in kinds)}"
            f"{f', the first {split} inside a nested Sequential' if nested else ''}; input "
            f"({batch}, {dims}))"
        )
        x = rng.standard_normal((batch, dims))
        g = rng.standard_normal((batch, dims))
        chain = _Chain(stack.local)
        tree = [stack.local[:split], *stack.local[split:]] if nested else stack.local
        for what, got, want, mistakes in (
            ("forward", session.call(handle, "forward", x), chain.forward(x), _FORWARD_MISTAKES),
            ("backward", session.call(handle, "backward", g), chain.backward(g), _BACKWARD_MISTAKES),
        ):
            comparison = compare(got, want)
            if comparison.ok:
                continue
            text = f"{what}: {comparison.problem} {about}."
            found = {}  # simulated on the same layers, nesting and all
            for mistake, cause in mistakes.items():
                simulated = _simulated(tree, x, g if what == "backward" else None, mistake)
                if simulated is not None and _same(got, simulated[-2 if what == "backward" else 0]):
                    found.setdefault(mistake.partition("#")[0], cause)
            if len(found) == 1:  # with one layer, several mistakes give the same numbers: then none is named
                tag, cause = found.popitem()
                sure[tag] = IS
                return f"{text} Cause: {cause}.", tag
            sure["composition"] = ""
            return text, "composition"
        given = [inner, *stack.layers[split:]] if nested else stack.layers
        per_layer = [list(session.call(layer, "parameters")) for layer in stack.layers]
        expected = [p for params in per_layer for p in params]
        listed = session.call(handle, "parameters")
        nested = _nested(listed, per_layer)
        if nested:
            sure["parameters-nested"] = IS
            return f"{nested} {about}.", "parameters-nested"
        if type(listed) not in (list, tuple):  # not a list at all: its order says nothing
            text, tag = _not_a_list(listed)
            sure[tag] = IS
            return f"{text} {about}.", tag
        kept = _parameters_kept(ctx) if list(listed) != expected else None
        if kept is not None:  # two new Sequentials showed it
            sure[kept[0]] = IS
            return (
                f"parameters() listed {len(listed)} parameters, where the layers hold {len(expected)} {about}. "
                f"Cause: {kept[1]}.",
                kept[0],
            )
        if list(listed) != expected:
            # Read only now: a list changed in place by an earlier call shows as a wrong parameters().
            fresh = _new(ctx, *given)
            session.call(fresh, "parameters")
            culprit = "parameters()" if _layers_changed(ctx, fresh, given, "") else "forward and backward"
            changed = _layers_changed(ctx, handle, given, culprit)
            if changed:
                sure["mutates-layers"] = IS
                return f"parameters() did not list the layers' parameters in layer order: {changed} {about}.", (
                    "mutates-layers"
                )
            by_name = "" if sorted(map(repr, listed)) == sorted(map(repr, expected)) else _picked_by_attribute_name(ctx)
            if by_name:
                sure["parameters-by-attribute-name"] = IS
                listed_some = f"parameters() listed {len(listed)} of the layers' {len(expected)} parameters {about}"
                return f"{listed_some}. Cause: {by_name}.", "parameters-by-attribute-name"
            left = "" if by_name else _left_out(listed, per_layer)
            if left:  # which objects came back, read: parameters left out, not an order mistake
                sure["entries-skipped"] = IS
                return f"{left} {about}.", "entries-skipped"
            if sorted(map(repr, listed)) != sorted(map(repr, expected)):  # not the same parameters: observed only
                return (
                    f"parameters() listed {len(listed)} parameters, where the layers hold {len(expected)}; they "
                    f"must be the layers' own objects, in layer order {about}.",
                    "",
                )
            sure["parameters-order"] = IS
            return (
                f"parameters() did not list the layers' {len(expected)} parameters in layer order {about}.",
                "parameters-order",
            )
        return None

    outcome = hypothesis_check(ctx, name, strategy, body)
    return outcome if outcome.passed else replace(outcome, confidence=sure.get(outcome.misconception, ""))


def _stale_on_same_input(ctx: Context, seed: int) -> bool:
    """A new Sequential of the training's layers returns, for the same x object after its layers' weights moved,
    the output of the first call where the new weights give another: forward memoised on its input. What the
    training alone cannot tell from weights that never moved (parameters() missing some): both freeze the loss."""
    x = ctx.rng("stale").standard_normal((5, 3))
    layers = ctx.session.harness("regression_layers", 3, 4, seed)
    try:
        got = ctx.session.harness("forward_across_a_step", _new(ctx, *layers), layers, x, 0.5)
    except (StudentTimeout, StudentCrash):
        raise
    except StudentError:
        return False
    local = doubles.regression_layers(3, 4, seed)
    want = doubles.forward_across_a_step(_Chain(local), local, x, 0.5)
    return _same(got[0], want[0]) and _same(got[1], want[0]) and not _same(want[1], want[0])


def _skipped_layer_cause(ctx: Context, handle: Any, layers: list[Any], last: bool, found: dict[str, str]) -> None:
    """Keep in ``found`` only what the submission itself shows, when the training's losses are those of a
    parameters() without the first (``last``: the last) layer: parameters() must really leave that layer's
    parameters out, and a backward that skips it is ruled out when the submission's backward does give that
    layer its gradients (a fresh Sequential of ScaleShift, Cube, ScaleShift; read, not simulated)."""
    session = ctx.session
    per_layer = [list(session.call(layer, "parameters")) for layer in layers]
    listed = session.call(handle, "parameters")
    i = len(layers) - 1 if last else 0

    def held(p: Any) -> bool:
        return type(listed) in (list, tuple) and any(q is p or _same_handle(q, p) for q in listed)

    others = [p for j, params in enumerate(per_layer) if j != i for p in params]
    if not per_layer[i] or any(held(p) for p in per_layer[i]) or not all(held(p) for p in others):
        del found["layer-skipped"]
        return
    if "backward-skips-layer" not in found:
        return
    case = ctx.component.cases[0]
    stack, probe, x = _stack_for(ctx, case, "skipped layer")
    g = ctx.rng("g", case.id, "skipped layer").standard_normal(x.shape)
    chain = _Chain(stack.local)
    chain.forward(x)
    chain.backward(g)
    session.call(probe, "forward", x)
    session.call(probe, "backward", g)
    at = f"layer {len(stack.kinds) - 1 if last else 0} "
    grads = [(a, b) for what, a, b in stack.grads(ctx) if what.startswith(at)]
    if grads and all(agrees(a, b) for a, b in grads):  # backward reached the layer: parameters() explains it
        del found["backward-skips-layer"]


@check("convergence", "a Sequential of layers trains with gradient descent", SEQUENTIAL)
def sequential_trains(ctx: Context) -> Outcome:
    """Linear -> ScaleShift -> Linear doubles, full-batch descent on linear data: the losses
    follow the local replay, and fall."""
    name = "a Sequential of layers trains with gradient descent"
    rng = ctx.rng("train")
    seed = draw_seed(ctx, "train")
    X = rng.standard_normal((32, 3))
    y = X @ rng.standard_normal((3, 1)) + 0.3
    lr, steps = settings.SEQUENTIAL_TRAIN_LR, settings.SEQUENTIAL_TRAIN_STEPS
    layers = ctx.session.harness("regression_layers", 3, 4, seed)
    handle = _new(ctx, *layers)
    try:
        losses = ctx.session.harness("train_steps", handle, X, y, lr, steps)
    except StudentError as error:
        if error.not_implemented or isinstance(error, (StudentTimeout, StudentCrash)):
            raise
        raised = (
            f"{steps} steps of gradient descent through the Sequential (layers of widths 3 -> 4 -> 1) raised "
            f"{error.describe()}."
        )
        changed = _layers_changed(ctx, handle, layers, "the training steps")
        if changed:
            return failed(name, f"{raised} Cause: {changed}.", "mutates-layers", confidence=IS)
        return failed(  # a consequence: the forward and backward tests say what is wrong
            name,
            f"{raised} The layers change width here, so a layer handed another layer's array (a loop in the wrong "
            "order, or not chained) fails where layers of one width would not; see the forward and backward tests.",
        )
    expected = doubles.train_steps(_Chain(doubles.regression_layers(3, 4, seed)), X, y, lr, steps)
    got = as_array(losses)
    if (
        got is not None
        and got.shape == (steps,)
        and np.isfinite(got).all()
        and got[-1] > settings.SEQUENTIAL_LOSS_RATIO * got[0]
    ):
        outcome = failed(
            name,
            f"{steps} steps of gradient descent (lr {lr:g}) through the Sequential took the loss "
            f"from {fmt(got[0])} to {fmt(got[-1])}; the same layers chained correctly reach "
            f"{fmt(expected[-1])}.",
        )
    else:
        outcome = judge(name, losses, np.asarray(expected), "the loss before each training step")
    if outcome.passed or got is None:
        return outcome
    changed = _layers_changed(ctx, handle, layers, "the training steps")
    if changed:
        return failed(name, f"{outcome.feedback} Cause: {changed}.", "mutates-layers", confidence=IS)
    found, keys = {}, {}
    mistakes = {**_BACKWARD_MISTAKES, **_FORWARD_MISTAKES, **_PARAMETERS_MISTAKES}
    for mistake, cause in mistakes.items():  # the same training, each mistake
        try:
            with np.errstate(all="ignore"):
                simulated = doubles.train_steps(_Chain(doubles.regression_layers(3, 4, seed), mistake), X, y, lr, steps)
        except (AttributeError, ValueError, IndexError):  # shapes that do not chain: that mistake crashes
            continue
        if _same(got, simulated):
            found.setdefault(mistake.partition("#")[0], cause)
            keys.setdefault(mistake.partition("#")[0], mistake)
    if "layer-skipped" in found:  # the same losses as a backward that skips that layer: ask the submission
        _skipped_layer_cause(ctx, handle, layers, keys["layer-skipped"].endswith("#last"), found)
    if "cached-first-call" in found and not _stale_on_same_input(ctx, seed):
        del found["cached-first-call"]  # constant losses of weights that never moved, not of a stale output
    if len(found) == 1:
        tag, cause = found.popitem()
        return failed(name, f"{outcome.feedback} Cause: {cause}.", tag, confidence=IS)
    return failed(
        name,
        f"{outcome.feedback} Check that backward reaches every layer and that parameters() returns the layers' own "
        "parameter objects.",
    )
