"""Rubric for Sequential, driven with logged test-double layers (graders/doubles.py)."""

import copy
from typing import Any

import numpy as np
from hypothesis import strategies as st

from .. import doubles, settings
from ..catalogue import Context, check
from ..components import Case
from ..results import Outcome, failed, passed
from ..strategies import SEEDS
from ..tolerance import as_array, compare, fmt
from .drive import (
    Problem,
    describe_kind,
    draw_seed,
    example_rng,
    hypothesis_check,
)
from .modules import first_failure, judge

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
    stack = _Stack(ctx, "scs", dims, draw_seed(ctx, "stack", case.id, salt))
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
        problems.append(f"`layers` should be the list of the layers given, in order; got {describe_kind(layers)}")
    if session.get(handle, "training") is not True:
        problems.append("`training` should be True after construction")
    listed = session.call(handle, "parameters")
    if type(listed) not in (list, tuple):
        problems.append(f"parameters() should return a list, got {type(listed).__name__}")
    y = as_array(session.call(handle, "forward", x))
    if y is None or y.shape != x.shape:
        problems.append(
            f"forward of an input of shape {x.shape} through shape-preserving layers should "
            f"return shape {x.shape}, got {describe_kind(y)}"
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
        rng = example_rng(ctx, drawn)
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
    seed = draw_seed(ctx, "train")
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
